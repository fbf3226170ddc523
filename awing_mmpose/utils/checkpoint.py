"""Checkpoint loading under torch >= 2.6.

torch >= 2.6 unpickles with ``weights_only=True`` unless told otherwise, and
MMEngine 0.10.7 does not pass ``weights_only``. MMEngine checkpoints hold
numpy arrays and MMEngine objects (message hub, dataset meta), so resume,
``load_checkpoint``, ``init_model`` and ``MMPoseInferencer`` all fail with
``Weights only load failed``. Importing :mod:`awing_mmpose` therefore sets
``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1`` for this process, restoring the
behaviour of torch < 2.6.

Security: a full unpickle can run code stored in the file. Load only
checkpoints you trust. Set ``AWING_WEIGHTS_ONLY=1`` before importing to keep
torch's safe default (MMEngine checkpoints will then not load).
"""
import os

ENV_FLAG = 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'


def allow_full_checkpoint_loading() -> bool:
    """Let torch unpickle MMEngine checkpoints in full, unless the user opted
    out with ``AWING_WEIGHTS_ONLY=1``. Returns whether full loading is on."""
    if os.environ.get('AWING_WEIGHTS_ONLY', '0') == '1':
        return False
    os.environ.setdefault(ENV_FLAG, '1')
    return os.environ[ENV_FLAG] == '1'
