"""Landmarks of every face in a video, with the face detector run only when
it is needed.

A face seen in one frame is, in the next, where its landmarks were. So the
detector runs on the first frame, every ``det_interval`` frames (to find new
faces), on the frame after a face was lost (its landmark confidence fell
below ``min_score``) and while no face is tracked; on the other frames each
face is cropped from a box placed on its landmarks of the previous frame.
The crop of a face whose landmarks are unsure (mean score below
``track_score``) is checked against the detector, run in a window around
it (a fraction of a whole-frame detection), and replaced by the detector's
box when the two disagree. All faces of a frame go through the landmark
network as one batch.

The crop between detections is the detector's last box moved with the
face (:func:`follow_box`): the similarity transform from the landmarks
predicted in that box to the face's current landmarks shifts and scales
it. The crop therefore frames the face the way the detector (and the
training data) does, and any drift is reset at every detection.
"""
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np

from ..utils.similarity import fit_similarity
from .face_tracker import box_iou, frame_time, greedy_match
from .one_euro_filter import OneEuroFilter
from .stage_timer import StageTimer, timed

#: ``detect(frame) -> (n, 5)`` boxes x1 y1 x2 y2 score, by decreasing score
Detector = Callable[[np.ndarray], np.ndarray]
#: ``predict(frame, boxes (n, 4), timer) -> (keypoints (n, K, 2), scores
#: (n, K))`` in image pixels
Predictor = Callable[[np.ndarray, np.ndarray, Optional[StageTimer]],
                     Tuple[np.ndarray, np.ndarray]]


def landmark_box(keypoints: np.ndarray) -> np.ndarray:
    """The box enclosing (K, 2) landmarks: (4,) x1 y1 x2 y2."""
    kpts = np.asarray(keypoints, np.float64).reshape(-1, 2)
    return np.concatenate([kpts.min(0), kpts.max(0)])


def follow_box(box: np.ndarray, ref_keypoints: np.ndarray,
               keypoints: np.ndarray, weights: Optional[np.ndarray] = None,
               prev_box: Optional[np.ndarray] = None,
               max_step: float = 0.15) -> np.ndarray:
    """Move a detector box with its face.

    The least-squares similarity (scale, rotation, shift) that maps the
    landmarks predicted in ``box`` (``ref_keypoints``) onto the face's
    current landmarks moves the box's centre and scales its sides. A fit
    over all K points is stable where the extreme points are not: one
    wrong jaw point barely moves it.

    Args:
        box (np.ndarray): (4,) x1 y1 x2 y2, the detector's box.
        ref_keypoints (np.ndarray): (K, 2) landmarks predicted in ``box``.
        keypoints (np.ndarray): (K, 2) current landmarks.
        weights (np.ndarray, optional): (K,) weight of each landmark.
        prev_box (np.ndarray, optional): the last crop box; the new one's
            side differs from it by at most the factor ``1 + max_step``
            and its centre by at most ``max_step`` of its side.

    Returns:
        np.ndarray: (4,) the crop box for the next frame.
    """
    sim = fit_similarity(ref_keypoints, keypoints, weights)
    box = np.asarray(box, np.float64)
    centre = sim((box[:2] + box[2:]) / 2)
    size = sim.scale * (box[2:] - box[:2])
    if prev_box is not None:
        prev_c = (prev_box[:2] + prev_box[2:]) / 2
        prev_s = prev_box[2:] - prev_box[:2]
        size = np.clip(size, prev_s / (1 + max_step), prev_s * (1 + max_step))
        centre = prev_c + np.clip(centre - prev_c, -max_step * prev_s,
                                  max_step * prev_s)
    return np.concatenate([centre - size / 2, centre + size / 2])


