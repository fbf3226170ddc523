"""Training and inference speed, as ratios against baselines measured in the
same process; prints one table and writes it as JSON.

    python tools/benchmarks/speed.py [--device cpu|cuda] [--data-root DIR]
        [--sections target,pipeline,runner,inference,loss] [--json OUT]
        [--quick]

Sections (baseline in brackets):

* ``loss``: ``WeightedLossMap(AdaptiveWingLoss)`` forward + backward over 4
  stacks of (16, 99, 64, 64) float32, weight map included [MMPose's
  unweighted ``AdaptiveWingLoss``; also the same weighted loss through
  autograd, and PyTorch's MSE]: time and peak memory. CPU memory: the rise of
  the process's peak resident size during the call, with glibc's mmap
  threshold pinned so that every large tensor is mapped and unmapped; CUDA:
  ``max_memory_allocated``.
* ``target``: ``BoundaryHeatmap.encode`` (98 Gaussians, boundary, mask) at
  256 / 64 per sample [the plain definitions: dense Gaussians, one FITPACK
  spline per curve, SciPy's dilation].
* ``pipeline``: samples/s of ``configs/awing_wflw.py``'s training pipeline
  at 256 px in this one process (one worker) and the time of each transform
  [the same pipeline with the plain target drawing].
* ``runner``: the demo config's iteration time through MMEngine's runner,
  as ``tools/train.py`` builds it, with the config's loader settings and
  with others [its bare model step: ``train_step`` (forward, backward,
  optimizer step) on one fixed batch].
* ``inference``: batch-1 latency of the exported network in ONNX Runtime
  [PyTorch eager], demo and paper configs.

``--data-root``: a WFLW-layout data set converted with
``tools/dataset_converters/wflw2coco.py``; without it, 300 synthetic faces
are generated and converted into a temporary folder first. Not part of the
tests; asserts nothing about speed.
"""
import argparse
import copy
import ctypes
import datetime
import json
import os
import os.path as osp
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


# -- measuring --------------------------------------------------------------
class Meter:
    """Wall time (median of ``repeat``) and peak memory of a callable."""

    def __init__(self, device: str):
        self.device = device
        self.cuda = device.startswith('cuda')
        self.pinned = False

    def pin_mmap_threshold(self):
        """Let glibc map every block >= 128 KiB and unmap it when freed, so
        that the peak resident size follows the tensors allocated. Slows
        later numpy code (page faults): the loss section runs last."""
        if not self.cuda and sys.platform.startswith('linux'):
            try:  # M_MMAP_THRESHOLD
                ctypes.CDLL('libc.so.6').mallopt(-3, 128 * 1024)
                self.pinned = True
            except OSError:
                pass

    def sync(self):
        if self.cuda:
            torch.cuda.synchronize()

    def time(self, fn, repeat=5, warmup=1, clock=time.perf_counter):
        """Median seconds of ``fn``; ``clock=time.thread_time`` counts only
        this thread's CPU time (one-core work on a shared machine)."""
        for _ in range(warmup):
            fn()
        times = []
        for _ in range(repeat):
            self.sync()
            start = clock()
            fn()
            self.sync()
            times.append(clock() - start)
        return statistics.median(times)

    def peak_bytes(self, fn):
        """Peak memory allocated during ``fn`` above what was allocated
        before it."""
        if self.cuda:
            self.sync()
            before = torch.cuda.memory_allocated()
            torch.cuda.reset_peak_memory_stats()
            fn()
            self.sync()
            return torch.cuda.max_memory_allocated() - before
        if not self.pinned or not osp.exists('/proc/self/status'):
            return float('nan')
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')  # reset the peak resident size
        before = _proc_kib('VmRSS:')
        fn()
        return (_proc_kib('VmHWM:') - before) * 1024


def _proc_kib(key):
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1])
    return 0


