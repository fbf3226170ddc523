"""Named indices of the 98-point WFLW layout (0-based) that the drawing uses.

"Left" and "right" are image sides (the subject's right is the image
left), as in :mod:`awing_mmpose.datasets.landmark_layouts`, whose docstring
lists every point and which holds the points that the evaluation names too
(eye corners, pupils).
"""
from dataclasses import dataclass
from typing import List

from awing_mmpose.datasets.landmark_layouts import (WFLW_OUTER_EYE_CORNERS,
                                                    WFLW_PUPILS)

JAW_LEFT_END = 0  # top of the jaw contour on the image left
JAW_LEFT_LOW = 2
JAW_LEFT_MID = 4
JAW_LEFT_CHEEK = 8
CHIN = 16
JAW_RIGHT_CHEEK = 24
JAW_RIGHT_MID = 28
JAW_RIGHT_LOW = 30
JAW_RIGHT_END = 32

LEFT_BROW_OUTER = 33
LEFT_BROW: List[int] = list(range(33, 42))  # upper arc, then lower arc
RIGHT_BROW: List[int] = list(range(42, 51))
RIGHT_BROW_OUTER = 46  # outer end of the right brow's upper arc

NOSE_TOP = 51
NOSE_BRIDGE_HIGH = 52
NOSE_BRIDGE_LOW = 53
NOSE_TIP = 54
NOSE_BRIDGE = slice(51, 55)  # top to tip
NOSE_LEFT_WING = 55
NOSE_LEFT_NOSTRIL = 56
NOSE_BASE = 57
NOSE_RIGHT_NOSTRIL = 58
NOSE_RIGHT_WING = 59
NOSE_BOTTOM = slice(55, 60)  # left wing to right wing
NOSE: List[int] = list(range(51, 60))

LEFT_EYE_OUTER, RIGHT_EYE_OUTER = WFLW_OUTER_EYE_CORNERS  # 60, 72
LEFT_EYE_INNER = 64
RIGHT_EYE_INNER = 68

MOUTH_LEFT = 76
MOUTH_RIGHT = 82
OUTER_LIP: List[int] = list(range(76, 88))
UPPER_LIP: List[int] = [76, 77, 78, 79, 80, 81, 82, 92, 91, 90, 89, 88]
LOWER_LIP: List[int] = [82, 83, 84, 85, 86, 87, 76, 88, 95, 94, 93, 92]
LOWER_LIP_MIDDLE: List[int] = [86, 85, 84]  # outer lower lip, left to right
INNER_LIP = slice(88, 96)
INNER_UPPER_LIP: List[int] = [88, 89, 90, 91, 92]  # left corner to right
INNER_UPPER_MIDDLE = 90
INNER_LOWER_MIDDLE = 94

LEFT_PUPIL, RIGHT_PUPIL = WFLW_PUPILS  # 96, 97


@dataclass(frozen=True)
class EyeIndices:
    """The points of one eye: ``ring`` (8) goes corner, upper lid, other
    corner, lower lid; ``ring[0]`` and ``ring[4]`` are the corners."""
    ring: List[int]
    pupil: int

    @property
    def upper_lid(self) -> List[int]:
        """Corner to corner over the upper lid (5 points)."""
        return self.ring[:5]

    @property
    def lower_lid(self) -> List[int]:
        """Corner to corner along the lower lid (5 points)."""
        return self.ring[4:] + self.ring[:1]


LEFT_EYE = EyeIndices(ring=list(range(60, 68)), pupil=LEFT_PUPIL)
RIGHT_EYE = EyeIndices(ring=list(range(68, 76)), pupil=RIGHT_PUPIL)
EYES = (LEFT_EYE, RIGHT_EYE)
