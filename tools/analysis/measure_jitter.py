#!/usr/bin/env python
"""Landmark jitter on a still face, with and without the One-Euro filter of
``tools/demo.py``.

    python tools/analysis/measure_jitter.py CONFIG [CHECKPOINT] \
        --photo data/real_faces/astronaut.png [--frames 50] [--noise 6] \
        [--fps 25] [--seed 0] [--out-dir outputs/jitter] \
        [--min-cutoff 1.0] [--beta 0.05] [--d-cutoff 1.0] \
        [--demo-args "--det-interval 1 --flip-test on"] [--json record.json]

The still-face video: the photo repeated ``--frames`` times, each frame with
its own Gaussian pixel noise (standard deviation ``--noise`` grey levels,
seeded), written by OpenCV as an mp4v video at ``--fps``. Nothing moves, so
every frame-to-frame change of a landmark is jitter (from the noise, the
video codec, the detector's box and the network). ``tools/demo.py`` runs on
that video with smoothing on; its JSON holds per face both the filtered
``keypoints`` and the unfiltered ``keypoints_raw`` of the same run. Jitter =
mean over consecutive frames and landmarks of ``|p_t - p_{t-1}|`` (pixels,
and as a share of the face box side), for the face of track id 0.

``--demo-args`` passes more options to ``tools/demo.py`` (its video
defaults otherwise: the tracker, ONNX Runtime, no flip; e.g.
``"--det-interval 1 --backend pytorch --flip-test on"`` comes close to the
demo's per-frame-detection path before this release).

``--mtcnn-landmarks`` measures the same on the five landmarks (eyes, nose,
mouth corners) that the MTCNN face detector's O-Net predicts, a trained
network, filtered frame by frame with the same One-Euro parameters (no
landmark checkpoint needed; CONFIG is then ignored).

``--json`` writes the figures with the settings, the command line, the
versions and the git commit (:func:`awing_mmpose.utils.run_record`).
"""
import argparse
import json
import os
import os.path as osp
import shlex
import subprocess
import sys

import cv2
import numpy as np

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config')
    p.add_argument('checkpoint', nargs='?', default=None)
    p.add_argument('--photo', required=True)
    p.add_argument('--frames', type=int, default=50)
    p.add_argument('--noise', type=float, default=6.0)
    p.add_argument('--fps', type=float, default=25.0)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--out-dir', default=osp.join('outputs', 'jitter'))
    p.add_argument('--min-cutoff', type=float, default=1.0)
    p.add_argument('--beta', type=float, default=0.05)
    p.add_argument('--d-cutoff', type=float, default=1.0)
    p.add_argument('--device', default='cpu')
    p.add_argument('--demo-args', default='',
                   help='more options for tools/demo.py, as one string')
    p.add_argument('--mtcnn-landmarks', action='store_true',
                   help="measure MTCNN's five landmarks instead of the "
                   "landmark model's")
    p.add_argument('--json', default=None,
                   help='write the figures, the settings and the command '
                   'line to this file')
    return p.parse_args(argv)


def make_still_video(photo: str, path: str, frames: int, noise: float,
                     fps: float, seed: int) -> None:
    """Write the photo ``frames`` times with fresh Gaussian noise each."""
    img = cv2.imread(photo, cv2.IMREAD_COLOR)
    if img is None:
        raise FileNotFoundError(f'measure_jitter: cannot read {photo}')
    h, w = img.shape[:2]
    rng = np.random.default_rng(seed)
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), fps,
                             (w, h))
    if not writer.isOpened():
        raise IOError(f'measure_jitter: cannot write {path}')
    for _ in range(frames):
        noisy = img.astype(np.float32) + rng.normal(0, noise, img.shape)
        writer.write(np.clip(np.round(noisy), 0, 255).astype(np.uint8))
    writer.release()


def jitter(track: list, key: str) -> tuple:
    """Mean frame-to-frame landmark motion (px) and the same divided by the
    mean box side, over consecutive frames of one track."""
    moves, sides = [], []
    for prev, cur in zip(track, track[1:]):
        if cur['frame'] != prev['frame'] + 1:
            continue
        a = np.asarray(prev['face'][key])
        b = np.asarray(cur['face'][key])
        moves.append(np.linalg.norm(b - a, axis=1).mean())
        x1, y1, x2, y2 = cur['face']['bbox']
        sides.append(min(x2 - x1, y2 - y1))
    if not moves:
        raise RuntimeError('measure_jitter: the face was not found in two '
                           'consecutive frames')
    m = float(np.mean(moves))
    return m, m / float(np.mean(sides))


