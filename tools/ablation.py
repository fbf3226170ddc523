"""The paper's ablation ladder on the synthetic WFLW-layout benchmark.

Rows (paper sec. 5): 1 MSE; 2 AWing; 3 AWing x naive loss map; 4 AWing x
Weighted Loss Map; 5 + boundary channel; 6 + CoordConv with boundary
coordinates (the full method). Every row trains with the same data, epochs,
batch size and schedule, once per seed, and is reported at its last epoch
(no checkpoint is selected, so no split is looked at during training).

    python tools/ablation.py                 # CPU size, 3 seeds (~1 hour)
    python tools/ablation.py --quick         # 1 seed, 32 channels (~10 min)
    python tools/ablation.py --paper-size --device cuda   # 256 px, 4 stacks
    python tools/ablation.py --out-dir docs/records/ablation/quick --quick

Steps, each skipped when its output exists (rerun the same command to
resume; an interrupted training resumes from its last epoch):

1. ``WORK/data``: synthetic faces (``generate_synthetic_wflw``) converted
   with the WFLW converter (``convert_wflw``), as a user converts WFLW.
2. ``WORK/configs/<row>_seed<s>.py`` (the row's config plus data root,
   epochs, seed) runs in ``WORK/runs/<row>/seed<s>``: in a forked child
   process (the imports are shared, nothing of a run stays behind),
   MMEngine's Runner trains it as
   ``tools/train.py`` does and tests the last epoch on the test split with
   the config's ``FaceAlignmentMetric`` (``metrics.json``, ``eval_nme.csv``)
   and a hook that measures the predicted heatmaps (``heatmaps.json``); the
   output goes to ``train.log``. Needs a system with ``fork`` (Linux).
3. ``OUT`` (default ``WORK/report``): ``ablation.md`` / ``ablation.json`` (NME,
   FR@0.1, AUC@0.1 on the full test split and the six attribute subsets, mean
   and std over seeds; heatmap peak and half-maximum width; the paper's
   effects against the seed-to-seed spread), ``ced.png`` (one curve per row),
   ``heatmaps_mse_vs_awing.png`` (rows 1 and 2 on the same test faces),
   ``heatmaps_mse_vs_full.png`` (rows 1 and 6, the same faces) and
   ``logs/`` (each run's training log, test table and config; the config
   copy is ``<row>_seed<s>_config.txt``, a record of what ran, so that
   nothing takes it for a config to run).
"""
import argparse
import csv
import json
import math
import os
import re
import os.path as osp
import shutil
import sys
import time

import numpy as np

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))

#: row key -> (label, paper-size config, CPU-size config), repo-relative
RUNGS = {
    '1_mse': ('MSE', 'configs/ablations/awing_wflw_1_mse.py',
              'configs/ablations/cpu/awing_wflw_1_mse.py'),
    '2_awing': ('AWing', 'configs/ablations/awing_wflw_2_awing.py',
                'configs/ablations/cpu/awing_wflw_2_awing.py'),
    '3_awing_naive_map': (
        'AWing + naive map',
        'configs/ablations/awing_wflw_3_awing_naive_map.py',
        'configs/ablations/cpu/awing_wflw_3_awing_naive_map.py'),
    '4_awing_wlm': ('AWing + Weighted Loss Map',
                    'configs/ablations/awing_wflw_4_awing_wlm.py',
                    'configs/ablations/cpu/awing_wflw_4_awing_wlm.py'),
    '5_boundary': ('+ boundary channel',
                   'configs/ablations/awing_wflw_5_boundary.py',
                   'configs/ablations/cpu/awing_wflw_5_boundary.py'),
    '6_full': ('+ CoordConv with boundary coordinates (full)',
               'configs/awing_wflw.py',
               'configs/ablations/cpu/awing_wflw_6_full.py'),
}
SUBSETS = ('pose', 'expression', 'illumination', 'makeup', 'occlusion',
           'blur')
