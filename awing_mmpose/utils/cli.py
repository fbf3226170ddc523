"""Command-line pieces shared by ``tools/train.py`` and ``tools/test.py``
(the flags of MMPose's own tools)."""
import argparse
import contextlib
import os
import os.path as osp

from mmengine.config import Config, DictAction

from .config import use_gloo_without_cuda


def add_runner_args(parser: argparse.ArgumentParser) -> None:
    """``--work-dir``, ``--cfg-options``, ``--launcher``, ``--local-rank``,
    ``--unsafe-load``."""
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. train_cfg.max_epochs=2')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    parser.add_argument(
        '--unsafe-load',
        action='store_true',
        help='unpickle checkpoints in full (torch.load weights_only=False), '
        'for trusted files that the safe loader refuses; a full unpickle can '
        'run code stored in the file')


def parse_runner_args(parser: argparse.ArgumentParser, argv=None):
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def apply_runner_args(cfg: Config, args) -> Config:
    """Launcher (gloo without CUDA) and work dir (default
    ``./work_dirs/<config name>``)."""
    cfg.launcher = args.launcher
    use_gloo_without_cuda(cfg)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    return cfg


@contextlib.contextmanager
def distributed_session(cfg: Config):
    """The process group's lifetime around a tool's run.

    On entry, ``torchrun`` without CUDA: start the process group here, with
    the backend :func:`use_gloo_without_cuda` put in ``cfg`` (gloo).
    MMEngine's pytorch launcher always calls ``torch.cuda.set_device``, which
    fails on a machine without CUDA; the runner skips its own set-up when a
    process group already exists.

    On exit, whoever started it (this function or the runner): destroy the
    process group, after a barrier when the run ended normally, so that no
    rank tears its connections down while another still finishes (a rank
    of a gloo run on the CPU aborted now and then with ``terminate called
    without an active exception``, SIGABRT, after the work was done). After
    an error there is no barrier: the other ranks may never reach it.
    """
    import torch
    import torch.distributed as dist
    if cfg.launcher == 'pytorch' and not torch.cuda.is_available() \
            and not dist.is_initialized():
        dist.init_process_group(backend=cfg.env_cfg.dist_cfg.backend)

    def started():
        return dist.is_available() and dist.is_initialized()

    try:
        yield
    except BaseException:
        if started():
            dist.destroy_process_group()
        raise
    if started():
        dist.barrier()
        dist.destroy_process_group()
