"""Raw face-alignment formats -> MMPose's COCO-style json
(see ``docs/CONVENTIONS.md``). CLIs: ``tools/dataset_converters/``."""
from .cofw import convert_cofw
from .common import ConversionError, Summary
from .face300w import convert_300w, read_pts
from .wflw import convert_wflw

__all__ = [
    'ConversionError', 'Summary', 'convert_wflw', 'convert_300w',
    'convert_cofw', 'read_pts'
]
