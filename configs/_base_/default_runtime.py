# Runtime shared by all awing-mmpose configs: MMPose's defaults plus this
# package (its components are referred to as 'awing_mmpose.<Name>').
_base_ = ['mmpose::_base_/default_runtime.py']

custom_imports = dict(imports=['awing_mmpose'], allow_failed_imports=False)

# top-down: the MMPoseInferencer crops faces found by a detector
data_mode = 'topdown'

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50),
    # no best-checkpoint rule here: a config that validates on a held-out
    # split adds save_best='NME', rule='less' (configs/awing_demo.py)
    checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=3))

# MMPose's SyncBuffersHook, plus: stop on a NaN / infinite loss and never
# write a checkpoint with non-finite weights (action='skip' skips the step)
custom_hooks = [
    dict(type='SyncBuffersHook'),
    dict(type='awing_mmpose.NonFiniteLossHook', action='stop')
]

env_cfg = dict(dist_cfg=dict(backend='nccl'))  # tools/train.py: gloo on CPU

# MMPose's pose visualizer, working with NumPy >= 2.3 (tools/test.py
# --show-dir, MMPoseInferencer, tools/demo.py)
visualizer = dict(type='awing_mmpose.FaceLandmarkVisualizer')
