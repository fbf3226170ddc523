"""Visualisation helpers: the boundary map and per-landmark heatmaps of a
face as one grid picture (``tools/demo.py --show-heatmaps``), and a
NumPy >= 2.3 fix of MMPose's OpenCV-backend keypoint drawing (see
:mod:`.mmpose_compat`), applied on import."""
from .heatmap_grid import crop_face, draw_heatmap_grid, heatmap_to_color
from .mmpose_compat import fix_opencv_circle_radius

fix_opencv_circle_radius()

__all__ = [
    'crop_face', 'draw_heatmap_grid', 'heatmap_to_color',
    'fix_opencv_circle_radius'
]
