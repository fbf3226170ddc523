"""A face crop with its landmarks drawn, for galleries of real photos
(``tools/analysis/real_face_gallery.py``) and label-versus-prediction views
(``tools/analysis/eval_real_faces.py --show-dir``)."""
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np

#: WFLW index ranges of the facial parts and their colours (BGR): contour,
#: brows, nose, eyes, mouth, pupils
WFLW_PART_COLOURS = ((range(0, 33), (255, 200, 0)),
                     (range(33, 51), (0, 200, 255)),
                     (range(51, 60), (0, 255, 0)),
                     (range(60, 76), (255, 0, 255)),
                     (range(76, 96), (0, 0, 255)),
                     (range(96, 98), (255, 255, 255)))

Colour = Tuple[int, int, int]


def draw_landmark_tile(image: np.ndarray,
                       box: Sequence[float],
                       points: Sequence[np.ndarray],
                       colours: Sequence[Optional[Colour]] = (None, ),
                       size: int = 256,
                       margin: float = 0.35,
                       title: str = '') -> np.ndarray:
    """The square crop around ``box`` (x1, y1, x2, y2; image pixels),
    enlarged by ``margin`` of its longer side on each side, as a
    (size, size, 3) BGR picture with each (K, 2) array of ``points`` drawn
    as dots: in its colour of ``colours``, or, for ``None``, coloured by
    WFLW facial part (:data:`WFLW_PART_COLOURS`; other layouts in green).
    """
    x1, y1, x2, y2 = (float(v) for v in box[:4])
    side = max(x2 - x1, y2 - y1) * (1 + 2 * margin)
    s = size / max(side, 1e-6)
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    mat = np.array([[s, 0, size / 2 - s * cx], [0, s, size / 2 - s * cy]])
    tile = cv2.warpAffine(image, mat, (size, size), flags=cv2.INTER_AREA)
    r = max(1, size // 160) * 16
    for pts, colour in zip(points, list(colours) * len(points)):
        pts = np.asarray(pts, np.float64) @ mat[:, :2].T + mat[:, 2]
        if colour is None and len(pts) == 98:
            groups = WFLW_PART_COLOURS
        else:
            groups = ((range(len(pts)), colour or (0, 255, 0)), )
        for idx, c in groups:
            for i in idx:
                if np.isfinite(pts[i]).all():
                    cv2.circle(tile, tuple(int(round(v * 16))
                                           for v in pts[i]),
                               r, c, -1, cv2.LINE_AA, 4)
    if title:
        cv2.putText(tile, title, (4, size - 6), cv2.FONT_HERSHEY_SIMPLEX,
                    0.4 * size / 256, (255, 255, 255), 1, cv2.LINE_AA)
    return tile
