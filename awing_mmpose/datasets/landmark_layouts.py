"""Landmark layouts of the face data sets: the index facts that the
converters, the evaluation, the tools and the synthetic generator share.

The metainfo files next to this module (``metainfo/{wflw,300w,cofw}.py``,
MMEngine config files that MMPose's datasets read) hold each layout's
keypoint names, flip pairs (``swap``) and boundary curves; this module holds
the facts that code needs as Python values. ``tests/test_datasets/
test_landmark_layouts.py`` checks the two against each other (numbers of
points, flip pairs, the 98 -> 68 map against both layouts' flip pairs and
curves).

All indices are 0-based. "Left" and "right" are image sides (the subject's
right is the image left).

WFLW, 98 points:

* 0-32 jaw contour from the image-left side round the chin (16) to the
  image-right side;
* 33-37 left brow upper arc (outer to inner), 38-41 left brow lower arc
  (inner to outer); 42-46 right brow upper (inner to outer), 47-50 right brow
  lower (outer to inner);
* 51-54 nose bridge (top to tip), 55-59 nose bottom (left to right);
* left eye: 60 outer corner, 61-63 upper lid, 64 inner corner, 65-67 lower lid
  (inner back to outer); right eye: 68 inner corner, 69-71 upper lid,
  72 outer corner, 73-75 lower lid (outer back to inner);
* outer lip: 76 left corner, 77-81 upper, 82 right corner, 83-87 lower (right
  to left); inner lip: 88 left corner, 89-91 upper, 92 right corner, 93-95
  lower (right to left); 96 left pupil, 97 right pupil.

300W (the 68-point iBUG layout): 0-16 jaw, 17-21 / 22-26 brows, 27-30 nose
bridge, 31-35 nose bottom, 36-41 / 42-47 eyes (outer corner first on the
left eye), 48-59 outer lip, 60-67 inner lip.

COFW, 29 points, in the order of the COFW ``.mat`` files (= MMPose's
metainfo): 8 / 9 outer eye corners, 16 / 17 pupils.
"""
from typing import List, Tuple

import numpy as np

#: number of landmarks ``K`` of each layout
NUM_WFLW_KEYPOINTS = 98
NUM_300W_KEYPOINTS = 68
NUM_COFW_KEYPOINTS = 29

#: WFLW's six attribute flags, in the order of its annotation lines; they
#: are also the names of the test subsets (``subsets`` in the json).
ATTRIBUTE_NAMES = ('pose', 'expression', 'illumination', 'makeup',
                   'occlusion', 'blur')

#: (68,) int64: the 98 -> 68 (WFLW -> 300W) correspondence,
#: ``pts68 = pts98[WFLW_TO_300W]`` for (98, 2) ``pts98``.
WFLW_TO_300W = np.array(
    list(range(0, 33, 2)) + list(range(33, 38)) + list(range(42, 47)) +
    list(range(51, 55)) + list(range(55, 60)) + [60, 61, 63, 64, 65, 67] +
    [68, 69, 71, 72, 73, 75] + list(range(76, 96)),
    dtype=np.int64)
WFLW_TO_300W.setflags(write=False)
assert WFLW_TO_300W.shape == (NUM_300W_KEYPOINTS, )


def _wflw_flip_pairs() -> List[Tuple[int, int]]:
    pairs = [(i, 32 - i) for i in range(16)]  # jaw
    pairs += [(33 + i, 46 - i) for i in range(5)]  # brow upper arcs
    pairs += [(38 + i, 50 - i) for i in range(4)]  # brow lower arcs
    pairs += [(55, 59), (56, 58)]  # nose bottom
    pairs += [(60 + i, 72 - i) for i in range(5)]  # eye corners + upper lids
    pairs += [(65 + i, 75 - i) for i in range(3)]  # lower lids
    pairs += [(76 + i, 82 - i) for i in range(3)]  # outer lip upper
    pairs += [(83, 87), (84, 86)]  # outer lip lower
    pairs += [(88, 92), (89, 91), (93, 95)]  # inner lip
    pairs += [(96, 97)]  # pupils
    return pairs


#: 44 ``(left, right)`` WFLW index pairs swapped by a horizontal flip (the
#: ``swap`` names of ``metainfo/wflw.py``, as pairs of indices).
WFLW_FLIP_PAIRS: List[Tuple[int, int]] = _wflw_flip_pairs()

#: Named points (``(left, right)`` index pairs) of the normalisers of the
#: NME (``awing_mmpose.evaluation``): the outer eye corners
#: (inter-ocular) and the pupils (inter-pupil). 300W has no pupils; its
#: inter-pupil distance is that of the centres of the two eye contours
#: (``IBUG68_EYE_CONTOURS``, two groups of 6 indices).
WFLW_OUTER_EYE_CORNERS = (60, 72)
WFLW_PUPILS = (96, 97)
IBUG68_OUTER_EYE_CORNERS = (36, 45)
IBUG68_EYE_CONTOURS = (tuple(range(36, 42)), tuple(range(42, 48)))
COFW_OUTER_EYE_CORNERS = (8, 9)
COFW_PUPILS = (16, 17)

__all__ = [
    'NUM_WFLW_KEYPOINTS', 'NUM_300W_KEYPOINTS', 'NUM_COFW_KEYPOINTS',
    'ATTRIBUTE_NAMES', 'WFLW_TO_300W', 'WFLW_FLIP_PAIRS',
    'WFLW_OUTER_EYE_CORNERS', 'WFLW_PUPILS', 'IBUG68_OUTER_EYE_CORNERS',
    'IBUG68_EYE_CONTOURS', 'COFW_OUTER_EYE_CORNERS', 'COFW_PUPILS'
]
