#!/usr/bin/env python
"""Video landmarks on the CPU: the old per-frame-detection path against the
tracking path, in one process, on a clip the project makes itself.

    python tools/benchmarks/video_speed.py [--frames 400] [--hard] \
        [--det-interval 10] [--memory-frames 4000] [--threads 2] \
        [--out-dir work_dirs/benchmarks/video] [--json OUT] [--quick]

The clip (:class:`awing_mmpose.testing.GroupClip`): 640 x 426, three faces
(public-domain portraits side by side, slowly turning and zooming, fresh
pixel noise in every frame), 25 frames/s; ``--hard`` makes the third face
the near-profile cameraman, where the shipped model fails.

Paths, each run over the same clip with the shipped model, the video
written as mp4 and the landmarks as JSON, as ``tools/demo.py`` does:

* ``old``: the demo before the tracker: per frame, the MMPose inferencer
  (MTCNN on the whole frame, crops, network in PyTorch with the config's
  test-time flip, MMPose's visualizer), IoU tracking, One-Euro smoothing,
  the faces redrawn, all frames' results kept for one JSON dump at the end;
* ``new``: ``tools/demo.py``'s defaults (:func:`awing_mmpose.apis.run_video`):
  the detector only when needed (every ``--det-interval`` frames, lost or
  unsure faces), crops from the last landmarks, one batch per frame, ONNX
  Runtime (PyTorch, which still runs the detector and the crops, on one
  thread), no flip, smoothing, streamed JSON, the video encoded in a
  thread of its own;
* ``new_every_frame``: the same with the detector on every frame: the
  per-frame-detection reference of the accuracy check;
* ``new_pytorch`` and ``new_flip``: the new path in PyTorch, and with the
  flip (what each choice costs).

Printed and written (``--json``, a record of
:func:`awing_mmpose.utils.run_record`: command, date, git commit, versions,
settings, results): frames per second and milliseconds per
frame of each stage (decode, detect, crop, network, decode heatmaps,
smooth, draw, write, other) of every path; the speed-up of ``new`` over
``old``; the longest run of frames in which a true face has no landmarks; the mean
frame-to-frame motion of each face's unsmoothed landmarks;
the mean distance of ``new``'s landmarks to ``new_every_frame``'s (raw and
smoothed, in % of the face box side, per face); and, unless ``--quick``,
the peak memory of ``tools/demo.py`` on ``--frames`` and on
``--memory-frames`` frames of the clip (separate processes). Asserts
nothing; not part of the tests.
"""
import argparse
import json
import os
import os.path as osp
import platform
import subprocess
import sys
import time

import cv2
import numpy as np

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
STAGES = ('decode', 'detect', 'crop', 'network', 'decode heatmaps', 'smooth',
          'draw', 'write')


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--frames', type=int, default=400)
    p.add_argument('--memory-frames', type=int, default=4000,
                   help='0: no memory runs')
    p.add_argument('--det-interval', type=int, default=10)
    p.add_argument('--threads', type=int, default=2,
                   help='torch threads of the PyTorch paths (with ONNX '
                   'Runtime, PyTorch runs on one thread as in the demo)')
    p.add_argument('--hard', action='store_true',
                   help='the third face is the near-profile cameraman')
    p.add_argument('--paths', nargs='+',
                   default=['old', 'new', 'new_every_frame', 'new_pytorch',
                            'new_flip'])
    p.add_argument('--out-dir', default='work_dirs/benchmarks/video')
    p.add_argument('--json', default=None)
    p.add_argument('--quick', action='store_true',
                   help='60 frames, old and new only, no memory runs')
    return p.parse_args(argv)


# -- the paths -----------------------------------------------------------
def timed_method(obj, name: str, timer, stage: str) -> None:
    """Count the time of ``obj.name(...)`` into ``timer[stage]``."""
    method = getattr(obj, name)

    def wrapper(*args, **kwargs):
        with timer(stage):
            return method(*args, **kwargs)

    setattr(obj, name, wrapper)


