# The paper's optimiser and learning-rate schedule: RMSprop, lr 1e-4,
# momentum 0, weight decay 1e-5, lr x0.1 at epochs 80 and 160 of 240
# (configs set train_cfg.max_epochs = 240; MMPose's runtime base already
# defines train_cfg, so it is not repeated here).
optim_wrapper = dict(
    optimizer=dict(type='RMSprop', lr=1e-4, momentum=0., weight_decay=1e-5))

param_scheduler = [
    dict(
        type='MultiStepLR',
        begin=0,
        end=240,
        by_epoch=True,
        milestones=[80, 160],
        gamma=0.1)
]

# the learning rate above is for this total batch size
auto_scale_lr = dict(base_batch_size=16)
