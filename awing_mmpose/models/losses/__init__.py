from . import pixel_losses  # noqa: F401
from .adaptive_wing_loss import AdaptiveWingLoss, adaptive_wing
from .fused_adaptive_wing import fused_adaptive_wing
from .weighted_loss_map import WeightedLossMap, loss_map_mask

__all__ = [
    'AdaptiveWingLoss', 'adaptive_wing', 'fused_adaptive_wing',
    'WeightedLossMap', 'loss_map_mask'
]