def old_path(video: str, out_dir: str, timer, threads: int) -> dict:
    """The per-frame loop of ``tools/demo.py`` before the tracker, with a
    timer around each stage."""
    import torch

    from awing_mmpose.apis import (FaceTracker, faces_from_sample,
                                   init_face_inferencer, read_frames)
    torch.set_num_threads(threads)
    from awing_mmpose.apis.face_tracker import frame_time
    from awing_mmpose.visualization import draw_faces
    inf = init_face_inferencer()
    timed_method(inf, 'detect_faces', timer, 'detect')
    timed_method(inf, 'pipeline', timer, 'crop')
    timed_method(inf.model, 'extract_feat', timer, 'network')
    timed_method(inf.model.head, 'decode', timer, 'decode heatmaps')
    timed_method(inf, 'visualize', timer, 'draw')
    tracker = FaceTracker()
    timed_method(tracker, 'update', timer, 'smooth')
    cap = cv2.VideoCapture(video)
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    writer, frames = None, []
    start = time.perf_counter()
    for idx, frame in enumerate(read_frames(cap, timer)):
        res = next(inf(frame, return_datasamples=True, return_vis=True,
                       draw_bbox=True, kpt_thr=0.3, bbox_thr=0.3,
                       nms_thr=0.3, radius=2, thickness=1))
        vis = cv2.cvtColor(res['visualization'][0], cv2.COLOR_RGB2BGR)
        faces = faces_from_sample(res['predictions'][0])
        tracker.update(faces, frame_time(idx, fps))
        with timer('draw'):
            vis = draw_faces(frame, faces)  # the smoothed landmarks
        with timer('write'):
            if writer is None:
                writer = cv2.VideoWriter(
                    osp.join(out_dir, 'old.mp4'),
                    cv2.VideoWriter_fourcc(*'mp4v'), fps,
                    (vis.shape[1], vis.shape[0]))
            writer.write(vis)
        frames.append(dict(frame=idx, faces=faces))
    with timer('write'):
        writer.release()
        with open(osp.join(out_dir, 'old.json'), 'w') as f:
            json.dump(dict(input=video, fps=fps, frames=frames), f)
    cap.release()
    return dict(seconds=time.perf_counter() - start, frames=len(frames),
                detections=len(frames))


def new_path(video: str, out_dir: str, name: str, timer, det_interval: int,
             threads: int, backend: str = 'onnxruntime',
             flip: bool = False) -> dict:
    """``tools/demo.py``'s video loop with the given settings (with ONNX
    Runtime, PyTorch on one thread, as the demo does)."""
    import torch

    from awing_mmpose.apis import init_face_inferencer, read_frames, run_video
    torch.set_num_threads(threads)
    inf = init_face_inferencer()
    if backend == 'onnxruntime':
        inf.use_onnxruntime(torch_threads=1)
    tracker = inf.tracker(det_interval=det_interval, flip_test=flip)
    cap = cv2.VideoCapture(video)
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    result = run_video(read_frames(cap, timer), tracker, fps,
                       video_out=osp.join(out_dir, name + '.mp4'),
                       json_out=osp.join(out_dir, name + '.json'),
                       header=dict(input=video, fps=fps), timer=timer)
    cap.release()
    return dict(seconds=result.seconds, frames=result.counts.frames,
                detections=tracker.detections)


# -- the checks ----------------------------------------------------------
def load_frames(path: str) -> list:
    with open(path) as f:
        return json.load(f)['frames']


def match_truth(faces: list, truth: np.ndarray) -> list:
    """For each true box, the face whose crop-box centre is nearest to its
    centre, if within half its side; else None."""
    out = []
    for box in truth:
        centre, side = (box[:2] + box[2:]) / 2, min(box[2:] - box[:2])
        best, dist = None, side / 2
        for face in faces:
            b = np.asarray(face['bbox'])
            d = np.linalg.norm((b[:2] + b[2:]) / 2 - centre)
            if d < dist:
                best, dist = face, d
        out.append(best)
    return out


def coverage(frames: list, clip) -> dict:
    """Per true face: frames without landmarks and the longest run of
    them."""
    n = len(clip.faces)
    missing, longest, run = [0] * n, [0] * n, [0] * n
    for rec in frames:
        matched = match_truth(rec['faces'], clip.face_boxes(rec['frame']))
        for k, face in enumerate(matched):
            run[k] = run[k] + 1 if face is None else 0
            missing[k] += face is None
            longest[k] = max(longest[k], run[k])
    return dict(missing_frames=missing, longest_gap=longest)


