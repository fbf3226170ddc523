from .boundary_heatmap import BoundaryHeatmap

__all__ = ['BoundaryHeatmap']
