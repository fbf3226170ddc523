"""Convert the authors' AdaptiveWingLoss checkpoint (``FAN``, e.g. their
WFLW_4HG.pth) into an MMEngine checkpoint for ``awing_mmpose.AWingHourglass``.

    .venv/bin/python tools/model_converters/awing_official_to_mmpose.py \
        WFLW_4HG.pth work_dirs/awing_wflw_official.pth [--coord-order xy]

Writes ``{'state_dict': {'backbone.*': ...}, 'meta': {...}}``; ``meta``
holds the backbone arguments to use (``num_stacks``, ``num_heatmaps``,
``coord_order`` ...) and the input / decoding conventions. Key mapping and
conventions: awing_mmpose/models/backbones/official_checkpoint.py and
docs/official_checkpoint.md. Exits with status 1 and a list of the unmatched
keys when the file is not the authors' layout.
"""
import argparse
import os
import os.path as osp
import sys

import torch

from awing_mmpose.models.backbones.official_checkpoint import (
    OfficialCheckpointError, convert_official_state_dict)

CONVENTIONS = {
    'input': "RGB image / 255, no mean/std: data_preprocessor mean=[0,0,0], "
             "std=[255,255,255], bgr_to_rgb=True; 256x256 crops",
    'output': 'heatmaps (N, K+1, H/4, W/4), boundary heatmap last',
    'decoding': 'authors decode argmax to 4*idx + 2 (+-1) input pixels; '
                'MMPose MSRA decoding gives 4*idx (+-1)',
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('src', help="the authors' .pth / .pth.tar state dict")
    p.add_argument('dst', help='output MMEngine checkpoint (.pth)')
    p.add_argument('--coord-order', default='xy',
                   choices=['xy', 'yx', 'official'],
                   help="xy (default): permute CoordConv weights to our x, y "
                   "channel order; yx/official: keep theirs (build the "
                   "backbone with coord_order='yx')")
    p.add_argument('--prefix', default='backbone.',
                   help='prefix of the output keys (default backbone.)')
    p.add_argument('--unsafe-load', action='store_true',
                   help='unpickle the source fully (weights_only=False); '
                   'only for files you trust')
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if not osp.isfile(args.src):
        print(f'{args.src}: no such file', file=sys.stderr)
        return 1
    try:
        ckpt = torch.load(args.src, map_location='cpu',
                          weights_only=not args.unsafe_load)
    except Exception as e:  # noqa: BLE001
        print(f'{args.src}: cannot load with weights_only='
              f'{not args.unsafe_load} ({type(e).__name__}: {e}); if you '
              'trust the file, retry with --unsafe-load', file=sys.stderr)
        return 1
    try:
        state_dict, cfg = convert_official_state_dict(
            ckpt, coord_order=args.coord_order, prefix=args.prefix)
    except OfficialCheckpointError as e:
        print(f'{args.src}: {e}', file=sys.stderr)
        return 1
    backbone = {k: v for k, v in cfg.items()
                if k != 'filled_num_batches_tracked'}
    backbone['stem_channels'] = list(backbone['stem_channels'])
    meta = dict(
        source=osp.abspath(args.src),
        converter='awing_mmpose official_checkpoint',
        backbone=dict(type='awing_mmpose.AWingHourglass', **backbone),
        filled_num_batches_tracked=cfg['filled_num_batches_tracked'],
        conventions=CONVENTIONS)
    out_dir = osp.dirname(osp.abspath(args.dst))
    os.makedirs(out_dir, exist_ok=True)
    torch.save({'state_dict': state_dict, 'meta': meta}, args.dst)
    n = sum(v.numel() for k, v in state_dict.items()
            if not k.endswith(('running_mean', 'running_var',
                               'num_batches_tracked')))
    print(f'wrote {args.dst}: {len(state_dict)} tensors, {n} parameters, '
          f'backbone={meta["backbone"]}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
