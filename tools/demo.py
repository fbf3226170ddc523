#!/usr/bin/env python
"""Face landmarks on your own photos, folders, videos or a webcam.

    python tools/demo.py INPUT [--config CFG --checkpoint CKPT] \
        [--out-dir DIR] [--det-model mtcnn|haar|whole_image|DET_CFG] \
        [--det-weights W] [--device cpu] [--show-heatmaps] [--kpt-thr 0.3] \
        [--smooth auto|on|off] [--min-cutoff 1.0] [--beta 0.05] [--show] \
        [--det-interval 10] [--flip-test auto|on|off] \
        [--backend auto|pytorch|onnxruntime [--onnx MODEL.onnx]] \
        [--unsafe-load]

Without ``--config`` and ``--checkpoint`` the pretrained model that ships
with the package is used (``awing://synthetic_wflw``: 98 WFLW points,
trained on synthetic faces only; see docs/pretrained.md).

INPUT: an image, a folder of images, a video file, or ``webcam`` /
``webcam:N`` (camera index N). Faces come from the offline MTCNN detector
(``--det-model mtcnn``, weights from the facenet-pytorch wheel) unless
``--det-model`` says ``haar`` (OpenCV's Haar cascade), names an MMDetection
config (with ``--det-weights``) or ``whole_image`` (the input is an already
cropped face).

Video and webcam (:class:`awing_mmpose.apis.FaceLandmarkTracker`): the face
detector runs on the first frame, every ``--det-interval`` frames (new
faces), after a face was lost and around a face whose landmark confidence
is low; on the other frames each face is cropped from its landmarks in the
previous frame, and all faces of a frame go through the network as one
batch. Each face keeps an id (``track_id``) and, with ``--smooth auto``
(the default) or ``on``, its landmarks go through a One-Euro filter
(``--min-cutoff``, ``--beta``, ``--d-cutoff``). By default the network runs
in ONNX Runtime and without the test-time flip (``--backend auto``,
``--flip-test auto``; the flip doubles the network time). Progress shows
frames per second; the time of each stage is printed at the end. Images
are never smoothed unless ``--smooth on`` (then a folder is treated as
frames); they use the config's flip setting and PyTorch.

One line per input is printed: faces found, faces flagged (smaller than
``--min-face-size`` px, or box cut by the image border), time per face.
Flagged faces are kept, with their reasons in ``"flags"``.

Writes under ``--out-dir`` (default ``outputs/demo``):

* ``vis/<name>``: the annotated picture (or ``vis/<video>.mp4``);
* ``predictions/<stem>.json``: per input ``{"input", "faces": [{"bbox":
  [x1, y1, x2, y2], "bbox_score", "keypoints": [[x, y]] * K,
  "keypoint_scores": [s] * K, "flags": [...]}]}``; for a video or webcam
  ``{"input", "fps", "smoothing", "frames": [{"frame": i, "faces": [...]}]}``
  where each face also has ``track_id``, ``detected`` (the detector placed
  its box on that frame) and, when smoothed, ``keypoints_raw`` (the
  unfiltered landmarks); frames are written as they come, so the file
  holds every frame done even if the run stops. An image without a face
  has ``"faces": []`` (and a logged ``no face found``);
* with ``--show-heatmaps``: ``heatmaps/<stem>_face<i>.png`` (video:
  ``heatmaps/<stem>/<frame>_face<i>.png``, i in the order of the network's
  batch), the network's input crop, the
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
from typing import Dict, List, Optional, Tuple

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
        choices=['auto', 'pytorch', 'onnxruntime'],
        default='auto',
        help='run the landmark network in PyTorch or in ONNX Runtime (CPU; '
        'the rest of the demo is the same). auto: ONNX Runtime for videos '
        'and webcams (when installed), PyTorch for pictures')
    p.add_argument(
        '--onnx',
        default=None,
        help='with ONNX Runtime: a file from tools/deployment/export_onnx.py '
        '(default: export the config and checkpoint to OUT_DIR/model.onnx '
        'first)')
    add_video_args(p)
    return p.parse_args(argv)


def add_video_args(p: argparse.ArgumentParser) -> None:
    """Tracking, smoothing and face-report options."""
    g = p.add_argument_group('video: tracking and smoothing')
    g.add_argument(
        '--det-interval',
        type=int,
        default=10,
        help='video/webcam: run the face detector at least every N frames '
        '(new faces); in between, faces are cropped from their last '
        'landmarks (1: detect on every frame)')
    g.add_argument(
        '--flip-test',
        choices=('auto', 'on', 'off'),
        default='auto',
        help='average in the mirrored face (doubles the network time). '
        'auto: off for videos and webcams, the config\'s setting for '
        'pictures')
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
    g.add_argument('--track-score', type=float, default=0.6,
                   help='video: a face whose mean landmark score is below '
                   'this is re-detected around its box on the next frame '
                   'instead of being cropped from its landmarks')
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
    """Runs a :class:`FaceLandmarkInferencer` on pictures (one at a time)
    and on videos (:func:`awing_mmpose.apis.run_video`), writing pictures,
    JSON and heatmap grids."""

    def __init__(self, args, kind: str):
        import awing_mmpose  # noqa: F401  (registries)
        from awing_mmpose.apis import init_face_inferencer
        self.args = args
        self.video = kind in ('video', 'webcam')
        self.inferencer = init_face_inferencer(
            args.config,
            args.checkpoint,
            det_model=args.det_model,
            det_weights=args.det_weights,
            det_cat_ids=args.det_cat_ids,
            device=args.device,
            unsafe_load=args.unsafe_load or None)
        self.inferencer.keep_heatmaps = args.show_heatmaps
        self.out_dir = args.out_dir
        for sub in ('vis', 'predictions') + (
                ('heatmaps', ) if args.show_heatmaps else ()):
            os.makedirs(osp.join(self.out_dir, sub), exist_ok=True)
        if self.backend() == 'onnxruntime':
            # video: PyTorch (detector, crops) on one thread, off the cores
            # that ONNX Runtime's network runs on
            self.inferencer.use_onnxruntime(
                args.onnx, export_to=osp.join(args.out_dir, 'model.onnx'),
                torch_threads=1 if self.video else None)
        if args.flip_test != 'auto':
            self.inferencer.model.test_cfg['flip_test'] = \
                args.flip_test == 'on'

    def backend(self) -> str:
        """The network's backend: ``--backend``, or with ``auto`` ONNX
        Runtime for videos and webcams (when it is installed)."""
        if self.args.backend != 'auto':
            return self.args.backend
        if not self.video:
            return 'pytorch'
        try:
            import onnxruntime  # noqa: F401
        except ImportError:
            print('demo: onnxruntime is not installed; the network runs in '
                  'PyTorch (slower)', file=sys.stderr)
            return 'pytorch'
        return 'onnxruntime'

    def flip_test(self) -> bool:
        """Whether the mirrored faces are averaged in: ``--flip-test``, or
        with ``auto`` off for video and the config's setting for
        pictures."""
        if self.args.flip_test != 'auto':
            return self.args.flip_test == 'on'
        if self.video:
            return False
        return bool(self.inferencer.model.test_cfg.get('flip_test', False))

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
        # the file name appears in "no face found in ..."
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

    # -- smoothing and tracking ------------------------------------------
    def smoothing_on(self, kind: str) -> bool:
        """Whether landmarks are smoothed for an input of ``kind``."""
        if self.args.smooth == 'auto':
            return kind in ('video', 'webcam')
        return self.args.smooth == 'on'

    def filter_args(self) -> Dict:
        a = self.args
        return dict(min_cutoff=a.min_cutoff, beta=a.beta,
                    d_cutoff=a.d_cutoff)

    # -- inputs ----------------------------------------------------------
    def images(self, paths: List[str], progress: bool) -> None:
        from tqdm import tqdm

        from awing_mmpose.apis import (FaceCounts, FaceTracker, face_flags,
                                       summary_line)
        from awing_mmpose.apis.face_tracker import frame_time
        a = self.args
        tracker = FaceTracker(
            iou_thr=a.track_iou, max_missed=a.track_max_missed,
            **self.filter_args()) if self.smoothing_on('folder') else None
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
            for face in faces:
                face['flags'] = face_flags(face, img.shape, a.min_face_size)
            if tracker is not None:
                tracker.update(faces, frame_time(idx, None))
            name = osp.basename(path)
            stem = osp.splitext(name)[0]
            cv2.imwrite(osp.join(self.out_dir, 'vis', name), vis)
            _dump(osp.join(self.out_dir, 'predictions', stem + '.json'),
                  dict(input=path, faces=faces))
            if a.show_heatmaps:
                self.save_grids(img, heatmaps,
                                osp.join(self.out_dir, 'heatmaps', stem))
            counts = FaceCounts()
            counts.add(faces)
            print(summary_line(path, counts, seconds), flush=True)
            if a.show:
                cv2.imshow('awing demo', vis)
                cv2.waitKey(0)

    def stream(self, source, name: str) -> None:
        """A video file (``source`` = path) or a camera (``source`` = int):
        the tracker's landmarks of every frame, written as they come."""
        from tqdm import tqdm

        from awing_mmpose.apis import (StageTimer, read_frames, run_video,
                                       summary_line)
        a = self.args
        cap = cv2.VideoCapture(source)
        if not cap.isOpened():
            raise IOError(f'demo: cannot open {name}')
        camera = isinstance(source, int)
        fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
        total = None if camera else (
            int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) or None)
        smooth = self.smoothing_on('webcam' if camera else 'video')
        tracker = self.inferencer.tracker(
            det_interval=a.det_interval, flip_test=self.flip_test(),
            bbox_thr=a.bbox_thr, nms_thr=a.nms_thr, iou_thr=a.track_iou,
            track_score=a.track_score,
            max_missed=a.track_max_missed, smooth=smooth,
            **self.filter_args())
        stem = osp.splitext(osp.basename(name))[0]
        header = dict(
            input=name, fps=fps,
            smoothing=dict(filter='one_euro', **self.filter_args())
            if smooth else None,
            tracking=dict(det_interval=a.det_interval,
                          flip_test=self.flip_test(),
                          track_score=a.track_score,
                          backend=self.backend()))
        bar = tqdm(total=total, desc=stem, unit='frame')

        def on_frame(idx, vis, faces):
            if a.show_heatmaps:
                self.save_grids(vis, self.inferencer.last_heatmaps,
                                osp.join(self.out_dir, 'heatmaps', stem,
                                         f'{idx:06d}'))
            bar.set_postfix(faces=len(faces), tracks=tracker.num_tracks,
                            refresh=False)
            bar.update(1)
            if a.show or camera:
                cv2.imshow('awing demo (Esc quits)', vis)
                return cv2.waitKey(1) & 0xFF != 27
            return True

        timer = StageTimer()
        try:
            result = run_video(
                read_frames(cap, timer), tracker, fps,
                video_out=osp.join(self.out_dir, 'vis', stem + '.mp4'),
                json_out=osp.join(self.out_dir, 'predictions',
                                  stem + '.json'),
                header=header, min_face_size=a.min_face_size,
                draw_args=dict(kpt_thr=a.kpt_thr, radius=a.radius,
                               thickness=a.thickness),
                on_frame=on_frame, timer=timer)
        finally:
            bar.close()
            cap.release()
        print(summary_line(name, result.counts, result.seconds,
                           tracks=result.tracks, video=True), flush=True)
        stages = ', '.join(f'{k} {v:.1f}' for k, v in
                           result.timer.ms_per(result.counts.frames).items())
        print(f'demo: {name}: ms per frame: {stages}; detector on '
              f'{tracker.detections} of {result.counts.frames} frames',
              flush=True)


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
    if args.det_interval < 1:
        raise ValueError(f'demo: --det-interval must be >= 1, got '
                         f'{args.det_interval}')
    demo = Demo(args, kind)
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
