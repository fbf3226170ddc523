"""Data: the registered face data set (:mod:`.face`) and transforms
(:mod:`.transforms`), the raw-format converters (:mod:`.converters`), the
metainfo files (``metainfo/``, MMEngine config files read by path) with the
landmark-layout facts that code shares (:mod:`.landmark_layouts`) and the
photo bank (:mod:`.photo_bank`).

Everything is imported on first use: the layouts need only NumPy, so the
evaluation and the synthetic generator, which read them, do not import
MMPose's data sets. ``awing_mmpose.datasets.FaceLandmarkDataset`` and the
transforms' names resolve from :mod:`.face` and :mod:`.transforms`.
"""
import importlib

from awing_mmpose.utils.lazy_import import lazy_subpackages

_SUBPACKAGES = ('converters', 'face', 'landmark_layouts', 'photo_bank',
                'transforms')
#: the subpackages whose ``__all__`` names are names of this package
_COMPONENTS = ('face', 'transforms')
_subpackage, __dir__ = lazy_subpackages(__name__, _SUBPACKAGES)


def __getattr__(name: str):
    if name in _SUBPACKAGES or name.startswith('__'):
        return _subpackage(name)
    for sub in _COMPONENTS:
        module = importlib.import_module(f'{__name__}.{sub}')
        if name in module.__all__:
            return getattr(module, name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
