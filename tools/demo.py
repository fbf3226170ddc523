#!/usr/bin/env python
"""Face landmarks on your own photos, folders, videos or a webcam.

    python tools/demo.py INPUT --config CFG --checkpoint CKPT \
        [--out-dir DIR] [--det-model whole_image|DET_CFG] [--det-weights W] \
        [--device cpu] [--show-heatmaps] [--kpt-thr 0.3] [--show]
        [--backend pytorch|onnxruntime [--onnx MODEL.onnx]]

INPUT: an image, a folder of images, a video file, or ``webcam`` /
``webcam:N`` (camera index N). Faces come from the offline OpenCV detector
(``configs/detectors/opencv_haar_face.py``) unless ``--det-model`` names an
MMDetection config (with ``--det-weights``) or ``whole_image`` (the input is
an already cropped face). Writes under ``--out-dir`` (default
``outputs/demo``):

* ``vis/<name>``: the annotated picture (or ``vis/<video>.mp4``);
* ``predictions/<stem>.json``: per input ``{"input", "faces": [{"bbox":
  [x1, y1, x2, y2], "bbox_score", "keypoints": [[x, y]] * K,
  "keypoint_scores": [s] * K}]}``; for a video or webcam ``{"input", "fps",
  "frames": [{"frame": i, "faces": [...]}]}``. An image without a face has
  ``"faces": []`` (and a logged ``no face found``);
* with ``--show-heatmaps``: ``heatmaps/<stem>_face<i>.png`` (video:
  ``heatmaps/<stem>/<frame>_face<i>.png``), the network's input crop, the
  predicted boundary map and one tile per landmark heatmap.

Checkpoints load with torch's safe loader (weights_only=True);
``--unsafe-load`` unpickles a trusted file in full (see
awing_mmpose/utils/checkpoint.py).
"""
import argparse
import json
import mimetypes
import os
import os.path as osp
import sys
from typing import Dict, Iterator, List, Optional, Tuple

import cv2
import numpy as np

IMAGE_EXTS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')
VIDEO_EXTS = ('.mp4', '.avi', '.mov', '.mkv', '.webm', '.m4v', '.mpg',
              '.mpeg', '.wmv')


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description='Face landmarks (Adaptive Wing) on images, folders, '
        'videos or a webcam.')
    p.add_argument('input', help='image, folder, video file or webcam[:N]')
    p.add_argument('--config', required=True, help='pose config file')
    p.add_argument('--checkpoint', default=None, help='pose checkpoint')
    p.add_argument('--out-dir', default='outputs/demo')
    p.add_argument(
        '--det-model',
        default=None,
        help='"whole_image" (input is a cropped face), an MMDetection config,'
        ' or nothing for the offline OpenCV face detector')
    p.add_argument('--det-weights', default=None)
    p.add_argument(
        '--det-cat-ids',
        type=int,
        nargs='+',
        default=None,
        help='face class ids of --det-model (default: every class)')
    p.add_argument('--device', default='cpu')
    p.add_argument('--bbox-thr', type=float, default=0.3)
    p.add_argument('--nms-thr', type=float, default=0.3)
    p.add_argument(
        '--kpt-thr',
        type=float,
        default=0.3,
        help='draw landmarks whose score exceeds this')
    p.add_argument('--radius', type=int, default=2)
    p.add_argument('--thickness', type=int, default=1)
    p.add_argument(
        '--show-heatmaps',
        action='store_true',
        help='also write the boundary map and per-landmark heatmaps grid')
    p.add_argument('--show', action='store_true', help='display a window')
    p.add_argument('--unsafe-load', action='store_true',
                   help='unpickle the checkpoints in full (trusted files '
                   'only)')
    p.add_argument(
        '--backend',
        choices=['pytorch', 'onnxruntime'],
        default='pytorch',
        help='run the landmark network in PyTorch or in ONNX Runtime (CPU; '
        'the rest of the demo is the same)')
    p.add_argument(
        '--onnx',
        default=None,
        help='with --backend onnxruntime: a file from '
        'tools/deployment/export_onnx.py (default: export the config and '
        'checkpoint to OUT_DIR/model.onnx first)')
    return p.parse_args(argv)


