"""The process group's lifetime in ``tools/train.py`` and ``tools/test.py``."""
import pytest
import torch
import torch.distributed as dist
from mmengine.config import Config

from awing_mmpose.utils.cli import distributed_session


def _cfg(launcher):
    return Config(dict(launcher=launcher,
                       env_cfg=dict(dist_cfg=dict(backend='gloo'))))


@pytest.mark.skipif(torch.cuda.is_available(), reason='CPU launch path')
def test_session_starts_gloo_and_destroys_it(monkeypatch):
    """A one-process torchrun world: the group exists inside the session and
    is gone after it, also when the run raises (left to interpreter
    shutdown, gloo can abort the process after the work is done)."""
    monkeypatch.setenv('MASTER_ADDR', '127.0.0.1')
    monkeypatch.setenv('MASTER_PORT', '29583')
    monkeypatch.setenv('RANK', '0')
    monkeypatch.setenv('WORLD_SIZE', '1')
    with distributed_session(_cfg('pytorch')):
        assert dist.is_initialized()
        assert dist.get_backend() == 'gloo'
    assert not dist.is_initialized()

    with pytest.raises(RuntimeError, match='boom'):
        with distributed_session(_cfg('pytorch')):
            assert dist.is_initialized()
            raise RuntimeError('boom')
    assert not dist.is_initialized()


def test_session_without_launcher_starts_nothing():
    with distributed_session(_cfg('none')):
        assert not dist.is_initialized()
    assert not dist.is_initialized()
