"""Training / inference speed and memory of a config's model, as ratios
against a baseline built in the same process.

    python tools/benchmarks/benchmark_model.py [CONFIG] [--device cuda]
        [--batch-size 16] [--iters 20] [--warmup 5] [--amp]

Baseline: the same stacked hourglass without CoordConv and without boundary
coordinates, trained with MMPose's ``AdaptiveWingLoss`` (no loss map) — so the
ratios are the cost of the paper's additions. Also times the loss alone
(Weighted Loss Map x AWing vs MMPose's AWing). Prints figures; asserts
nothing.
"""
import argparse
import copy
import time

import awing_mmpose  # noqa: F401
import numpy as np
import torch
from awing_mmpose.utils import load_config
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData, PixelData
from mmpose.registry import KEYPOINT_CODECS, MODELS
from mmpose.structures import PoseDataSample


def make_batch(codec_cfg, num_kpts, batch_size, device, curves):
    codec = KEYPOINT_CODECS.build(codec_cfg)
    w, h = codec.input_size
    rng = np.random.default_rng(0)
    samples = []
    for _ in range(batch_size):
        kpts = rng.uniform(0.2 * w, 0.8 * w, (1, num_kpts, 2))
        enc = codec.encode(kpts, np.ones((1, num_kpts)),
                           boundary_curves=curves)
        ds = PoseDataSample()
        fields = dict(heatmaps=torch.from_numpy(enc['heatmaps']))
        if 'foreground_mask' in enc:
            fields['foreground_mask'] = torch.from_numpy(
                enc['foreground_mask'])
        ds.gt_fields = PixelData(**fields).to(device)
        ds.gt_instance_labels = InstanceData(
            keypoint_weights=torch.from_numpy(
                enc['keypoint_weights'])).to(device)
        ds.set_metainfo(dict(input_size=(w, h), flip_indices=list(
            range(num_kpts))))
        samples.append(ds)
    inputs = torch.rand(batch_size, 3, h, w, device=device)
    return inputs, samples


def sync(device):
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def time_train(model, inputs, samples, iters, warmup, device, amp):
    model.train()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-4)
    dtype = torch.bfloat16 if amp else None
    for i in range(warmup + iters):
        if i == warmup:
            sync(device)
            if device.startswith('cuda'):
                torch.cuda.reset_peak_memory_stats()
            start = time.perf_counter()
        with torch.autocast(device.split(':')[0], dtype=dtype, enabled=amp):
            feats = model.extract_feat(inputs)
            losses = model.head.loss(feats, samples, {'compute_acc': False})
        opt.zero_grad()
        losses['loss_kpt'].float().backward()
        opt.step()
    sync(device)
    per_iter = (time.perf_counter() - start) / iters
    mem = (torch.cuda.max_memory_allocated() / 2**30
           if device.startswith('cuda') else float('nan'))
    return per_iter, mem


@torch.no_grad()
def time_infer(model, inputs, iters, warmup, device):
    model.eval()
    for i in range(warmup + iters):
        if i == warmup:
            sync(device)
            start = time.perf_counter()
        model.extract_feat(inputs[:1])
    sync(device)
    return (time.perf_counter() - start) / iters


def time_loss(loss, pred, target, iters, device):
    pred = pred.clone().requires_grad_()
    for i in range(3 + iters):
        if i == 3:
            sync(device)
            start = time.perf_counter()
        loss(pred, target, None).backward()
    sync(device)
    return (time.perf_counter() - start) / iters


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', nargs='?', default='configs/awing_wflw.py')
    parser.add_argument(
        '--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--iters', type=int, default=20)
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument('--amp', action='store_true', help='bf16 autocast')
    parser.add_argument('--cfg-options', nargs='*', default=[])
    args = parser.parse_args(argv)
    opts = dict(o.split('=', 1) for o in args.cfg_options)
    opts = {k: eval(v) for k, v in opts.items()}  # numbers / tuples
    cfg = load_config(args.config, opts)
    init_default_scope('mmpose')
    torch.manual_seed(0)
    device = args.device

    full_cfg = copy.deepcopy(cfg.model)
    base_cfg = copy.deepcopy(cfg.model)
    base_cfg.backbone.update(
        with_coord=False, with_radius=False, boundary_coords=False)
    base_cfg.head.loss = dict(type='AdaptiveWingLoss')
    num_heatmaps = full_cfg.backbone.num_heatmaps
    codec_cfg = full_cfg.head.decoder
    from awing_mmpose.codecs.utils import load_boundary_curves
    curves = load_boundary_curves(cfg.train_dataloader.dataset.get(
        'layout', 'wflw'))
    num_kpts = num_heatmaps - 1
    inputs, samples = make_batch(codec_cfg, num_kpts, args.batch_size, device,
                                 curves)

    rows = []
    for name, mcfg in (('baseline hourglass + MMPose AWing', base_cfg),
                       ('AWing method (config)', full_cfg)):
        model = MODELS.build(mcfg).to(device)
        params = sum(p.numel() for p in model.parameters())
        train_s, mem = time_train(model, inputs, samples, args.iters,
                                  args.warmup, device, args.amp)
        infer_s = time_infer(model, inputs, args.iters, args.warmup, device)
        rows.append((name, params, train_s, mem, infer_s))
        del model
    print(f'config {args.config} | device {device} '
          f'({torch.cuda.get_device_name() if device.startswith("cuda") else "cpu"})'
          f' | batch {args.batch_size} | amp {args.amp} | torch '
          f'{torch.__version__}')
    print(f'{"model":<36}{"params":>12}{"train s/it":>12}{"img/s":>9}'
          f'{"peak GiB":>10}{"infer ms (bs1)":>16}')
    for name, params, train_s, mem, infer_s in rows:
        print(f'{name:<36}{params:>12,}{train_s:>12.4f}'
              f'{args.batch_size / train_s:>9.1f}{mem:>10.2f}'
              f'{1000 * infer_s:>16.2f}')
    b, f = rows
    print(f'ratio method / baseline: train {f[2] / b[2]:.3f}x, '
          f'inference {f[4] / b[4]:.3f}x')

    if device.startswith('cuda'):
        # the same weights on the CPU and the GPU give the same heatmaps
        model = MODELS.build(full_cfg).eval()
        x = inputs[:2].float().cpu()
        torch.backends.cudnn.allow_tf32 = False  # compare in true fp32
        with torch.no_grad():
            cpu_out = model.extract_feat(x)[-1]
            gpu_out = model.to(device).extract_feat(x.to(device))[-1].cpu()
        print(f'CPU vs GPU, last-stack heatmaps (eval, fp32): max abs diff '
              f'{(cpu_out - gpu_out).abs().max().item():.2e} (values up to '
              f'{cpu_out.abs().max().item():.2f})')

    from mmpose.models.losses import AdaptiveWingLoss as MMPoseAWing
    target = torch.stack([s.gt_fields.heatmaps for s in samples])
    pred = torch.rand_like(target)
    ours = MODELS.build(full_cfg.head.loss).to(device)
    t_ref = time_loss(MMPoseAWing().to(device), pred, target, args.iters,
                      device)
    t_ours = time_loss(ours, pred, target, args.iters, device)
    print(f'loss fwd+bwd on {tuple(target.shape)}: MMPose AWing '
          f'{1000 * t_ref:.2f} ms, WeightedLossMap(AWing) '
          f'{1000 * t_ours:.2f} ms, ratio {t_ours / t_ref:.3f}x')


if __name__ == '__main__':
    main()