def input_kind(inp: str) -> str:
    """'webcam', 'folder', 'video' or 'image'; raises for anything else."""
    low = inp.lower()
    if low == 'webcam' or low.startswith('webcam:'):
        return 'webcam'
    if osp.isdir(inp):
        return 'folder'
    if not osp.isfile(inp):
        raise FileNotFoundError(f'demo: input "{inp}" does not exist')
    ext = osp.splitext(low)[1]
    mime = (mimetypes.guess_type(inp)[0] or '').split('/')[0]
    if ext in VIDEO_EXTS or mime == 'video':
        return 'video'
    if ext in IMAGE_EXTS or mime == 'image':
        return 'image'
    raise ValueError(f'demo: cannot tell whether "{inp}" is an image or a '
                     f'video (extension "{ext}")')


def list_images(folder: str) -> List[str]:
    return sorted(
        osp.join(folder, f) for f in os.listdir(folder)
        if osp.splitext(f.lower())[1] in IMAGE_EXTS)


class Demo:
    """Runs a :class:`FaceLandmarkInferencer` one picture at a time and
    writes pictures, JSON and heatmap grids."""

    def __init__(self, args):
        import awing_mmpose  # noqa: F401  (registries)
        from awing_mmpose.apis import init_face_inferencer
        self.args = args
        self.inferencer = init_face_inferencer(
            args.config,
            args.checkpoint,
            det_model=args.det_model,
            det_weights=args.det_weights,
            det_cat_ids=args.det_cat_ids,
            device=args.device,
            unsafe_load=args.unsafe_load or None)
        self.inferencer.keep_heatmaps = args.show_heatmaps
        if args.backend == 'onnxruntime':
            sys.path.insert(
                0, osp.join(osp.dirname(osp.abspath(__file__)), 'deployment'))
            from ort_backend import export_model, use_onnxruntime
            model = self.inferencer.model
            onnx = args.onnx or export_model(
                self.inferencer.cfg, model,
                osp.join(args.out_dir, 'model.onnx'))
            use_onnxruntime(model, onnx)
        self.out_dir = args.out_dir
        for sub in ('vis', 'predictions') + (
                ('heatmaps', ) if args.show_heatmaps else ()):
            os.makedirs(osp.join(self.out_dir, sub), exist_ok=True)

    def run_one(self, img_bgr: np.ndarray, img_path: Optional[str] = None
                ) -> Tuple[List[Dict], np.ndarray, list]:
        """Landmarks of one picture.

        Returns:
            tuple: faces (JSON-ready, see
            :func:`awing_mmpose.apis.faces_from_sample`), the annotated
            picture (BGR) and the per-face heatmap records.
        """
        from awing_mmpose.apis import faces_from_sample
        a = self.args
        # the file name (or video frame) appears in "no face found in ..."
        self.inferencer.array_input_name = img_path
        res = next(
            self.inferencer(
                img_bgr,
                return_datasamples=True,
                return_vis=True,
                draw_bbox=True,
                kpt_thr=a.kpt_thr,
                bbox_thr=a.bbox_thr,
                nms_thr=a.nms_thr,
                radius=a.radius,
                thickness=a.thickness))
        sample = res['predictions'][0]
        vis = cv2.cvtColor(res['visualization'][0], cv2.COLOR_RGB2BGR)
        heatmaps = sample.metainfo.get('face_heatmaps', [])
        return faces_from_sample(sample), vis, heatmaps

    def save_grids(self, img_bgr, heatmaps, prefix: str) -> List[str]:
        from awing_mmpose.visualization import crop_face, draw_heatmap_grid
        k = self.inferencer.model.dataset_meta.get('num_keypoints')
        paths = []
        for i, rec in enumerate(heatmaps):
            hm = rec['heatmaps']
            crop = crop_face(img_bgr, rec['input_center'], rec['input_scale'],
                             rec['input_size'])
            nk = k if k and hm.shape[0] in (k, k + 1) else None
            grid = draw_heatmap_grid(hm, image=crop, num_keypoints=nk)
            path = f'{prefix}_face{i}.png'
            os.makedirs(osp.dirname(path), exist_ok=True)
            cv2.imwrite(path, grid)
            paths.append(path)
        return paths

    # -- inputs ----------------------------------------------------------
    def images(self, paths: List[str], progress: bool) -> None:
        from tqdm import tqdm
        for path in tqdm(paths, desc='images', unit='img',
                         disable=not progress):
            img = cv2.imread(path, cv2.IMREAD_COLOR)
            if img is None:
                print(f'demo: cannot read image {path}; skipped',
                      file=sys.stderr)
                continue
            faces, vis, heatmaps = self.run_one(img, path)
            name = osp.basename(path)
            stem = osp.splitext(name)[0]
            cv2.imwrite(osp.join(self.out_dir, 'vis', name), vis)
            _dump(osp.join(self.out_dir, 'predictions', stem + '.json'),
                  dict(input=path, faces=faces))
            if self.args.show_heatmaps:
                self.save_grids(img, heatmaps,
                                osp.join(self.out_dir, 'heatmaps', stem))
            if self.args.show:
                cv2.imshow('awing demo', vis)
                cv2.waitKey(0)

    def stream(self, source, name: str) -> None:
        """A video file (``source`` = path) or a camera (``source`` = int)."""
        from tqdm import tqdm
        cap = cv2.VideoCapture(source)
        if not cap.isOpened():
            raise IOError(f'demo: cannot open {name}')
        fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
        total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) or None
        if isinstance(source, int):
            total = None
        stem = osp.splitext(osp.basename(name))[0]
        out_video = osp.join(self.out_dir, 'vis', stem + '.mp4')
        writer = None
        frames = []
        bar = tqdm(total=total, desc=stem, unit='frame')
        try:
            for idx, frame in enumerate(_frames(cap)):
                faces, vis, heatmaps = self.run_one(frame,
                                                    f'{name} frame {idx}')
                if writer is None:
                    writer = cv2.VideoWriter(
                        out_video, cv2.VideoWriter_fourcc(*'mp4v'), fps,
                        (vis.shape[1], vis.shape[0]))
                writer.write(vis)
                frames.append(dict(frame=idx, faces=faces))
                if self.args.show_heatmaps:
                    self.save_grids(
                        frame, heatmaps,
                        osp.join(self.out_dir, 'heatmaps', stem,
                                 f'{idx:06d}'))
                if self.args.show or isinstance(source, int):
                    cv2.imshow('awing demo (Esc quits)', vis)
                    if cv2.waitKey(1) & 0xFF == 27:
                        break
                bar.update(1)
        finally:
            bar.close()
            cap.release()
            if writer is not None:
                writer.release()
        _dump(osp.join(self.out_dir, 'predictions', stem + '.json'),
              dict(input=name, fps=fps, frames=frames))


def _frames(cap) -> Iterator[np.ndarray]:
    while True:
        ok, frame = cap.read()
        if not ok:
            return
        yield frame


def _dump(path: str, obj) -> None:
    with open(path, 'w') as f:
        json.dump(obj, f, indent=1)


def main(argv=None) -> int:
    args = parse_args(argv)
    kind = input_kind(args.input)
    camera = None
    if kind == 'webcam':
        cam = args.input.split(':')
        if len(cam) > 2 or (len(cam) == 2 and not cam[1].isdigit()):
            raise ValueError(f'demo: webcam input must be "webcam" or '
                             f'"webcam:N", got "{args.input}"')
        camera = int(cam[1]) if len(cam) == 2 else 0
    demo = Demo(args)
    if kind == 'image':
        demo.images([args.input], progress=False)
    elif kind == 'folder':
        paths = list_images(args.input)
        if not paths:
            raise FileNotFoundError(
                f'demo: no image ({", ".join(IMAGE_EXTS)}) in {args.input}')
        demo.images(paths, progress=True)
    elif kind == 'video':
        demo.stream(args.input, args.input)
    else:
        demo.stream(camera, f'webcam{camera}')
    print(f'demo: results in {args.out_dir}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
