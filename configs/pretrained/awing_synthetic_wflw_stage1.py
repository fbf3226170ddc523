# Stage 1 of the shipped pretrained model (configs/pretrained/
# awing_synthetic_wflw.py): the full method (AWing x Weighted Loss Map,
# boundary channel, CoordConv with boundary coordinates) at the CPU demo's
# size (128x128 input, 2 stacks of 64-channel hourglasses, about 20 ms per
# face on 2 CPU cores), trained from scratch only on synthetic faces: 10,000
# of them, 70 % drawn in front of photographs (scikit-image's sample photos,
# no people), with the degradations real photos have (colour, grey, low
# resolution, blur, noise, JPEG, photo occluders) and loose boxes (a
# detector's box is not the landmarks' box). No real face is used for
# training or for choosing anything: the checkpoint is selected on the
# synthetic validation split.
#
#   STAGES=1 bash tools/train_pretrained.sh
_base_ = ['../awing_demo.py']

codec = _base_.codec
data_root = 'data/synthetic_pretrain/'

# test-time flip: the heatmaps of the mirrored face are averaged in (landmark
# channels swapped by the WFLW flip pairs, the boundary channel mirrored as a
# whole), as in MMPose's face configs and configs/awing_wflw.py; it doubles
# the network time per face
model = dict(test_cfg=dict(flip_test=True))

max_epochs = 14
train_cfg = dict(max_epochs=max_epochs, val_interval=1)
param_scheduler = [
    dict(type='LinearLR', begin=0, end=300, start_factor=0.1, by_epoch=False),
    dict(
        type='MultiStepLR',
        begin=0,
        end=max_epochs,
        by_epoch=True,
        milestones=[10, 13],
        gamma=0.2)
]
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=1, max_keep_ckpts=2, save_best='NME',
                    rule='less'))

train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale', padding=1.1),
    dict(type='RandomFlip', direction='horizontal', prob=0.5),
    dict(
        type='awing_mmpose.KeepLandmarksInCrop',
        transform=dict(
            type='RandomBBoxTransform',
            shift_factor=0.08,
            scale_factor=(0.8, 1.25),
            rotate_factor=30.,
            rotate_prob=0.6),
        input_size=codec['input_size'],
        margin=2.),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PhotometricDistortion'),
    dict(type='awing_mmpose.RandomPhotoOcclusion', prob=0.25),
    dict(type='awing_mmpose.RandomGrayscale', prob=0.15),
    dict(type='awing_mmpose.RandomLowResolution', prob=0.2),
    dict(type='awing_mmpose.RandomGaussianBlur', prob=0.2),
    dict(type='awing_mmpose.RandomGaussianNoise', prob=0.2),
    dict(type='awing_mmpose.RandomJPEGCompression', prob=0.3),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]
train_dataloader = dict(
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
