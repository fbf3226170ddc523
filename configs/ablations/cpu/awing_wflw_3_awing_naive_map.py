# Ablation ladder at CPU size, row 3: AWing x naive loss map (no dilation).
_base_ = ['./awing_wflw_2_awing.py']

model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='awing_mmpose.WeightedLossMap',
            loss=dict(type='awing_mmpose.AdaptiveWingLoss'),
            weight=10.,
            kernel_size=1,
            threshold=0.2,
            use_target_weight=True)))
