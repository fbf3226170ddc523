# Ablation ladder on WFLW (paper Sec. 5), row 1: MSE.
# Landmark heatmaps only: no boundary channel (so no boundary coordinates),
# MSE loss without a loss map. CoordConv (x, y, r) stays.
_base_ = ['../awing_wflw.py']

num_keypoints = 98

codec = dict(
    type='awing_mmpose.BoundaryHeatmap',
    input_size=(256, 256),
    heatmap_size=(64, 64),
    sigma=1.75,
    boundary_curves=None,  # K channels, no boundary channel
    mask_kernel=0,  # no precomputed loss map: the loss computes its own M
    refine='quarter')

model = dict(
    backbone=dict(num_heatmaps=num_keypoints, boundary_coords=False),
    head=dict(
        loss=dict(_delete_=True, type='KeypointMSELoss'), decoder=codec))

# the training pipeline again, only because its GenerateTarget holds the codec
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale', padding=1.1),
    dict(type='RandomFlip', direction='horizontal', prob=0.5),
    dict(
        type='RandomBBoxTransform',
        shift_factor=25. / 256,
        shift_prob=1.,
        scale_factor=(0.85, 1.15),
        scale_prob=1.,
        rotate_factor=50.,
        rotate_prob=1.),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='awing_mmpose.RandomGaussianBlur', prob=0.2),
    dict(type='awing_mmpose.RandomGaussianNoise', prob=0.2),
    dict(type='awing_mmpose.RandomOcclusion', prob=0.3),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
