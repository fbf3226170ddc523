# Ablation ladder at CPU size, row 2: AWing instead of MSE.
_base_ = ['./awing_wflw_1_mse.py']

model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='awing_mmpose.AdaptiveWingLoss',
            use_target_weight=True)))