GROUPS = ('full', ) + SUBSETS
METRICS = (('NME', 100.), ('FR@0.1', 100.), ('AUC@0.1', 1.))
#: the paper's effects on WFLW (NME points, lower is better): (name, row
#: without, row with, paper gain)
PAPER_EFFECTS = (
    ('AWing instead of MSE', '1_mse', '2_awing', 0.74),
    ('Weighted Loss Map (on AWing)', '2_awing', '4_awing_wlm', 0.25),
    ('boundary channel + CoordConv boundary coordinates', '4_awing_wlm',
     '6_full', 0.09),
)
#: presets: faces, epochs, seeds, hourglass channels (explicit flags
#: override them; ``channels=None`` keeps the config's). The default gives
#: each run 1,000 faces x 4 epochs (252 iterations of 16), about 185 s per
#: run on 2 idle cores (52 min for 18, measured); 150 iterations trained no
#: row (NME 67-91 %, measured). ``quick`` runs one seed of a 32-channel
#: network (about half the time per iteration) on 500 faces x 8 epochs:
#: 10 min in all.
PRESETS = {
    'default': dict(num_train=1000, num_test=300, epochs=4, seeds=[0, 1, 2],
                    channels=None),
    'quick': dict(num_train=500, num_test=150, epochs=8, seeds=[0],
                  channels=32),
    'paper': dict(num_train=2000, num_test=500, epochs=60, seeds=[0, 1, 2],
                  channels=None),
}
NUM_PICTURE_FACES = 3
#: heatmap pictures: row 1 (MSE) beside each of these rows, as
#: ``heatmaps_mse_vs_<name>.png``
HEATMAP_PICTURES = (('2_awing', 'awing'), ('6_full', 'full'))
LOG_LINE = re.compile(r'^\d\d/\d\d \d\d:\d\d:\d\d - mmengine - ')
PROFILE_LANDMARK = 54  # WFLW nose tip


# ----------------------------------------------------------------------------
# command line
def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--work-dir', help='data, runs and checkpoints (default '
                   'work_dirs/ablation[_quick|_paper])')
    p.add_argument('--out-dir', help='table, plots and logs (default '
                   'WORK/report)')
    mode = p.add_mutually_exclusive_group()
    mode.add_argument('--quick', action='store_true',
                      help='one seed of a 32-channel network on 500 faces '
                      '(about ten minutes on 2 idle cores)')
    mode.add_argument('--paper-size', action='store_true',
                      help='the paper configs (256 px, 4 stacks): for a GPU')
    p.add_argument('--device', default='cpu', choices=['cpu', 'cuda'],
                   help='cpu hides CUDA from the runs (default cpu)')
    p.add_argument('--rungs', nargs='+', choices=list(RUNGS),
                   help='rows to run (default all six)')
    p.add_argument('--seeds', nargs='+', type=int)
    p.add_argument('--epochs', type=int)
    p.add_argument('--num-train', type=int)
    p.add_argument('--num-test', type=int)
    p.add_argument('--channels', type=int,
                   help='hourglass channels of every row (stem: half, '
                   'channels, channels); default: the config\'s')
    p.add_argument('--data-seed', type=int, default=0,
                   help='seed of the synthetic faces (the same for all runs)')
    p.add_argument('--batch-size', type=int, help='training batch size '
                   '(default: the config\'s, 16)')
    p.add_argument('--workers', type=int, default=1,
                   help='data loader workers per run (default 1)')
    p.add_argument('--report-only', action='store_true',
                   help='only rebuild the report from finished runs')
    args = p.parse_args(argv)
    preset = PRESETS['quick' if args.quick else
                     'paper' if args.paper_size else 'default']
    for key, val in preset.items():
        if getattr(args, key) is None:
            setattr(args, key, val)
    args.rungs = args.rungs or list(RUNGS)
    args.rungs = [r for r in RUNGS if r in args.rungs]  # ladder order
    if args.epochs < 1 or args.num_train < 1 or args.num_test < 1:
        p.error('--epochs, --num-train and --num-test must be >= 1')
    if args.channels is not None and args.channels < 2:
        p.error('--channels must be >= 2')
    if len(set(args.seeds)) != len(args.seeds):
        p.error(f'--seeds repeats a seed: {args.seeds}')
    if args.work_dir is None:
        args.work_dir = osp.join(
            'work_dirs', 'ablation' + ('_quick' if args.quick else
                                       '_paper' if args.paper_size else ''))
    args.work_dir = osp.abspath(args.work_dir)
    args.out_dir = osp.abspath(args.out_dir or
                               osp.join(args.work_dir, 'report'))
    return args


def _write_json(path, obj):
    """Atomic json write (a killed run never leaves half a file)."""
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(obj, f, indent=2)
    os.replace(tmp, path)


def _read_json(path):
    with open(path) as f:
        return json.load(f)


def _check_same(path, params, what):
    """Refuse to mix outputs of different settings in one work dir."""
    if osp.isfile(path):
        old = _read_json(path)
        if old != params:
            diff = {k: (old.get(k), params.get(k))
                    for k in set(old) | set(params)
                    if old.get(k) != params.get(k)}
            raise SystemExit(
                f'tools/ablation.py: {path} holds {what} made with other '
                f'settings {diff} (old, new); use another --work-dir or '
                'delete it')
    else:
        _write_json(path, params)


