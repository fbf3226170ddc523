"""Models: the Adaptive Wing loss and the Weighted Loss Map
(:mod:`.losses`), the stacked hourglass (:mod:`.backbones`) and its head
(:mod:`.heads`).

The subpackages are imported on first use (``awing_mmpose.models.heads``,
or a registry lookup of one of their names): the backbone and the head
build on MMPose's model package, which imports MMDetection, and the loss
needs neither.
"""
from awing_mmpose.utils.lazy_import import lazy_subpackages

_SUBPACKAGES = ('backbones', 'heads', 'losses')
__getattr__, __dir__ = lazy_subpackages(__name__, _SUBPACKAGES)
