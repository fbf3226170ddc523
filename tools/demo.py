#!/usr/bin/env python
"""Face landmarks on your own photos, folders, videos or a webcam.

    python tools/demo.py INPUT [--config CFG --checkpoint CKPT] \
        [--out-dir DIR] [--det-model mtcnn|haar|whole_image|DET_CFG] \
        [--det-weights W] [--device cpu] [--show-heatmaps] [--kpt-thr 0.3] \
        [--smooth auto|on|off] [--min-cutoff 1.0] [--beta 0.05] [--show] \
        [--backend pytorch|onnxruntime [--onnx MODEL.onnx]] [--unsafe-load]

Without ``--config`` and ``--checkpoint`` the pretrained model that ships
with the package is used (``awing://synthetic_wflw``: 98 WFLW points,
trained on synthetic faces only; see README, "Pretrained model").

INPUT: an image, a folder of images, a video file, or ``webcam`` /
``webcam:N`` (camera index N). Faces come from the offline MTCNN detector
(``--det-model mtcnn``, weights from the facenet-pytorch wheel) unless
``--det-model`` says ``haar`` (OpenCV's Haar cascade), names an MMDetection
config (with ``--det-weights``) or ``whole_image`` (the input is an already
cropped face).

Video and webcam: faces are tracked between frames (IoU of boxes, ids kept
as ``track_id``) and, with ``--smooth auto`` (the default) or ``on``, each
face's landmarks go through a One-Euro filter (``--min-cutoff``, ``--beta``,
``--d-cutoff``); images are never smoothed unless ``--smooth on`` (then a
folder is treated as frames). Progress shows frames per second.

One line per input is printed: faces found, faces flagged (smaller than
``--min-face-size`` px, or box cut by the image border), time per face.
Flagged faces are kept, with their reasons in ``"flags"``.

Writes under ``--out-dir`` (default ``outputs/demo``):

* ``vis/<name>``: the annotated picture (or ``vis/<video>.mp4``);
* ``predictions/<stem>.json``: per input ``{"input", "faces": [{"bbox":
  [x1, y1, x2, y2], "bbox_score", "keypoints": [[x, y]] * K,
  "keypoint_scores": [s] * K, "flags": [...]}]}``; for a video or webcam
  ``{"input", "fps", "smoothing", "frames": [{"frame": i, "faces": [...]}]}``
  where each face also has ``track_id`` and, when smoothed,
  ``keypoints_raw`` (the unfiltered landmarks). An image without a face has
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
import time
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
    p.add_argument('--config', default=None,
                   help='pose config file (default: the pretrained model '
                   'shipped with the package)')
    p.add_argument('--checkpoint', default=None,
                   help='pose checkpoint, or awing://<name> for a shipped '
                   'model (default with no --config: awing://synthetic_wflw)')
    p.add_argument('--out-dir', default='outputs/demo')
    p.add_argument(
        '--det-model',
        default='mtcnn',
        help='"mtcnn" (offline CNN face detector, default), "haar" (OpenCV '
        'Haar cascade), "whole_image" (input is a cropped face) or an '
        'MMDetection config')
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
    add_video_args(p)
    return p.parse_args(argv)


def add_video_args(p: argparse.ArgumentParser) -> None:
    """Tracking, smoothing and face-report options."""
    g = p.add_argument_group('video: tracking and smoothing')
    g.add_argument(
        '--smooth',
        choices=('auto', 'on', 'off'),
        default='auto',
        help='One-Euro smoothing of landmarks over frames (auto: on for '
        'video and webcam, off for images)')
    g.add_argument('--min-cutoff', type=float, default=1.0,
                   help='One-Euro cut-off at rest, Hz (lower: smoother)')
    g.add_argument('--beta', type=float, default=0.05,
                   help='One-Euro speed coefficient, 1/px (higher: less '
                   'lag on fast motion)')
    g.add_argument('--d-cutoff', type=float, default=1.0,
                   help='One-Euro cut-off of the speed estimate, Hz')
    g.add_argument('--track-iou', type=float, default=0.3,
                   help='IoU with its last box for a face to keep its id')
    g.add_argument('--track-max-missed', type=int, default=5,
                   help='frames a lost face keeps its id')
    g.add_argument('--min-face-size', type=float, default=32,
                   help='faces whose box side is smaller (px) are flagged '
                   '"small" (landmarks are unreliable there)')


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
            from awing_mmpose.deployment import export_onnx, use_onnxruntime
            model = self.inferencer.model
            onnx = args.onnx
            if not onnx:
                onnx = osp.join(args.out_dir, 'model.onnx')
                export_onnx(model, onnx, self.inferencer.cfg)
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

    # -- tracking, flags, summary ----------------------------------------
    def smoothing_on(self, kind: str) -> bool:
        """Whether landmarks are smoothed for an input of ``kind``."""
        if self.args.smooth == 'auto':
            return kind in ('video', 'webcam')
        return self.args.smooth == 'on'

    def make_tracker(self, smooth: bool):
        from awing_mmpose.apis import FaceTracker
        a = self.args
        return FaceTracker(
            iou_thr=a.track_iou,
            max_missed=a.track_max_missed,
            smooth=smooth,
            min_cutoff=a.min_cutoff,
            beta=a.beta,
            d_cutoff=a.d_cutoff)

    def flag(self, faces: List[Dict], shape) -> List[Dict]:
        """Add ``flags`` to each face (see :func:`face_flags`)."""
        for face in faces:
            face['flags'] = face_flags(face, shape, self.args.min_face_size)
        return faces

    # -- inputs ----------------------------------------------------------
    def images(self, paths: List[str], progress: bool) -> None:
        from tqdm import tqdm

        from awing_mmpose.apis.face_tracker import frame_time
        tracker = self.make_tracker(True) if self.smoothing_on('folder') \
            else None
        for idx, path in enumerate(tqdm(paths, desc='images', unit='img',
                                        disable=not progress)):
            img = cv2.imread(path, cv2.IMREAD_COLOR)
            if img is None:
                print(f'demo: cannot read image {path}; skipped',
                      file=sys.stderr)
                continue
            start = time.perf_counter()
            faces, vis, heatmaps = self.run_one(img, path)
            seconds = time.perf_counter() - start
            self.flag(faces, img.shape)
            if tracker is not None:
                tracker.update(faces, frame_time(idx, None))
            name = osp.basename(path)
            stem = osp.splitext(name)[0]
            cv2.imwrite(osp.join(self.out_dir, 'vis', name), vis)
            _dump(osp.join(self.out_dir, 'predictions', stem + '.json'),
                  dict(input=path, faces=faces))
            if self.args.show_heatmaps:
                self.save_grids(img, heatmaps,
                                osp.join(self.out_dir, 'heatmaps', stem))
            print(summary_line(path, [faces], seconds), flush=True)
            if self.args.show:
                cv2.imshow('awing demo', vis)
                cv2.waitKey(0)

    def stream(self, source, name: str) -> None:
        """A video file (``source`` = path) or a camera (``source`` = int)."""
        from tqdm import tqdm

        from awing_mmpose.apis.face_tracker import frame_time
        cap = cv2.VideoCapture(source)
        if not cap.isOpened():
            raise IOError(f'demo: cannot open {name}')
        fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
        total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) or None
        if isinstance(source, int):
            total = None
        smooth = self.smoothing_on('webcam' if isinstance(source, int)
                                   else 'video')
        tracker = self.make_tracker(smooth)
        stem = osp.splitext(osp.basename(name))[0]
        out_video = osp.join(self.out_dir, 'vis', stem + '.mp4')
        writer = None
        frames = []
        seconds = 0.0
        bar = tqdm(total=total, desc=stem, unit='frame')
        try:
            for idx, frame in enumerate(_frames(cap)):
                start = time.perf_counter()
                faces, vis, heatmaps = self.run_one(frame,
                                                    f'{name} frame {idx}')
                self.flag(faces, frame.shape)
                tracker.update(faces, frame_time(idx, fps))
                seconds += time.perf_counter() - start
                if smooth:  # draw what is written: the smoothed landmarks
                    vis = self.draw_faces(frame, faces)
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
                bar.set_postfix(faces=len(faces), tracks=tracker.num_tracks,
                                refresh=False)
                bar.update(1)
        finally:
            bar.close()
            cap.release()
            if writer is not None:
                writer.release()
        smoothing = dict(
            filter='one_euro', min_cutoff=self.args.min_cutoff,
            beta=self.args.beta, d_cutoff=self.args.d_cutoff) \
            if smooth else None
        _dump(osp.join(self.out_dir, 'predictions', stem + '.json'),
              dict(input=name, fps=fps, smoothing=smoothing, frames=frames))
        print(summary_line(name, [f['faces'] for f in frames], seconds,
                           tracks=tracker.next_id), flush=True)

    def draw_faces(self, img_bgr: np.ndarray, faces: List[Dict]
                   ) -> np.ndarray:
        """The picture with each face's box, ``track_id`` and landmarks
        (score above ``--kpt-thr``)."""
        a = self.args
        vis = img_bgr.copy()
        for face in faces:
            x1, y1, x2, y2 = (int(round(v)) for v in face['bbox'])
            color = (0, 200, 0) if not face.get('flags') else (0, 160, 255)
            cv2.rectangle(vis, (x1, y1), (x2, y2), color, a.thickness)
            cv2.putText(vis, f'#{face.get("track_id", "")}',
                        (x1, max(y1 - 4, 10)), cv2.FONT_HERSHEY_SIMPLEX,
                        0.5, color, 1, cv2.LINE_AA)
            for (x, y), sc in zip(face['keypoints'],
                                  face['keypoint_scores']):
                if sc > a.kpt_thr:
                    cv2.circle(vis, (int(round(x)), int(round(y))),
                               a.radius, (255, 255, 0), -1, cv2.LINE_AA)
        return vis


def face_flags(face: Dict, shape, min_face_size: float) -> List[str]:
    """Why a face's landmarks may be unreliable: ``small`` (box side below
    ``min_face_size`` px) and ``cut by the <side> border`` (the box touches
    the image edge, i.e. the face continues outside the picture).

    Args:
        face (dict): with ``bbox`` [x1, y1, x2, y2] (image pixels).
        shape (tuple): image shape (H, W[, C]).
    """
    if 'bbox' not in face:
        return []
    h, w = shape[:2]
    x1, y1, x2, y2 = face['bbox']
    flags = []
    side = min(x2 - x1, y2 - y1)
    if side < min_face_size:
        flags.append(f'small ({side:.0f} px < {min_face_size:g})')
    cut = [name for name, edge in (('left', x1 <= 1), ('top', y1 <= 1),
                                   ('right', x2 >= w - 2),
                                   ('bottom', y2 >= h - 2)) if edge]
    if cut:
        flags.append('cut by the ' + '/'.join(cut) + ' border')
    return flags


def summary_line(name: str, frames_faces: List[List[Dict]], seconds: float,
                 tracks: Optional[int] = None) -> str:
    """One line about one input: faces found, flagged faces, time per face.

    Args:
        name (str): the input.
        frames_faces (list[list[dict]]): the faces of each frame (one entry
            for an image).
        seconds (float): detection + landmark time of the input.
        tracks (int, optional): face ids seen in a video.
    """
    n = sum(len(f) for f in frames_faces)
    small = sum(any(fl.startswith('small') for fl in face.get('flags', []))
                for faces in frames_faces for face in faces)
    cut = sum(any(fl.startswith('cut') for fl in face.get('flags', []))
              for faces in frames_faces for face in faces)
    per_face = f'{seconds / n:.3f} s/face' if n else 'no face'
    if len(frames_faces) == 1:
        what = f'{n} face{"s" if n != 1 else ""}'
    else:
        what = (f'{len(frames_faces)} frames, {n} faces '
                f'({n / max(len(frames_faces), 1):.2f}/frame, '
                f'{tracks if tracks is not None else "?"} tracks), '
                f'{len(frames_faces) / max(seconds, 1e-9):.1f} frames/s')
    notes = []
    if small:
        notes.append(f'{small} small')
    if cut:
        notes.append(f'{cut} cut by the border')
    flagged = f' [{", ".join(notes)}]' if notes else ''
    return (f'demo: {name}: {what}{flagged}; {seconds:.2f} s, {per_face}')


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
