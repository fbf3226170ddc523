# Ablation ladder at CPU size, row 1: MSE on the K landmark heatmaps, no
# boundary channel (the diff of ../awing_wflw_1_mse.py).
_base_ = ['./awing_wflw_6_full.py']

num_keypoints = 98
codec = dict(_base_.codec, boundary_curves=None, mask_kernel=0)

model = dict(
    backbone=dict(num_heatmaps=num_keypoints, boundary_coords=False),
    head=dict(
        loss=dict(
            _delete_=True, type='KeypointMSELoss', use_target_weight=True),
        decoder=codec))

train_pipeline = [
    dict(step, encoder=codec) if step['type'] == 'GenerateTarget' else step
    for step in _base_.train_pipeline
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
