from .awing_hourglass import AWingHourglass, AWingHourglassModule, AWingStack
from .coord_conv import CoordConv2d
from .preact_residual_block import PreActResidualBlock

__all__ = [
    'AWingHourglass', 'AWingHourglassModule', 'AWingStack', 'CoordConv2d',
    'PreActResidualBlock'
]