class Table:

    def __init__(self):
        self.rows = []

    def add(self, section, what, value, unit, ratio=None, baseline=None):
        self.rows.append(
            dict(section=section, what=what, value=value, unit=unit,
                 ratio=ratio, baseline=baseline))
        r = f'{ratio:.3f} x {baseline}' if ratio is not None else ''
        print(f'  {what:<58} {value:>10.4g} {unit:<9} {r}', flush=True)


# -- sections ---------------------------------------------------------------
def bench_loss(t: Table, meter: Meter, args):
    import torch.nn.functional as F
    from mmpose.models.losses import AdaptiveWingLoss as MMPoseAWing

    from awing_mmpose.models.losses import (WeightedLossMap, adaptive_wing,
                                            loss_map_mask)
    print('[loss] forward + backward, 4 stacks x (16, 99, 64, 64) float32')
    meter.pin_mmap_threshold()
    shape = (4, 99, 64, 64) if args.quick else (16, 99, 64, 64)
    dev = args.device
    g = torch.Generator().manual_seed(0)
    target = (torch.rand(shape, generator=g)**8).to(dev)
    codec_mask = loss_map_mask(target)
    tw = torch.ones(shape[:2], device=dev)
    preds = [
        torch.rand(shape, generator=g).to(dev).requires_grad_()
        for _ in range(4)
    ]
    mmpose_awing = MMPoseAWing()
    ours = WeightedLossMap(use_target_weight=True)
    mse = torch.nn.MSELoss()

    def autograd_wlm(p):  # the weighted loss before the closed-form node
        mask = (F.max_pool2d(target, 3, 1, 1) >= 0.2).float()
        return (adaptive_wing(p, target) * (mask * 10 + 1) *
                tw[..., None, None]).mean()

    cases = [
        ("MMPose's AdaptiveWingLoss (unweighted)",
         lambda p: mmpose_awing(p, target, tw)),
        ('WeightedLossMap(AWing), M from the target',
         lambda p: ours(p, target, tw)),
        ("WeightedLossMap(AWing), the codec's M",
         lambda p: ours(p, target, tw, mask=codec_mask)),
        ('weighted AWing through autograd (before)', autograd_wlm),
        ('MSELoss (unweighted)', lambda p: mse(p, target)),
    ]
    res = {}
    for name, loss in cases:

        def step(loss=loss):
            for p in preds:
                p.grad = None
            sum(loss(p) for p in preds).backward()

        sec = meter.time(step, repeat=3 if args.quick else 5)
        for p in preds:
            p.grad = None
        mem = meter.peak_bytes(step)
        if 'codec' in name:  # the mask is part of this loss's memory
            mem += codec_mask.numel() * codec_mask.element_size()
        res[name] = (sec, mem)
    base_t, base_m = res[cases[0][0]]
    mse_t = res[cases[-1][0]][0]
    for name, (sec, mem) in res.items():
        t.add('loss', f'{name}: time', sec * 1e3, 'ms', sec / base_t,
              'MMPose AWing')
        t.add('loss', f'{name}: peak memory', mem / 2**20, 'MiB',
              mem / base_m, 'MMPose AWing')
    for name in (cases[1][0], cases[2][0]):
        t.add('loss', f'{name}: time', res[name][0] * 1e3, 'ms',
              res[name][0] / mse_t, 'MSE')


def face_keypoints(data_root, num, input_size=256):
    """Landmarks of the data set's faces in the input crop (1, 98, 2)."""
    with open(osp.join(data_root, 'annotations',
                       'face_landmarks_wflw_train.json')) as f:
        anns = json.load(f)['annotations'][:num]
    out = []
    for a in anns:
        k = np.array(a['keypoints'], np.float64).reshape(-1, 3)[:, :2]
        x, y, w, h = a['bbox']
        s = max(w, h) * 1.1
        cx, cy = x + w / 2, y + h / 2
        out.append(((k - [cx - s / 2, cy - s / 2]) * input_size / s)[None])
    return out


