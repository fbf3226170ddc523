"""Models: the Adaptive Wing loss and the Weighted Loss Map
(:mod:`.losses`), the stacked hourglass (:mod:`.backbones`) and its head
(:mod:`.heads`).

The subpackages are imported on first use (``awing_mmpose.models.heads``,
or a registry lookup of one of their names): the backbone and the head
build on MMPose's model package, which imports MMDetection, and the loss
needs neither.
"""
import importlib

_SUBPACKAGES = ('backbones', 'heads', 'losses')


def __getattr__(name: str):
    """``awing_mmpose.models.<subpackage>`` imports it on first use."""
    if name in _SUBPACKAGES:
        return importlib.import_module(f'.{name}', __name__)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


def __dir__():
    return sorted(list(globals()) + list(_SUBPACKAGES))
