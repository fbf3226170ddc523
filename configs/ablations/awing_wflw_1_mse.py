# Ablation ladder on WFLW (paper Sec. 5), row 1: MSE.
# Landmark heatmaps only: no boundary channel (so no boundary coordinates),
# MSE loss without a loss map. CoordConv (x, y, r) stays.
_base_ = ['../awing_wflw.py']

num_keypoints = 98

codec = dict(
    _base_.codec,
    boundary_curves=None,  # K channels, no boundary channel
    mask_kernel=0)  # no precomputed loss map: the loss computes its own M

model = dict(
    backbone=dict(num_heatmaps=num_keypoints, boundary_coords=False),
    head=dict(
        loss=dict(
            _delete_=True, type='KeypointMSELoss', use_target_weight=True),
        decoder=codec))

# the paper config's pipeline with this codec in its GenerateTarget
train_pipeline = [
    dict(step, encoder=codec) if step['type'] == 'GenerateTarget' else step
    for step in _base_.train_pipeline
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
