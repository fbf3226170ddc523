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

Imports on demand: MMEngine imports a registry's ``locations`` when a name
is first looked up (``'awing_mmpose.X'`` also imports this module by
itself, so a config needs no import of the package). It imports *all*
locations of a registry at once, and MMPose's model package imports
MMDetection (its RTMO head does): so the model registry
(:class:`LazyModelRegistry`) imports its locations in order, the losses
first, and stops as soon as the requested name is registered; building the
loss does not import the backbone, the head, the inference code or
MMDetection.
"""
from importlib import import_module
from typing import Optional

from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import Registry
from mmpose.registry import KEYPOINT_CODECS as MMPOSE_KEYPOINT_CODECS

SCOPE = 'awing_mmpose'


class LazyModelRegistry(Registry):
    """MMEngine's :class:`~mmengine.registry.Registry` whose lookups import
    the ``locations`` one at a time, in their order, until the requested
    name is registered (a name that none registers imports them all, as
    MMEngine does). List light modules first.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._in_lookup = False

    def import_from_location(self) -> None:
        """Import every location, except inside :meth:`get`, which imports
        only as many as it needs."""
        if not self._in_lookup:
            super().import_from_location()

    def get(self, key: str) -> Optional[type]:
        scope, name = self.split_scope_key(key)
        if scope in (None, self.scope):
            for location in self._locations:
                if name in self._module_dict:
                    break
                import_module(location)
        self._in_lookup = scope in (None, self.scope)
        try:
            return super().get(key)
        finally:
            self._in_lookup = False


MODELS = LazyModelRegistry(
    'model', parent=MMENGINE_MODELS, scope=SCOPE,
    locations=[
        'awing_mmpose.models.losses',  # light: torch only
        'awing_mmpose.models.backbones',  # MMPose's models, MMDetection
        'awing_mmpose.models.heads',
        'awing_mmpose.apis',  # MMDetection models (face detectors)
    ])
KEYPOINT_CODECS = Registry(
    'KEYPOINT_CODECS', parent=MMPOSE_KEYPOINT_CODECS, scope=SCOPE,
    locations=['awing_mmpose.codecs'])
TRANSFORMS = Registry(
    'transform', parent=MMENGINE_TRANSFORMS, scope=SCOPE,
    locations=['awing_mmpose.datasets.transforms'])
DATASETS = Registry(
    'dataset', parent=MMENGINE_DATASETS, scope=SCOPE,
    locations=['awing_mmpose.datasets.face'])
METRICS = Registry(
    'metric', parent=MMENGINE_METRICS, scope=SCOPE,
    locations=['awing_mmpose.evaluation.metrics'])
HOOKS = Registry(
    'hook', parent=MMENGINE_HOOKS, scope=SCOPE,
    locations=['awing_mmpose.engine'])
VISUALIZERS = Registry(
    'visualizer', parent=MMENGINE_VISUALIZERS, scope=SCOPE,
    locations=['awing_mmpose.visualization'])