# ----------------------------------------------------------------------------
# 1. data
def prepare_data(args):
    """Synthetic faces in WFLW's raw layout, converted to COCO json."""
    from awing_mmpose.datasets.converters.wflw import convert_wflw
    from awing_mmpose.synthetic import generate_synthetic_wflw

    data = osp.join(args.work_dir, 'data')
    params = dict(num_train=args.num_train, num_test=args.num_test,
                  seed=args.data_seed, image_size=256)
    done = osp.join(data, 'done.json')
    if osp.isfile(done):
        _check_same(done, params, 'synthetic data')
        return data
    print(f'[ablation] synthetic faces: {args.num_train} train, '
          f'{args.num_test} test -> {data}', flush=True)
    generate_synthetic_wflw(data, num_train=args.num_train,
                            num_test=args.num_test, seed=args.data_seed,
                            image_size=256, with_300w=False)
    convert_wflw(osp.join(data, 'WFLW_annotations'),
                 osp.join(data, 'WFLW_images'),
                 osp.join(data, 'annotations'), show_progress=False)
    _write_json(done, params)
    return data


# ----------------------------------------------------------------------------
# 2. runs
RUN_CONFIG = '''\
# written by tools/ablation.py: row {rung}, seed {seed}
_base_ = [{base!r}]

max_epochs = {epochs}
train_cfg = dict(max_epochs=max_epochs)
# the row's schedule stretched to max_epochs
param_scheduler = [
    dict(s, end=max_epochs, milestones=[
        max(1, round(m * max_epochs / s['end'])) for m in s['milestones']])
    if 'milestones' in s else dict(s, end=max_epochs)
    for s in _base_.param_scheduler
]
randomness = dict(seed={seed})
# last epoch reported; no validation loop looks at any split
val_dataloader = None
val_cfg = None
val_evaluator = None
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=1, save_best=None, max_keep_ckpts=1))
{model}data_root = {data_root!r}
train_dataloader = dict(
    {batch}num_workers={workers},
    persistent_workers={persistent},
    dataset=dict(data_root=data_root))
test_dataloader = dict(
    num_workers={workers},
    persistent_workers=False,
    dataset=dict(data_root=data_root))
'''


def _model_override(args):
    """The run config's narrower network, when ``--channels`` asks."""
    if args.channels is None:
        return ''
    c = args.channels
    return ('# narrower network (--channels)\n'
            f'model = dict(backbone=dict(stem_channels=({c // 2}, {c}, {c}), '
            f'feat_channels={c}))\n')


def _config_path(args, rung, seed):
    return osp.join(args.work_dir, 'configs', f'{rung}_seed{seed}.py')


def run_config(args, rung, seed, run_dir, data_root):
    base = osp.join(ROOT, RUNGS[rung][1 if args.paper_size else 2])
    text = RUN_CONFIG.format(
        rung=rung, seed=seed, base=base, epochs=args.epochs,
        data_root=data_root.rstrip('/') + '/', workers=args.workers,
        persistent=args.workers > 0, model=_model_override(args),
        batch=(f'batch_size={args.batch_size},\n    '
               if args.batch_size else ''))
    # outside the run's work dir, where the Runner dumps the merged config
    path = _config_path(args, rung, seed)
    os.makedirs(osp.dirname(path), exist_ok=True)
    if not osp.isfile(path) or open(path).read() != text:
        with open(path, 'w') as f:
            f.write(text)
    return path


def train(args, cfg_path, run_dir):
    """MMEngine's Runner on the run's config, as ``tools/train.py`` runs it;
    resumes an interrupted run from its last epoch. Returns the last
    epoch's checkpoint and the training seconds (None when already
    trained)."""
    from mmengine.runner import Runner

    from awing_mmpose.utils import checkpoint_loading, load_config
    from awing_mmpose.utils.config import use_gloo_without_cuda

    final = osp.join(run_dir, f'epoch_{args.epochs}.pth')
    if osp.isfile(final):
        return final, None
    cfg = load_config(cfg_path)
    cfg.launcher = 'none'
    use_gloo_without_cuda(cfg)
    cfg.work_dir = run_dir
    cfg.experiment_name = f'train_{time.time_ns()}'
    if cfg.get('visualizer'):
        cfg.visualizer.name = cfg.experiment_name
    if osp.isfile(osp.join(run_dir, 'last_checkpoint')):
        cfg.resume, cfg.load_from = True, None
    t0 = time.perf_counter()
    with checkpoint_loading():  # resume: torch's safe loader
        Runner.from_cfg(cfg).train()
    if not osp.isfile(final):
        raise RuntimeError(f'training ended without {final}')
    return final, time.perf_counter() - t0


