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
(:class:`LazyModelRegistry`) knows which module defines each of its names
and imports only that one; building the loss does not import the backbone,
the head, the inference code or MMDetection.
"""
from importlib import import_module
from typing import Dict, Optional

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
    """MMEngine's :class:`~mmengine.registry.Registry` that imports, on a
    lookup, only the module defining the requested name.

    Args:
        name (str): registry name.
        parent (Registry): parent registry.
        components (dict): ``{registered name: module}``. A name that is not
            in the map makes the lookup import every location (MMEngine's
            behaviour); a test checks that the map and the decorators agree.
            The registry's ``locations`` are the modules of the map.
    """

    def __init__(self, name: str, parent: Registry,
                 components: Dict[str, str]):
        super().__init__(
            name, parent=parent, scope=SCOPE,
            locations=sorted(set(components.values())))
        self.components = dict(components)
        self._targeted_lookup = False

    def import_from_location(self) -> None:
        """Import every location, except inside a lookup of a mapped name
        (:meth:`get`), which imports only that name's module."""
        if not self._targeted_lookup:
            super().import_from_location()

    def get(self, key: str) -> Optional[type]:
        scope, name = self.split_scope_key(key)
        module = self.components.get(name)
        targeted = scope in (None, self.scope) and module is not None
        if targeted and name not in self._module_dict:
            import_module(module)
        self._targeted_lookup = targeted
        try:
            return super().get(key)
        finally:
            self._targeted_lookup = False


_LOSSES = 'awing_mmpose.models.losses'
MODELS = LazyModelRegistry(
    'model', MMENGINE_MODELS, {
        'AdaptiveWingLoss': f'{_LOSSES}.adaptive_wing_loss',
        'WeightedLossMap': f'{_LOSSES}.weighted_loss_map',
        'MSELoss': f'{_LOSSES}.pixel_losses',
        'L1Loss': f'{_LOSSES}.pixel_losses',
        'SmoothL1Loss': f'{_LOSSES}.pixel_losses',
        'AWingHourglass': 'awing_mmpose.models.backbones.awing_hourglass',
        'AWingHead': 'awing_mmpose.models.heads.awing_head',
        # an MMDetection model: imports MMDetection, only when asked for
        'OpenCVFaceDetector': 'awing_mmpose.apis.face_detector',
    })
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
