auto_scale_lr = dict(base_batch_size=16)
backend_args = dict(backend='local')
codec = dict(
    boundary_curves='auto',
    boundary_sigma=1.0,
    heatmap_size=(
        32,
        32,
    ),
    input_size=(
        128,
        128,
    ),
    mask_kernel=3,
    mask_threshold=0.2,
    refine='quarter',
    sigma=1.0,
    type='awing_mmpose.BoundaryHeatmap')
custom_hooks = [
    dict(type='SyncBuffersHook'),
    dict(action='stop', type='awing_mmpose.NonFiniteLossHook'),
]
custom_imports = dict(
    allow_failed_imports=False, imports=[
        'awing_mmpose',
    ])
data_mode = 'topdown'
data_root = 'data/synthetic_pretrain_randconv/'
dataset_type = 'awing_mmpose.FaceLandmarkDataset'
default_hooks = dict(
    badcase=dict(
        _scope_='mmpose',
        badcase_thr=5,
        enable=False,
        metric_type='loss',
        out_dir='badcase',
        type='BadCaseAnalysisHook'),
    checkpoint=dict(
        _scope_='mmpose',
        interval=1,
        max_keep_ckpts=2,
        rule='less',
        save_best='NME',
        type='CheckpointHook'),
    logger=dict(_scope_='mmpose', interval=50, type='LoggerHook'),
    param_scheduler=dict(_scope_='mmpose', type='ParamSchedulerHook'),
    sampler_seed=dict(_scope_='mmpose', type='DistSamplerSeedHook'),
    timer=dict(_scope_='mmpose', type='IterTimerHook'),
    visualization=dict(
        _scope_='mmpose', enable=False, type='PoseVisualizationHook'))
default_scope = 'mmpose'
env_cfg = dict(
    cudnn_benchmark=False,
    dist_cfg=dict(backend='nccl'),
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0))
layout = 'wflw'
load_from = None
log_level = 'INFO'
log_processor = dict(
    _scope_='mmpose',
    by_epoch=True,
    num_digits=6,
    type='LogProcessor',
    window_size=50)
max_epochs = 4
model = dict(
    backbone=dict(
        boundary_coords=True,
        boundary_threshold=0.05,
        feat_channels=64,
        hg_depth=3,
        num_heatmaps=99,
        num_stacks=2,
        stem_channels=(
            32,
            64,
            64,
        ),
        type='awing_mmpose.AWingHourglass',
        with_coord=True),
    data_preprocessor=dict(
        bgr_to_rgb=True,
        mean=[
            0.0,
            0.0,
            0.0,
        ],
        std=[
            255.0,
            255.0,
            255.0,
        ],
        type='PoseDataPreprocessor'),
    head=dict(
        decoder=dict(
            boundary_curves='auto',
            boundary_sigma=1.0,
            heatmap_size=(
                32,
                32,
            ),
            input_size=(
                128,
                128,
            ),
            mask_kernel=3,
            mask_threshold=0.2,
            refine='quarter',
            sigma=1.0,
            type='awing_mmpose.BoundaryHeatmap'),
        loss=dict(
            kernel_size=3,
            loss=dict(
                alpha=2.1,
                epsilon=1.0,
                omega=14.0,
                theta=0.5,
                type='awing_mmpose.AdaptiveWingLoss'),
            threshold=0.2,
            type='awing_mmpose.WeightedLossMap',
            use_target_weight=True,
            weight=10.0),
        type='awing_mmpose.AWingHead'),
    test_cfg=dict(flip_test=True, shift_heatmap=False),
    type='TopdownPoseEstimator')
num_keypoints = 98
optim_wrapper = dict(optimizer=dict(lr=0.0003, type='Adam', weight_decay=0.0))
param_scheduler = [
    dict(begin=0, by_epoch=False, end=100, start_factor=0.2, type='LinearLR'),
    dict(
        begin=0,
        by_epoch=True,
        end=5,
        gamma=0.2,
        milestones=[
            3,
        ],
        type='MultiStepLR'),
]
randomness = dict(seed=0)
resume = False
test_cfg = dict()
test_dataloader = dict(
    batch_size=32,
    dataset=dict(
        ann_file='annotations/face_landmarks_wflw_test.json',
        data_mode='topdown',
        data_prefix=dict(img='WFLW_images/'),
        data_root='data/synthetic_pretrain_randconv/',
        layout='wflw',
        pipeline=[
            dict(type='LoadImage'),
            dict(padding=1.1, type='GetBBoxCenterScale'),
            dict(input_size=(
                128,
                128,
            ), type='TopdownAffine'),
            dict(type='PackPoseInputs'),
        ],
        test_mode=True,
        type='awing_mmpose.FaceLandmarkDataset'),
    drop_last=False,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(round_up=False, shuffle=False, type='DefaultSampler'))
test_evaluator = dict(
    norm_mode='inter_ocular',
    subsets=[
        'pose',
        'expression',
        'illumination',
        'makeup',
        'occlusion',
        'blur',
    ],
    type='awing_mmpose.FaceAlignmentMetric')
