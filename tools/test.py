"""Evaluate a checkpoint: the command line of MMPose's ``tools/test.py``.

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out FILE]
        [--dump FILE] [--show-dir DIR] [--show] [--interval N]
        [--cfg-options k=v ...] [--launcher {none,pytorch,slurm,mpi}]
        [--unsafe-load]
"""
import argparse
import os.path as osp
import sys

import awing_mmpose  # noqa: F401  (registers components)
from awing_mmpose.pretrained import SCHEME, pretrained_files
from awing_mmpose.utils import (UnsafeCheckpointError, checkpoint_loading,
                                load_config)
from awing_mmpose.utils.cli import (add_runner_args, apply_runner_args,
                                    distributed_session, parse_runner_args)
from mmengine.runner import Runner


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Evaluate a pose model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file, or '
                        'awing://<name> for a model shipped in the package')
    parser.add_argument(
        '--out', help='save the metrics to this file (json/yaml/pkl)')
    parser.add_argument(
        '--dump', help='dump the predictions to this pickle file')
    parser.add_argument(
        '--show-dir', help='save pictures of the predictions in this dir')
    parser.add_argument(
        '--show', action='store_true', help='show the predictions')
    parser.add_argument(
        '--interval', type=int, default=1,
        help='visualisation interval (MMPose\'s hook draws every test sample)')
    parser.add_argument(
        '--wait-time', type=float, default=1, help='display time (s)')
    add_runner_args(parser)
    return parse_runner_args(parser, argv)


def merge_args(cfg, args):
    apply_runner_args(cfg, args)
    if str(args.checkpoint).startswith(SCHEME):
        pretrained_files(args.checkpoint)  # an unknown name raises KeyError
    elif not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {args.checkpoint}')
    cfg.load_from = args.checkpoint
    if args.show or args.show_dir:
        vis = cfg.default_hooks.visualization
        vis.enable = True
        vis.show = args.show
        vis.wait_time = args.wait_time
        vis.interval = args.interval
        if args.show_dir:
            vis.out_dir = osp.abspath(args.show_dir)
    if args.dump:
        if not args.dump.endswith(('.pkl', '.pickle')):
            raise ValueError('--dump: the file must end with .pkl/.pickle')
        dump = dict(type='DumpResults', out_file_path=args.dump)
        evaluators = cfg.test_evaluator
        if not isinstance(evaluators, (list, tuple)):
            evaluators = [evaluators]
        cfg.test_evaluator = [*evaluators, dump]
    return cfg


def main(argv=None):
    args = parse_args(argv)
    try:
        cfg = load_config(args.config, args.cfg_options)
        cfg = merge_args(cfg, args)
    except (FileNotFoundError, KeyError, ValueError) as e:
        sys.exit(f'tools/test.py: {e}')
    with distributed_session(cfg):
        runner = Runner.from_cfg(cfg)
        try:
            with checkpoint_loading(unsafe=args.unsafe_load or None):
                metrics = runner.test()
        except UnsafeCheckpointError as e:
            sys.exit(f'tools/test.py: {e}')
    if args.out:
        import mmengine
        mmengine.dump(metrics, args.out)
    return metrics


if __name__ == '__main__':
    main()
