#!/usr/bin/env python
"""Landmarks on real photographs, as one picture: each face found by the
detector, cropped and drawn side by side.

    python tools/analysis/real_face_gallery.py [CONFIG [CHECKPOINT]] \
        [--images A.jpg B.png ...] [--out real_faces.png] [--size 256]

Without a config, the pretrained model shipped with the package is drawn.
Without ``--images``, three public-domain portraits that install with this
project's dependencies are used: scikit-image's ``astronaut`` (NASA) and
``camera`` (the cameraman) and matplotlib's ``grace_hopper`` (US Navy); none
of them has landmark labels, and none is used for training. Each face is
found by the offline MTCNN detector (the best-scored face per picture),
cropped with a margin and drawn with its 98 landmarks coloured by facial
part.
"""
import argparse
import os
import os.path as osp
import sys
from typing import List

import cv2
import numpy as np

def package_file(package: str, *parts: str) -> str:
    from awing_mmpose.utils.package_data import installed_package_dir
    path = installed_package_dir(package, *parts)
    if path is None:
        raise FileNotFoundError(f'package {package} is not installed')
    return path


def default_images() -> List[str]:
    return [package_file('skimage', 'data', 'astronaut.png'),
            package_file('matplotlib', 'mpl-data', 'sample_data',
                         'grace_hopper.jpg'),
            package_file('skimage', 'data', 'camera.png')]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config', nargs='?', default=None)
    p.add_argument('checkpoint', nargs='?', default=None)
    p.add_argument('--images', nargs='+', default=None)
    p.add_argument('--out', default=osp.join('outputs', 'real_faces.png'))
    p.add_argument('--size', type=int, default=256, help='tile side (px)')
    p.add_argument('--margin', type=float, default=0.35,
                   help='crop margin around the box, fraction of its side')
    p.add_argument('--device', default='cpu')
    return p.parse_args(argv)


def main(argv=None) -> int:
    import awing_mmpose  # noqa: F401
    from awing_mmpose.apis import init_face_inferencer
    from awing_mmpose.visualization import draw_landmark_tile
    args = parse_args(argv)
    images = args.images or default_images()
    inferencer = init_face_inferencer(args.config, args.checkpoint,
                                      device=args.device)
    tiles = []
    for path in images:
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            raise SystemExit(f'real_face_gallery: cannot read {path}')
        res = next(inferencer(img, return_datasamples=True))
        inst = res['predictions'][0].pred_instances
        if len(inst) == 0:
            print(f'  {osp.basename(path)}: no face found')
            continue
        best = int(np.argmax(np.asarray(inst.bbox_scores)))
        box = np.asarray(inst.bboxes)[best]
        kpts = np.asarray(inst.keypoints)[best]
        tiles.append(draw_landmark_tile(
            img, box, [kpts], size=args.size, margin=args.margin,
            title=osp.splitext(osp.basename(path))[0]))
        print(f'  {osp.basename(path)}: {len(inst)} face(s), drew the best')
    if not tiles:
        raise SystemExit('real_face_gallery: no face found in any image')
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    cv2.imwrite(args.out, np.concatenate(tiles, axis=1))
    print(f'real_face_gallery: {len(tiles)} faces -> {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
