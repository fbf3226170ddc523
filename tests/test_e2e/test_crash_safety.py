"""Crash safety, determinism and safe checkpoint loading, on the CPU.

A tiny iteration-based variant of configs/awing_demo.py (8 synthetic faces,
batch 2, so 4 iterations per epoch; a checkpoint every 3 iterations) is
trained as a user runs it:

* twice from scratch with the same seed: the per-iteration losses of the
  two runs are equal (determinism);
* once killed with SIGKILL right after its first checkpoint (mid-epoch) and
  resumed with ``--resume``: the losses after the resumed iteration equal
  those of the uninterrupted run.

Losses are read at full precision from MMEngine's ``scalars.json`` (the
logger writes every iteration, without smoothing: ``window_size=1``).

The checkpoint the Runner wrote then loads through every entry point
(``tools/test.py``, ``init_model``, ``MMPoseInferencer``, the package's
inferencer), and a crafted checkpoint whose unpickling would run code is
refused by every tool that loads checkpoints, without running it.
"""
import glob
import json
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import pytest
import torch

#: slow tier: trains, tests and runs tools in subprocesses
pytestmark = pytest.mark.slow


ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
MAX_ITERS = 12
CKPT_INTERVAL = 3

TINY_CFG = """
_base_ = [{base!r}]
model = dict(
    backbone=dict(feat_channels=16, stem_channels=(8, 16, 16), hg_depth=2))
train_cfg = dict(
    _delete_=True, type='IterBasedTrainLoop', max_iters={max_iters},
    val_interval=10000)
val_cfg = None
val_dataloader = None
val_evaluator = None
param_scheduler = None
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(
        _delete_=True, type='CheckpointHook', by_epoch=False,
        interval={interval}))
log_processor = dict(by_epoch=False, window_size=1)
randomness = dict(seed=0, deterministic=True)
train_dataloader = dict(
    batch_size=2, num_workers=0, persistent_workers=False,
    dataset=dict(data_root={data!r}))
test_dataloader = dict(
    batch_size=2, num_workers=0, persistent_workers=False,
    dataset=dict(data_root={data!r}))
"""


@pytest.fixture(scope='module')
def tiny_cfg(tmp_path_factory, wflw_faces):
    root = tmp_path_factory.mktemp('synthetic_tiny')
    wflw_faces(root, num_train=8, num_test=2, seed=5)
    cfg = root / 'tiny_iter.py'
    cfg.write_text(
        TINY_CFG.format(
            base=osp.join(ROOT, 'configs', 'awing_demo.py'),
            max_iters=MAX_ITERS,
            interval=CKPT_INTERVAL,
            data=str(root) + '/'))
    return str(cfg)


def train_cmd(cfg, work, *extra):
    return [sys.executable, 'tools/train.py', cfg, '--work-dir', work, *extra]


def env():
    """The environment of the ``run_tool`` fixture (same thread count: the
    killed run must compute exactly as the others)."""
    return dict(os.environ, PYTHONUNBUFFERED='1', OMP_NUM_THREADS='2')


def losses(work):
    """{iteration: {loss name: value}} from every run in ``work``."""
    out = {}
    for path in sorted(glob.glob(osp.join(work, '*', 'vis_data',
                                          'scalars.json'))):
        with open(path) as f:
            for line in f:
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:  # cut by the kill
                    continue
                if 'loss' in rec:
                    out[rec['step']] = {
                        k: v
                        for k, v in rec.items() if k.startswith('loss')
                    }
    return out


