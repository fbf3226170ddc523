"""Visualisation: the boundary map and per-landmark heatmaps of a face as
one grid picture (``tools/demo.py --show-heatmaps``), and the registered
:class:`FaceLandmarkVisualizer` (MMPose's pose visualizer working with
NumPy >= 2.3) that the configs name; face crops with landmarks drawn
(:func:`draw_landmark_tile`); faces drawn on a video frame
(:func:`draw_faces`)."""
from .face_drawing import draw_faces
from .face_landmark_visualizer import FaceLandmarkVisualizer, scalar_radius
from .heatmap_grid import crop_face, draw_heatmap_grid, heatmap_to_color
from .landmark_tile import WFLW_PART_COLOURS, draw_landmark_tile

__all__ = [
    'FaceLandmarkVisualizer', 'scalar_radius', 'crop_face',
    'draw_heatmap_grid', 'heatmap_to_color', 'WFLW_PART_COLOURS',
    'draw_landmark_tile', 'draw_faces'
]
