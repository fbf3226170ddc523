"""Safe loading of MMEngine checkpoints (``torch.load(weights_only=True)``).

A ``.pth`` file is a pickle: unpickled in full it can run any code stored in
it. torch's safe loader (``weights_only=True``, torch's default since 2.6)
rebuilds only tensors, containers and primitive values, plus the types a
program allows explicitly. An MMEngine checkpoint written by the Runner needs
a few more, all of them plain data:

* numpy arrays, dtypes and scalars (``dataset_meta`` colours and sigmas, the
  message hub's history buffers), and ``bytes`` (an empty array's data);
* :class:`mmengine.logging.HistoryBuffer` (the logged loss history that
  ``resume`` restores), which pickles its statistics methods as
  ``getattr(HistoryBuffer, 'mean')``: ``getattr`` is allowed for exactly
  these lookups and nothing else.

:func:`checkpoint_loading` allows exactly these, and only while it is
active: inside it MMEngine's loader of local files (the ``''`` scheme of
:class:`mmengine.runner.CheckpointLoader`, which ``resume``, ``load_from``,
``load_checkpoint``, ``init_model`` and the inferencers all go through) is
:func:`load_local_checkpoint`, which calls ``torch.load`` with
``weights_only=True`` and the allow-list above. A file that needs any other
type is refused with :class:`UnsafeCheckpointError`, which names the file and
the type. Importing :mod:`awing_mmpose` changes none of this: outside the
context, MMEngine and torch behave exactly as they do without the package.

Files the user trusts can be loaded in full with ``unsafe=True``
(``--unsafe-load`` of ``tools/train.py``, ``tools/test.py``, ``tools/demo.py``
and the ONNX export, or ``AWING_UNSAFE_LOAD=1`` in the environment).
"""
import contextlib
import os
import os.path as osp
import pickle
import re
from typing import Iterator, List, Optional

import numpy as np
import torch
from mmengine.logging import print_log

#: environment variable that turns on full (unsafe) unpickling in
#: :func:`checkpoint_loading` when ``unsafe`` is not given
UNSAFE_ENV = 'AWING_UNSAFE_LOAD'

#: how a user loads a trusted file that the safe loader refuses
UNSAFE_HINT = (f'If you trust this file, load it in full with --unsafe-load '
               f'(tools/train.py, tools/test.py, tools/demo.py, '
               f'tools/deployment/export_onnx.py), {UNSAFE_ENV}=1 in the '
               f'environment, or awing_mmpose.utils.checkpoint_loading('
               f'unsafe=True) in Python: a full unpickle can run code '
               f'stored in the file.')

# numpy dtypes whose arrays and scalars MMEngine checkpoints hold (no object,
# string or void dtypes: those are not numbers)
_NUMPY_DTYPES = ('bool', 'int8', 'int16', 'int32', 'int64', 'uint8',
                 'uint16', 'uint32', 'uint64', 'float16', 'float32',
                 'float64', 'longdouble', 'complex64', 'complex128')


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint needs a type that the safe loader does not allow."""


def _numpy_core():
    """``numpy._core`` (numpy 2) or ``numpy.core`` (numpy 1)."""
    try:
        from numpy._core import multiarray
    except ImportError:  # numpy < 2
        from numpy.core import multiarray
    return multiarray


def _history_buffer_statistic(obj, name: str):
    """``getattr`` as the safe loader may call it: only to look up one of
    :class:`~mmengine.logging.HistoryBuffer`'s statistics methods (a history
    buffer pickles them as ``getattr(HistoryBuffer, 'mean')``)."""
    from mmengine.logging import HistoryBuffer
    allowed = {'min', 'max', 'current', 'mean'}
    allowed.update(HistoryBuffer._statistics_methods)
    if obj is HistoryBuffer and name in allowed:
        return getattr(obj, name)
    raise pickle.UnpicklingError(
        f'Unsupported global: GLOBAL builtins.getattr called as '
        f'getattr({getattr(obj, "__qualname__", type(obj).__name__)}, '
        f'{name!r}); only HistoryBuffer statistics methods may be looked up')


def checkpoint_safe_globals() -> List:
    """The types an MMEngine checkpoint holds besides tensors and what torch
    allows anyway (``OrderedDict``, ``Counter``, ...): numpy's
    array/scalar reconstructors, ``ndarray``, ``dtype`` and the numeric
    dtype classes, ``bytes`` (the empty data of an empty array, e.g. the
    ``sigmas`` of a face layout), MMEngine's ``HistoryBuffer``, and
    ``getattr`` restricted to the history buffer's statistics methods."""
    from mmengine.logging import HistoryBuffer
    multiarray = _numpy_core()
    dtype_classes = [type(np.dtype(name)) for name in _NUMPY_DTYPES]
    return [
        multiarray._reconstruct, multiarray.scalar, np.ndarray, np.dtype,
        *dtype_classes, bytes, HistoryBuffer,
        (_history_buffer_statistic, 'builtins.getattr')
    ]


