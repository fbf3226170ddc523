#!/usr/bin/env python
"""Evaluate a landmark checkpoint on a folder of real faces labelled with
68 or 98 points: NME, FR and AUC.

    python tools/analysis/eval_real_faces.py [CONFIG [CHECKPOINT]] \
        --data-dir DIR [--wflw-list LIST.txt] [--norm inter_ocular] \
        [--box landmarks|detector] [--out per_image.csv] [--device cpu] \
        [--show-dir DIR]

Labels, read with the package's own converters:

* 300W ``.pts`` files (68 points) beside their images in ``--data-dir``
  (``read_pts`` of :mod:`awing_mmpose.datasets.converters.face300w`), or
  menpo ``.ljson`` files;
* or a WFLW list file (``--wflw-list``, 98 points, box and attributes per
  line, image paths relative to ``--data-dir``; ``parse_line`` of
  :mod:`awing_mmpose.datasets.converters.wflw`).

Each face is cropped from its box: the tight box of its labelled landmarks
(``--box landmarks``, the 300W protocol), or the WFLW list's box, or the
best box of the offline MTCNN detector overlapping it (``--box detector``,
what a user's photo gets). A 98-point model on 68-point labels is scored on
the 68 points of the iBUG layout that correspond to the 98 WFLW points.
NME is normalised by the inter-ocular distance (outer eye corners) unless
``--norm`` says otherwise; FR and AUC at ``--thr`` (0.1). Without a
checkpoint the network keeps its random initial weights (a plumbing check,
not a result); without a config, the pretrained model shipped with the
package is measured.
"""
import argparse
import csv
import os
import os.path as osp
import sys
from typing import List, Optional, Tuple

import numpy as np

IMAGE_EXTS = ('.jpg', '.jpeg', '.png', '.ppm', '.bmp')
#: the facial parts of the 68-point (iBUG / 300W) layout, 0-based
PARTS_68 = dict(contour=list(range(0, 17)), brows=list(range(17, 27)),
                nose=list(range(27, 36)), eyes=list(range(36, 48)),
                mouth=list(range(48, 68)))


def jaw_width(kpts: np.ndarray) -> np.ndarray:
    """Width of the 68-point jaw (points 1-17, x extent) over the distance
    of the eye centres (means of points 37-42 and 43-48): (N, 68, 2) ->
    (N, ). A narrow predicted jaw shows up against the labels' here."""
    eyes = np.linalg.norm(kpts[:, 36:42].mean(1) - kpts[:, 42:48].mean(1),
                          axis=-1)
    jaw = PARTS_68['contour']
    return np.ptp(kpts[:, jaw, 0], axis=1) / eyes


def similarity_align(pred: np.ndarray, gt: np.ndarray):
    """The least-squares similarity transform (rotation, scale, shift) of
    ``pred`` (K, 2) onto ``gt`` (K, 2). Returns ``(aligned (K, 2),
    rotation in degrees, scale)``. What is left between ``aligned`` and
    ``gt`` is the error of the predicted shape itself, with the pose and
    size misfit removed."""
    mp, mg = pred.mean(0), gt.mean(0)
    a, b = pred - mp, gt - mg
    u, sig, vt = np.linalg.svd(a.T @ b)
    sign = np.sign(np.linalg.det(u @ vt)) or 1.0
    d = np.diag([1.0, sign])
    rot = (u @ d @ vt).T  # applied as a @ rot.T
    scale = float((sig * np.diag(d)).sum() / max((a**2).sum(), 1e-12))
    aligned = scale * a @ rot.T + mg
    return aligned, float(np.degrees(np.arctan2(rot[1, 0], rot[0, 0]))), \
        scale


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config', nargs='?', default=None,
                   help='default: the pretrained model shipped with the '
                   'package')
    p.add_argument('checkpoint', nargs='?', default=None)
    p.add_argument('--data-dir', required=True)
    p.add_argument('--wflw-list', default=None,
                   help='WFLW annotation list (98 points) instead of .pts')
    p.add_argument('--norm', default='inter_ocular',
                   choices=('inter_ocular', 'inter_pupil', 'bbox_diagonal',
                            'bbox_size'))
    p.add_argument('--box', default='landmarks',
                   choices=('landmarks', 'detector'))
    p.add_argument('--thr', type=float, default=0.1)
    p.add_argument('--device', default='cpu')
    p.add_argument('--out', default=None, help='per-image NME csv')
    p.add_argument('--show-dir', default=None,
                   help='write each face crop with its labels (red) and the '
                   'predictions (green) here')
    return p.parse_args(argv)


