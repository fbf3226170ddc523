#!/usr/bin/env python
"""Landmarks of the network in ONNX Runtime against PyTorch (fp32, the
reference), on the shipped model's synthetic test split and on real faces.

    python tools/benchmarks/backend_agreement.py [CONFIG CHECKPOINT] \
        [--data-root DIR] [--real-faces data/real_faces] [--json OUT]

* synthetic: the 300 test faces of the shipped model's last stage (seed 6
  and its looks; generated into ``--work-dir`` unless ``--data-root`` names
  a converted copy), cropped from their annotated boxes;
* real: the faces of ``tools/misc/real_faces.json`` in the folder that
  ``tools/misc/get_real_faces.py`` fills (skipped when it is missing),
  cropped from the listed boxes.

For each set, with and without the test-time flip: the mean and largest
distance between the two backends' landmarks (px and % of the box side),
the share of landmarks that differ by more than 0.01 px, and on the
synthetic split the inter-ocular NME of each backend against the labels.
Asserts nothing; not part of the tests.
"""
import argparse
import json
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: the generator options of the shipped stage's test split
STAGE6_FACES = ['--seed', '6', '--photo-backgrounds', '0.7', '--open-heads',
                '0.7', '--eyeglasses', '0.4', '--relief', '0.7',
                '--facial-hair', '0.35']


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config', nargs='?', default=None)
    p.add_argument('checkpoint', nargs='?', default=None)
    p.add_argument('--data-root', default=None)
    p.add_argument('--work-dir', default='work_dirs/benchmarks/backends')
    p.add_argument('--real-faces', default=osp.join('data', 'real_faces'))
    p.add_argument('--json', default=None)
    return p.parse_args(argv)


def synthetic_faces(args) -> list:
    """(image path, [box], labels (1, K, 2)) of the shipped stage's test
    split, generated and converted when needed."""
    root = args.data_root or osp.join(args.work_dir, 'synthetic_stage6')
    ann = osp.join(root, 'annotations', 'face_landmarks_wflw_test.json')
    if not osp.isfile(ann):
        py = [sys.executable]
        subprocess.run(py + [
            osp.join(ROOT, 'tools', 'misc', 'generate_synthetic_faces.py'),
            '--out-dir', root, '--no-300w', '--num-train', '0', '--num-val',
            '0', '--num-test', '300'] + STAGE6_FACES, check=True)
        subprocess.run(py + [
            osp.join(ROOT, 'tools', 'dataset_converters', 'wflw2coco.py'),
            '--ann-dir', osp.join(root, 'WFLW_annotations'), '--img-dir',
            osp.join(root, 'WFLW_images'), '--out-dir',
            osp.join(root, 'annotations'), '--no-progress'], check=True)
    with open(ann) as f:
        coco = json.load(f)
    images = {im['id']: im['file_name'] for im in coco['images']}
    out = []
    for a in coco['annotations']:
        x, y, w, h = a['bbox']
        kpts = np.asarray(a['keypoints'], np.float64).reshape(-1, 3)[:, :2]
        out.append((osp.join(root, 'WFLW_images', images[a['image_id']]),
                    [[x, y, x + w, y + h]], kpts[None]))
    return out


def real_faces(folder: str) -> list:
    """(image path, boxes, None) of the listed real photographs."""
    with open(osp.join(ROOT, 'tools', 'misc', 'real_faces.json')) as f:
        listing = json.load(f)
    return [(osp.join(folder, im['file']), im['faces'], None)
            for im in listing['images']
            if osp.isfile(osp.join(folder, im['file']))]


def compare(torch_inf, ort_inf, faces: list, flip: bool) -> dict:
    from awing_mmpose.evaluation.functional.face_metrics import (
        default_norm_indices, keypoint_normaliser, per_image_nme)
    groups = default_norm_indices('wflw', 'inter_ocular')
    diffs, rel, nme = [], [], dict(pytorch=[], onnxruntime=[])
    for path, boxes, labels in faces:
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            raise FileNotFoundError(f'backend_agreement: cannot read {path}')
        boxes = np.asarray(boxes, np.float32)
        kt, _ = torch_inf.predict_faces(img, boxes, flip_test=flip)
        ko, _ = ort_inf.predict_faces(img, boxes, flip_test=flip)
        d = np.linalg.norm(kt - ko, axis=-1)  # (n, K)
        diffs.append(d.reshape(-1))
        sides = np.minimum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1])
        rel.append((d / sides[:, None]).reshape(-1))
        if labels is not None:
            for name, k in (('pytorch', kt), ('onnxruntime', ko)):
                nme[name].append(float(per_image_nme(
                    k, labels, None, keypoint_normaliser(labels, groups))[0]))
    d, r = np.concatenate(diffs), np.concatenate(rel)
    out = dict(faces=sum(len(b) for _, b, _ in faces),
               mean_px=float(d.mean()), max_px=float(d.max()),
               max_percent_of_box=float(100 * r.max()),
               share_over_0_01_px=float((d > 0.01).mean()))
    if nme['pytorch']:
        out['nme_percent'] = {k: float(100 * np.mean(v))
                              for k, v in nme.items()}
    return out


def main(argv=None) -> int:
    args = parse_args(argv)
    import onnxruntime
    import torch

    import awing_mmpose  # noqa: F401
    from awing_mmpose.apis import init_face_inferencer
    from awing_mmpose.utils import run_record, write_record
    torch.set_num_threads(2)
    torch_inf = init_face_inferencer(args.config, args.checkpoint,
                                     det_model='whole_image')
    ort_inf = init_face_inferencer(args.config, args.checkpoint,
                                   det_model='whole_image')
    ort_inf.use_onnxruntime()
    sets = dict(synthetic=synthetic_faces(args))
    real = real_faces(args.real_faces)
    if real:
        sets['real'] = real
    else:
        print(f'backend_agreement: no real faces in {args.real_faces} '
              '(tools/misc/get_real_faces.py fetches them); skipped')
    settings = dict(reference='PyTorch fp32', candidate='ONNX Runtime '
                    'fp32, graph optimisation level all',
                    onnxruntime=onnxruntime.__version__)
    out = {}
    for name, faces in sets.items():
        for flip in (False, True):
            res = compare(torch_inf, ort_inf, faces, flip)
            key = f'{name}_flip' if flip else name
            out[key] = res
            nme = res.get('nme_percent')
            print(f'{key}: {res["faces"]} faces; |ONNX Runtime - PyTorch| '
                  f'mean {res["mean_px"]:.2e} px, max {res["max_px"]:.2e} '
                  f'px ({res["max_percent_of_box"]:.2e} % of the box); '
                  f'{100 * res["share_over_0_01_px"]:.3f} % of landmarks '
                  'over 0.01 px' + (
                      f'; NME {nme["pytorch"]:.3f} % (PyTorch), '
                      f'{nme["onnxruntime"]:.3f} % (ONNX Runtime)'
                      if nme else ''))
    if args.json:
        write_record(args.json, run_record(__file__, argv, settings, out))
        print(f'wrote {args.json}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
