from .awing_head import AWingHead

__all__ = ['AWingHead']