def read_ljson(path: str) -> np.ndarray:
    """The (N, 2) (x, y) points of a menpo LJSON (v2 / v3) landmark file:
    the group with the most points (menpo writes them as (y, x))."""
    import json

    from awing_mmpose.datasets.converters.common import ConversionError
    try:
        with open(path) as f:
            groups = json.load(f)['groups']
        if isinstance(groups, dict):
            groups = list(groups.values())
        pts = max((np.asarray(g['landmarks']['points'], np.float64)
                   for g in groups), key=len)
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ConversionError(path, f'not a menpo LJSON file ({err})')
    if pts.ndim != 2 or pts.shape[1] != 2 or not np.isfinite(pts).all():
        raise ConversionError(path, f'bad points of shape {pts.shape}')
    return pts[:, ::-1].copy()


def load_pts_folder(data_dir: str) -> List[Tuple[str, np.ndarray,
                                                 np.ndarray]]:
    """``(image path, landmarks (68, 2), box xyxy)`` of each ``.pts`` (300W)
    or ``.ljson`` (menpo) file with an image of the same stem."""
    from awing_mmpose.datasets.converters.common import ConversionError
    from awing_mmpose.datasets.converters.face300w import read_pts
    items = []
    for name in sorted(os.listdir(data_dir)):
        if not name.endswith(('.pts', '.ljson')):
            continue
        pts_path = osp.join(data_dir, name)
        stem = osp.splitext(pts_path)[0]
        img = next((stem + e for e in IMAGE_EXTS + tuple(
            x.upper() for x in IMAGE_EXTS) if osp.isfile(stem + e)), None)
        if img is None:
            raise ConversionError(pts_path, 'no image beside it (looked for '
                                  + ', '.join(IMAGE_EXTS) + ')')
        kpts = read_pts(pts_path, expected=None) if name.endswith(
            '.pts') else read_ljson(pts_path)
        if len(kpts) not in (68, 98):
            raise ConversionError(pts_path, f'{len(kpts)} points; expected '
                                  '68 (300W) or 98 (WFLW)')
        box = np.concatenate([kpts.min(axis=0), kpts.max(axis=0)])
        items.append((img, kpts, box))
    if not items:
        raise FileNotFoundError(
            f'eval_real_faces: no .pts file in {data_dir} (or give '
            '--wflw-list)')
    return items


def load_wflw_list(list_file: str, data_dir: str
                   ) -> List[Tuple[str, np.ndarray, np.ndarray]]:
    """``(image path, landmarks (98, 2), box xyxy)`` per line."""
    from awing_mmpose.datasets.converters.common import ConversionError
    from awing_mmpose.datasets.converters.wflw import parse_line
    items = []
    with open(list_file) as f:
        for lineno, text in enumerate(f, 1):
            if not text.strip():
                continue
            kpts, box, _, rel = parse_line(text, list_file, lineno)
            path = osp.join(data_dir, rel)
            if not osp.isfile(path):
                raise ConversionError(list_file, f'image {path} not found',
                                      lineno)
            items.append((path, kpts, box))
    return items


def norm_groups(k: int, norm: str) -> Optional[tuple]:
    from awing_mmpose.evaluation.functional import default_norm_indices
    if norm.startswith('bbox'):
        return None
    return default_norm_indices('300w' if k == 68 else 'wflw', norm)


def to_label_layout(pred: np.ndarray, k_label: int) -> np.ndarray:
    """Predictions (K_pred, 2) in the label's layout (68 or 98 points)."""
    from awing_mmpose.datasets.landmark_layouts import WFLW_TO_300W
    if len(pred) == k_label:
        return pred
    if len(pred) == 98 and k_label == 68:
        return pred[WFLW_TO_300W]
    raise ValueError(f'eval_real_faces: the model predicts {len(pred)} '
                     f'points, the labels have {k_label}; only 98 -> 68 is '
                     'mapped')


def detector_box(detector, img_path: str, label_box: np.ndarray
                 ) -> Optional[np.ndarray]:
    """The detection with the best IoU (> 0) with the labelled box."""
    import cv2

    from awing_mmpose.apis.face_tracker import box_iou
    boxes, _ = detector.detect(cv2.imread(img_path, cv2.IMREAD_COLOR))
    if len(boxes) == 0:
        return None
    iou = box_iou(boxes, label_box[None])[:, 0]
    return boxes[int(np.argmax(iou))] if iou.max() > 0 else None