def agreement(frames: list, ref: list, clip, key: str) -> dict:
    """Mean distance of ``frames``' landmarks to ``ref``'s (``key``: raw or
    smoothed), in % of the reference face's box side, per face."""
    n = len(clip.faces)
    dists = [[] for _ in range(n)]
    for rec, rrec in zip(frames, ref):
        truth = clip.face_boxes(rec['frame'])
        for k, (a, b) in enumerate(zip(match_truth(rec['faces'], truth),
                                       match_truth(rrec['faces'], truth))):
            if a is None or b is None:
                continue
            box = np.asarray(b['bbox'])
            side = min(box[2:] - box[:2])
            d = np.linalg.norm(np.asarray(a[key]) - np.asarray(b[key]),
                               axis=1).mean()
            dists[k].append(100 * d / side)
    per_face = [float(np.mean(d)) if d else None for d in dists]
    every = [v for d in dists for v in d]
    return dict(per_face=per_face, mean=float(np.mean(every)),
                p90=float(np.percentile(every, 90)))


def motion(frames: list, clip, key: str) -> dict:
    """Mean frame-to-frame motion of each true face's landmarks (``key``),
    in % of its box side: jitter plus the clip's slow motion."""
    n = len(clip.faces)
    moves = [[] for _ in range(n)]
    prev = [None] * n
    for rec in frames:
        matched = match_truth(rec['faces'], clip.face_boxes(rec['frame']))
        for k, face in enumerate(matched):
            if face is not None and prev[k] is not None:
                box = np.asarray(face['bbox'])
                d = np.linalg.norm(np.asarray(face[key]) -
                                   np.asarray(prev[k][key]), axis=1).mean()
                moves[k].append(100 * d / min(box[2:] - box[:2]))
            prev[k] = face
    return dict(per_face=[float(np.mean(m)) if m else None for m in moves])


def peak_memory(video: str, out_dir: str) -> float:
    """Peak resident memory (MB) of ``tools/demo.py`` on ``video`` with its
    defaults, in a process of its own."""
    code = ('import resource, subprocess, sys; '
            'subprocess.run(sys.argv[1:], check=True, '
            'stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); '
            'print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)')
    out = subprocess.run(
        [sys.executable, '-c', code, sys.executable,
         osp.join(ROOT, 'tools', 'demo.py'), video, '--out-dir', out_dir],
        check=True, capture_output=True, text=True).stdout
    return int(out.strip().splitlines()[-1]) / 1024  # KiB -> MiB


# -- report --------------------------------------------------------------
def stage_row(name: str, res: dict) -> str:
    ms = res['ms_per_frame']
    cells = ' '.join(f'{ms.get(s, 0.0):7.1f}' for s in STAGES + ('other', ))
    return f'{name:16s} {res["fps"]:6.1f} {cells}'


