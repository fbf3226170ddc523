"""Safe checkpoint loading: MMEngine's data types load with
``weights_only=True`` inside :func:`checkpoint_loading`; a pickle that
would run code is refused by every in-process loading path, and importing
the package changes no global loading setting."""
import argparse
import builtins
import collections
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader, load_checkpoint

from awing_mmpose.utils import (UnsafeCheckpointError, checkpoint_loading,
                                load_local_checkpoint)
from awing_mmpose.utils.checkpoint import UNSAFE_ENV

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = osp.join(ROOT, 'configs', 'awing_demo.py')


class RunsCode:
    """Unpickling this object runs ``exec(code)``."""

    def __init__(self, code):
        self.code = code

    def __reduce__(self):
        return builtins.exec, (self.code, )


def mmengine_like(model_state=None):
    """The non-tensor content of a Runner checkpoint."""
    hub = dict(
        log_scalars=collections.OrderedDict(
            loss=HistoryBuffer([np.float64(0.5), 0.25], [1, 1])),
        runtime_info=dict(iter=3, epoch=1),
        resumed_keys=dict(loss=True))
    return dict(
        meta=dict(
            epoch=1, iter=3, seed=np.int64(0),
            dataset_meta=dict(
                sigmas=np.ones(98, np.float32),
                keypoint_colors=np.zeros((98, 3), np.uint8),
                flip_indices=list(range(98)))),
        state_dict=model_state or {'w': torch.ones(2)},
        message_hub=hub,
        param_schedulers=[dict(milestones=collections.Counter([80, 160]))])


@pytest.fixture
def evil(tmp_path, ckpt):
    """A real checkpoint of the demo model plus an object that would write
    ``marker`` when unpickled."""
    marker = tmp_path / 'code_ran'
    state = load_local_checkpoint(ckpt)
    state['meta']['note'] = RunsCode(f'open({str(marker)!r}, "w")')
    path = tmp_path / 'evil.pth'
    torch.save(state, str(path))
    return str(path), marker


def test_mmengine_types_load_safely(tmp_path):
    path = str(tmp_path / 'c.pth')
    torch.save(mmengine_like(), path)
    got = load_local_checkpoint(path)
    assert isinstance(got['message_hub']['log_scalars']['loss'],
                      HistoryBuffer)
    assert got['meta']['dataset_meta']['sigmas'].dtype == np.float32
    assert got['param_schedulers'][0]['milestones'][80] == 1


def test_evil_pickle_is_refused_and_never_runs(evil):
    path, marker = evil
    with pytest.raises(UnsafeCheckpointError) as err:
        load_local_checkpoint(path)
    msg = str(err.value)
    assert path in msg and 'builtins.exec' in msg
    assert '--unsafe-load' in msg and UNSAFE_ENV in msg
    assert not marker.exists()
    # ... and really is evil
    torch.load(path, weights_only=False)
    assert marker.exists()


def test_unknown_type_loads_only_when_asked(tmp_path, monkeypatch):
    path = str(tmp_path / 'c.pth')
    torch.save(dict(meta=dict(args=argparse.Namespace(lr=1.))), path)
    with pytest.raises(UnsafeCheckpointError, match='argparse.Namespace'):
        load_local_checkpoint(path)
    assert load_local_checkpoint(path, unsafe=True)['meta']['args'].lr == 1.
    monkeypatch.setenv(UNSAFE_ENV, '1')
    with checkpoint_loading():
        assert CheckpointLoader.load_checkpoint(path)['meta']['args'].lr == 1
    monkeypatch.setenv(UNSAFE_ENV, '0')
    with checkpoint_loading(), pytest.raises(UnsafeCheckpointError):
        CheckpointLoader.load_checkpoint(path)


