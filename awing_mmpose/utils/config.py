"""Config helpers shared by ``tools/train.py`` and ``tools/test.py``."""
import difflib
import os
from typing import Any, Dict

import torch
from mmengine.config import Config, ConfigDict


def _close(name: str, candidates) -> str:
    match = difflib.get_close_matches(name, list(candidates), n=1)
    return f"; did you mean '{match[0]}'?" if match else ''


def check_cfg_options(cfg: Config, options: Dict[str, Any]) -> None:
    """Reject ``--cfg-options`` keys that are likely typos.

    Every part of a dotted key but the last must already exist in ``cfg``.
    The last may be new, unless it is a near miss of an existing key
    (``max_epoch`` next to ``max_epochs``) in a plain settings dict. In a
    dict with a ``type`` (constructor arguments) a new key is left to the
    constructor, which rejects unknown arguments naming its class.

    Raises:
        KeyError: naming the key and the closest existing one.
    """
    for key in options:
        node: Any = cfg
        parts = key.split('.')
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            if isinstance(node, (list, tuple)) and part.isdigit():
                if int(part) >= len(node):
                    raise KeyError(f"--cfg-options {key}: index {part} out of "
                                   f'range ({len(node)} items)')
                node = node[int(part)]
                continue
            if not isinstance(node, (dict, ConfigDict, Config)):
                raise KeyError(
                    f"--cfg-options {key}: '{'.'.join(parts[:depth])}' is "
                    'not a dict')
            keys = node.keys()
            if part not in keys:
                if not last:
                    raise KeyError(f"--cfg-options {key}: unknown config key "
                                   f"'{part}'{_close(part, keys)}")
                hint = '' if 'type' in keys else _close(part, keys)
                if hint:
                    raise KeyError(f"--cfg-options {key}: unknown config key "
                                   f"'{part}'{hint}")
                break
            node = node[part]


def load_config(path: str, options: Dict[str, Any] = None) -> Config:
    """Load ``path`` and merge checked ``--cfg-options``."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f'config file not found: {path}')
    cfg = Config.fromfile(path)
    if options:
        check_cfg_options(cfg, options)
        cfg.merge_from_dict(options)
    return cfg


def use_gloo_without_cuda(cfg: Config) -> None:
    """Distributed runs on machines without CUDA need the gloo backend and a
    DistributedDataParallel without ``device_ids`` (CPU modules)."""
    if not torch.cuda.is_available():
        cfg.setdefault('env_cfg', ConfigDict())
        cfg.env_cfg.setdefault('dist_cfg', ConfigDict())
        cfg.env_cfg.dist_cfg['backend'] = 'gloo'
        if cfg.get('launcher', 'none') != 'none':
            wrapper = cfg.get('model_wrapper_cfg') or ConfigDict(
                type='MMDistributedDataParallel',
                broadcast_buffers=False,
                find_unused_parameters=cfg.get('find_unused_parameters',
                                               False))
            wrapper['device_ids'] = None
            cfg.model_wrapper_cfg = wrapper