def main(argv=None) -> int:
    args = parse_args(argv)
    import torch

    import awing_mmpose  # noqa: F401
    from awing_mmpose.apis import StageTimer
    from awing_mmpose.testing import DEFAULT_FACES, HARD_FACES, GroupClip
    from awing_mmpose.utils import run_record, write_record
    if args.quick:
        args.frames, args.paths = 60, ['old', 'new']
    os.makedirs(args.out_dir, exist_ok=True)
    clip = GroupClip(num_frames=args.frames,
                     faces=HARD_FACES if args.hard else DEFAULT_FACES)
    video = clip.write(osp.join(args.out_dir, 'clip.mp4'))
    print(f'video_speed: {video}: {args.frames} frames of {clip.size[0]}x'
          f'{clip.size[1]}, faces {", ".join(clip.faces)}; torch '
          f'{torch.__version__}, {args.threads} threads, '
          f'{platform.processor() or platform.machine()}, '
          f'{os.cpu_count()} CPUs', flush=True)

    settings = dict(
        old=lambda t: old_path(video, args.out_dir, t, args.threads),
        new=lambda t: new_path(video, args.out_dir, 'new', t,
                               args.det_interval, args.threads),
        new_every_frame=lambda t: new_path(video, args.out_dir,
                                           'new_every_frame', t, 1,
                                           args.threads),
        new_pytorch=lambda t: new_path(video, args.out_dir, 'new_pytorch', t,
                                       args.det_interval, args.threads,
                                       'pytorch'),
        new_flip=lambda t: new_path(video, args.out_dir, 'new_flip', t,
                                    args.det_interval, args.threads,
                                    flip=True))
    results = {}
    for name in args.paths:
        timer = StageTimer()
        res = settings[name](timer)
        ms = timer.ms_per(res['frames'])
        ms['other'] = max(
            0.0, 1000 * res['seconds'] / res['frames'] - sum(ms.values()))
        frames = load_frames(osp.join(args.out_dir, name + '.json'))
        res.update(fps=res['frames'] / res['seconds'], ms_per_frame=ms,
                   coverage=coverage(frames, clip),
                   raw_motion_percent=motion(frames, clip, 'keypoints_raw'))
        results[name] = res
        print(f'video_speed: {name}: {res["fps"]:.1f} frames/s, detector on '
              f'{res["detections"]} of {res["frames"]} frames', flush=True)

    print('\nframes/s and ms per frame of each stage')
    print(f'{"path":16s} {"fps":>6s} ' + ' '.join(
        f'{s[:7]:>7s}' for s in STAGES + ('other', )))
    for name, res in results.items():
        print(stage_row(name, res))
    settings = dict(
        machine=dict(processor=platform.processor() or platform.machine(),
                     cpus=os.cpu_count(), torch_threads=args.threads),
        clip=dict(frames=args.frames, size=list(clip.size), faces=clip.faces,
                  fps=clip.fps, noise=clip.noise),
        det_interval=args.det_interval)
    out = dict(paths=results)
    if 'old' in results and 'new' in results:
        out['speedup_new_over_old'] = results['new']['fps'] / \
            results['old']['fps']
        print(f'\nnew over old: {out["speedup_new_over_old"]:.2f} x the '
              'frame rate')
    for name, res in results.items():
        moves = ', '.join('-' if v is None else f'{v:.2f}'
                          for v in res['raw_motion_percent']['per_face'])
        print(f'{name}: frames without landmarks per face '
              f'{res["coverage"]["missing_frames"]}, longest run '
              f'{res["coverage"]["longest_gap"]}; frame-to-frame motion of '
              f'the landmarks per face {moves} % of the box side')
    if 'new_every_frame' in results:
        ref = load_frames(osp.join(args.out_dir, 'new_every_frame.json'))
        out['agreement_with_every_frame_detection'] = {}
        for name in results:
            if name == 'new_every_frame' or name == 'old':
                continue
            frames = load_frames(osp.join(args.out_dir, name + '.json'))
            agr = {key: agreement(frames, ref, clip, key)
                   for key in ('keypoints_raw', 'keypoints')}
            out['agreement_with_every_frame_detection'][name] = agr
            for key, a in agr.items():
                faces = ', '.join('-' if v is None else f'{v:.2f}'
                                  for v in a['per_face'])
                print(f'{name} vs new_every_frame, {key}: mean '
                      f'{a["mean"]:.2f} % of the box side (per face '
                      f'{faces}; 90th percentile {a["p90"]:.2f} %)')
    if not args.quick and args.memory_frames > 0:
        long_clip = GroupClip(num_frames=args.frames,
                              faces=clip.faces).write(
            osp.join(args.out_dir, 'clip_long.mp4'), args.memory_frames)
        mem = {str(args.frames): peak_memory(video,
                                              osp.join(args.out_dir, 'mem')),
               str(args.memory_frames): peak_memory(
                   long_clip, osp.join(args.out_dir, 'mem'))}
        out['demo_peak_memory_mb'] = mem
        ratio = mem[str(args.memory_frames)] / mem[str(args.frames)]
        out['memory_ratio'] = ratio
        print(f'tools/demo.py peak memory: {mem[str(args.frames)]:.0f} MB '
              f'on {args.frames} frames, {mem[str(args.memory_frames)]:.0f}'
              f' MB on {args.memory_frames} frames ({ratio:.3f} x)')
    if args.json:
        write_record(args.json, run_record(__file__, argv, settings, out))
        print(f'wrote {args.json}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
