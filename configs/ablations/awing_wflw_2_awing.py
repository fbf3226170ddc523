# Ablation ladder, row 2: AWing instead of MSE (paper: -0.74 NME points).
_base_ = ['./awing_wflw_1_mse.py']

model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='awing_mmpose.AdaptiveWingLoss',
            use_target_weight=True)))
