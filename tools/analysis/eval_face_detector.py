#!/usr/bin/env python
"""Face-detector recall and false boxes on real photographs with labelled
face boxes (``tools/misc/real_faces.json``; the photos come from
``tools/misc/get_real_faces.py``).

    python tools/analysis/eval_face_detector.py --img-dir data/real_faces \
        [--boxes tools/misc/real_faces.json] [--detectors mtcnn haar] \
        [--score-thr 0.3] [--iou-thr 0.3] [--out table.md] \
        [--json record.json]

Each photo is measured as it is and in three variants that move the faces
to other sizes and tilts: rotated by +25 and -25 degrees (canvas enlarged so
nothing is cut; a labelled box keeps its size around its rotated centre)
and scaled to half size. A detection (score > ``--score-thr``) matches a
labelled face when their IoU is at least ``--iou-thr`` (one-to-one, best
IoU first; 0.3 because detectors draw face boxes of different extents);
unmatched detections are false boxes. Prints one markdown table: per
detector and variant, faces found / labelled (recall), false boxes per
image, and seconds per image; ``--json`` writes the same counts, per photo
too, with the command, the settings and the versions.
"""
import argparse
import json
import os.path as osp
import sys
import time
from typing import Dict, List, Optional, Tuple

import cv2
import numpy as np

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