def _plain_codec_functions():
    """The codec module's drawing functions replaced by the plain ones."""
    import awing_mmpose.codecs.boundary_heatmap as codec_module
    import awing_mmpose.codecs.utils.plain_targets as plain

    def gaussians(points, visible, size, sigma, truncate=3.):
        return plain.dense_gaussians(points, visible, size, sigma, truncate)

    def boundary(points, visible, curves, size, sigma=1., num=100):
        return plain.plain_boundary(points, visible, curves, size, sigma, num)

    return codec_module, dict(
        gaussian_heatmaps=gaussians,
        boundary_heatmap=boundary,
        dilated_mask=plain.plain_mask)


class plain_targets_patched:
    """Context: the codec draws with the plain definitions."""

    def __enter__(self):
        self.module, funcs = _plain_codec_functions()
        self.saved = {k: getattr(self.module, k) for k in funcs}
        for k, f in funcs.items():
            setattr(self.module, k, f)

    def __exit__(self, *exc):
        for k, f in self.saved.items():
            setattr(self.module, k, f)


def bench_target(t: Table, meter: Meter, args):
    from awing_mmpose.codecs import BoundaryHeatmap
    print('[target] BoundaryHeatmap.encode, 98 points, 256 -> 64, per sample')
    codec = BoundaryHeatmap(boundary_curves='wflw')
    kpts = face_keypoints(args.data_root, 50 if args.quick else 200)
    vis = np.ones((1, 98), np.float32)

    def run():
        for k in kpts:
            codec.encode(k, vis)

    torch.set_num_threads(1)
    cv2_threads = _cv2_threads(1)  # as in data workers (MMEngine sets 0)
    cpu = time.thread_time
    run()  # warm-up
    # alternate the two so that both see the same load; the best round
    fast, plain = [], []
    for _ in range(3 if args.quick else 5):
        fast.append(meter.time(run, repeat=1, warmup=0, clock=cpu))
        with plain_targets_patched():
            plain.append(meter.time(run, repeat=1, warmup=0, clock=cpu))
    fast, plain = min(fast) / len(kpts), min(plain) / len(kpts)
    torch.set_num_threads(args.threads)
    _cv2_threads(cv2_threads)
    t.add('target', 'plain definitions (before), CPU time', plain * 1e3,
          'ms/sample')
    t.add('target', 'windowed Gaussians + batched splines, CPU time',
          fast * 1e3, 'ms/sample', fast / plain, 'before')


def build_cfg(config, data_root, **extra):
    from awing_mmpose.utils import load_config
    opts = {} if data_root is None else {
        'train_dataloader.dataset.data_root': data_root.rstrip('/') + '/',
        'val_dataloader.dataset.data_root': data_root.rstrip('/') + '/',
        'test_dataloader.dataset.data_root': data_root.rstrip('/') + '/',
    }
    opts.update(extra)
    return load_config(osp.join(ROOT, config), opts)


