"""Utilities: safe checkpoint loading (:mod:`.checkpoint`), config loading
(:mod:`.config`), the command-line helpers of the tools (:mod:`.cli`), the
least-squares similarity transform (:mod:`.similarity`), the records that
measuring tools write (:mod:`.run_records`) and lazy ``__init__`` modules
(:mod:`.lazy_import`).

The names below are imported on first use (PEP 562), so that importing
``awing_mmpose`` (whose ``__init__`` uses :mod:`.lazy_import`) imports
neither torch nor MMEngine.
"""
from .lazy_import import lazy_attributes

__all__ = [
    'UnsafeCheckpointError', 'checkpoint_loading', 'load_local_checkpoint',
    'check_cfg_options', 'load_config', 'use_gloo_without_cuda',
    'Similarity', 'fit_similarity', 'repo_relative', 'run_record',
    'write_record'
]
__getattr__, __dir__ = lazy_attributes(__name__, dict(
    UnsafeCheckpointError='checkpoint',
    checkpoint_loading='checkpoint',
    load_local_checkpoint='checkpoint',
    check_cfg_options='config',
    load_config='config',
    use_gloo_without_cuda='config',
    Similarity='similarity',
    fit_similarity='similarity',
    repo_relative='run_records',
    run_record='run_records',
    write_record='run_records'))