#: variant name -> (rotation in degrees, scale)
VARIANTS = {
    'original': (0.0, 1.0),
    'tilted +25 deg': (25.0, 1.0),
    'tilted -25 deg': (-25.0, 1.0),
    'half size': (0.0, 0.5),
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--img-dir', required=True)
    p.add_argument('--boxes', default=osp.join(ROOT, 'tools', 'misc',
                                               'real_faces.json'))
    p.add_argument('--detectors', nargs='+', default=['mtcnn', 'haar'],
                   help='"mtcnn", "haar" or MMDetection config files of '
                   'awing_mmpose face detectors')
    p.add_argument('--score-thr', type=float, default=0.3)
    p.add_argument('--iou-thr', type=float, default=0.3)
    p.add_argument('--variants', nargs='+', default=list(VARIANTS),
                   choices=list(VARIANTS))
    p.add_argument('--per-image', action='store_true',
                   help='also print found / labelled / false per photo')
    p.add_argument('--out', default=None, help='also write the table here')
    p.add_argument('--json', default=None,
                   help='write the counts, the settings and the command line '
                   'to this file')
    return p.parse_args(argv)


def build_detector(name: str):
    """An awing_mmpose face detector from a name or a config file."""
    from mmengine.config import Config
    from mmengine.registry import DefaultScope

    import awing_mmpose  # noqa: F401
    from awing_mmpose.apis import face_detector_config
    from awing_mmpose.registry import MODELS
    cfg = Config.fromfile(face_detector_config(name))
    with DefaultScope.overwrite_default_scope('mmdet'):
        det = MODELS.build(cfg.model)
    det.log_empty = False
    return det


def transform(img: np.ndarray, boxes: np.ndarray, angle: float,
              scale: float) -> Tuple[np.ndarray, np.ndarray]:
    """Rotate by ``angle`` degrees (counter-clockwise, enlarged canvas) and
    scale; labelled (n, 4) boxes keep their size around the moved centre."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(round(h * sin + w * cos)), int(round(h * cos + w * sin))
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    out = cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_AREA
                         if scale < 1 and angle == 0 else cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_CONSTANT,
                         borderValue=(0, 0, 0))
    centres = np.stack([(boxes[:, 0] + boxes[:, 2]) / 2,
                        (boxes[:, 1] + boxes[:, 3]) / 2,
                        np.ones(len(boxes))], axis=1) @ m.T
    half = (boxes[:, 2:] - boxes[:, :2]) * scale / 2
    return out, np.concatenate([centres - half, centres + half], axis=1)


def match(dets: np.ndarray, gts: np.ndarray, iou_thr: float) -> int:
    """Number of labelled boxes matched one-to-one (best IoU first)."""
    from awing_mmpose.apis.face_tracker import box_iou
    if len(dets) == 0 or len(gts) == 0:
        return 0
    iou = box_iou(dets, gts)
    hits = 0
    while iou.size and iou.max() >= iou_thr:
        d, g = np.unravel_index(np.argmax(iou), iou.shape)
        hits += 1
        iou[d, :] = -1
        iou[:, g] = -1
    return hits


def evaluate(detector, images: List[Dict], img_dir: str, variants,
             score_thr: float, iou_thr: float,
             per_image: Optional[list] = None) -> Dict[str, dict]:
    """Per variant: labelled faces, found, false boxes, images, seconds."""
    rows = {}
    for var in variants:
        angle, scale = VARIANTS[var]
        r = dict(faces=0, found=0, false=0, images=0, seconds=0.0)
        for item in images:
            path = osp.join(img_dir, item['file'])
            img = cv2.imread(path, cv2.IMREAD_COLOR)
            if img is None:
                raise FileNotFoundError(
                    f'eval_face_detector: cannot read {path} (run '
                    'tools/misc/get_real_faces.py first)')
            gts = np.asarray(item['faces'], np.float64).reshape(-1, 4)
            img, gts = transform(img, gts, angle, scale)
            start = time.perf_counter()
            boxes, scores = detector.detect(img)
            r['seconds'] += time.perf_counter() - start
            boxes = boxes[scores > score_thr]
            hits = match(boxes, gts, iou_thr)
            r['faces'] += len(gts)
            r['found'] += hits
            r['false'] += len(boxes) - hits
            r['images'] += 1
            if per_image is not None:
                per_image.append(f'{var}: {item["file"]}: {hits} / '
                                 f'{len(gts)} found, {len(boxes) - hits} '
                                 'false')
        rows[var] = r
    return rows


def format_table(results: Dict[str, Dict[str, dict]]) -> str:
    lines = ['| detector | photos | faces found / labelled | recall % | '
             'false boxes per image | s per image |',
             '|---|---|---|---|---|---|']
    for det, rows in results.items():
        total = dict(faces=0, found=0, false=0, images=0, seconds=0.0)
        for var, r in list(rows.items()) + [('all', None)]:
            if r is None:
                r = total
            else:
                for k in total:
                    total[k] += r[k]
            lines.append(
                f'| {det} | {var} ({r["images"]}) | {r["found"]} / '
                f'{r["faces"]} | {100 * r["found"] / max(r["faces"], 1):.1f}'
                f' | {r["false"] / max(r["images"], 1):.2f} | '
                f'{r["seconds"] / max(r["images"], 1):.3f} |')
    return '\n'.join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    with open(args.boxes) as f:
        images = json.load(f)['images']
    results, per_image = {}, {}
    for name in args.detectors:
        det = build_detector(name)
        lines = [] if args.per_image or args.json else None
        results[name] = evaluate(det, images, args.img_dir, args.variants,
                                 args.score_thr, args.iou_thr, lines)
        per_image[name] = lines
        for line in (lines if args.per_image else []):
            print(f'{name}: {line}')
    table = format_table(results)
    from awing_mmpose.utils import repo_relative
    print(f'score > {args.score_thr}, IoU >= {args.iou_thr}; '
          f'{len(images)} photos from {repo_relative(args.boxes)}')
    print(table)
    if args.out:
        with open(args.out, 'w') as f:
            f.write(table + '\n')
    if args.json:
        write_json(args, results, per_image, len(images), argv)
    return 0


def write_json(args, results: dict, per_image: dict, num_photos: int,
               argv=None) -> None:
    """The record of this run: per detector and variant (and ``all``) the
    labelled faces, found, false boxes, images, seconds, recall and false
    boxes per image; the per-photo lines."""
    from awing_mmpose.utils import repo_relative, run_record, write_record
    out = {}
    for det, rows in results.items():
        out[det] = {}
        keys = ('faces', 'found', 'false', 'images', 'seconds')
        total = {k: sum(r[k] for r in rows.values()) for k in keys}
        for var, r in list(rows.items()) + [('all', total)]:
            out[det][var] = dict(
                r, recall=r['found'] / max(r['faces'], 1),
                false_per_image=r['false'] / max(r['images'], 1),
                seconds_per_image=r['seconds'] / max(r['images'], 1))
        out[det]['per_image'] = per_image[det]
    settings = dict(img_dir=repo_relative(args.img_dir),
                    boxes=repo_relative(args.boxes), photos=num_photos,
                    detectors=[repo_relative(d) for d in args.detectors],
                    variants={v: dict(rotation_deg=VARIANTS[v][0],
                                      scale=VARIANTS[v][1])
                              for v in args.variants},
                    score_thr=args.score_thr, iou_thr=args.iou_thr)
    write_record(args.json, run_record(__file__, argv, settings,
                                       dict(detectors=out)))


if __name__ == '__main__':
    sys.exit(main())
