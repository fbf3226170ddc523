#!/usr/bin/env python
"""Export the Adaptive Wing face-landmark network to ONNX and check it.

    python tools/deployment/export_onnx.py CFG CKPT --out model.onnx \
        [--input-size W H] [--opset 17] [--bake-normalization] \
        [--image face.jpg --bbox x1 y1 x2 y2]

Exported graph: backbone + head, the heatmaps of the *last* stack.

* input ``input``: (N, 3, H, W) float32 (N dynamic). By default it is the
  tensor *after* the data preprocessor: RGB when the config says
  ``bgr_to_rgb``, then (x - mean) / std (mean, std, bgr_to_rgb are stored
  in the file's metadata). With ``--bake-normalization`` the conversion is
  inside the graph and the input is a BGR 0-255 float image crop (what
  ``cv2.imread`` + ``warpAffine`` give); metadata ``normalization=baked``.
* output ``heatmaps``: (N, K + 1, h, w); the boundary map is the last
  channel.

Metadata (``onnx`` ``metadata_props``, JSON values) read by
``tools/deployment/onnx_runner.py``: num_keypoints, input_size [W, H],
heatmap_size [w, h], normalization, mean, std, bgr_to_rgb, bbox_padding,
boundary_channel, pixel_convention, refine, flip_indices.

Afterwards onnxruntime's output is compared with PyTorch's on a random input
and on a face crop (``--image``/``--bbox``, or a face drawn with OpenCV);
the max abs differences are printed and the script exits with 1 when one of
them reaches ``--atol`` (1e-4).
"""
import argparse
import json
import os
import os.path as osp
import sys

import numpy as np

HERE = osp.dirname(osp.abspath(__file__))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description='Export to ONNX and check it.')
    p.add_argument('config')
    p.add_argument('checkpoint', nargs='?', default=None,
                   help='weights (omit only to test the export itself)')
    p.add_argument('--out', default='model.onnx')
    p.add_argument('--input-size', type=int, nargs=2, metavar=('W', 'H'),
                   default=None, help="default: the config's codec input")
    p.add_argument('--opset', type=int, default=17)
    p.add_argument('--bake-normalization', action='store_true')
    p.add_argument('--image', default=None, help='a face picture to check')
    p.add_argument('--bbox', type=float, nargs=4, default=None,
                   metavar=('X1', 'Y1', 'X2', 'Y2'))
    p.add_argument('--atol', type=float, default=1e-4)
    p.add_argument('--unsafe-load', action='store_true',
                   help='unpickle the checkpoint in full (trusted files only)')
    return p.parse_args(argv)


def draw_face(size: int = 256, seed: int = 0) -> np.ndarray:
    """A frontal face drawn with OpenCV (BGR uint8, size x size): a blurred,
    shaded oval with dark eyes and brows, a bright nose ridge and a dark
    mouth, on a darker background; the face fills about 60 x 80 % of the
    picture. OpenCV's Haar frontal-face cascade finds it (tests use it)."""
    import cv2
    rng = np.random.default_rng(seed)
    s = size / 256.

    def p(x, y):
        return int(round(x * s)), int(round(y * s))

    def ax(a, b):
        return max(1, int(round(a * s))), max(1, int(round(b * s)))

    g = np.full((size, size), 70, np.float32)
    cv2.ellipse(g, p(128, 135), ax(78, 100), 0, 0, 360, 190, -1)
    for x in (95, 161):
        cv2.ellipse(g, p(x, 112), ax(20, 9), 0, 0, 360, 40, -1)    # eye
        cv2.ellipse(g, p(x, 88), ax(24, 6), 0, 0, 360, 60, -1)     # brow
    cv2.ellipse(g, p(128, 150), ax(10, 25), 0, 0, 360, 220, -1)    # nose
    cv2.ellipse(g, p(128, 172), ax(14, 5), 0, 0, 360, 130, -1)     # nostrils
    cv2.ellipse(g, p(128, 198), ax(30, 8), 0, 0, 360, 70, -1)      # mouth
    g = cv2.GaussianBlur(g, (0, 0), max(0.5, 7 * s))
    g += rng.normal(0, 2, g.shape).astype(np.float32)
    tint = np.array([0.85, 0.95, 1.1], np.float32)  # BGR skin tone
    return np.clip(g[..., None] * tint, 0, 255).astype(np.uint8)


def find_transform(pipeline, name):
    for t in pipeline:
        if str(t.get('type', '')).split('.')[-1] == name:
            return t
    return None


def export_meta(cfg, model, input_size, heatmap_size, baked: bool) -> dict:
    """The metadata written into the ONNX file (see module docstring)."""
    pre = cfg.model.get('data_preprocessor', {})
    pipeline = cfg.test_dataloader.dataset.pipeline
    center_scale = find_transform(pipeline, 'GetBBoxCenterScale')
    padding = center_scale.get('padding', 1.25) if center_scale else 1.25
    decoder = cfg.model.get('head', {}).get('decoder', None) or cfg.get(
        'codec', {})
    codec_type = str(decoder.get('type', ''))
    center = codec_type.split('.')[-1] == 'BoundaryHeatmap'
    meta = model.dataset_meta or {}
    k = int(meta.get('num_keypoints', 0)) or None
    flip = meta.get('flip_indices')
    return dict(
        num_keypoints=k,
        input_size=list(input_size),
        heatmap_size=list(heatmap_size),
        normalization='baked' if baked else 'external',
        mean=[float(v) for v in pre.get('mean', [0., 0., 0.]) or [0.] * 3],
        std=[float(v) for v in pre.get('std', [1., 1., 1.]) or [1.] * 3],
        bgr_to_rgb=bool(pre.get('bgr_to_rgb', False)),
        bbox_padding=float(padding),
        boundary_channel='last' if center else 'none',
        pixel_convention='center' if center else 'corner',
        refine=str(decoder.get('refine', 'quarter')) if center else 'quarter',
        flip_indices=[int(i) for i in flip] if flip is not None else None,
        producer='awing_mmpose tools/deployment/export_onnx.py')