def mtcnn_track(video: str, args) -> list:
    """Per frame: the best MTCNN face's box and five landmarks, raw and
    One-Euro filtered (the frames where MTCNN finds a face)."""
    from awing_mmpose.apis import MTCNNFaceDetector, OneEuroFilter
    from awing_mmpose.apis.face_tracker import frame_time
    det = MTCNNFaceDetector(log_empty=False)
    flt = OneEuroFilter(args.min_cutoff, args.beta, args.d_cutoff)
    cap = cv2.VideoCapture(video)
    track, idx = [], 0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        boxes, _ = det.detect(frame)
        if len(boxes):
            raw = det.last_landmarks[0].astype(np.float64)
            track.append(dict(frame=idx, face=dict(
                bbox=boxes[0].tolist(), keypoints_raw=raw.tolist(),
                keypoints=flt(raw, frame_time(idx, args.fps)).tolist())))
        idx += 1
    cap.release()
    return track


def main(argv=None) -> int:
    args = parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)
    stem = 'still_' + osp.splitext(osp.basename(args.photo))[0]
    video = osp.join(args.out_dir, stem + '.mp4')
    make_still_video(args.photo, video, args.frames, args.noise, args.fps,
                     args.seed)
    if args.mtcnn_landmarks:
        figures = report(args, mtcnn_track(video, args),
                         'MTCNN five landmarks')
        write_json(args, figures, argv)
        return 0
    demo_args = [video, '--config', args.config, '--out-dir', args.out_dir,
                 '--device', args.device, '--smooth', 'on',
                 '--min-cutoff', str(args.min_cutoff), '--beta',
                 str(args.beta), '--d-cutoff', str(args.d_cutoff)]
    if args.checkpoint:
        demo_args += ['--checkpoint', args.checkpoint]
    demo_args += shlex.split(args.demo_args)
    # the demo runs as the user runs it, in its own interpreter
    rc = subprocess.run([sys.executable, osp.join(ROOT, 'tools', 'demo.py')]
                        + demo_args).returncode
    if rc != 0:
        print(f'measure_jitter: tools/demo.py failed (exit status {rc})',
              file=sys.stderr)
        return rc
    with open(osp.join(args.out_dir, 'predictions', stem + '.json')) as f:
        result = json.load(f)
    track = [dict(frame=fr['frame'], face=face) for fr in result['frames']
             for face in fr['faces'] if face.get('track_id') == 0]
    figures = report(args, track, f'{args.config} landmarks, track 0')
    write_json(args, figures, argv)
    return 0


def write_json(args, figures: dict, argv=None) -> None:
    """The record of this run (nothing without ``--json``)."""
    if not args.json:
        return
    from awing_mmpose.utils import repo_relative, run_record, write_record
    settings = dict(
        landmarks='MTCNN five landmarks' if args.mtcnn_landmarks else
        'landmark model, track 0',
        config=None if args.mtcnn_landmarks else repo_relative(args.config),
        checkpoint=None if args.mtcnn_landmarks else repo_relative(
            args.checkpoint),
        photo=repo_relative(args.photo), frames=args.frames,
        noise_sigma=args.noise, fps=args.fps, seed=args.seed,
        video_codec='mp4v', min_cutoff_hz=args.min_cutoff, beta=args.beta,
        d_cutoff_hz=args.d_cutoff, device=args.device)
    write_record(args.json, run_record(__file__, argv, settings, figures))


def report(args, track: list, what: str) -> dict:
    raw_px, raw_rel = jitter(track, 'keypoints_raw')
    flt_px, flt_rel = jitter(track, 'keypoints')
    print(f'measure_jitter: {args.photo}, {args.frames} frames, noise '
          f'sigma {args.noise:g}, {what} in {len(track)} frames; One-Euro '
          f'min_cutoff {args.min_cutoff:g} Hz, beta {args.beta:g}, d_cutoff '
          f'{args.d_cutoff:g} Hz at {args.fps:g} fps')
    print(f'jitter without filter: {raw_px:.3f} px per frame '
          f'({100 * raw_rel:.3f} % of the face box)')
    print(f'jitter with filter:    {flt_px:.3f} px per frame '
          f'({100 * flt_rel:.3f} % of the face box); ratio '
          f'{flt_px / max(raw_px, 1e-12):.3f}')
    return dict(frames_with_face=len(track), raw_px=raw_px,
                raw_share_of_box=raw_rel, filtered_px=flt_px,
                filtered_share_of_box=flt_rel,
                ratio=flt_px / max(raw_px, 1e-12))


if __name__ == '__main__':
    sys.exit(main())
