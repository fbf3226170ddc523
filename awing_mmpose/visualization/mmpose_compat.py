"""Compatibility of MMPose 1.3.2's visualizer with NumPy >= 2.3.

``mmpose.visualization.PoseLocalVisualizer`` draws every keypoint with
``draw_circles(kpt, radius=np.array([r]))``; with the OpenCV backend
(MMPose's default) ``OpencvBackendVisualizer.draw_circles`` then calls
``int(radius)`` on that (1,) array. NumPy 2.3 turned that long-deprecated
conversion into ``TypeError: only 0-dimensional arrays can be converted to
Python scalars``, so ``MMPoseInferencer`` (and ``tools/demo.py``) fail as
soon as a picture with a detected face is drawn.

:func:`fix_opencv_circle_radius` (called when :mod:`awing_mmpose` is
imported) wraps that one method so that a single-element ``radius`` becomes
a Python scalar before MMPose's code runs; everything else is MMPose's code,
unchanged. It patches only when the installed NumPy raises on the
conversion, and only once. This is a bug-compatibility fix of a third-party
class (no registry entry, no default, no behaviour change); it can go when
MMPose's own fix (``int(radius[0])``-style) is released.
"""
import functools

import numpy as np

_PATCHED_ATTR = '_awing_radius_fix'


def _numpy_rejects_size1_int() -> bool:
    try:
        int(np.array([1]))
    except TypeError:
        return True
    return False


def fix_opencv_circle_radius() -> bool:
    """Make MMPose's OpenCV-backend ``draw_circles`` accept a (1,) radius.

    Returns:
        bool: whether the method is wrapped (now or by an earlier call).
    """
    try:
        from mmpose.visualization.opencv_backend_visualizer import \
            OpencvBackendVisualizer
    except ImportError:  # pragma: no cover - MMPose is a requirement
        return False
    original = OpencvBackendVisualizer.draw_circles
    if getattr(original, _PATCHED_ATTR, False):
        return True
    if not _numpy_rejects_size1_int():
        return False

    @functools.wraps(original)
    def draw_circles(self, center, radius, *args, **kwargs):
        if getattr(radius, 'ndim', 0) > 0 and getattr(radius, 'size',
                                                      0) == 1:
            radius = radius.reshape(-1)[0]
            radius = radius.item() if hasattr(radius, 'item') else radius
        return original(self, center, radius, *args, **kwargs)

    setattr(draw_circles, _PATCHED_ATTR, True)
    OpencvBackendVisualizer.draw_circles = draw_circles
    return True