def _unsafe_requested(unsafe: Optional[bool]) -> bool:
    if unsafe is not None:
        return bool(unsafe)
    return os.environ.get(UNSAFE_ENV, '0') not in ('', '0', 'false', 'False')


def _refused_type(message: str) -> Optional[str]:
    """The type named in torch's ``Weights only load failed`` message."""
    for pattern in (r'GLOBAL builtins.getattr called as (getattr\(.*?\))',
                    r'GLOBAL ([\w.]+)', r"got <class '([\w.]+)'>"):
        found = re.search(pattern, message)
        if found:
            name = found.group(1)
            # torch names builtins without their module ('GLOBAL exec')
            return name if '.' in name or '(' in name else f'builtins.{name}'
    return None


def _torch_reason(message: str) -> str:
    """The specific part of torch's ``Weights only load failed`` message."""
    found = re.search(r'WeightsUnpickler error:\s*(.*?)\s*(Check the '
                      r'documentation|$)', message, re.S)
    reason = found.group(1) if found else message
    return ' '.join(reason.split())


def load_local_checkpoint(filename: str,
                          map_location=None,
                          unsafe: bool = False):
    """Load a local checkpoint with ``torch.load(weights_only=True)`` and
    :func:`checkpoint_safe_globals` allowed (or in full when ``unsafe``).

    Raises:
        FileNotFoundError: no such file.
        UnsafeCheckpointError: the file needs a type outside the allow-list
            (the message names the file, the type and how to load it fully).
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename}: checkpoint not found')
    if unsafe:
        print_log(
            f'{filename}: loading with weights_only=False (full unpickle, '
            'only for trusted files)',
            logger='current')
        return torch.load(filename, map_location=map_location,
                          weights_only=False)
    try:
        with torch.serialization.safe_globals(checkpoint_safe_globals()):
            return torch.load(filename, map_location=map_location,
                              weights_only=True)
    except pickle.UnpicklingError as e:
        message = str(e)
        needed = _refused_type(message)
        if needed is None:  # not a refused type: a broken file, say
            raise UnsafeCheckpointError(
                f'{filename}: the safe checkpoint loader (torch.load '
                f'weights_only=True) cannot read it: '
                f'{_torch_reason(message)}. {UNSAFE_HINT}') from e
        raise UnsafeCheckpointError(
            f'{filename}: refused by the safe checkpoint loader '
            f'(torch.load weights_only=True): the file needs {needed}, '
            f'which is not one of the types an MMEngine checkpoint holds '
            f'(tensors, numpy arrays and dtypes, MMEngine history '
            f'buffers). {UNSAFE_HINT}') from e


@contextlib.contextmanager
def checkpoint_loading(unsafe: Optional[bool] = None) -> Iterator[None]:
    """While active, MMEngine loads local checkpoints with
    :func:`load_local_checkpoint` (safe unless ``unsafe``).

    Wrap whatever loads a checkpoint: ``runner.train()`` (resume,
    ``load_from``), ``runner.test()``, ``mmpose.apis.init_model``,
    ``MMPoseInferencer(...)``. Example::

        from awing_mmpose.utils import checkpoint_loading
        with checkpoint_loading():
            model = init_model(cfg, 'epoch_60.pth')

    Inside it, ``awing://<name>`` names a checkpoint shipped with the package
    (:mod:`awing_mmpose.pretrained`), e.g. ``load_from =
    'awing://synthetic_wflw'``; it is always read with the safe loader.

    Args:
        unsafe (bool, optional): unpickle in full (for trusted files only).
            ``None``: full when the environment sets ``AWING_UNSAFE_LOAD=1``.
    """
    from mmengine.runner import CheckpointLoader

    from ..pretrained import SCHEME, resolve_checkpoint
    unsafe = _unsafe_requested(unsafe)
    previous = CheckpointLoader._schemes['']
    previous_pretrained = CheckpointLoader._schemes.get(SCHEME)

    def load_from_local(filename, map_location=None):
        return load_local_checkpoint(filename, map_location, unsafe=unsafe)

    def load_from_awing(filename, map_location=None):
        # the shipped weights are plain tensors: always the safe loader
        return load_local_checkpoint(resolve_checkpoint(filename),
                                     map_location, unsafe=False)

    CheckpointLoader.register_scheme('', load_from_local, force=True)
    CheckpointLoader.register_scheme(SCHEME, load_from_awing, force=True)
    try:
        yield
    finally:
        CheckpointLoader.register_scheme('', previous, force=True)
        if previous_pretrained is None:
            # register_scheme rebuilds the dict: pop from the current one
            CheckpointLoader._schemes.pop(SCHEME, None)
        else:
            CheckpointLoader.register_scheme(SCHEME, previous_pretrained,
                                             force=True)
