from .checkpoint import (UnsafeCheckpointError, checkpoint_loading,
                         load_local_checkpoint)
from .config import check_cfg_options, load_config, use_gloo_without_cuda
from .run_record import repo_relative, run_record, write_record

__all__ = [
    'UnsafeCheckpointError', 'checkpoint_loading', 'load_local_checkpoint',
    'check_cfg_options', 'load_config',
    'use_gloo_without_cuda', 'repo_relative', 'run_record', 'write_record'
]
