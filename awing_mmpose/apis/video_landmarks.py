"""Face landmarks of a whole video or camera stream, written out frame by
frame: the annotated video and a JSON file, with nothing of the past
frames kept in memory.

:func:`run_video` is the loop of ``tools/demo.py`` for videos and webcams:
read a frame, find the faces' landmarks (:class:`FaceLandmarkTracker`),
flag them, draw them, write the frame and its JSON record. Each stage's
time goes into a :class:`StageTimer` (``decode``, ``detect``, ``crop``,
``network``, ``decode heatmaps``, ``smooth``, ``draw``, ``write``). The
video is encoded in a thread of its own (:class:`AsyncVideoWriter`):
``write`` is the time the loop spends on the JSON record and waiting for
the encoder, while the encoding itself overlaps with the next frames.
"""
import json
import os
import os.path as osp
import queue
import threading
import time
from typing import Callable, Dict, Iterator, List, Optional

import cv2
import numpy as np

from ..visualization.face_drawing import draw_faces
from .face_landmark_tracker import FaceLandmarkTracker
from .face_report import FaceCounts, face_flags
from .stage_timer import StageTimer, timed


class FramesJsonWriter:
    """Writes ``{**header, "frames": [record, ...]}`` one record at a time.

    The file is complete JSON once :meth:`close` ran, which a ``with`` block
    does also when the loop fails: the frames written so far are kept.

    Args:
        path (str): the JSON file.
        header (dict): the keys before ``"frames"``.
    """

    def __init__(self, path: str, header: Dict) -> None:
        os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
        self.path = path
        self._file = open(path, 'w')
        head = json.dumps(dict(header, frames=[]), indent=1)
        # everything up to the empty list's closing bracket
        self._file.write(head[:head.rindex('[') + 1])
        self._count = 0

    def write(self, record: Dict) -> None:
        self._file.write((',' if self._count else '') + '\n  ' +
                         json.dumps(record, separators=(',', ':')))
        self._count += 1

    def close(self) -> None:
        if not self._file.closed:
            self._file.write('\n ]\n}\n')
            self._file.close()

    def __enter__(self) -> 'FramesJsonWriter':
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_frames(cap: cv2.VideoCapture,
                timer: Optional[StageTimer] = None) -> Iterator[np.ndarray]:
    """The frames of an opened ``cv2.VideoCapture`` (time: ``decode``)."""
    while True:
        with timed(timer, 'decode'):
            ok, frame = cap.read()
        if not ok:
            return
        yield frame


class VideoResult:
    """What :func:`run_video` saw: counts, tracks, wall time, stages."""

    def __init__(self) -> None:
        self.counts = FaceCounts()
        self.tracks = 0
        self.seconds = 0.0
        self.timer = StageTimer()

    @property
    def fps(self) -> float:
        """Frames per second over the whole loop."""
        return self.counts.frames / max(self.seconds, 1e-9)


def run_video(frames: Iterator[np.ndarray],
              tracker: FaceLandmarkTracker,
              fps: float,
              video_out: Optional[str] = None,
              json_out: Optional[str] = None,
              header: Optional[Dict] = None,
              min_face_size: float = 32,
              draw_args: Optional[Dict] = None,
              on_frame: Optional[Callable[[int, np.ndarray, List[Dict]],
                                          bool]] = None,
              timer: Optional[StageTimer] = None) -> VideoResult:
    """Landmarks of every frame, written as they come.

    Args:
        frames (iterator): (H, W, 3) BGR uint8 frames (e.g.
            :func:`read_frames`).
        tracker (FaceLandmarkTracker): finds the faces; its tracks carry
            over from an earlier call unless it is reset.
        fps (float): frame rate (time stamps; the output video's rate).
        video_out (str, optional): mp4 file for the annotated frames.
        json_out (str, optional): JSON file: ``header`` and ``frames``,
            one ``{"frame": i, "faces": [...]}`` per frame (faces as
            :meth:`FaceLandmarkTracker.__call__` gives them, with
            ``flags``).
        min_face_size (float): faces smaller than this (px) are flagged.
        draw_args (dict, optional): ``kpt_thr``, ``radius``, ``thickness``
            of :func:`~awing_mmpose.visualization.draw_faces`.
        on_frame (callable, optional): ``on_frame(index, picture, faces)``
            after each frame; returning ``False`` stops the loop.
        timer (StageTimer, optional): where the stages' times go (default:
            the result's own).

    Returns:
        VideoResult: counts, tracks and time (the frames' results are in
        the files, not in memory).
    """
    result = VideoResult()
    timer = timer if timer is not None else result.timer
    result.timer = timer
    writer = None
    json_file = FramesJsonWriter(json_out, header or {}) if json_out \
        else None
    start = time.perf_counter()
    try:
        for idx, frame in enumerate(frames):
            faces = tracker(frame, tracker.next_time(fps), timer)
            for face in faces:
                face['flags'] = face_flags(face, frame.shape, min_face_size)
            result.counts.add(faces)
            with timed(timer, 'draw'):
                vis = draw_faces(frame, faces, **(draw_args or {}))
            with timed(timer, 'write'):
                if video_out:
                    if writer is None:
                        writer = AsyncVideoWriter(
                            video_out, fps, (vis.shape[1], vis.shape[0]))
                    writer.write(vis)
                if json_file is not None:
                    json_file.write(dict(frame=idx, faces=faces))
            if on_frame is not None and on_frame(idx, vis, faces) is False:
                break
    finally:
        result.seconds = time.perf_counter() - start
        result.tracks = tracker.next_id
        if writer is not None:
            writer.close()
        if json_file is not None:
            json_file.close()
    return result


class AsyncVideoWriter:
    """An mp4 (mp4v) writer whose encoding runs in a thread of its own, so
    that it overlaps with the next frame's work (OpenCV releases the GIL
    while it encodes). Frames are written in order; at most ``queue_size``
    wait, so memory stays bounded.

    Args:
        path (str): the video file.
        fps (float): its frame rate.
        size (tuple[int, int]): frame (width, height).
        queue_size (int): frames that may wait for the encoder.
    """

    def __init__(self, path: str, fps: float, size, queue_size: int = 4):
        os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
        self._writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'),
                                       fps, tuple(size))
        if not self._writer.isOpened():
            raise IOError(f'cannot write the video {path}')
        self.path = path
        self._queue: queue.Queue = queue.Queue(queue_size)
        self._error: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            frame = self._queue.get()
            if frame is None:
                return
            if self._error is None:
                try:
                    self._writer.write(frame)
                except BaseException as exc:  # raised again in the caller
                    self._error = exc

    def _check(self) -> None:
        if self._error is not None:
            raise IOError(f'writing {self.path} failed: '
                          f'{self._error}') from self._error

    def write(self, frame: np.ndarray) -> None:
        """Queue a (H, W, 3) BGR uint8 frame (waits while the queue is
        full)."""
        self._check()
        self._queue.put(frame)

    def close(self) -> None:
        """Write what is queued and close the file."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
            self._writer.release()
        self._check()
