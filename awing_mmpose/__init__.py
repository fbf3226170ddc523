"""awing-mmpose: Adaptive Wing Loss face alignment (Wang, Bo, Fuxin, ICCV 2019)
as an MMPose 1.x plugin. Components register under the ``awing_mmpose``
scope (see :mod:`awing_mmpose.registry`)."""
from .utils.checkpoint import allow_full_checkpoint_loading

__version__ = '0.1.0'

allow_full_checkpoint_loading()

from . import (apis, codecs, datasets, evaluation, models,  # noqa: E402,F401
               visualization)
