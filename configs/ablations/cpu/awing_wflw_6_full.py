# Ablation ladder at CPU size, row 6: the full method (configs/awing_wflw.py)
# with the demo-size network (configs/awing_demo.py): 128x128 input, 32x32
# heatmaps, 2 slim 64-channel depth-3 stacks, no flip test, Adam. Rows 1-5 in
# this folder are the paper ladder's diffs applied to this file. Everything
# else (loss, codec channels, augmentation types, metric) is the paper's.
# tools/ablation.py sets the data root, epochs, schedule end and seed.
_base_ = ['../../awing_wflw.py']

input_size = (128, 128)
codec = dict(
    _base_.model.head.decoder,
    input_size=input_size,
    heatmap_size=(32, 32),
    sigma=1.)

model = dict(
    backbone=dict(
        num_stacks=2,
        stem_channels=(32, 64, 64),
        feat_channels=64,
        hg_depth=3),
    # landmarks outside the crop weigh 0 (as the paper configs' losses)
    head=dict(decoder=codec, loss=dict(use_target_weight=True)),
    test_cfg=dict(flip_test=False))


def _cpu_size(step):
    """One pipeline step at this input size (found by type, not position).

    Pixel sizes scale with the input; the random crop uses the demo's milder
    geometry (shift 5 %, scale +-10 %, rotation +-20 deg half of the time),
    because a budget of minutes does not learn the paper's +-50 deg."""
    step = dict(step)
    if step['type'] == 'TopdownAffine':
        step['input_size'] = input_size
    elif step['type'] == 'GenerateTarget':
        step['encoder'] = codec
    elif step['type'] == 'RandomBBoxTransform':
        step.update(shift_factor=0.05, shift_prob=1., scale_factor=(0.9, 1.1),
                    scale_prob=1., rotate_factor=20., rotate_prob=0.5)
    elif 'transform' in step and 'input_size' in step:  # a crop wrapper
        ratio = input_size[0] / step['input_size'][0]
        step.update(input_size=input_size, transform=_cpu_size(
            step['transform']))
        if 'margin' in step:
            step['margin'] = step['margin'] * ratio
    return step


train_pipeline = [
    _cpu_size(s) for s in _base_.train_dataloader.dataset.pipeline
]
test_pipeline = [
    _cpu_size(s) for s in _base_.test_dataloader.dataset.pipeline
]

max_epochs = 4
train_cfg = dict(max_epochs=max_epochs)
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

# no model selection: every run is reported at its last epoch, on the test
# split only after training (no validation loop on any split)
val_dataloader = None
val_cfg = None
val_evaluator = None
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(save_best=None, max_keep_ckpts=1))

randomness = dict(seed=0)
data_root = 'data/synthetic_wflw/'
train_dataloader = dict(
    batch_size=16,
    num_workers=1,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
test_dataloader = dict(
    batch_size=32,
    num_workers=1,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