def test_context_is_scoped(tmp_path):
    path = str(tmp_path / 'c.pth')
    torch.save(mmengine_like(), path)
    original = CheckpointLoader._schemes['']
    with checkpoint_loading():
        assert CheckpointLoader.load_checkpoint(path)['meta']['iter'] == 3
    assert CheckpointLoader._schemes[''] is original
    with pytest.raises(RuntimeError), checkpoint_loading():
        raise RuntimeError('inside')
    assert CheckpointLoader._schemes[''] is original
    # outside the context MMEngine + torch refuse numpy, as without us
    with pytest.raises(Exception, match='Weights only load failed'):
        CheckpointLoader.load_checkpoint(path)


@pytest.mark.slow
def test_import_sets_no_global_flag():
    """Importing the package sets no torch loading flag, adds none of the
    checkpoint types to torch's global allow-list and leaves MMEngine's
    local checkpoint loader as it is."""
    env = {
        k: v
        for k, v in os.environ.items()
        if 'WEIGHTS_ONLY' not in k and k != UNSAFE_ENV
    }
    probe = (
        'import os, torch.serialization as s, awing_mmpose\n'
        'from awing_mmpose.utils.checkpoint import checkpoint_safe_globals\n'
        'from mmengine.runner.checkpoint import CheckpointLoader, '
        'load_from_local\n'
        'ours = [g[0] if isinstance(g, tuple) else g\n'
        '        for g in checkpoint_safe_globals()]\n'
        'print(sorted(k for k in os.environ if "WEIGHTS_ONLY" in k),\n'
        '      [g for g in ours if g in s.get_safe_globals()],\n'
        '      CheckpointLoader._schemes[""] is load_from_local)')
    out = subprocess.run([sys.executable, '-c', probe], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == '[] [] True'


@pytest.mark.slow
def test_evil_refused_by_in_process_entry_points(evil, tmp_path):
    from mmengine.config import Config
    from mmpose.apis import MMPoseInferencer, init_model

    from awing_mmpose.apis import init_face_inferencer
    path, marker = evil
    cfg = Config.fromfile(CFG)
    with checkpoint_loading():
        with pytest.raises(UnsafeCheckpointError, match='builtins.exec'):
            init_model(cfg, path, device='cpu')
        with pytest.raises(UnsafeCheckpointError, match='builtins.exec'):
            MMPoseInferencer(pose2d=CFG, pose2d_weights=path, device='cpu',
                             det_model='whole_image')
    with pytest.raises(UnsafeCheckpointError, match='builtins.exec'):
        init_face_inferencer(CFG, path, det_model='whole_image')
    # without the context: MMEngine + torch's default refuse it too
    with pytest.raises(Exception, match='Weights only load failed'):
        load_checkpoint(torch.nn.Linear(1, 1), path)
    assert not marker.exists()


@pytest.mark.slow
def test_init_model_loads_checkpoint_safely(ckpt):
    from mmengine.config import Config
    from mmpose.apis import init_model
    with checkpoint_loading():
        model = init_model(Config.fromfile(CFG), ckpt, device='cpu')
    state = load_local_checkpoint(ckpt)['state_dict']
    assert all(torch.equal(model.state_dict()[k], v)
               for k, v in state.items())


class LooksUp:
    """Unpickles as ``getattr(obj, name)``."""

    def __init__(self, obj, name):
        self.obj, self.name = obj, name

    def __reduce__(self):
        return getattr, (self.obj, self.name)


def test_getattr_only_for_history_buffer_statistics(tmp_path):
    """History buffers pickle their statistics methods through ``getattr``;
    any other lookup is refused."""
    path = str(tmp_path / 'ok.pth')
    torch.save(dict(m=LooksUp(HistoryBuffer, 'mean')), path)
    assert load_local_checkpoint(path)['m'] is HistoryBuffer.mean
    for obj, name in ((np.ndarray, 'tofile'), (HistoryBuffer, '__init__')):
        torch.save(dict(m=LooksUp(obj, name)), path)
        with pytest.raises(UnsafeCheckpointError,
                           match=rf"needs getattr\({obj.__name__}, "
                           rf"'{name}'\)"):
            load_local_checkpoint(path)
