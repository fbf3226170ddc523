"""awing-mmpose: Adaptive Wing Loss face alignment (Wang, Bo, Fuxin, ICCV 2019)
as an MMPose 1.x plugin. Components register under the ``awing_mmpose``
scope (see :mod:`awing_mmpose.registry`)."""
__version__ = '0.1.0'

from . import (apis, codecs, datasets, engine, evaluation,  # noqa: F401
               models, visualization)
