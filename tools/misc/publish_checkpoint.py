#!/usr/bin/env python
"""Package a trained checkpoint as the pretrained model shipped with
``awing_mmpose`` (weights only, safe to load) with its config, model card and
training log.

    python tools/misc/publish_checkpoint.py CONFIG CHECKPOINT \
        [--name synthetic_wflw] [--work-dir WORK] \
        [--test-metrics WORK/test_metrics.json] \
        [--out-dir awing_mmpose/pretrained] [--log-dir docs/pretrained]

Writes, for a name listed in ``awing_mmpose.pretrained.PRETRAINED_MODELS``:

* ``OUT_DIR/<checkpoint file>``: ``{'state_dict', 'meta'}`` with tensors and
  plain Python values only, so ``torch.load(weights_only=True)`` reads it
  with no allow-list; refused above ``--max-mb`` (25);
* ``OUT_DIR/<config file>``: the config, self-contained (no ``_base_``);
* ``OUT_DIR/<name>.json``: the model card (source checkpoint, epoch,
  parameters, size, sha256, synthetic test metrics, training data);
* ``LOG_DIR/``: the training log and its scalars (machine paths replaced by
  the repository-relative ones) and the test metrics.
"""
import argparse
import glob
import hashlib
import json
import os
import os.path as osp
import shutil
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config')
    p.add_argument('checkpoint')
    p.add_argument('--name', default='synthetic_wflw')
    p.add_argument('--work-dir', default=None,
                   help='the training work dir (log and scalars)')
    p.add_argument('--test-metrics', default=None,
                   help='tools/test.py --out json of the checkpoint')
    p.add_argument('--out-dir', default=osp.join(ROOT, 'awing_mmpose',
                                                 'pretrained'))
    p.add_argument('--log-dir', default=osp.join(ROOT, 'docs', 'pretrained'))
    p.add_argument('--max-mb', type=float, default=25.)
    return p.parse_args(argv)


def plain(obj):
    """``obj`` with numpy values turned into Python numbers / lists."""
    import numpy as np
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def scrub(text: str) -> str:
    """Replace this machine's paths by repository-relative ones."""
    return text.replace(ROOT + os.sep, '').replace(ROOT, '.')


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


def copy_logs(work_dir: str, log_dir: str) -> dict:
    """Copy the newest run's log and scalars of ``work_dir``."""
    runs = sorted(d for d in glob.glob(osp.join(work_dir, '2*'))
                  if glob.glob(osp.join(d, '*.log')))
    if not runs:
        raise FileNotFoundError(f'no training log under {work_dir}')
    copied = {}
    for run in runs:  # a resumed run continues in a new folder
        stamp = osp.basename(run)
        for src, dst in ((glob.glob(osp.join(run, '*.log'))[0],
                          f'train_{stamp}.log'),
                         (osp.join(run, 'vis_data', 'scalars.json'),
                          f'scalars_{stamp}.json')):
            if osp.isfile(src):
                with open(src, encoding='utf-8', errors='replace') as f:
                    text = scrub(f.read())
                with open(osp.join(log_dir, dst), 'w') as f:
                    f.write(text)
                copied[dst] = osp.relpath(src, ROOT)
    return copied


def main(argv=None) -> int:
    args = parse_args(argv)
    import torch
    from mmengine.runner import CheckpointLoader

    from awing_mmpose.pretrained import PRETRAINED_MODELS
    from awing_mmpose.utils import checkpoint_loading, load_config
    if args.name not in PRETRAINED_MODELS:
        raise SystemExit(f'publish_checkpoint: {args.name!r} is not in '
                         'awing_mmpose.pretrained.PRETRAINED_MODELS')
    cfg_file, ckpt_file = PRETRAINED_MODELS[args.name]
    os.makedirs(args.out_dir, exist_ok=True)
    os.makedirs(args.log_dir, exist_ok=True)

    with checkpoint_loading():
        src = CheckpointLoader.load_checkpoint(args.checkpoint, 'cpu')
    state = {k: v.detach().clone().contiguous()
             for k, v in src['state_dict'].items()}
    meta = src.get('meta', {})
    info = dict(
        name=args.name,
        trained_on='synthetic faces only (tools/train_pretrained.sh); '
        'no real face was used for training or for any choice',
        source_checkpoint=osp.basename(args.checkpoint),
        epoch=meta.get('epoch'), iter=meta.get('iter'),
        parameters=int(sum(v.numel() for k, v in state.items()
                           if v.is_floating_point())),
        mmpose_version=meta.get('mmpose_version'),
        torch_version=torch.__version__.split('+')[0])
    out_ckpt = osp.join(args.out_dir, ckpt_file)
    torch.save({'state_dict': state, 'meta': plain(info)}, out_ckpt)
    mb = osp.getsize(out_ckpt) / 2**20
    if mb > args.max_mb:
        os.remove(out_ckpt)
        raise SystemExit(f'publish_checkpoint: {mb:.1f} MB > --max-mb '
                         f'{args.max_mb}')
    torch.load(out_ckpt, map_location='cpu', weights_only=True)  # check

    cfg = load_config(args.config)
    cfg.load_from = None
    cfg.dump(osp.join(args.out_dir, cfg_file))

    card = dict(info, config=cfg_file, checkpoint=ckpt_file,
                size_mb=round(mb, 2), sha256=sha256(out_ckpt))
    if args.test_metrics:
        with open(args.test_metrics) as f:
            card['synthetic_test_metrics'] = json.load(f)
        shutil.copy(args.test_metrics,
                    osp.join(args.log_dir, 'test_metrics.json'))
    if args.work_dir:
        card['logs'] = sorted(copy_logs(args.work_dir, args.log_dir))
    with open(osp.join(args.out_dir, f'{args.name}.json'), 'w') as f:
        json.dump(card, f, indent=1)
        f.write('\n')
    print(f'publish_checkpoint: {out_ckpt} ({mb:.2f} MB, sha256 '
          f'{card["sha256"][:12]}...), config {cfg_file}, card '
          f'{args.name}.json; logs in {osp.relpath(args.log_dir, ROOT)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
