from .boundary import boundary_heatmap, curve_samples
from .curves import load_boundary_curves, metainfo_file
from .gaussian import dilated_mask, gaussian_heatmaps
from .refinement import refine_dark, refine_quarter

__all__ = [
    'boundary_heatmap', 'curve_samples', 'load_boundary_curves',
    'metainfo_file', 'dilated_mask', 'gaussian_heatmaps', 'refine_dark',
    'refine_quarter'
]
