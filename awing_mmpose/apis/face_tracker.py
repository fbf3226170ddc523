"""Tracking faces between video frames: each detected face keeps an id
while its box overlaps the box it had in the previous frames, and its
landmarks are smoothed over time by its own :class:`OneEuroFilter`."""
from typing import Dict, List, Optional

import numpy as np

from .one_euro_filter import OneEuroFilter


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of (n, 4) and (m, 4) x1 y1 x2 y2 boxes: (n, m)."""
    a = np.asarray(a, np.float64).reshape(-1, 4)
    b = np.asarray(b, np.float64).reshape(-1, 4)
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.clip(rb - lt, 0, None).prod(axis=2)
    area_a = np.clip(a[:, 2:] - a[:, :2], 0, None).prod(axis=1)
    area_b = np.clip(b[:, 2:] - b[:, :2], 0, None).prod(axis=1)
    union = area_a[:, None] + area_b[None, :] - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0)


def greedy_match(iou: np.ndarray, thr: float) -> Dict[int, int]:
    """Greedy one-to-one matching on an (n, m) IoU matrix: repeatedly take
    the best remaining pair while its IoU is at least ``thr``.

    Returns:
        dict: row index -> column index of each matched pair.
    """
    iou = np.array(iou, np.float64, copy=True)
    pairs: Dict[int, int] = {}
    for _ in range(min(iou.shape) if iou.size else 0):
        r, c = np.unravel_index(np.argmax(iou), iou.shape)
        if iou[r, c] < thr:
            break
        pairs[int(r)] = int(c)
        iou[r, :] = -1
        iou[:, c] = -1
    return pairs


class FaceTracker:
    """Greedy IoU matching of face boxes between frames, persistent ids,
    optional landmark smoothing.

    Args:
        iou_thr (float): a face continues a track when the IoU of its box
            with the track's last box is at least this.
        max_missed (int): frames a track survives without a match.
        smooth (bool): filter each track's landmarks with a One-Euro filter.
        **filter_args: ``min_cutoff``, ``beta``, ``d_cutoff`` of
            :class:`OneEuroFilter`.
    """

    def __init__(self,
                 iou_thr: float = 0.3,
                 max_missed: int = 5,
                 smooth: bool = True,
                 **filter_args) -> None:
        self.iou_thr = float(iou_thr)
        self.max_missed = int(max_missed)
        self.smooth = smooth
        self.filter_args = filter_args
        OneEuroFilter(**filter_args)  # check the arguments now
        self.tracks: Dict[int, dict] = {}
        self.next_id = 0

    def update(self, faces: List[dict], t: float) -> List[dict]:
        """Assign ids to the faces of one frame (time ``t``, seconds) and
        smooth their landmarks.

        Args:
            faces (list[dict]): per face ``bbox`` [x1, y1, x2, y2] and
                ``keypoints`` [[x, y]] * K (as written by
                :func:`~awing_mmpose.apis.faces_from_sample`).

        Returns:
            list[dict]: the same dicts with ``track_id`` (int) added and,
            when ``smooth``, ``keypoints`` replaced by the filtered ones
            (the detector's are kept as ``keypoints_raw``).
        """
        ids = list(self.tracks)
        boxes = np.asarray([f['bbox'] for f in faces], np.float64)
        assigned: Dict[int, int] = {}
        if ids and len(faces):
            iou = box_iou(boxes, np.stack([self.tracks[i]['bbox']
                                           for i in ids]))
            assigned = {f: ids[k] for f, k in greedy_match(
                iou, self.iou_thr).items()}
        for f, face in enumerate(faces):
            tid = assigned.get(f)
            if tid is None:
                tid = self.next_id
                self.next_id += 1
                self.tracks[tid] = dict(filter=OneEuroFilter(
                    **self.filter_args))
            track = self.tracks[tid]
            track.update(bbox=boxes[f], missed=0)
            face['track_id'] = tid
            if self.smooth and face.get('keypoints'):
                face['keypoints_raw'] = face['keypoints']
                kpts = track['filter'](np.asarray(face['keypoints']), t)
                face['keypoints'] = kpts.tolist()
        for tid in ids:
            if tid not in assigned.values():
                self.tracks[tid]['missed'] += 1
                if self.tracks[tid]['missed'] > self.max_missed:
                    del self.tracks[tid]
        return faces

    @property
    def num_tracks(self) -> int:
        return len(self.tracks)


def frame_time(index: int, fps: Optional[float]) -> float:
    """Time stamp (s) of frame ``index`` at ``fps`` (25 when unknown)."""
    return index / (fps if fps and fps > 0 else 25.0)
