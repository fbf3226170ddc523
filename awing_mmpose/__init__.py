"""awing-mmpose: Adaptive Wing Loss face alignment (Wang, Bo, Fuxin, ICCV 2019)
as an MMPose 1.x plugin. Components register under the ``awing_mmpose``
scope (see :mod:`awing_mmpose.registry`).

Importing the package changes nothing outside it and imports no component:
a config's ``type='awing_mmpose.<Name>'`` makes the registry import the
module that defines ``<Name>`` (see :mod:`awing_mmpose.registry`), and the
subpackages (``awing_mmpose.models``, ``.codecs``, ...) are imported when
first used, so building the loss or the codec does not import the network,
MMPose's models or MMDetection.
"""
from .utils.lazy_import import lazy_subpackages

__version__ = '0.1.0'

_SUBPACKAGES = ('apis', 'codecs', 'datasets', 'deployment', 'engine',
                'evaluation', 'models', 'pretrained', 'registry', 'synthetic',
                'testing', 'utils', 'visualization')
__getattr__, __dir__ = lazy_subpackages(__name__, _SUBPACKAGES)