class _Track:
    """One tracked face."""

    def __init__(self, track_id: int, box: np.ndarray, det_score: float,
                 filter_args: dict) -> None:
        self.id = track_id
        self.box = np.asarray(box, np.float64)  # the crop box of this frame
        self.det_score = float(det_score)
        self.det_box = self.box  # the detector's last box
        self.ref_keypoints: Optional[np.ndarray] = None  # predicted in it
        self.keypoints: Optional[np.ndarray] = None  # raw, (K, 2)
        self.scores: Optional[np.ndarray] = None
        self.detected = True  # the box came from the detector this frame
        self.unconfirmed = 0  # detection rounds in a row that missed it
        self.filter = OneEuroFilter(**filter_args)


class FaceLandmarkTracker:
    """Face landmarks over video frames, detecting only when needed.

    Args:
        detect (callable): ``detect(frame) -> (n, 5)`` boxes x1 y1 x2 y2 and
            score, already thresholded (e.g.
            :meth:`FaceLandmarkInferencer.detect_faces`).
        predict (callable): ``predict(frame, boxes, timer) -> (keypoints,
            scores)``: (n, K, 2) image pixels and (n, K) for (n, 4) boxes,
            all faces in one batch (e.g.
            :meth:`FaceLandmarkInferencer.predict_faces`).
        det_interval (int): run the detector at least every this many
            frames (1: on every frame).
        min_score (float): a face whose mean landmark score (heatmap
            maximum) falls below this is lost; the detector runs on the
            next frame.
        track_score (float): a face whose mean landmark score is below
            this is unsure: on the next frame the detector also looks for
            it in a window around its crop (``redetect_window`` times the
            crop's side), and its box replaces the crop when the two
            overlap by less than ``snap_iou`` (the landmarks would carry
            the crop away).
        redetect_window (float): side of that window over the crop's side.
        snap_iou (float): see ``track_score``.
        iou_thr (float): a detection continues a track when the IoU of its
            box with the track's box is at least this.
        max_unconfirmed (int): detection rounds in a row that may miss a
            tracked face before it is dropped.
        max_missed (int): frames a lost face keeps its id for a new
            detection at the same place.
        dup_iou (float): two tracks whose landmark boxes overlap by more
            than this are one face; the younger is dropped.
        smooth (bool): filter each face's landmarks with its own
            :class:`OneEuroFilter` (the crop boxes use the raw landmarks).
        **filter_args: ``min_cutoff``, ``beta``, ``d_cutoff`` of the filter.

    Call it on each frame, with the frame's time stamp in seconds; it
    returns the frame's faces (see :meth:`__call__`).
    """

    def __init__(self,
                 detect: Detector,
                 predict: Predictor,
                 det_interval: int = 10,
                 min_score: float = 0.2,
                 track_score: float = 0.6,
                 redetect_window: float = 2.0,
                 snap_iou: float = 0.8,
                 iou_thr: float = 0.3,
                 max_unconfirmed: int = 2,
                 max_missed: int = 5,
                 dup_iou: float = 0.5,
                 smooth: bool = True,
                 **filter_args) -> None:
        if int(det_interval) < 1:
            raise ValueError(f'FaceLandmarkTracker: det_interval must be '
                             f'>= 1, got {det_interval}')
        if max_unconfirmed < 0 or max_missed < 0:
            raise ValueError('FaceLandmarkTracker: max_unconfirmed and '
                             'max_missed must be >= 0')
        OneEuroFilter(**filter_args)  # check the arguments now
        self.detect = detect
        self.predict = predict
        self.det_interval = int(det_interval)
        self.min_score = float(min_score)
        self.track_score = float(track_score)
        self.redetect_window = float(redetect_window)
        self.snap_iou = float(snap_iou)
        self.iou_thr = float(iou_thr)
        self.max_unconfirmed = int(max_unconfirmed)
        self.max_missed = int(max_missed)
        self.dup_iou = float(dup_iou)
        self.smooth = smooth
        self.filter_args = filter_args
        self.reset()

    def reset(self) -> None:
        """Forget every track (a new video)."""
        self.tracks: Dict[int, _Track] = {}
        #: lost tracks: id -> (last box, frame index when lost)
        self.lost: Dict[int, Tuple[np.ndarray, int]] = {}
        self.next_id = 0
        self.frame_index = -1
        self.since_detection = 0
        self.need_detection = True
        #: frames on which the detector ran
        self.detections = 0

    def next_time(self, fps: float) -> float:
        """Time stamp (s) of the next frame at ``fps``, counting the frames
        this tracker has seen (so it keeps increasing across calls)."""
        return frame_time(self.frame_index + 1, fps)

    @property
    def num_tracks(self) -> int:
        return len(self.tracks)

    # ------------------------------------------------------------------
    def __call__(self,
                 frame: np.ndarray,
                 t: float,
                 timer: Optional[StageTimer] = None) -> List[dict]:
        """Landmarks of the faces of one frame.

        Args:
            frame (np.ndarray): (H, W, 3) BGR uint8.
            t (float): time stamp, seconds (increasing).
            timer (StageTimer, optional): adds ``detect``, the predictor's
                stages and ``smooth``.

        Returns:
            list[dict]: per face (by track id) ``track_id``, ``bbox``
            [x1, y1, x2, y2] (the crop box), ``bbox_score`` (the detector's
            score when the face was last detected), ``keypoints`` [[x, y]] *
            K, ``keypoint_scores`` [s] * K, ``detected`` (whether the
            detector placed its box on this frame) and, when smoothing,
            ``keypoints_raw`` (``keypoints`` are then the filtered ones).
        """
        self.frame_index += 1
        h, w = frame.shape[:2]
        for track in self.tracks.values():
            track.box = follow_box(track.det_box, track.ref_keypoints,
                                   track.keypoints, track.scores, track.box)
            track.detected = False
        if (self.need_detection or not self.tracks
                or self.since_detection >= self.det_interval):
            with timed(timer, 'detect'):
                dets = self._detections(frame)
            self._assign(dets)
            self.since_detection = 0
            self.need_detection = False
            self.detections += 1
        else:
            with timed(timer, 'detect'):
                for track in self.tracks.values():
                    if track.scores.mean() < self.track_score:
                        self._redetect(frame, track)
        self.since_detection += 1
        if not self.tracks:
            return []

        ids = sorted(self.tracks)
        boxes = np.stack([self.tracks[i].box for i in ids])
        kpts, scores = self.predict(frame, boxes, timer)
        for tid, k, s in zip(ids, np.asarray(kpts), np.asarray(scores)):
            track = self.tracks[tid]
            track.keypoints = np.asarray(k, np.float64)[:, :2]
            track.scores = np.asarray(s, np.float64)
            cx, cy = (track.box[:2] + track.box[2:]) / 2
            if (track.scores.mean() < self.min_score
                    or not (0 <= cx < w and 0 <= cy < h)):
                self._lose(tid)
            elif track.detected:
                track.det_box = track.box
                track.ref_keypoints = track.keypoints
        self._drop_duplicates()

        faces = []
        with timed(timer, 'smooth'):
            for tid in sorted(self.tracks):
                faces.append(self._face(self.tracks[tid], t))
        return faces

    # ------------------------------------------------------------------
    def _assign(self, dets: np.ndarray) -> None:
        """Give the detections to the tracks: a matched track takes the
        detector's box; an unmatched one counts a miss (dropped after
        ``max_unconfirmed``); an unmatched detection revives a recently
        lost id at the same place or starts a new track."""
        ids = sorted(self.tracks)
        pairs = {}
        if ids and len(dets):
            pairs = greedy_match(
                box_iou(dets[:, :4],
                        np.stack([self.tracks[i].box for i in ids])),
                self.iou_thr)
        for d, k in pairs.items():
            track = self.tracks[ids[k]]
            track.box, track.det_score = dets[d, :4].copy(), float(dets[d, 4])
            track.detected, track.unconfirmed = True, 0
        for k, tid in enumerate(ids):
            if k not in pairs.values():
                self.tracks[tid].unconfirmed += 1
                if self.tracks[tid].unconfirmed > self.max_unconfirmed:
                    del self.tracks[tid]
        self.lost = {i: v for i, v in self.lost.items()
                     if self.frame_index - v[1] <= self.max_missed}
        for d in range(len(dets)):
            if d not in pairs:
                tid = self._revive(dets[d, :4])
                self.tracks[tid] = _Track(tid, dets[d, :4], dets[d, 4],
                                          self.filter_args)

    def _detections(self, img: np.ndarray) -> np.ndarray:
        """The detector's boxes in ``img``: (n, 5) float64."""
        return np.asarray(self.detect(img), np.float64).reshape(-1, 5)

    def _redetect(self, frame: np.ndarray, track: _Track) -> None:
        """Check an unsure face's crop against the detector, run in a
        window around the crop (``redetect_window`` times its side). The
        detection that best overlaps the crop becomes the crop when the
        two disagree (IoU below ``snap_iou``: the landmarks carried the
        crop off the face); when they agree, the crop stays on the
        landmarks, which move less from frame to frame than the
        detector's box."""
        h, w = frame.shape[:2]
        centre = (track.box[:2] + track.box[2:]) / 2
        half = (track.box[2:] - track.box[:2]) * self.redetect_window / 2
        x1, y1 = np.clip(np.floor(centre - half), 0, [w, h]).astype(int)
        x2, y2 = np.clip(np.ceil(centre + half), 0, [w, h]).astype(int)
        if x2 - x1 < 2 or y2 - y1 < 2:
            return
        dets = self._detections(frame[y1:y2, x1:x2])
        if not len(dets):
            return
        dets[:, :4] += [x1, y1, x1, y1]
        iou = box_iou(dets[:, :4], track.box[None])[:, 0]
        best = int(np.argmax(iou))
        if self.iou_thr <= iou[best] < self.snap_iou:
            track.box = dets[best, :4].copy()
            track.det_score = float(dets[best, 4])
            track.detected = True

    def _revive(self, box: np.ndarray) -> int:
        """The id of the recently lost track that best overlaps ``box``
        (IoU >= ``iou_thr``), or a new id."""
        lost = [i for i in self.lost if i not in self.tracks]
        if lost:
            iou = box_iou(box[None], np.stack([self.lost[i][0]
                                               for i in lost]))[0]
            best = int(np.argmax(iou))
            if iou[best] >= self.iou_thr:
                del self.lost[lost[best]]
                return lost[best]
        self.next_id += 1
        return self.next_id - 1

    def _lose(self, tid: int) -> None:
        self.lost[tid] = (self.tracks.pop(tid).box, self.frame_index)
        self.need_detection = True

    def _drop_duplicates(self) -> None:
        """Of two tracks on one face (landmark boxes with IoU above
        ``dup_iou``), keep the older."""
        ids = sorted(self.tracks)
        if len(ids) < 2:
            return
        boxes = np.stack([landmark_box(self.tracks[i].keypoints)
                          for i in ids])
        iou = box_iou(boxes, boxes)
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                if (ids[a] in self.tracks and ids[b] in self.tracks
                        and iou[a, b] > self.dup_iou):
                    del self.tracks[ids[b]]

    def _face(self, track: _Track, t: float) -> dict:
        face = dict(
            track_id=track.id,
            bbox=[float(v) for v in track.box],
            bbox_score=track.det_score,
            keypoints=track.keypoints.tolist(),
            keypoint_scores=track.scores.tolist(),
            detected=track.detected)
        if self.smooth:
            face['keypoints_raw'] = face['keypoints']
            face['keypoints'] = track.filter(track.keypoints, t).tolist()
        return face
