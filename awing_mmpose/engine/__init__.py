"""Training-loop components (hooks) of awing-mmpose."""
from .hooks import NonFiniteLossHook

__all__ = ['NonFiniteLossHook']
