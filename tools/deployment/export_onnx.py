#!/usr/bin/env python
"""Export the Adaptive Wing face-landmark network to ONNX and check it.

    python tools/deployment/export_onnx.py CFG CKPT --out model.onnx \
        [--input-size W H] [--opset 17] [--bake-normalization] \
        [--image face.jpg --bbox x1 y1 x2 y2]

The command line of :func:`awing_mmpose.deployment.export_onnx` (graph,
normalisation and metadata: see :mod:`awing_mmpose.deployment.onnx_export`
and docs/deployment.md). Afterwards onnxruntime's output is compared with
PyTorch's on a random input and on a face crop (``--image``/``--bbox``, or
a face drawn with OpenCV; :func:`awing_mmpose.deployment.check_export`);
the max abs differences are printed and the script exits with 1 when one of
them reaches ``--atol`` (1e-4).
"""
import argparse
import sys


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


def main(argv=None) -> int:
    args = parse_args(argv)
    import cv2
    from mmengine.config import Config
    from mmpose.apis import init_model

    from awing_mmpose.deployment import check_export, export_onnx
    from awing_mmpose.utils import checkpoint_loading

    cfg = Config.fromfile(args.config)
    with checkpoint_loading(unsafe=args.unsafe_load or None):
        model = init_model(cfg, args.checkpoint, device='cpu').eval()
    meta = export_onnx(model, args.out, cfg, args.input_size, args.opset,
                       args.bake_normalization)
    (w, h), (hw, hh) = meta['input_size'], meta['heatmap_size']
    c = meta['num_keypoints'] + (meta['boundary_channel'] == 'last')
    print(f'export_onnx: wrote {args.out}: input (N, 3, {h}, {w}) '
          f'[{meta["normalization"]} normalisation], output (N, {c}, {hh}, '
          f'{hw})')

    img, source = None, 'a face drawn with OpenCV'
    if args.image:
        img = cv2.imread(args.image, cv2.IMREAD_COLOR)
        if img is None:
            raise FileNotFoundError(f'export_onnx: cannot read {args.image}')
        source = args.image
    diff = check_export(model, args.out, img, args.bbox)
    print(f'export_onnx: max |onnxruntime - PyTorch| = {diff["random"]:.3e} '
          f'(random input), {diff["face"]:.3e} (face crop of {source})')
    if max(diff.values()) >= args.atol:
        print(f'export_onnx: FAILED: difference >= {args.atol}',
              file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