def build_wrapper(model, meta: dict, baked: bool):
    import torch

    class HeatmapNet(torch.nn.Module):
        """backbone + head -> last stack's heatmaps (N, C, h, w)."""

        def __init__(self):
            super().__init__()
            self.model = model
            self.baked = baked
            self.register_buffer(
                'mean', torch.tensor(meta['mean']).view(1, 3, 1, 1))
            self.register_buffer(
                'std', torch.tensor(meta['std']).view(1, 3, 1, 1))
            self.bgr_to_rgb = meta['bgr_to_rgb']

        def forward(self, x):
            if self.baked:
                if self.bgr_to_rgb:
                    x = x.flip(1)
                x = (x - self.mean) / self.std
            out = self.model.head.forward(self.model.extract_feat(x))
            while isinstance(out, (list, tuple)):
                out = out[-1]
            return out

    return HeatmapNet().eval()


def export(wrapper, out: str, input_size, opset: int) -> None:
    import torch
    w, h = input_size
    dummy = torch.zeros(1, 3, h, w)
    kwargs = dict(
        input_names=['input'],
        output_names=['heatmaps'],
        dynamic_axes={'input': {0: 'batch'}, 'heatmaps': {0: 'batch'}},
        opset_version=opset,
        do_constant_folding=True)
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with torch.no_grad():
        try:  # TorchScript exporter: no onnxscript needed
            torch.onnx.export(wrapper, (dummy, ), out, dynamo=False, **kwargs)
        except TypeError:  # torch without the dynamo switch
            torch.onnx.export(wrapper, (dummy, ), out, **kwargs)


def add_metadata(path: str, meta: dict) -> None:
    import onnx
    m = onnx.load(path)
    del m.metadata_props[:]
    for key, value in meta.items():
        prop = m.metadata_props.add()
        prop.key = key
        prop.value = json.dumps(value)
    onnx.checker.check_model(m)
    onnx.save(m, path)


def compare(wrapper, path: str, x: np.ndarray) -> float:
    import onnxruntime as ort
    import torch
    sess = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    got = sess.run(None, {sess.get_inputs()[0].name: x})[0]
    with torch.no_grad():
        ref = wrapper(torch.from_numpy(x)).numpy()
    if got.shape != ref.shape:
        raise RuntimeError(f'export_onnx: onnxruntime output {got.shape} != '
                           f'PyTorch output {ref.shape}')
    return float(np.abs(got - ref).max())


def main(argv=None) -> int:
    args = parse_args(argv)
    import cv2
    import torch
    import awing_mmpose  # noqa: F401  (registries)
    from awing_mmpose.utils import checkpoint_loading
    from mmengine.config import Config
    from mmpose.apis import init_model
    sys.path.insert(0, HERE)
    import onnx_runner

    cfg = Config.fromfile(args.config)
    with checkpoint_loading(unsafe=args.unsafe_load or None):
        model = init_model(cfg, args.checkpoint, device='cpu').eval()
    if args.input_size:
        input_size = tuple(args.input_size)
    else:
        affine = find_transform(cfg.test_dataloader.dataset.pipeline,
                                'TopdownAffine')
        input_size = tuple(cfg.get('codec', {}).get('input_size', None)
                           or affine['input_size'])
    meta = export_meta(cfg, model, input_size, (0, 0),
                       args.bake_normalization)
    wrapper = build_wrapper(model, meta, args.bake_normalization)
    with torch.no_grad():
        hm = wrapper(torch.zeros(1, 3, input_size[1], input_size[0]))
    meta['heatmap_size'] = [int(hm.shape[3]), int(hm.shape[2])]
    if meta['num_keypoints'] is None:
        meta['num_keypoints'] = int(hm.shape[1]) - (
            1 if meta['boundary_channel'] == 'last' else 0)

    export(wrapper, args.out, input_size, args.opset)
    add_metadata(args.out, meta)
    print(f'export_onnx: wrote {args.out}: input (N, 3, {input_size[1]}, '
          f'{input_size[0]}) [{meta["normalization"]} normalisation], '
          f'output (N, {hm.shape[1]}, {hm.shape[2]}, {hm.shape[3]})')

    rng = np.random.default_rng(0)
    if args.bake_normalization:
        x_rand = rng.uniform(0, 255, (1, 3, input_size[1], input_size[0]))
    else:
        x_rand = rng.standard_normal((1, 3, input_size[1], input_size[0]))
    diff_rand = compare(wrapper, args.out, x_rand.astype(np.float32))

    if args.image:
        img = cv2.imread(args.image, cv2.IMREAD_COLOR)
        if img is None:
            raise FileNotFoundError(f'export_onnx: cannot read {args.image}')
        source = args.image
    else:
        img = draw_face(256)
        source = 'a face drawn with OpenCV'
    bbox = args.bbox or [0, 0, img.shape[1], img.shape[0]]
    x_face, _, _ = onnx_runner.preprocess(img, bbox, meta)
    diff_face = compare(wrapper, args.out, x_face)
    print(f'export_onnx: max |onnxruntime - PyTorch| = {diff_rand:.3e} '
          f'(random input), {diff_face:.3e} (face crop of {source})')
    if max(diff_rand, diff_face) >= args.atol:
        print(f'export_onnx: FAILED: difference >= {args.atol}',
              file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
