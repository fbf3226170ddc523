"""Train a model: the command line of MMPose's ``tools/train.py``.

    python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--amp]
        [--no-validate] [--auto-scale-lr] [--cfg-options k=v ...]
        [--launcher {none,pytorch,slurm,mpi}] [--unsafe-load]

Multi-GPU: ``torchrun --nproc_per_node=N tools/train.py CONFIG
--launcher pytorch`` (gloo is chosen automatically on machines without CUDA).
"""
import argparse
import os.path as osp
import sys

import awing_mmpose  # noqa: F401  (registers components)
from awing_mmpose.utils import (UnsafeCheckpointError, checkpoint_loading,
                                load_config)
from awing_mmpose.utils.cli import (add_runner_args, apply_runner_args,
                                    distributed_session, parse_runner_args)
from mmengine.runner import Runner


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a pose model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or from the latest one in '
        'the work dir when no path is given')
    parser.add_argument(
        '--amp', action='store_true', help='mixed precision training')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate checkpoints during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate by the total batch size')
    add_runner_args(parser)
    return parse_runner_args(parser, argv)


def merge_args(cfg, args):
    apply_runner_args(cfg, args)
    if args.amp:
        import torch
        if not torch.cuda.is_available():
            raise ValueError('--amp needs a GPU: MMEngine\'s AmpOptimWrapper '
                             'does not run on the CPU')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        if not osp.isfile(args.resume):
            raise FileNotFoundError(f'--resume: no checkpoint {args.resume}')
        cfg.resume = True
        cfg.load_from = args.resume
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
    if args.auto_scale_lr:
        cfg.setdefault('auto_scale_lr', {})['enable'] = True
    return cfg


def main(argv=None):
    args = parse_args(argv)
    try:
        cfg = load_config(args.config, args.cfg_options)
        cfg = merge_args(cfg, args)
    except (FileNotFoundError, KeyError, ValueError) as e:
        sys.exit(f'tools/train.py: {e}')
    with distributed_session(cfg):
        runner = Runner.from_cfg(cfg)
        try:
            with checkpoint_loading(unsafe=args.unsafe_load or None):
                runner.train()
        except (UnsafeCheckpointError, FloatingPointError) as e:
            # a refused checkpoint, a non-finite loss (NonFiniteLossHook)
            sys.exit(f'tools/train.py: {e}')
    return runner


if __name__ == '__main__':
    main()