def bench_pipeline(t: Table, meter: Meter, args):
    from mmengine.registry import init_default_scope
    from mmpose.registry import DATASETS
    print('[pipeline] configs/awing_wflw.py training pipeline, 256 px, '
          'one process')
    init_default_scope('mmpose')
    cfg = build_cfg('configs/awing_wflw.py', args.data_root)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    n = min(len(dataset), 40 if args.quick else 100)
    spent = {}
    for tr in dataset.pipeline.transforms:
        name = type(tr).__name__
        call = tr.transform if hasattr(tr, 'transform') else tr.__call__

        def timed(results, call=call, name=name):
            start = time.thread_time()
            out = call(results)
            spent[name] = spent.get(name, 0.) + time.thread_time() - start
            return out

        if hasattr(tr, 'transform'):
            tr.transform = timed
    cv2_threads = _cv2_threads(1)
    torch.set_num_threads(1)

    def run():
        for i in range(n):
            dataset[i]

    run()  # warm-up (file cache)
    # alternate the two so that both see the same load; the best round
    rounds = []
    for _ in range(3):
        spent.clear()
        wall = meter.time(run, repeat=1, warmup=0) / n
        fast_round = (sum(spent.values()) / n, wall,
                      {k: v / n for k, v in spent.items()})
        spent.clear()
        with plain_targets_patched():
            plain_wall = meter.time(run, repeat=1, warmup=0) / n
        rounds.append(fast_round + (sum(spent.values()) / n, plain_wall))
    fast, wall, per, _, _ = min(rounds, key=lambda r: r[0])
    plain = min(r[3] for r in rounds)
    plain_wall = min(r[4] for r in rounds)
    wall = min(r[1] for r in rounds)
    torch.set_num_threads(args.threads)
    _cv2_threads(cv2_threads)
    t.add('pipeline', 'with the plain target drawing (before), CPU time',
          1 / plain, 'samples/s')
    t.add('pipeline', 'now, CPU time', 1 / fast, 'samples/s', plain / fast,
          'before')
    t.add('pipeline', 'with the plain target drawing (before), wall',
          1 / plain_wall, 'samples/s')
    t.add('pipeline', 'now, wall', 1 / wall, 'samples/s', plain_wall / wall,
          'before')
    for name, sec in per.items():
        t.add('pipeline', f'  {name}, CPU time', sec * 1e3, 'ms/sample',
              sec / fast, 'the whole pipeline')


def _cv2_threads(n):
    import cv2
    old = cv2.getNumThreads()
    cv2.setNumThreads(n)
    return old


def bench_runner(t: Table, meter: Meter, args):
    from mmengine.hooks import Hook
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner
    print('[runner] configs/awing_demo.py through the runner vs its model '
          'step')
    iters = 8 if args.quick else 16
    works = tempfile.mkdtemp(prefix='awing_bench_runner_')

    class IterClock(Hook):
        """Wall time between consecutive ends of training iterations."""

        def __init__(self):
            self.stamps = []

        def after_train_iter(self, runner, batch_idx, data_batch=None,
                             outputs=None):
            self.stamps.append(time.perf_counter())
            if len(self.stamps) >= iters + 3:
                raise _Enough()

    def run(name, **opts):
        work = tempfile.mkdtemp(dir=works)
        cfg = build_cfg('configs/awing_demo.py', args.data_root,
                        **{'work_dir': work, **opts})
        cfg.train_cfg.max_epochs = 100
        cfg.default_hooks.checkpoint = dict(type='CheckpointHook',
                                            interval=10**6)
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
        cfg.launcher = 'none'
        init_default_scope('mmpose')
        runner = Runner.from_cfg(cfg)
        clock = IterClock()
        runner.register_hook(clock, priority='LOWEST')
        try:
            runner.train()
        except _Enough:
            pass
        gaps = np.diff(clock.stamps[2:])  # after 2 warm-up iterations
        return runner, float(np.median(gaps))

    def measure(name, **opts):
        """Runner iteration and, right after it (same load), the bare model
        step on one batch of the same loader."""
        runner, sec = run(name, **opts)
        model, optim = runner.model, runner.optim_wrapper
        batch = next(iter(runner.train_dataloader))
        step = meter.time(lambda: model.train_step(batch, optim),
                          repeat=iters)
        return runner, sec, step, model, batch, optim

    runner, sec, step, model, batch, optim = measure('config')
    model.train_cfg = dict(compute_acc=False)
    step_noacc = meter.time(lambda: model.train_step(batch, optim),
                            repeat=iters)
    loader = runner.cfg.train_dataloader
    del runner, model, batch, optim
    t.add('runner', 'bare model step (train_step on one batch)', step * 1e3,
          'ms/iter')
    t.add('runner', '  ... without the per-iteration accuracy',
          step_noacc * 1e3, 'ms/iter', step_noacc / step, 'model step')
    persistent = loader.get('persistent_workers')
    t.add('runner', f'runner, config loader (num_workers='
          f'{loader.num_workers}, persistent={persistent})', sec * 1e3, 'ms/iter', sec / step, 'model step')
    variants = [
        ('runner, num_workers=0', {'train_dataloader.num_workers': 0,
                                   'train_dataloader.persistent_workers':
                                   False}),
        ('runner, compute_acc=False', {'model.train_cfg': dict(
            compute_acc=False)}),
        ('runner, pin_memory=True', {'train_dataloader.pin_memory': True}),
        ('runner, logger interval 1000', {
            'default_hooks.logger.interval': 1000}),
    ]
    for name, opts in (variants[:2] if args.quick else variants):
        runner, sec, step, *_ = measure(name, **opts)
        del runner, _
        t.add('runner', f'{name} (model step {step * 1e3:.0f} ms)', sec * 1e3,
              'ms/iter', sec / step, 'its model step')
    shutil.rmtree(works, ignore_errors=True)


