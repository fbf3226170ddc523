# written by tools/ablation.py: row 2_awing, seed 0
_base_ = ['configs/ablations/cpu/awing_wflw_2_awing.py']

max_epochs = 32
train_cfg = dict(max_epochs=max_epochs)
# the row's schedule stretched to max_epochs
param_scheduler = [
    dict(s, end=max_epochs, milestones=[
        max(1, round(m * max_epochs / s['end'])) for m in s['milestones']])
    if 'milestones' in s else dict(s, end=max_epochs)
    for s in _base_.param_scheduler
]
randomness = dict(seed=0)
# last epoch reported; no validation loop looks at any split
val_dataloader = None
val_cfg = None
val_evaluator = None
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=1, save_best=None, max_keep_ckpts=1))
data_root = 'work_dirs/ablation_long/data/'
train_dataloader = dict(
    num_workers=1,
    persistent_workers=True,
    dataset=dict(data_root=data_root))
test_dataloader = dict(
    num_workers=1,
    persistent_workers=False,
    dataset=dict(data_root=data_root))
