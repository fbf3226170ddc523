"""Faces drawn onto a picture with OpenCV: box, track id and landmarks (the
video path of ``tools/demo.py``; MMPose's visualizer is slower per
frame)."""
from typing import Dict, List

import cv2
import numpy as np

#: BGR colours: a face without flags, a flagged face, the landmarks
FACE_COLOUR, FLAGGED_COLOUR, LANDMARK_COLOUR = (0, 200, 0), (0, 160, 255), \
    (255, 255, 0)


def draw_faces(img_bgr: np.ndarray,
               faces: List[Dict],
               kpt_thr: float = 0.3,
               radius: int = 2,
               thickness: int = 1,
               copy: bool = True) -> np.ndarray:
    """Draw each face's box (orange when it has ``flags``), its ``#track_id``
    and its landmarks whose score exceeds ``kpt_thr``.

    Args:
        img_bgr (np.ndarray): (H, W, 3) uint8.
        faces (list[dict]): ``bbox`` [x1, y1, x2, y2], ``keypoints`` [[x, y]]
            * K, ``keypoint_scores`` [s] * K, optional ``track_id`` and
            ``flags``.
        copy (bool): draw on a copy (``False``: on ``img_bgr`` itself).

    Returns:
        np.ndarray: the picture with the faces drawn.
    """
    vis = img_bgr.copy() if copy else img_bgr
    for face in faces:
        colour = FLAGGED_COLOUR if face.get('flags') else FACE_COLOUR
        if 'bbox' in face:
            x1, y1, x2, y2 = (int(round(v)) for v in face['bbox'])
            cv2.rectangle(vis, (x1, y1), (x2, y2), colour, thickness)
            if 'track_id' in face:
                cv2.putText(vis, f'#{face["track_id"]}', (x1, max(y1 - 4, 10)),
                            cv2.FONT_HERSHEY_SIMPLEX, 0.5, colour, 1,
                            cv2.LINE_AA)
        for (x, y), score in zip(face['keypoints'], face['keypoint_scores']):
            if score > kpt_thr:
                cv2.circle(vis, (int(round(x)), int(round(y))), radius,
                           LANDMARK_COLOUR, -1, cv2.LINE_AA)
    return vis