class _Enough(Exception):
    pass


def bench_inference(t: Table, meter: Meter, args):
    from mmpose.apis import init_model

    from awing_mmpose.deployment import OnnxHeatmapSession, export_onnx
    from awing_mmpose.deployment.onnx_export import HeatmapNet
    if not args.quick:  # first: the paper-size network below slows it
        bench_inferencer(t, meter, args)
    print('[inference] batch 1, exported network: ONNX Runtime vs PyTorch '
          'eager')
    from awing_mmpose.pretrained import pretrained_files
    configs = ['configs/awing_demo.py']
    if not args.quick:
        configs += [osp.relpath(pretrained_files()[0], ROOT),
                    'configs/awing_wflw.py']
    for config in configs:
        cfg = build_cfg(config, args.data_root)
        torch.manual_seed(0)
        model = init_model(cfg, None, device='cpu').eval()
        size = tuple(cfg.codec.input_size)
        path = osp.join(tempfile.mkdtemp(prefix='awing_onnx_'), 'm.onnx')
        meta = export_onnx(model, path, cfg, size)
        wrapper = HeatmapNet.from_meta(model, meta).eval()
        x = torch.randn(1, 3, size[1], size[0])
        sess = OnnxHeatmapSession(path, args.threads)
        feed = x.numpy()
        repeat = 3 if config.endswith('configs/awing_wflw.py') else 10
        wrapper = wrapper.to(args.device)
        xd = x.to(args.device)
        with torch.no_grad():
            eager = meter.time(lambda: wrapper(xd), repeat=repeat)
            diff = float((wrapper(xd).cpu() -
                          torch.from_numpy(sess.run(feed))).abs().max())
        onnx = meter.time(lambda: sess.run(feed), repeat=repeat)
        name = osp.basename(config)
        del sess
        shutil.rmtree(osp.dirname(path), ignore_errors=True)
        t.add('inference', f'{name}: PyTorch eager ({args.device})',
              eager * 1e3, 'ms')
        t.add('inference', f'{name}: ONNX Runtime (CPU), max |diff| '
              f'{diff:.1e}', onnx * 1e3, 'ms', onnx / eager, 'eager')