def evaluate(args) -> dict:
    from awing_mmpose.apis import init_face_inferencer
    from awing_mmpose.evaluation.functional import (bbox_normaliser,
                                                    keypoint_normaliser,
                                                    per_image_nme,
                                                    summarise_nmes)
    items = load_wflw_list(args.wflw_list, args.data_dir) \
        if args.wflw_list else load_pts_folder(args.data_dir)
    inferencer = init_face_inferencer(args.config, args.checkpoint,
                                      det_model='whole_image',
                                      device=args.device)
    detector = None
    preds, gts, boxes, names, missed = [], [], [], [], []
    for img_path, kpts, box in items:
        if args.box == 'detector':
            if detector is None:
                detector = _mtcnn()
            det_box = detector_box(detector, img_path, box)
            if det_box is None:
                missed.append(img_path)
                continue
            use_box = det_box
        else:
            use_box = box
        res = next(inferencer(img_path, bboxes=[use_box[None]],
                              return_datasamples=True))
        inst = res['predictions'][0].pred_instances
        pred = np.asarray(inst.keypoints)[0]
        preds.append(to_label_layout(pred, len(kpts)))
        gts.append(kpts)
        boxes.append(box)
        names.append(img_path)
    if not preds:
        raise RuntimeError('eval_real_faces: no face evaluated (the detector '
                           f'found none of {len(items)})')
    pred, gt = np.stack(preds), np.stack(gts)
    groups = norm_groups(gt.shape[1], args.norm)
    d = keypoint_normaliser(gt, groups) if groups else bbox_normaliser(
        np.stack(boxes), args.norm)
    nmes = per_image_nme(pred, gt, None, d, names)
    summary = summarise_nmes(nmes, thrs=(args.thr, ))
    aligned = []
    for p, g, norm in zip(pred, gt, d):
        al, angle, scale = similarity_align(p, g)
        aligned.append((float(np.linalg.norm(al - g, axis=1).mean() / norm),
                        angle, scale))
    parts, jaws = {}, None
    if gt.shape[1] == 68:
        jaws = np.stack([jaw_width(gt), jaw_width(pred)], axis=1)
    for part, idx in PARTS_68.items() if gt.shape[1] == 68 else ():
        vis = np.zeros(gt.shape[:2])
        vis[:, idx] = 1
        parts[part] = float(per_image_nme(pred, gt, vis, d, names).mean())
    return dict(summary=summary, nmes=nmes, names=names, missed=missed,
                num_points=gt.shape[1], preds=pred, gts=gt, boxes=boxes,
                parts=parts, jaws=jaws, aligned=aligned)


def show(out: dict, show_dir: str) -> None:
    """One picture per face: labels red, predictions green."""
    import cv2

    from awing_mmpose.visualization import draw_landmark_tile
    os.makedirs(show_dir, exist_ok=True)
    for name, pred, gt, box, nme in zip(out['names'], out['preds'],
                                        out['gts'], out['boxes'],
                                        out['nmes']):
        stem = osp.splitext(osp.basename(name))[0]
        tile = draw_landmark_tile(
            cv2.imread(name, cv2.IMREAD_COLOR), box, [gt, pred],
            colours=[(0, 0, 255), (0, 255, 0)],
            title=f'{stem}: NME {100 * nme:.1f} %')
        cv2.imwrite(osp.join(show_dir, stem + '.png'), tile)


def _mtcnn():
    from awing_mmpose.apis import MTCNNFaceDetector
    det = MTCNNFaceDetector()
    det.log_empty = False
    return det


def main(argv=None) -> int:
    import awing_mmpose  # noqa: F401
    from awing_mmpose.apis import resolve_pose_model
    args = parse_args(argv)
    if args.config is None:
        args.config, args.checkpoint = resolve_pose_model(None,
                                                          args.checkpoint)
    out = evaluate(args)
    s = out['summary']
    t = f'{args.thr:g}'
    weights = args.checkpoint or 'random initial weights (no checkpoint)'
    print(f'eval_real_faces: {s["num"]} faces ({out["num_points"]} points) '
          f'in {args.data_dir}; model {args.config} with {weights}; boxes '
          f'from {args.box}; NME normalised by {args.norm}')
    if out['missed']:
        print(f'  the detector found no face for {len(out["missed"])}: '
              + ', '.join(osp.basename(m) for m in out['missed']))
    for i, (name, nme) in enumerate(zip(out['names'], out['nmes'])):
        jaw = ('' if out['jaws'] is None else
               '; jaw width / eye-centre distance: labels {:.2f}, predicted '
               '{:.2f}'.format(*out['jaws'][i]))
        al, angle, scale = out['aligned'][i]
        print(f'  {osp.basename(name)}: NME {100 * nme:.2f} %{jaw}; after '
              f'similarity alignment {100 * al:.2f} % (rotation '
              f'{angle:+.1f} deg, scale {scale:.3f})')
    if out['parts']:
        print('  NME per facial part (mean over faces): ' + ', '.join(
            f'{k} {100 * v:.2f} %' for k, v in out['parts'].items()))
    print('  NME after similarity alignment of each prediction onto its '
          'labels (the shape error, pose and size misfit removed): '
          f'{100 * np.mean([a[0] for a in out["aligned"]]):.2f} %')
    print(f'NME {100 * s["NME"]:.2f} %  FR@{t} {100 * s["FR@" + t]:.2f} %  '
          f'AUC@{t} {s["AUC@" + t]:.4f}')
    if args.show_dir:
        show(out, args.show_dir)
    if args.out:
        with open(args.out, 'w', newline='') as f:
            w = csv.writer(f)
            w.writerow(['image', 'nme'])
            for name, nme in zip(out['names'], out['nmes']):
                w.writerow([name, f'{nme:.6f}'])
    return 0


if __name__ == '__main__':
    sys.exit(main())
