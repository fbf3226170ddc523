"""Registries of awing-mmpose.

Every component of this package lives in registries of the scope
``awing_mmpose``. Configs refer to them with the scope prefix, e.g.
``dict(type='awing_mmpose.AdaptiveWingLoss')``. Keeping our own scope means
our ``AdaptiveWingLoss`` (with the Weighted Loss Map protocol) never shadows
MMPose's class of the same name: ``dict(type='AdaptiveWingLoss')`` still
builds MMPose's.

The registries are children of MMEngine's root registries, siblings of
MMPose's and MMDetection's: MMEngine resolves a scoped name only among the
root's direct children, so this placement makes ``awing_mmpose.<Name>``
reachable whatever the default scope is (``mmpose`` while training, ``mmdet``
while the face detector is built). Unprefixed names inside a config resolve
in the default scope (``mmpose`` in every config here). Codecs have no
MMEngine root; theirs is a child of MMPose's codec registry.
"""
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import Registry
from mmpose.registry import KEYPOINT_CODECS as MMPOSE_KEYPOINT_CODECS

SCOPE = 'awing_mmpose'

MODELS = Registry(
    'model', parent=MMENGINE_MODELS, scope=SCOPE,
    locations=['awing_mmpose.models', 'awing_mmpose.apis'])
KEYPOINT_CODECS = Registry(
    'KEYPOINT_CODECS', parent=MMPOSE_KEYPOINT_CODECS, scope=SCOPE,
    locations=['awing_mmpose.codecs'])
TRANSFORMS = Registry(
    'transform', parent=MMENGINE_TRANSFORMS, scope=SCOPE,
    locations=['awing_mmpose.datasets.transforms'])
DATASETS = Registry(
    'dataset', parent=MMENGINE_DATASETS, scope=SCOPE,
    locations=['awing_mmpose.datasets'])
METRICS = Registry(
    'metric', parent=MMENGINE_METRICS, scope=SCOPE,
    locations=['awing_mmpose.evaluation'])
HOOKS = Registry(
    'hook', parent=MMENGINE_HOOKS, scope=SCOPE,
    locations=['awing_mmpose.engine'])
VISUALIZERS = Registry(
    'visualizer', parent=MMENGINE_VISUALIZERS, scope=SCOPE,
    locations=['awing_mmpose.visualization'])