test_pipeline = [
    dict(type='LoadImage'),
    dict(padding=1.1, type='GetBBoxCenterScale'),
    dict(input_size=(
        128,
        128,
    ), type='TopdownAffine'),
    dict(type='PackPoseInputs'),
]
train_cfg = dict(by_epoch=True, max_epochs=4, val_interval=1)
train_dataloader = dict(
    batch_size=16,
    dataset=dict(
        ann_file='annotations/face_landmarks_wflw_train.json',
        data_mode='topdown',
        data_prefix=dict(img='WFLW_images/'),
        data_root='data/synthetic_pretrain_randconv/',
        layout='wflw',
        pipeline=[
            dict(type='LoadImage'),
            dict(padding=1.1, type='GetBBoxCenterScale'),
            dict(direction='horizontal', prob=0.5, type='RandomFlip'),
            dict(
                input_size=(
                    128,
                    128,
                ),
                margin=2.0,
                transform=dict(
                    rotate_factor=30.0,
                    rotate_prob=0.6,
                    scale_factor=(
                        0.8,
                        1.25,
                    ),
                    shift_factor=0.08,
                    type='RandomBBoxTransform'),
                type='awing_mmpose.KeepLandmarksInCrop'),
            dict(input_size=(
                128,
                128,
            ), type='TopdownAffine'),
            dict(type='PhotometricDistortion'),
            dict(
                kernel_sizes=(
                    1,
                    3,
                    5,
                    7,
                ),
                prob=0.5,
                type='awing_mmpose.RandomConvolution'),
            dict(prob=0.25, type='awing_mmpose.RandomPhotoOcclusion'),
            dict(prob=0.15, type='awing_mmpose.RandomGrayscale'),
            dict(prob=0.2, type='awing_mmpose.RandomLowResolution'),
            dict(prob=0.2, type='awing_mmpose.RandomGaussianBlur'),
            dict(prob=0.2, type='awing_mmpose.RandomGaussianNoise'),
            dict(prob=0.3, type='awing_mmpose.RandomJPEGCompression'),
            dict(
                encoder=dict(
                    boundary_curves='auto',
                    boundary_sigma=1.0,
                    heatmap_size=(
                        32,
                        32,
                    ),
                    input_size=(
                        128,
                        128,
                    ),
                    mask_kernel=3,
                    mask_threshold=0.2,
                    refine='quarter',
                    sigma=1.0,
                    type='awing_mmpose.BoundaryHeatmap'),
                type='GenerateTarget'),
            dict(type='PackPoseInputs'),
        ],
        type='awing_mmpose.FaceLandmarkDataset'),
    num_workers=2,
    persistent_workers=True,
    sampler=dict(shuffle=True, type='DefaultSampler'))
train_pipeline = [
    dict(type='LoadImage'),
    dict(padding=1.1, type='GetBBoxCenterScale'),
    dict(direction='horizontal', prob=0.5, type='RandomFlip'),
    dict(
        input_size=(
            128,
            128,
        ),
        margin=2.0,
        transform=dict(
            rotate_factor=30.0,
            rotate_prob=0.6,
            scale_factor=(
                0.8,
                1.25,
            ),
            shift_factor=0.08,
            type='RandomBBoxTransform'),
        type='awing_mmpose.KeepLandmarksInCrop'),
    dict(input_size=(
        128,
        128,
    ), type='TopdownAffine'),
    dict(type='PhotometricDistortion'),
    dict(
        kernel_sizes=(
            1,
            3,
            5,
            7,
        ),
        prob=0.5,
        type='awing_mmpose.RandomConvolution'),
    dict(prob=0.25, type='awing_mmpose.RandomPhotoOcclusion'),
    dict(prob=0.15, type='awing_mmpose.RandomGrayscale'),
    dict(prob=0.2, type='awing_mmpose.RandomLowResolution'),
    dict(prob=0.2, type='awing_mmpose.RandomGaussianBlur'),
    dict(prob=0.2, type='awing_mmpose.RandomGaussianNoise'),
    dict(prob=0.3, type='awing_mmpose.RandomJPEGCompression'),
    dict(
        encoder=dict(
            boundary_curves='auto',
            boundary_sigma=1.0,
            heatmap_size=(
                32,
                32,
            ),
            input_size=(
                128,
                128,
            ),
            mask_kernel=3,
            mask_threshold=0.2,
            refine='quarter',
            sigma=1.0,
            type='awing_mmpose.BoundaryHeatmap'),
        type='GenerateTarget'),
    dict(type='PackPoseInputs'),
]
val_cfg = dict()
val_dataloader = dict(
    batch_size=32,
    dataset=dict(
        ann_file='annotations/face_landmarks_wflw_val.json',
        data_mode='topdown',
        data_prefix=dict(img='WFLW_images/'),
        data_root='data/synthetic_pretrain_randconv/',
        layout='wflw',
        pipeline=[
            dict(type='LoadImage'),
            dict(padding=1.1, type='GetBBoxCenterScale'),
            dict(input_size=(
                128,
                128,
            ), type='TopdownAffine'),
            dict(type='PackPoseInputs'),
        ],
        test_mode=True,
        type='awing_mmpose.FaceLandmarkDataset'),
    drop_last=False,
    num_workers=1,
    persistent_workers=False,
    sampler=dict(round_up=False, shuffle=False, type='DefaultSampler'))
val_evaluator = dict(
    norm_mode='inter_ocular', type='awing_mmpose.FaceAlignmentMetric')
vis_backends = [
    dict(_scope_='mmpose', type='LocalVisBackend'),
]
visualizer = dict(
    _scope_='mmpose',
    name='visualizer',
    type='awing_mmpose.FaceLandmarkVisualizer',
    vis_backends=[
        dict(type='LocalVisBackend'),
    ])
