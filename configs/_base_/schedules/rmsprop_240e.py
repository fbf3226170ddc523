# The paper's schedule: RMSprop, lr 1e-4, momentum 0, weight decay 1e-5,
# 240 epochs, lr x0.1 at epochs 80 and 160.
max_epochs = 240
train_cfg = dict(by_epoch=True, max_epochs=max_epochs, val_interval=10)
val_cfg = dict()
test_cfg = dict()

optim_wrapper = dict(
    optimizer=dict(type='RMSprop', lr=1e-4, momentum=0., weight_decay=1e-5))

param_scheduler = [
    dict(
        type='MultiStepLR',
        begin=0,
        end=max_epochs,
        by_epoch=True,
        milestones=[80, 160],
        gamma=0.1)
]

# the learning rate above is for this total batch size
auto_scale_lr = dict(base_batch_size=16)