class HeatmapStats:
    """Sharpness of the predicted landmark heatmaps of the last stack (as
    decoded: averaged with the flipped input's when the config flip-tests).

    Per image and landmark channel ``k`` (the boundary channel is left out):
    peak ``P_k = max H_k`` and the half-maximum width ``W_k = 2 sqrt(A_k /
    pi)``, the diameter of a disc with the area ``A_k`` (heatmap pixels) where
    ``H_k >= P_k / 2``; a Gaussian of sigma ``s`` has ``W ~ 2.355 s``.
    Keeps the heatmaps of the first ``keep`` test faces for the picture.
    """

    def __init__(self, keep=NUM_PICTURE_FACES):
        self.keep = keep
        self.peaks, self.widths = [], []
        self.saved = dict(images=[], heatmaps=[], paths=[])

    def update(self, inputs, samples):
        for img, ds in zip(inputs, samples):
            k = ds.gt_instances.keypoints.shape[1]
            hm = ds.pred_fields.heatmaps[:k].detach().float().cpu().numpy()
            peak = hm.reshape(k, -1).max(axis=1)
            area = (hm >= peak[:, None, None] / 2).reshape(k, -1).sum(axis=1)
            self.peaks.append(peak)
            self.widths.append(2 * np.sqrt(area / np.pi))
            if len(self.saved['images']) < self.keep:
                self.saved['images'].append(
                    img.detach().cpu().numpy().transpose(1, 2, 0)[..., ::-1])
                self.saved['heatmaps'].append(hm.astype(np.float16))
                self.saved['paths'].append(str(ds.img_path))

    def summary(self):
        peaks = np.concatenate(self.peaks)
        widths = np.concatenate(self.widths)
        return dict(mean_peak=float(peaks.mean()),
                    mean_halfmax_width=float(widths.mean()),
                    num_images=len(self.peaks),
                    num_channels=int(peaks.size))


def evaluate(args, cfg_path, ckpt, run_dir):
    """The test split through MMEngine's Runner (the config's test
    dataloader and FaceAlignmentMetric) plus :class:`HeatmapStats`."""
    from mmengine.config import Config
    from mmengine.hooks import Hook
    from mmengine.runner import Runner

    import awing_mmpose  # noqa: F401  (registers components)
    from awing_mmpose.utils import checkpoint_loading
    from awing_mmpose.utils.config import use_gloo_without_cuda

    cfg = Config.fromfile(cfg_path)
    use_gloo_without_cuda(cfg)
    cfg.launcher = 'none'
    name = f'{osp.basename(osp.dirname(run_dir))}_{osp.basename(run_dir)}'
    cfg.work_dir = osp.join(run_dir, 'test')
    cfg.experiment_name = f'test_{name}_{time.time_ns()}'
    if cfg.get('visualizer'):
        cfg.visualizer.name = cfg.experiment_name
    cfg.load_from = ckpt
    cfg.resume = False
    # the config's test protocol (flip test at paper size, none at CPU
    # size); the heatmaps measured are the ones it decodes
    cfg.model.test_cfg['output_heatmaps'] = True
    cfg.test_evaluator['outfile_prefix'] = osp.join(run_dir, 'eval')
    if args.device == 'cpu':
        cfg.setdefault('env_cfg', {})['cudnn_benchmark'] = False
    stats = HeatmapStats()

    class _Collect(Hook):
        def after_test_iter(self, runner, batch_idx, data_batch=None,
                            outputs=None):
            stats.update(data_batch['inputs'], outputs)

    t0 = time.perf_counter()
    runner = Runner.from_cfg(cfg)
    runner.register_hook(_Collect(), priority='LOWEST')
    with checkpoint_loading():  # the checkpoint, with torch's safe loader
        metrics = runner.test()
    seconds = time.perf_counter() - t0
    metrics = {k: float(v) for k, v in metrics.items()}
    np.savez_compressed(
        osp.join(run_dir, 'picture_faces.npz'),
        images=np.stack(stats.saved['images']),
        heatmaps=np.stack(stats.saved['heatmaps']),
        paths=np.array(stats.saved['paths']))
    _write_json(osp.join(run_dir, 'heatmaps.json'), stats.summary())
    return metrics, seconds


