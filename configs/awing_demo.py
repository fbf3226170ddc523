# The CPU demo: the full method (AWing x Weighted Loss Map, boundary channel,
# CoordConv with boundary coordinates) at CPU size, trained on the embedded
# synthetic WFLW-layout faces (tools/misc/generate_synthetic_faces.py, then
# tools/dataset_converters/wflw2coco.py). 128x128 input, 32x32 heatmaps,
# a slim stem and 2 stacks of 64-channel depth-3 hourglasses; Adam instead
# of RMSprop and 7 epochs (lr x0.2 for the last two), so that it trains in
# minutes on 2 CPU cores.
# Model selection on the generator's validation split (never the test split):
# the best-NME checkpoint is then evaluated once on the test split.
_base_ = ['./awing_wflw.py']

codec = dict(
    _base_.codec, input_size=(128, 128), heatmap_size=(32, 32), sigma=1.)

model = dict(
    backbone=dict(
        num_stacks=2,
        stem_channels=(32, 64, 64),
        feat_channels=64,
        hg_depth=3),
    head=dict(decoder=codec),
    test_cfg=dict(flip_test=False))

max_epochs = 7
train_cfg = dict(max_epochs=max_epochs, val_interval=1)
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='Adam', lr=2e-3, weight_decay=0.))
param_scheduler = [
    dict(
        type='MultiStepLR',
        begin=0,
        end=max_epochs,
        by_epoch=True,
        milestones=[5],
        gamma=0.2)
]
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(save_best='NME', rule='less'))

data_root = 'data/synthetic_wflw/'
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale', padding=1.1),
    dict(type='RandomFlip', direction='horizontal', prob=0.5),
    dict(
        type='awing_mmpose.KeepLandmarksInCrop',
        transform=dict(
            type='RandomBBoxTransform',
            shift_factor=0.05,
            scale_factor=(0.9, 1.1),
            rotate_factor=20.,
            rotate_prob=0.5),
        input_size=codec['input_size'],
        margin=2.),  # the paper config's 4 px of 256, at 128
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='awing_mmpose.RandomGaussianBlur', prob=0.1),
    dict(type='awing_mmpose.RandomGaussianNoise', prob=0.1),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]
test_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale', padding=1.1),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PackPoseInputs')
]
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
test_dataloader = dict(
    batch_size=32,
    num_workers=1,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
# the synthetic generator's validation split (tools/run_demo.sh writes it);
# _delete_: the paper config has no validation loop (None) to merge into
val_dataloader = dict(
    _delete_=True,
    batch_size=32,
    num_workers=1,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        type='awing_mmpose.FaceLandmarkDataset',
        layout='wflw',
        data_root=data_root,
        data_mode='topdown',
        ann_file='annotations/face_landmarks_wflw_val.json',
        data_prefix=dict(img='WFLW_images/'),
        test_mode=True,
        pipeline=test_pipeline))
val_cfg = dict(_delete_=True)
val_evaluator = dict(
    _delete_=True,
    type='awing_mmpose.FaceAlignmentMetric',
    norm_mode='inter_ocular')

# reproducible runs of the demo (MMEngine seeds python, numpy and torch)
randomness = dict(seed=0)
