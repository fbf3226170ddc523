"""Visualisation helpers: the boundary map and per-landmark heatmaps of a
face as one grid picture (``tools/demo.py --show-heatmaps``)."""
from .heatmap_grid import crop_face, draw_heatmap_grid, heatmap_to_color

__all__ = ['crop_face', 'draw_heatmap_grid', 'heatmap_to_color']
