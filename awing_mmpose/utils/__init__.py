from .checkpoint import allow_full_checkpoint_loading
from .config import check_cfg_options, load_config, use_gloo_without_cuda

__all__ = [
    'allow_full_checkpoint_loading', 'check_cfg_options', 'load_config',
    'use_gloo_without_cuda'
]
