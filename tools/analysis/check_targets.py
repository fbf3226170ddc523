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

``--plain-crop`` measures the same config as it would be without the
guard: ``KeepLandmarksInCrop`` replaced by the transform it wraps, and the
loss without target weights (``use_target_weight=False``). ``--json`` writes
the figures with the command, the settings and the versions
(:func:`awing_mmpose.utils.run_record`).

Example::

    python tools/analysis/check_targets.py configs/awing_wflw.py \
        --cfg-options train_dataloader.dataset.data_root=data/synthetic_wflw/
"""
import argparse
import os.path as osp

import numpy as np


def parse_args(argv=None):
    from mmengine.config import DictAction
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('--num-samples', type=int, default=300)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--json', help='also write the figures to this file')
    p.add_argument('--plain-crop', action='store_true',
                   help='unwrap KeepLandmarksInCrop to its inner transform '
                   'and train the loss without target weights (the setting '
                   'before the guard)')
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


def plain_crop(cfg) -> None:
    """``cfg`` without the guard, in place: each ``KeepLandmarksInCrop``
    of the training pipeline replaced by the transform it wraps, the loss
    without target weights."""
    pipeline = cfg.train_dataloader.dataset.pipeline
    if not any(t['type'] == 'awing_mmpose.KeepLandmarksInCrop'
               for t in pipeline):
        raise ValueError(f'check_targets: --plain-crop: {cfg.filename} has '
                         'no awing_mmpose.KeepLandmarksInCrop to unwrap')
    cfg.train_dataloader.dataset.pipeline = [
        t['transform'] if t['type'] == 'awing_mmpose.KeepLandmarksInCrop'
        else t for t in pipeline]
    cfg.model.head.loss.use_target_weight = False


def main(argv=None) -> dict:
    from awing_mmpose.utils import (load_config, repo_relative, run_record,
                                    write_record)
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    if args.plain_crop:
        plain_crop(cfg)
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
        settings = dict(config=repo_relative(args.config),
                        num_samples=args.num_samples, seed=args.seed,
                        plain_crop=args.plain_crop,
                        cfg_options=args.cfg_options and {
                            k: repo_relative(v) if isinstance(v, str) else v
                            for k, v in args.cfg_options.items()})
        write_record(args.json, run_record(__file__, argv, settings, stats))
    return stats


if __name__ == '__main__':
    main()