def bench_inferencer(t: Table, meter: Meter, args):
    """The shipped model through the package's inferencer, one given box
    per call (crop, network, decoding): without and with its test-time
    flip, PyTorch eager and ONNX Runtime (CPU)."""
    from awing_mmpose.apis import init_face_inferencer
    from awing_mmpose.deployment import export_onnx, use_onnxruntime
    print('[inference] the shipped model per face through the inferencer '
          '(given box): test-time flip off / on')
    img = np.random.default_rng(0).integers(0, 256, (480, 640, 3), np.uint8)
    box = [np.array([[200., 120., 380., 330.]], dtype=np.float32)]
    tmp = tempfile.mkdtemp(prefix='awing_onnx_')
    base = None
    for backend in ('pytorch', 'onnxruntime'):
        inf = init_face_inferencer(None, None, det_model='whole_image',
                                   device=args.device)
        if backend == 'onnxruntime':
            path = osp.join(tmp, 'm.onnx')
            export_onnx(inf.model, path, inf.cfg)
            use_onnxruntime(inf.model, path, args.threads)
        for flip in (False, True):
            inf.model.test_cfg['flip_test'] = flip
            sec = meter.time(
                lambda: next(inf(img, bboxes=box, return_datasamples=True)),
                repeat=20, warmup=3)
            base = base or sec
            t.add('inference', f'shipped model per face, {backend}, flip '
                  f'{"on" if flip else "off"}', sec * 1e3, 'ms', sec / base,
                  'pytorch, flip off')
    shutil.rmtree(tmp, ignore_errors=True)


# the loss section changes glibc's allocation policy: it runs last
SECTIONS = dict(target=bench_target, pipeline=bench_pipeline,
                runner=bench_runner, inference=bench_inference,
                loss=bench_loss)


def make_data(root):
    py = sys.executable
    print(f'[data] 300 synthetic faces -> {root}', flush=True)
    subprocess.run([
        py, 'tools/misc/generate_synthetic_faces.py', '--out-dir', root,
        '--num-train', '300', '--num-test', '50', '--seed', '0'
    ], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([
        py, 'tools/dataset_converters/wflw2coco.py', '--ann-dir',
        osp.join(root, 'WFLW_annotations'), '--img-dir',
        osp.join(root, 'WFLW_images'), '--out-dir',
        osp.join(root, 'annotations'), '--no-progress'
    ], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--device', default='cpu', help='cpu or cuda')
    p.add_argument('--data-root', default=None)
    p.add_argument('--sections', default=','.join(SECTIONS))
    p.add_argument('--json', default='work_dirs/benchmarks/speed.json')
    p.add_argument('--threads', type=int, default=torch.get_num_threads())
    p.add_argument('--quick', action='store_true',
                   help='smaller shapes and fewer repeats (a smoke run)')
    args = p.parse_args(argv)
    import awing_mmpose  # noqa: F401
    os.chdir(ROOT)
    sections = [s.strip() for s in args.sections.split(',') if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        p.error(f'unknown sections {sorted(unknown)}; choose from '
                f'{list(SECTIONS)}')
    if args.device.startswith('cuda') and not torch.cuda.is_available():
        p.error('--device cuda: no GPU visible to PyTorch')
    if args.data_root is None and {'target', 'pipeline', 'runner'} & set(
            sections):
        args.data_root = tempfile.mkdtemp(prefix='awing_bench_data_')
        make_data(args.data_root)
    torch.set_num_threads(args.threads)
    meter = Meter(args.device)
    table = Table()
    machine = (torch.cuda.get_device_name() if meter.cuda else
               f'{platform.processor() or platform.machine()}, '
               f'{os.cpu_count()} CPUs')
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime(
        '%Y-%m-%d %H:%M UTC')
    print(f'awing-mmpose speed | {args.device} ({machine}) | torch '
          f'{torch.__version__} | {args.threads} threads | {stamp}')
    for s in sections:
        SECTIONS[s](table, meter, args)
    out = dict(device=args.device, machine=machine, torch=torch.__version__,
               threads=args.threads, date=stamp, quick=args.quick,
               command=' '.join([osp.relpath(__file__, ROOT)] +
                                (argv if argv is not None else sys.argv[1:])),
               rows=table.rows)
    if args.json:
        os.makedirs(osp.dirname(osp.abspath(args.json)), exist_ok=True)
        with open(args.json, 'w') as f:
            json.dump(out, f, indent=1)
        print(f'wrote {args.json}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
