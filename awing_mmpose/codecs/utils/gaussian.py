"""Landmark Gaussians and the Weighted Loss Map mask, in numpy."""
from typing import Tuple

import numpy as np
from scipy.ndimage import maximum_filter


def gaussian_heatmaps(points: np.ndarray, visible: np.ndarray,
                      heatmap_size: Tuple[int, int], sigma: float,
                      truncate: float = 3.) -> Tuple[np.ndarray, np.ndarray]:
    """Unquantised Gaussians centred at sub-pixel heatmap coordinates.

    Args:
        points (np.ndarray): (K, 2) heatmap coordinates (x, y).
        visible (np.ndarray): (K,) bool.
        heatmap_size (tuple): (W, H).
        sigma (float): Gaussian sigma in heatmap pixels.
        truncate (float): values beyond ``truncate * sigma`` are 0.

    Returns:
        tuple: heatmaps (K, H, W) float32 in [0, 1] and weights (K,) float32:
        1 for a visible point whose Gaussian reaches the heatmap, else 0.
    """
    W, H = heatmap_size
    radius = truncate * sigma
    xs = np.arange(W, dtype=np.float64)
    ys = np.arange(H, dtype=np.float64)
    pts = np.where(visible[:, None], points, -1e6)
    dx2 = (xs[None, :] - pts[:, 0:1])**2  # (K, W)
    dy2 = (ys[None, :] - pts[:, 1:2])**2  # (K, H)
    d2 = dy2[:, :, None] + dx2[:, None, :]  # (K, H, W)
    heatmaps = np.exp(-d2 / (2 * sigma**2))
    heatmaps[d2 > radius**2] = 0.
    inside = ((pts[:, 0] > -radius) & (pts[:, 0] < W - 1 + radius)
              & (pts[:, 1] > -radius) & (pts[:, 1] < H - 1 + radius))
    weights = (visible & inside).astype(np.float32)
    return heatmaps.astype(np.float32), weights


def dilated_mask(heatmaps: np.ndarray, kernel: int = 3,
                 threshold: float = 0.2) -> np.ndarray:
    """:math:`M` of the Weighted Loss Map: grey dilation of each channel by a
    ``kernel`` x ``kernel`` square, thresholded.

    Args:
        heatmaps (np.ndarray): (C, H, W).

    Returns:
        np.ndarray: (C, H, W) float32 of 0 and 1.
    """
    if kernel > 1:
        heatmaps = maximum_filter(
            heatmaps, size=(1, kernel, kernel), mode='constant', cval=0.)
    return (heatmaps >= threshold).astype(np.float32)
