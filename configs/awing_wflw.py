# Adaptive Wing loss on WFLW: the paper's full method and recipe.
# 4-stack CoordConv hourglass with boundary-coordinate encoding, K = 98
# landmark heatmaps + 1 boundary heatmap at 64x64 from a 256x256 crop,
# AWing loss x Weighted Loss Map on every channel of every stack.
# Model selection: none. As in the paper, training runs its 240 epochs and
# the last checkpoint is the one reported on the test split; no validation
# loop looks at the test set while training.
_base_ = [
    './_base_/default_runtime.py', './_base_/schedules/rmsprop_240e.py'
]

train_cfg = dict(by_epoch=True, max_epochs=240)

num_keypoints = 98
layout = 'wflw'  # metainfo + boundary curves: awing_mmpose/datasets/metainfo

# codec: K Gaussians (sigma 1.75 ~ the authors' 7x7 patch) + boundary map
codec = dict(
    type='awing_mmpose.BoundaryHeatmap',
    input_size=(256, 256),
    heatmap_size=(64, 64),
    sigma=1.75,
    boundary_curves='auto',  # the dataset metainfo's 13 curves
    boundary_sigma=1.,
    mask_kernel=3,
    mask_threshold=0.2,
    refine='quarter')

model = dict(
    type='TopdownPoseEstimator',
    # the authors' network reads RGB / 255
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[0., 0., 0.],
        std=[255., 255., 255.],
        bgr_to_rgb=True),
    backbone=dict(
        type='awing_mmpose.AWingHourglass',
        num_stacks=4,
        num_heatmaps=num_keypoints + 1,
        feat_channels=256,
        hg_depth=4,
        with_coord=True,
        boundary_coords=True,
        boundary_threshold=0.05),
    head=dict(
        type='awing_mmpose.AWingHead',
        loss=dict(
            type='awing_mmpose.WeightedLossMap',
            loss=dict(
                type='awing_mmpose.AdaptiveWingLoss',
                alpha=2.1,
                omega=14.,
                epsilon=1.,
                theta=0.5),
            weight=10.,
            kernel_size=3,
            threshold=0.2,
            # landmarks outside the crop have weight 0: never trained to
            # predict "no landmark here"
            use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True, shift_heatmap=False))

# data
dataset_type = 'awing_mmpose.FaceLandmarkDataset'
data_mode = 'topdown'
data_root = 'data/wflw/'
backend_args = dict(backend='local')

train_pipeline = [
    dict(type='LoadImage', backend_args=backend_args),
    # the given boxes enlarged by 10% in both dimensions
    dict(type='GetBBoxCenterScale', padding=1.1),
    dict(type='RandomFlip', direction='horizontal', prob=0.5),
    # rotation +-50 deg, translation +-25 px (of 256), rescale +-15%,
    # re-drawn (5 tries, then a safe crop) until every landmark lies at
    # least 4 px (one heatmap pixel) inside the crop, as the authors' loader
    # re-draws its crops (their crop is ~22% wider, so they ask 15 px)
    dict(
        type='awing_mmpose.KeepLandmarksInCrop',
        transform=dict(
            type='RandomBBoxTransform',
            shift_factor=25. / 256,
            shift_prob=1.,
            scale_factor=(0.85, 1.15),
            scale_prob=1.,
            rotate_factor=50.,
            rotate_prob=1.),
        input_size=codec['input_size'],
        margin=4.,
        max_tries=5),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='awing_mmpose.RandomGaussianBlur', prob=0.2),
    dict(type='awing_mmpose.RandomGaussianNoise', prob=0.2),
    dict(type='awing_mmpose.RandomOcclusion', prob=0.3),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]
test_pipeline = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='GetBBoxCenterScale', padding=1.1),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PackPoseInputs')
]

train_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        layout=layout,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/face_landmarks_wflw_train.json',
        data_prefix=dict(img='WFLW_images/'),
        pipeline=train_pipeline))
# no validation loop (see the top of this file); configs/awing_demo.py shows
# how to validate on a held-out split and keep the best checkpoint
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        type=dataset_type,
        layout=layout,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/face_landmarks_wflw_test.json',
        data_prefix=dict(img='WFLW_images/'),
        test_mode=True,
        pipeline=test_pipeline))

# NME (inter-ocular), FR@0.1, AUC@0.1 on the full test set and the six
# attribute subsets, in the paper's table layout
test_evaluator = dict(
    type='awing_mmpose.FaceAlignmentMetric',
    norm_mode='inter_ocular',
    subsets=[
        'pose', 'expression', 'illumination', 'makeup', 'occlusion', 'blur'
    ])