def _run_child(args, rung, seed, run_dir, cfg_path):
    """One run (train, then test) in a forked child: the parent's imports
    are shared, nothing of the run stays behind; output goes to
    ``train.log``."""
    fd = os.open(osp.join(run_dir, 'train.log'),
                 os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    if args.device == 'cpu':
        os.environ['CUDA_VISIBLE_DEVICES'] = ''
    try:
        ckpt, train_s = train(args, cfg_path, run_dir)
        metrics, test_s = evaluate(args, cfg_path, ckpt, run_dir)
        timing_path = osp.join(run_dir, 'timing.json')
        timing = _read_json(timing_path) if osp.isfile(timing_path) else {}
        if train_s is not None:
            timing['train_seconds'] = round(train_s, 1)
        timing['test_seconds'] = round(test_s, 1)
        _write_json(timing_path, timing)
        _write_json(osp.join(run_dir, 'metrics.json'), metrics)  # last
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def run_one(args, rung, seed, data_root):
    import multiprocessing as mp
    run_dir = osp.join(args.work_dir, 'runs', rung, f'seed{seed}')
    done = osp.join(run_dir, 'metrics.json')
    if osp.isfile(done):
        print(f'[ablation] {rung} seed {seed}: done, skipped', flush=True)
        return
    os.makedirs(run_dir, exist_ok=True)
    cfg_path = run_config(args, rung, seed, run_dir, data_root)
    print(f'[ablation] {rung} seed {seed}: training {args.epochs} epochs '
          f'({run_dir})', flush=True)
    child = mp.get_context('fork').Process(
        target=_run_child, args=(args, rung, seed, run_dir, cfg_path))
    child.start()
    child.join()
    if child.exitcode != 0 or not osp.isfile(done):
        raise SystemExit(
            f'tools/ablation.py: {rung} seed {seed} failed (exit '
            f'{child.exitcode}); see {osp.join(run_dir, "train.log")}')
    metrics = _read_json(done)
    print(f"[ablation] {rung} seed {seed}: NME {100 * metrics['NME']:.2f} %"
          f", FR@0.1 {100 * metrics['FR@0.1']:.2f} %, AUC@0.1 "
          f"{metrics['AUC@0.1']:.4f}", flush=True)


# ----------------------------------------------------------------------------
# 3. report
def _mean_std(values):
    from awing_mmpose.evaluation.functional import mean_std
    return mean_std(values)


def _pm(mean, std, fmt='{:.2f}'):
    if not math.isfinite(mean):
        return 'n/a'
    if not math.isfinite(std):
        return fmt.format(mean)
    return f'{fmt.format(mean)} ± {fmt.format(std)}'


def collect(args):
    """Per rung: the finished seeds' metrics, heatmap stats and NMEs."""
    rows = {}
    for rung in args.rungs:
        runs = []
        for seed in args.seeds:
            d = osp.join(args.work_dir, 'runs', rung, f'seed{seed}')
            if not osp.isfile(osp.join(d, 'metrics.json')):
                continue
            with open(osp.join(d, 'eval_nme.csv')) as f:
                nmes = [float(r['nme']) for r in csv.DictReader(f)]
            timing = osp.join(d, 'timing.json')
            runs.append(dict(
                seed=seed, dir=d, metrics=_read_json(
                    osp.join(d, 'metrics.json')),
                heatmaps=_read_json(osp.join(d, 'heatmaps.json')),
                timing=_read_json(timing) if osp.isfile(timing) else {},
                nmes=nmes))
        if runs:
            rows[rung] = runs
    return rows


def summarise(rows):
    out = {}
    for rung, runs in rows.items():
        s = dict(label=RUNGS[rung][0], seeds=[r['seed'] for r in runs],
                 groups={}, heatmaps={}, per_seed={})
        for g in GROUPS:
            s['groups'][g] = {}
            for m, scale in METRICS:
                key = m if g == 'full' else f'{g}/{m}'
                vals = [r['metrics'].get(key, float('nan')) * scale
                        for r in runs]
                mean, std = _mean_std(vals)
                s['groups'][g][m] = dict(mean=mean, std=std, values=vals)
        for k in ('mean_peak', 'mean_halfmax_width'):
            vals = [r['heatmaps'][k] for r in runs]
            mean, std = _mean_std(vals)
            s['heatmaps'][k] = dict(mean=mean, std=std, values=vals)
        s['train_seconds'] = [r['timing'].get('train_seconds') for r in runs]
        out[rung] = s
    return out


def effect(summary, without, with_, key, group='full', sign=-1.):
    """Gain of ``with_`` over ``without`` (``sign`` -1: lower is better)
    and whether it exceeds the seed-to-seed spread (2 standard errors of
    the difference of the means; :func:`awing_mmpose.evaluation.functional.
    compare_means`)."""
    if without not in summary or with_ not in summary:
        return None
    if group is None:
        a, b = summary[without]['heatmaps'][key], summary[with_][
            'heatmaps'][key]
    else:
        a, b = summary[without]['groups'][group][key], summary[with_][
            'groups'][group][key]
    from awing_mmpose.evaluation.functional import compare_means
    return compare_means(a, b, sign)


def effects(summary):
    out = []
    for name, a, b, paper in PAPER_EFFECTS:
        e = effect(summary, a, b, 'NME')
        if e:
            out.append(dict(effect=name, rows=[a, b], paper_gain=paper,
                            unit='NME points', **e))
    e = effect(summary, '1_mse', '2_awing', 'mean_peak', None, sign=1.)
    if e:
        out.append(dict(effect='AWing heatmaps higher peaks than MSE',
                        rows=['1_mse', '2_awing'], paper_gain=None,
                        unit='peak value', **e))
    e = effect(summary, '1_mse', '2_awing', 'mean_halfmax_width', None)
    if e:
        out.append(dict(effect='AWing heatmaps narrower than MSE',
                        rows=['1_mse', '2_awing'], paper_gain=None,
                        unit='heatmap px', **e))
    return out


def target_width(sigma, n=2000):
    """Half-maximum width (as in :class:`HeatmapStats`) of the training
    targets: Gaussians of ``sigma`` at random sub-pixel centres."""
    rng = np.random.default_rng(0)
    r = int(math.ceil(4 * sigma)) + 2
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
    widths = []
    for cx, cy in rng.random((n, 2)):
        g = np.exp(-((xx - cx)**2 + (yy - cy)**2) / (2 * sigma**2))
        widths.append(2 * math.sqrt((g >= g.max() / 2).sum() / math.pi))
    return float(np.mean(widths))


def write_markdown(args, summary, effs, setup, path):
    L = []
    L.append('# Ablation ladder on the synthetic WFLW-layout benchmark\n')
    L.append(f"Command: `{setup['command']}`  ")
    L.append(f"Size: {setup['size']}; {setup['num_train']} training and "
             f"{setup['num_test']} test faces (data seed "
             f"{setup['data_seed']}); {setup['epochs']} epochs per run, "
             f"seeds {setup['seeds']}; last epoch reported (no checkpoint "
             'selection). Mean ± standard deviation over seeds; NME '
             '(inter-ocular) and FR@0.1 in %, AUC@0.1 as a fraction.\n')
    L.append('## Full test split\n')
    L.append('| row | NME % | FR@0.1 % | AUC@0.1 | peak | half-max width '
             '(px) | seeds | train s / run |')
    L.append('|---|---|---|---|---|---|---|---|')
    for rung, s in summary.items():
        g = s['groups']['full']
        secs = [t for t in s['train_seconds'] if t]
        L.append(
            f"| {rung[0]} {s['label']} | {_pm(**_ms(g['NME']))} | "
            f"{_pm(**_ms(g['FR@0.1']))} | "
            f"{_pm(**_ms(g['AUC@0.1']), fmt='{:.4f}')} | "
            f"{_pm(**_ms(s['heatmaps']['mean_peak']), fmt='{:.3f}')} | "
            f"{_pm(**_ms(s['heatmaps']['mean_halfmax_width']))} | "
            f"{len(s['seeds'])} | "
            f"{(sum(secs) / len(secs)) if secs else float('nan'):.0f} |")
    L.append(f"\nTraining targets: peak 1, half-max width "
             f"{setup['target_width']:.2f} px (heatmap pixels, "
             f"sigma {setup['sigma']:g}).\n")
    for m, _ in METRICS:
        L.append(f'## {m} per test subset\n')
        L.append('| row | ' + ' | '.join(GROUPS) + ' |')
        L.append('|---' * (len(GROUPS) + 1) + '|')
        fmt = '{:.4f}' if m.startswith('AUC') else '{:.2f}'
        for rung, s in summary.items():
            L.append(f'| {rung[0]} | ' + ' | '.join(
                _pm(**_ms(s['groups'][g][m]), fmt=fmt) for g in GROUPS) +
                ' |')
        L.append('')
    L.append("## The paper's effects against the seed-to-seed spread\n")
    L.append('Gain = improvement of the second row over the first (mean over '
             'seeds); SE = standard error of that difference; "yes" when the '
             'gain exceeds 2 SE.\n')
    L.append('| effect | rows | paper (WFLW) | measured gain ± SE | beyond '
             'spread? |')
    L.append('|---|---|---|---|---|')
    for e in effs:
        paper = (f"{e['paper_gain']:.2f} {e['unit']}"
                 if e['paper_gain'] is not None else 'qualitative')
        se = f"{e['se']:.3f}" if math.isfinite(e['se']) else 'n/a'
        L.append(f"| {e['effect']} | {e['rows'][0][0]} → {e['rows'][1][0]} "
                 f"| {paper} | {e['gain']:+.3f} ± {se} "
                 f"{e['unit']} | {e['verdict']} |")
    pics = [f'`heatmaps_mse_vs_{name}.png` (rows 1 and {row[0]})'
            for row, name in HEATMAP_PICTURES
            if {'1_mse', row} <= set(summary)]
    L.append('\nPlots: `ced.png` (CED of each row, mean over seeds)' +
             (', ' + ' and '.join(pics) + f", seed {setup['seeds'][0]}, "
              'the same test faces' if pics else '') + '. Logs: `logs/`.')
    with open(path, 'w') as f:
        f.write('\n'.join(L) + '\n')


def _ms(d):
    return dict(mean=d['mean'], std=d['std'])


def plot_ced(rows, summary, path, thr=0.1, step=1e-4):
    """CED of each row (mean over its seeds). The x axis ends at ``thr``
    (FR / AUC threshold) or, for weak models, at the 95th percentile of all
    NMEs (``thr`` then marked)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from awing_mmpose.evaluation.functional import ced_curve

    every = np.concatenate([r['nmes'] for runs in rows.values()
                            for r in runs])
    xmax = max(thr, math.ceil(np.percentile(every, 95) / 0.05) * 0.05)
    fig = Figure(figsize=(7, 5), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    for rung, runs in rows.items():
        curves = [ced_curve(np.array(r['nmes']), xmax, step) for r in runs]
        xs = curves[0][0]
        ys = np.mean([c[1] for c in curves], axis=0)
        auc = summary[rung]['groups']['full']['AUC@0.1']
        ax.plot(xs, ys, lw=1.6,
                label=f"{rung[0]} {RUNGS[rung][0]} (AUC@0.1 "
                f"{_pm(**_ms(auc), fmt='{:.3f}')})")
    if xmax > thr:
        ax.axvline(thr, color='grey', ls='--', lw=1)
    ax.set_xlim(0, xmax)
    ax.set_ylim(0, 1)
    ax.set_xlabel('NME (inter-ocular, fraction)')
    ax.set_ylabel('fraction of test faces')
    ax.set_title('CED per ablation row (mean over seeds)')
    ax.grid(True, alpha=0.3)
    ax.legend(loc='lower right', fontsize='small')
    fig.tight_layout()
    fig.savefig(path)


def plot_heatmaps(rows, path, a='1_mse', b='2_awing'):
    """Rows ``a`` and ``b`` (first seed) on the same test faces: the crop,
    the maximum over the landmark heatmaps of each (one colour scale, 0-1)
    and a profile through one landmark's peak."""
    if a not in rows or b not in rows:
        return False
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    seed = min(set(r['seed'] for r in rows[a]) &
               set(r['seed'] for r in rows[b]), default=None)
    if seed is None:
        return False
    da = np.load(osp.join(next(r['dir'] for r in rows[a]
                               if r['seed'] == seed), 'picture_faces.npz'))
    db = np.load(osp.join(next(r['dir'] for r in rows[b]
                               if r['seed'] == seed), 'picture_faces.npz'))
    if list(da['paths']) != list(db['paths']):
        raise RuntimeError('the two runs saw different test faces')
    n = len(da['paths'])
    k = PROFILE_LANDMARK if da['heatmaps'].shape[1] > PROFILE_LANDMARK else 0
    fig = Figure(figsize=(13, 3.2 * n), dpi=90)
    FigureCanvasAgg(fig)
    for i in range(n):
        ha = da['heatmaps'][i].astype(np.float32)
        hb = db['heatmaps'][i].astype(np.float32)
        ax = fig.add_subplot(n, 4, 4 * i + 1)
        ax.imshow(np.clip(da['images'][i], 0, 255).astype(np.uint8))
        ax.set_title(osp.basename(str(da['paths'][i])), fontsize=9)
        ax.axis('off')
        for j, (h, name) in enumerate(((ha, RUNGS[a][0]), (hb, RUNGS[b][0]))):
            ax = fig.add_subplot(n, 4, 4 * i + 2 + j)
            im = ax.imshow(h.max(axis=0), vmin=0, vmax=1, cmap='magma')
            peak = h.reshape(len(h), -1).max(axis=1)
            area = (h >= peak[:, None, None] / 2).reshape(len(h), -1).sum(1)
            width = 2 * np.sqrt(area / np.pi)
            ax.set_title(f'{name}: max over landmarks\nmean peak '
                         f'{peak.mean():.2f}, half-max width '
                         f'{width.mean():.1f} px', fontsize=9)
            ax.axis('off')
            fig.colorbar(im, ax=ax, fraction=0.046, pad=0.02)
        ax = fig.add_subplot(n, 4, 4 * i + 4)
        y, x = np.unravel_index(np.argmax(hb[k]), hb[k].shape)
        ax.plot(ha[k, y], label=RUNGS[a][0], color='tab:blue')
        ax.plot(hb[k, y], label=RUNGS[b][0], color='tab:red')
        ax.set_ylim(0, 1.05)
        ax.set_xlabel('heatmap x (px)')
        ax.set_title(f'landmark {k}: row {y} through its peak', fontsize=9)
        ax.legend(fontsize=8)
        ax.grid(True, alpha=0.3)
    fig.suptitle(f'Predicted landmark heatmaps, seed {seed}: {RUNGS[a][0]} '
                 f'vs {RUNGS[b][0]} (same test faces)')
    fig.tight_layout()
    fig.savefig(path)
    return True


def _log_lines(lines):
    """The logger's own lines of a run's log, without the config and
    environment dumps (the run's config is copied next to it)."""
    keep = False
    for line in lines:
        if LOG_LINE.match(line):
            keep = not line.rstrip().endswith(
                ('INFO -', 'Config:', 'following order:'))
        if keep:
            yield line


def report(args):
    from mmengine.config import Config

    rows = collect(args)
    if not rows:
        raise SystemExit('tools/ablation.py: no finished run to report')
    os.makedirs(osp.join(args.out_dir, 'logs'), exist_ok=True)
    summary = summarise(rows)
    effs = effects(summary)
    rung = next(iter(rows))
    any_cfg = _config_path(args, rung, rows[rung][0]['seed'])
    sigma = float(Config.fromfile(any_cfg).model.head.decoder.sigma)
    size = ('paper size (256 px input, 64 px heatmaps, 4 stacks)'
            if args.paper_size else
            'CPU size (128 px input, 32 px heatmaps, 2 slim stacks)')
    if args.channels is not None:
        size += f', {args.channels} channels'
    setup = dict(
        command='python tools/ablation.py ' + ' '.join(sys.argv[1:]),
        size=size, num_train=args.num_train, num_test=args.num_test,
        data_seed=args.data_seed, epochs=args.epochs, seeds=args.seeds,
        sigma=sigma, target_width=target_width(sigma), device=args.device)
    _write_json(osp.join(args.out_dir, 'ablation.json'),
                dict(setup=setup, rows=summary, effects=effs))
    write_markdown(args, summary, effs, setup,
                   osp.join(args.out_dir, 'ablation.md'))
    plot_ced(rows, summary, osp.join(args.out_dir, 'ced.png'))
    for row, name in HEATMAP_PICTURES:
        plot_heatmaps(rows, osp.join(args.out_dir,
                                     f'heatmaps_mse_vs_{name}.png'), b=row)
    for rung, runs in rows.items():
        for r in runs:
            tag = osp.join(args.out_dir, 'logs', f"{rung}_seed{r['seed']}")
            with open(_config_path(args, rung, r['seed'])) as f, \
                    open(tag + '_config.txt', 'w') as out:
                out.write(f.read().replace(ROOT + os.sep, ''))  # repo paths
            shutil.copyfile(osp.join(r['dir'], 'eval_table.txt'),
                            tag + '_test_table.txt')
            with open(osp.join(r['dir'], 'train.log')) as f, \
                    open(tag + '_train.log', 'w') as out:
                # paths relative to the repository, as in the config copy
                out.writelines(
                    line.replace(ROOT + os.sep, '')
                    for line in _log_lines(f))
    print(open(osp.join(args.out_dir, 'ablation.md')).read())
    print(f'[ablation] report in {args.out_dir}', flush=True)
    return summary


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.work_dir, exist_ok=True)
    if not args.report_only:
        import cv2
        cv2.setNumThreads(0)  # no OpenCV thread pool to inherit in a fork
        data = prepare_data(args)
        # imported once here, shared by the forked runs
        import mmpose.models  # noqa: F401
        from mmengine.runner import Runner  # noqa: F401

        import awing_mmpose  # noqa: F401
        t0 = time.perf_counter()
        for seed in args.seeds:  # all rows of a seed first: early ordering
            for rung in args.rungs:
                run_one(args, rung, seed, data)
        print(f'[ablation] runs took {time.perf_counter() - t0:.0f} s',
              flush=True)
    return report(args)


if __name__ == '__main__':
    main()
