#!/usr/bin/env python
"""Run an exported Adaptive Wing face-landmark network with onnxruntime and
OpenCV only (no torch, no MMPose).

    python tools/deployment/onnx_runner.py model.onnx face.jpg \
        --bbox x1 y1 x2 y2 [--out out.jpg] [--json out.json]

The command line of :func:`awing_mmpose.deployment.predict_landmarks` (the
pipeline: :mod:`awing_mmpose.deployment.onnx_runner`, docs/deployment.md);
it imports numpy, OpenCV, onnxruntime and ``awing_mmpose.deployment``'s
runner only.
"""
import argparse
import json
import os.path as osp
import sys

import cv2

from awing_mmpose.deployment.onnx_runner import (draw_landmarks,
                                                 predict_landmarks)
from awing_mmpose.deployment.onnx_session import OnnxHeatmapSession


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('model', help='exported .onnx file')
    p.add_argument('image')
    p.add_argument(
        '--bbox',
        type=float,
        nargs=4,
        metavar=('X1', 'Y1', 'X2', 'Y2'),
        help='face box in image pixels (default: the whole image)')
    p.add_argument('--out', default=None, help='annotated picture')
    p.add_argument('--json', default=None, help='landmarks as JSON')
    p.add_argument('--kpt-thr', type=float, default=-1.0)
    args = p.parse_args(argv)

    img = cv2.imread(args.image, cv2.IMREAD_COLOR)
    if img is None:
        raise FileNotFoundError(f'onnx_runner: cannot read image '
                                f'{args.image}')
    bbox = args.bbox or [0, 0, img.shape[1], img.shape[0]]
    session = OnnxHeatmapSession(args.model)
    kpts, scores, _ = predict_landmarks(session, img, bbox)
    out = args.out or osp.splitext(args.image)[0] + '_onnx.jpg'
    cv2.imwrite(out, draw_landmarks(img, kpts, bbox, scores, args.kpt_thr))
    result = dict(
        bbox=[float(v) for v in bbox],
        keypoints=kpts.tolist(),
        keypoint_scores=scores.tolist())
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(result, f, indent=1)
    print(f'onnx_runner: {len(kpts)} landmarks, mean score '
          f'{float(scores.mean()):.3f}; picture {out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
