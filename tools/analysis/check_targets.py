"""Check a config's training targets: landmarks cut off by the crop and
empty target channels that still carry weight.

Runs the training pipeline of CONFIG (up to ``PackPoseInputs``) on the first
``--num-samples`` training samples and prints, per sample and per landmark:

* landmarks outside the crop: visible landmarks whose transformed position
  lies off the network input (the codec's own rule, ``in_crop``);
* empty weighted targets: channels whose target heatmap is all zero while
  the loss gives them weight, i.e. channels trained to predict "no landmark
  here" (a loss without ``use_target_weight`` weighs every channel 1);
* crop re-draws: how many tries ``awing_mmpose.KeepLandmarksInCrop`` needed,
  and how often it fell back to its safe crop.

Example::

    python tools/analysis/check_targets.py configs/awing_wflw.py \
        --cfg-options train_dataloader.dataset.data_root=data/synthetic_wflw/
"""
import argparse
import json
import os.path as osp

import numpy as np


def parse_args(argv=None):
    from mmengine.config import DictAction
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('--num-samples', type=int, default=300)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--json', help='also write the figures to this file')
    p.add_argument('--cfg-options', nargs='+', action=DictAction,
                   help='override config settings')
    return p.parse_args(argv)


def sample_stats(results: dict, codec,
                 loss_uses_weights: bool = True) -> dict:
    """Figures of one pipeline output (before ``PackPoseInputs``)."""
    kpts = np.asarray(results['transformed_keypoints'])[0, :, :2]
    visible = np.asarray(results['keypoints_visible']).reshape(-1) > 0
    inside = codec.in_crop(kpts) > 0
    heatmaps = np.asarray(results['heatmaps'])
    weights = np.asarray(results['keypoint_weights']).reshape(-1)
    trained = weights > 0 if loss_uses_weights else np.ones_like(weights)
    empty = heatmaps.reshape(len(heatmaps), -1).max(1) <= 0
    return dict(
        num_landmarks=int(visible.sum()),
        outside=int((visible & ~inside).sum()),
        empty_weighted=int((empty & (trained > 0)).sum()),
        zero_weight=int((weights[:len(visible)] == 0).sum()),
        tries=results.get('crop_tries'))


def check_targets(cfg, num_samples: int, seed: int = 0) -> dict:
    """Run ``cfg``'s training pipeline on ``num_samples`` samples."""
    from mmengine.dataset import Compose
    from mmengine.registry import init_default_scope
    from mmengine.utils import import_modules_from_strings
    from mmpose.registry import DATASETS, KEYPOINT_CODECS

    if cfg.get('custom_imports'):
        import_modules_from_strings(**cfg.custom_imports)
    init_default_scope(cfg.get('default_scope', 'mmpose'))
    np.random.seed(seed)
    data_cfg = cfg.train_dataloader.dataset.copy()
    pipeline = data_cfg.pop('pipeline')
    steps = [t for t in pipeline if t['type'] != 'PackPoseInputs']
    dataset = DATASETS.build(dict(data_cfg, pipeline=[]))
    transform = Compose(steps)
    codec = KEYPOINT_CODECS.build(
        next(t for t in steps if t['type'] == 'GenerateTarget')['encoder'])
    count = min(num_samples, len(dataset))
    uses_weights = bool(cfg.model.head.loss.get('use_target_weight', False))
    rows = [
        sample_stats(transform(dataset[i]), codec, uses_weights)
        for i in range(count)
    ]
    landmarks = sum(r['num_landmarks'] for r in rows)
    tries = [r['tries'] for r in rows if r['tries'] is not None]

    def share(key):
        return sum(r[key] > 0 for r in rows) / max(count, 1)

    return dict(
        config=osp.basename(cfg.filename or ''),
        samples=count,
        loss_uses_target_weight=uses_weights,
        samples_with_landmark_outside=share('outside'),
        landmarks_outside=sum(r['outside'] for r in rows) / max(landmarks, 1),
        samples_with_empty_weighted_target=share('empty_weighted'),
        empty_weighted_targets=sum(r['empty_weighted'] for r in rows),
        samples_with_zero_weight_landmark=share('zero_weight'),
        mean_crop_tries=float(np.mean([t for t in tries if t])) if any(
            tries) else None,
        fallback_crops=(sum(t == 0 for t in tries) / len(tries)
                        if tries else None))


def main(argv=None) -> dict:
    from awing_mmpose.utils import load_config
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    stats = check_targets(cfg, args.num_samples, args.seed)
    print(f"{stats['config']}: {stats['samples']} training samples "
          f"(loss use_target_weight={stats['loss_uses_target_weight']})")
    print(f"  samples with a landmark outside the crop   "
          f"{100 * stats['samples_with_landmark_outside']:6.2f} %")
    print(f"  landmarks outside the crop                 "
          f"{100 * stats['landmarks_outside']:6.2f} %")
    print(f"  samples with an empty target of weight > 0 "
          f"{100 * stats['samples_with_empty_weighted_target']:6.2f} %")
    print(f"  samples with a landmark of weight 0        "
          f"{100 * stats['samples_with_zero_weight_landmark']:6.2f} %")
    if stats['fallback_crops'] is not None:
        print(f"  crop tries (mean, accepted draws)          "
              f"{stats['mean_crop_tries'] or 0:6.2f}")
        print(f"  safe fallback crops                        "
              f"{100 * stats['fallback_crops']:6.2f} %")
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(stats, f, indent=2)
    return stats


if __name__ == '__main__':
    main()
