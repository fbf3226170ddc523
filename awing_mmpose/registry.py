"""Registries of awing-mmpose.

Every component of this package lives in a child of MMPose's registries under
the scope ``awing_mmpose``. Configs refer to them with the scope prefix, e.g.
``dict(type='awing_mmpose.AdaptiveWingLoss')``, which MMEngine resolves from
any default scope (``mmpose`` included) and which imports this package on
first use. Keeping our own scope means our ``AdaptiveWingLoss`` (with the
Weighted Loss Map protocol) never shadows MMPose's class of the same name:
``dict(type='AdaptiveWingLoss')`` still builds MMPose's.
"""
from mmengine.registry import Registry
from mmpose.registry import DATASETS as MMPOSE_DATASETS
from mmpose.registry import HOOKS as MMPOSE_HOOKS
from mmpose.registry import KEYPOINT_CODECS as MMPOSE_KEYPOINT_CODECS
from mmpose.registry import METRICS as MMPOSE_METRICS
from mmpose.registry import MODELS as MMPOSE_MODELS
from mmpose.registry import TRANSFORMS as MMPOSE_TRANSFORMS
from mmpose.registry import VISUALIZERS as MMPOSE_VISUALIZERS

SCOPE = 'awing_mmpose'

MODELS = Registry(
    'model', parent=MMPOSE_MODELS, scope=SCOPE,
    locations=['awing_mmpose.models'])
KEYPOINT_CODECS = Registry(
    'KEYPOINT_CODECS', parent=MMPOSE_KEYPOINT_CODECS, scope=SCOPE,
    locations=['awing_mmpose.codecs'])
TRANSFORMS = Registry(
    'transform', parent=MMPOSE_TRANSFORMS, scope=SCOPE,
    locations=['awing_mmpose.datasets.transforms'])
DATASETS = Registry(
    'dataset', parent=MMPOSE_DATASETS, scope=SCOPE,
    locations=['awing_mmpose.datasets'])
METRICS = Registry(
    'metric', parent=MMPOSE_METRICS, scope=SCOPE,
    locations=['awing_mmpose.evaluation'])
HOOKS = Registry(
    'hook', parent=MMPOSE_HOOKS, scope=SCOPE,
    locations=['awing_mmpose.engine'])
VISUALIZERS = Registry(
    'visualizer', parent=MMPOSE_VISUALIZERS, scope=SCOPE,
    locations=['awing_mmpose.visualization'])
