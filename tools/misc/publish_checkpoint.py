#!/usr/bin/env python
"""Package a trained checkpoint as the pretrained model shipped with
``awing_mmpose`` (weights only, safe to load) with its config, model card and
training record.

    python tools/misc/publish_checkpoint.py CONFIG CHECKPOINT --stage N \
        [--name synthetic_wflw] [--work-dir WORK] \
        [--test-metrics WORK/test_metrics.json] \
        [--out-dir awing_mmpose/pretrained] \
        [--log-dir docs/records/pretrained]

Writes, for a name listed in ``awing_mmpose.pretrained.PRETRAINED_MODELS``:

* ``OUT_DIR/<checkpoint file>``: ``{'state_dict', 'meta'}`` with tensors and
  plain Python values only, so ``torch.load(weights_only=True)`` reads it
  with no allow-list; refused above ``--max-mb`` (25);
* ``OUT_DIR/<config file>``: the config, self-contained (no ``_base_``);
* ``OUT_DIR/<name>.json``: the model card (source checkpoint, stage, epoch,
  parameters, size, sha256, synthetic test metrics, training data, the
  licence of the weights and of the images they were trained from:
  ``awing_mmpose.pretrained.MODEL_LICENSES``);
* ``LOG_DIR/``: the run record, named by stage and kind:
  ``stageN_train.log`` and ``stageN_scalars.json`` (MMEngine's log and
  scalars, machine paths replaced by repository-relative ones; the runs of
  a resumed training one after the other) and
  ``stageN_test_metrics_own_split.json`` (``--test-metrics``).
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
    p.add_argument('--stage', type=int, required=True,
                   help='the training stage of the checkpoint; names the '
                   'records (stageN_train.log, ...)')
    p.add_argument('--name', default='synthetic_wflw')
    p.add_argument('--work-dir', default=None,
                   help='the training work dir (log and scalars)')
    p.add_argument('--test-metrics', default=None,
                   help='tools/test.py --out json of the checkpoint')
    p.add_argument('--out-dir', default=osp.join(ROOT, 'awing_mmpose',
                                                 'pretrained'))
    p.add_argument('--log-dir',
                   default=osp.join(ROOT, 'docs', 'records', 'pretrained'))
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


def repo_path(path: str) -> str:
    """``path`` relative to the repository (``/``-separated) when inside
    it, else absolute."""
    rel = osp.relpath(osp.abspath(path), ROOT)
    if rel == '..' or rel.startswith('..' + os.sep):
        return osp.abspath(path)
    return rel.replace(os.sep, '/')


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


def record_name(stage: int, kind: str) -> str:
    """File name of a training record: ``stage<N>_<kind>``, e.g.
    ``stage6_train.log``, ``stage6_test_metrics_own_split.json``."""
    return f'stage{stage}_{kind}'


def copy_logs(work_dir: str, log_dir: str, stage: int) -> dict:
    """Write the training log and scalars of ``work_dir`` as
    ``stage<N>_train.log`` / ``stage<N>_scalars.json`` in ``log_dir``.

    MMEngine writes each run into a timestamped folder; a resumed training
    continues in a new one, so the runs are joined in time order. Returns
    ``{record name: [source files]}``.
    """
    runs = sorted(d for d in glob.glob(osp.join(work_dir, '2*'))
                  if glob.glob(osp.join(d, '*.log')))
    if not runs:
        raise FileNotFoundError(f'no training log under {work_dir}')
    sources = {record_name(stage, 'train.log'): [],
               record_name(stage, 'scalars.json'): []}
    for run in runs:
        sources[record_name(stage, 'train.log')] += sorted(
            glob.glob(osp.join(run, '*.log')))[:1]
        scalars = osp.join(run, 'vis_data', 'scalars.json')
        if osp.isfile(scalars):
            sources[record_name(stage, 'scalars.json')].append(scalars)
    copied = {}
    for dst, srcs in sources.items():
        if not srcs:
            continue
        texts = []
        for src in srcs:
            with open(src, encoding='utf-8', errors='replace') as f:
                texts.append(scrub(f.read()))
        with open(osp.join(log_dir, dst), 'w') as f:
            f.write(''.join(t if t.endswith('\n') else t + '\n'
                            for t in texts))
        copied[dst] = [repo_path(s) for s in srcs]
    return copied


def main(argv=None) -> int:
    args = parse_args(argv)
    import torch
    from mmengine.runner import CheckpointLoader

    from awing_mmpose.pretrained import MODEL_LICENSES, PRETRAINED_MODELS
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

    card = dict(info, stage=args.stage, config=cfg_file,
                checkpoint=ckpt_file, size_mb=round(mb, 2),
                sha256=sha256(out_ckpt))
    card.update(MODEL_LICENSES[args.name])
    records = []
    if args.test_metrics:
        with open(args.test_metrics) as f:
            card['synthetic_test_metrics'] = json.load(f)
        name = record_name(args.stage, 'test_metrics_own_split.json')
        shutil.copy(args.test_metrics, osp.join(args.log_dir, name))
        records.append(name)
    if args.work_dir:
        records += list(copy_logs(args.work_dir, args.log_dir, args.stage))
    if records:
        card['records'] = sorted(
            repo_path(osp.join(args.log_dir, r)) for r in records)
    with open(osp.join(args.out_dir, f'{args.name}.json'), 'w') as f:
        json.dump(card, f, indent=1)
        f.write('\n')
    print(f'publish_checkpoint: {out_ckpt} ({mb:.2f} MB, sha256 '
          f'{card["sha256"][:12]}...), config {cfg_file}, card '
          f'{args.name}.json; records in {repo_path(args.log_dir)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