def train(cfg, work, *extra):
    """tools/train.py as the ``run_tool`` fixture runs it (that fixture is
    per test; the reference run is shared by the module)."""
    proc = subprocess.run(train_cmd(cfg, work, *extra), cwd=ROOT, env=env(),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


@pytest.fixture(scope='module')
def reference(tiny_cfg, tmp_path_factory):
    work = str(tmp_path_factory.mktemp('reference'))
    train(tiny_cfg, work)
    got = losses(work)
    assert sorted(got) == list(range(1, MAX_ITERS + 1))
    return dict(losses=got, ckpt=osp.join(work, f'iter_{MAX_ITERS}.pth'))


def test_same_seed_same_losses(tiny_cfg, reference, tmp_path):
    work = str(tmp_path / 'again')
    train(tiny_cfg, work)
    # exact equality, every iteration, every loss term
    assert losses(work) == reference['losses']


def test_sigkill_mid_epoch_then_resume(tiny_cfg, reference, tmp_path):
    work = str(tmp_path / 'killed')
    # far more iterations than will run: the kill always comes first
    proc = subprocess.Popen(
        train_cmd(tiny_cfg, work, '--cfg-options',
                  'train_cfg.max_iters=100000'),
        cwd=ROOT, env=env(), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    marker = osp.join(work, 'last_checkpoint')  # written after the .pth
    deadline = time.time() + 300
    try:
        while not osp.isfile(marker):
            assert proc.poll() is None, 'training ended before a checkpoint'
            assert time.time() < deadline, 'no checkpoint after 300 s'
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with open(marker) as f:
        ckpt = f.read().strip()
    resumed_iter = int(osp.basename(ckpt)[len('iter_'):-len('.pth')])
    assert resumed_iter % CKPT_INTERVAL == 0
    assert resumed_iter % 4 != 0  # 4 iterations per epoch: mid-epoch
    assert resumed_iter < MAX_ITERS

    killed = losses(work)
    proc = train(tiny_cfg, work, '--resume')
    log = proc.stdout + proc.stderr
    assert f'Advance dataloader {resumed_iter} steps' in log
    after = {k: v for k, v in losses(work).items() if k > resumed_iter}
    assert sorted(after) == list(range(resumed_iter + 1, MAX_ITERS + 1))
    assert after == {k: reference['losses'][k] for k in after}
    # and what the killed run logged before its checkpoint matches too
    assert all(killed[k] == reference['losses'][k]
               for k in range(1, resumed_iter + 1))


# -- the Runner's checkpoint loads everywhere, with the safe loader ----------
def test_runner_checkpoint_holds_only_allowed_types(reference):
    from awing_mmpose.utils.checkpoint import checkpoint_safe_globals
    allowed = {
        g[1] if isinstance(g, tuple) else f'{g.__module__}.{g.__qualname__}'
        for g in checkpoint_safe_globals()
    }
    needed = set(
        torch.serialization.get_unsafe_globals_in_checkpoint(
            reference['ckpt']))
    assert needed and needed <= allowed, needed - allowed


def test_runner_checkpoint_loads_in_test_init_model_inferencers(
        tiny_cfg, reference, tmp_path, run_tool):
    from mmengine.config import Config
    from mmpose.apis import MMPoseInferencer, init_model

    from awing_mmpose.apis import init_face_inferencer
    from awing_mmpose.utils import checkpoint_loading
    ckpt = reference['ckpt']
    out = str(tmp_path / 'metrics.json')
    run_tool('tools/test.py', tiny_cfg, ckpt, '--work-dir',
             str(tmp_path / 'test'), '--out', out)
    with open(out) as f:
        assert 'NME' in json.load(f)

    state = torch.load(ckpt, map_location='cpu', weights_only=False)
    with checkpoint_loading():
        model = init_model(Config.fromfile(tiny_cfg), ckpt, device='cpu')
        inferencer = MMPoseInferencer(
            pose2d=tiny_cfg, pose2d_weights=ckpt, device='cpu',
            det_model='whole_image')
    for model in (model, inferencer.inferencer.model,
                  init_face_inferencer(tiny_cfg, ckpt,
                                       det_model='whole_image').model):
        weights = model.state_dict()
        assert all(
            torch.equal(weights[k], v)
            for k, v in state['state_dict'].items())


# -- a crafted checkpoint is refused by every tool, its code never runs ------
class RunsCode:
    """Unpickling this object runs ``exec(code)``."""

    def __init__(self, code):
        self.code = code

    def __reduce__(self):
        import builtins
        return builtins.exec, (self.code, )


def evil_checkpoint(path, marker, reference):
    """A Runner checkpoint plus one object that writes ``marker``."""
    ckpt = torch.load(reference['ckpt'], map_location='cpu',
                      weights_only=False)
    ckpt['meta']['note'] = RunsCode(f'open({str(marker)!r}, "w").write("x")')
    torch.save(ckpt, str(path))
    return str(path)


def test_evil_checkpoint_runs_code_when_unpickled_in_full(reference,
                                                           tmp_path):
    """The crafted file is a real threat: a full unpickle runs its code."""
    marker = tmp_path / 'ran'
    path = evil_checkpoint(tmp_path / 'evil.pth', marker, reference)
    torch.load(path, weights_only=False)
    assert marker.exists()


@pytest.mark.parametrize('tool', ['train', 'test', 'demo', 'export_onnx'])
def test_tools_refuse_evil_checkpoint(tool, tiny_cfg, reference, tmp_path,
                                      run_tool):
    marker = tmp_path / 'ran'
    evil = evil_checkpoint(tmp_path / 'evil.pth', marker, reference)
    image = sorted(
        glob.glob(osp.join(osp.dirname(tiny_cfg), 'WFLW_images', '**',
                           '*.jpg'), recursive=True))[0]
    args = {
        'train': ['tools/train.py', tiny_cfg, '--work-dir',
                  str(tmp_path / 'w'), '--resume', evil],
        'test': ['tools/test.py', tiny_cfg, evil, '--work-dir',
                 str(tmp_path / 'w')],
        'demo': ['tools/demo.py', image,
                 '--config', tiny_cfg, '--checkpoint', evil,
                 '--det-model', 'whole_image', '--out-dir',
                 str(tmp_path / 'demo')],
        'export_onnx': ['tools/deployment/export_onnx.py', tiny_cfg, evil,
                        '--out', str(tmp_path / 'm.onnx')],
    }[tool]
    proc = run_tool(*args, check=False)
    assert proc.returncode != 0
    err = proc.stdout + proc.stderr
    assert 'evil.pth: refused by the safe checkpoint loader' in err
    assert 'builtins.exec' in err and '--unsafe-load' in err
    assert not marker.exists()
