# The CPU demo: the full method (AWing x Weighted Loss Map, boundary channel,
# CoordConv with boundary coordinates) at CPU size, trained on the embedded
# synthetic WFLW-layout faces (tools/misc/generate_synthetic_faces.py, then
# tools/dataset_converters/wflw2coco.py). 128x128 input, 32x32 heatmaps,
# a slim stem and 2 stacks of 64-channel depth-3 hourglasses; Adam instead
# of RMSprop and 4 epochs, so that it trains in minutes on 2 CPU cores.
_base_ = ['./awing_wflw.py']

codec = dict(
    type='awing_mmpose.BoundaryHeatmap',
    input_size=(128, 128),
    heatmap_size=(32, 32),
    sigma=1.,
    boundary_curves='auto',
    boundary_sigma=1.,
    mask_kernel=3,
    mask_threshold=0.2,
    refine='quarter')

model = dict(
    backbone=dict(
        num_stacks=2,
        stem_channels=(32, 64, 64),
        feat_channels=64,
        hg_depth=3),
    head=dict(decoder=codec),
    test_cfg=dict(flip_test=False))

max_epochs = 4
train_cfg = dict(max_epochs=max_epochs, val_interval=4)
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='Adam', lr=2e-3, weight_decay=0.))
param_scheduler = [
    dict(
        type='MultiStepLR',
        begin=0,
        end=max_epochs,
        by_epoch=True,
        milestones=[3],
        gamma=0.2)
]
default_hooks = dict(logger=dict(interval=20))

data_root = 'data/synthetic_wflw/'
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale', padding=1.1),
    dict(type='RandomFlip', direction='horizontal', prob=0.5),
    dict(
        type='RandomBBoxTransform',
        shift_factor=0.05,
        scale_factor=(0.9, 1.1),
        rotate_factor=20.,
        rotate_prob=0.5),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='awing_mmpose.RandomGaussianBlur', prob=0.1),
    dict(type='awing_mmpose.RandomGaussianNoise', prob=0.1),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale', padding=1.1),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PackPoseInputs')
]
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=1,
    dataset=dict(data_root=data_root, pipeline=val_pipeline))
test_dataloader = val_dataloader

# reproducible runs of the demo (MMEngine seeds python, numpy and torch)
randomness = dict(seed=0)
