#!/usr/bin/env python
"""Evaluate a landmark checkpoint on a folder of real faces labelled with
68 or 98 points: NME, FR and AUC.

    python tools/analysis/eval_real_faces.py [CONFIG [CHECKPOINT]] \
        --data-dir DIR [--wflw-list LIST.txt] [--norm inter_ocular] \
        [--box landmarks|detector] [--out per_image.csv] [--device cpu] \
        [--show-dir DIR] [--no-flip] [--json record.json]

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
package is measured. ``--no-flip`` switches the test-time flip off
(``model.test_cfg.flip_test = False``); ``--json`` writes every printed
figure with the command, the settings and the versions
(:func:`awing_mmpose.utils.run_record`).
"""
import argparse
import csv
import os
import os.path as osp
import sys
from typing import List, Optional, Tuple

import numpy as np

# the arithmetic lives in the package; re-exported for the tool's users
from awing_mmpose.evaluation.functional import (  # noqa: F401
    PARTS_68, jaw_width, similarity_align)

IMAGE_EXTS = ('.jpg', '.jpeg', '.png', '.ppm', '.bmp')


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
    p.add_argument('--no-flip', action='store_true',
                   help='no test-time flip (model.test_cfg.flip_test=False)')
    p.add_argument('--json', default=None,
                   help='write every figure, the settings and the command '
                   'line to this file')
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
                                                    score_faces)
    items = load_wflw_list(args.wflw_list, args.data_dir) \
        if args.wflw_list else load_pts_folder(args.data_dir)
    inferencer = init_face_inferencer(args.config, args.checkpoint,
                                      det_model='whole_image',
                                      device=args.device)
    if args.no_flip:
        inferencer.model.test_cfg['flip_test'] = False
    flip = bool(inferencer.model.test_cfg.get('flip_test', False))
    detector = None
    preds, gts, boxes, names, missed = [], [], [], [], []
    crop_boxes = []
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
        crop_boxes.append(use_box)
        names.append(img_path)
    if not preds:
        raise RuntimeError('eval_real_faces: no face evaluated (the detector '
                           f'found none of {len(items)})')
    pred, gt = np.stack(preds), np.stack(gts)
    groups = norm_groups(gt.shape[1], args.norm)
    d = keypoint_normaliser(gt, groups) if groups else bbox_normaliser(
        np.stack(boxes), args.norm)
    scores = score_faces(pred, gt, d, names, args.thr)
    return dict(summary=scores['summary'], nmes=scores['nmes'], names=names,
                missed=missed, num_points=gt.shape[1], preds=pred, gts=gt,
                boxes=boxes, crop_boxes=crop_boxes, parts=scores['parts'],
                jaws=scores['jaws'], aligned=scores['aligned'],
                aligned_nme=scores['aligned_nme'], flip_test=flip)


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
    from awing_mmpose.utils import repo_relative
    args = parse_args(argv)
    if args.config is None:
        args.config, args.checkpoint = resolve_pose_model(None,
                                                          args.checkpoint)
    out = evaluate(args)
    s = out['summary']
    t = f'{args.thr:g}'
    weights = repo_relative(args.checkpoint) or \
        'random initial weights (no checkpoint)'
    print(f'eval_real_faces: {s["num"]} faces ({out["num_points"]} points) '
          f'in {args.data_dir}; model {repo_relative(args.config)} with '
          f'{weights}; boxes from {args.box}; flip test '
          f'{"on" if out["flip_test"] else "off"}; NME normalised by '
          f'{args.norm}')
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
          f'{100 * out["aligned_nme"]:.2f} %')
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
    if args.json:
        write_json(args, out, argv)
    return 0


def write_json(args, out: dict, argv=None) -> None:
    """The record of this run: settings, every printed figure (fractions,
    as the package's metrics return them), per face the labels' and the
    predicted points."""
    from awing_mmpose.utils import repo_relative, run_record, write_record
    t = f'{args.thr:g}'
    s = out['summary']
    faces = []
    for i, name in enumerate(out['names']):
        al, angle, scale = out['aligned'][i]
        face = dict(image=osp.basename(name), nme=float(out['nmes'][i]),
                    aligned_nme=al, aligned_rotation_deg=angle,
                    aligned_scale=scale,
                    label_box=[float(v) for v in out['boxes'][i]],
                    crop_box=[float(v) for v in out['crop_boxes'][i][:4]],
                    labels=out['gts'][i], predictions=out['preds'][i])
        if out['jaws'] is not None:
            face['jaw_width_labels'] = float(out['jaws'][i][0])
            face['jaw_width_predicted'] = float(out['jaws'][i][1])
        faces.append(face)
    settings = dict(
        config=repo_relative(args.config), checkpoint=repo_relative(
            args.checkpoint), data_dir=repo_relative(args.data_dir),
        wflw_list=repo_relative(args.wflw_list), box=args.box,
        flip_test=out['flip_test'], norm=args.norm, thr=args.thr,
        device=args.device, num_points=out['num_points'])
    results = {'num_faces': s['num'], 'NME': s['NME'], f'FR@{t}': s[f'FR@{t}'],
               f'AUC@{t}': s[f'AUC@{t}'], 'aligned_NME': out['aligned_nme'],
               'parts_NME': out['parts'],
               'missed_by_detector': [osp.basename(m) for m in out['missed']],
               'faces': faces}
    write_record(args.json, run_record(__file__, argv, settings, results))


if __name__ == '__main__':
    sys.exit(main())
