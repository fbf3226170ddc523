# Fine-tune the shipped pretrained model (awing://synthetic_wflw, trained on
# synthetic faces only) on your own labelled faces in the WFLW layout (98
# points; tools/dataset_converters/wflw2coco.py writes the json). Same network
# and augmentation as the pretrained config, less its random convolutions
# (they hide a renderer's colours and textures; on real faces those are
# worth learning); a lower learning rate and 30 epochs. Every weight is
# loaded.
#
#   python tools/train.py configs/finetune/awing_pretrained_wflw.py \
#       --cfg-options train_dataloader.dataset.data_root=data/my_faces/
_base_ = ['../pretrained/awing_synthetic_wflw.py']

load_from = 'awing://synthetic_wflw'  # read inside checkpoint_loading()
data_root = 'data/wflw/'

max_epochs = 30
train_cfg = dict(max_epochs=max_epochs)
optim_wrapper = dict(optimizer=dict(lr=5e-4))
param_scheduler = [
    dict(type='LinearLR', begin=0, end=100, start_factor=0.1, by_epoch=False),
    dict(
        type='MultiStepLR',
        begin=0,
        end=max_epochs,
        by_epoch=True,
        milestones=[20, 27],
        gamma=0.2)
]

train_pipeline = [
    step for step in _base_.train_pipeline
    if step['type'] != 'awing_mmpose.RandomConvolution'
]
train_dataloader = dict(
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
test_dataloader = dict(dataset=dict(data_root=data_root))
# no validation split in WFLW: train the schedule and report the last epoch
# (add a val_dataloader of your own split to select a checkpoint)
val_dataloader = None
val_cfg = None
val_evaluator = None
default_hooks = dict(
    checkpoint=dict(
        _delete_=True, type='CheckpointHook', interval=1, max_keep_ckpts=3))
