"""Save the freshly initialised (untrained) model of a config as a checkpoint,
the baseline that a trained model must beat.

    python tools/misc/save_init_checkpoint.py CONFIG OUT.pth [--seed 0]
"""
import argparse

import awing_mmpose  # noqa: F401
import torch
from awing_mmpose.utils import load_config
from mmengine.registry import init_default_scope
from mmengine.runner import save_checkpoint, set_random_seed
from mmpose.registry import MODELS


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('out')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    cfg = load_config(args.config)
    init_default_scope(cfg.get('default_scope', 'mmpose'))
    set_random_seed(args.seed)
    model = MODELS.build(cfg.model)
    model.init_weights()
    with torch.no_grad():
        save_checkpoint({'state_dict': model.state_dict(),
                         'meta': {'seed': args.seed, 'untrained': True}},
                        args.out)
    print(f'saved the untrained model of {args.config} to {args.out}')


if __name__ == '__main__':
    main()
