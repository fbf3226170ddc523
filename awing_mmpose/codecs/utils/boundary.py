"""The facial-boundary heatmap: curves through facial parts, distance
transform, Gaussian of the distance (``docs/method.md`` section 4)."""
from typing import Sequence, Tuple

import cv2
import numpy as np
from scipy.interpolate import splev, splprep


def curve_samples(points: np.ndarray, num_samples: int = 100) -> np.ndarray:
    """Samples of an interpolating spline through ``points`` (n, 2).

    Consecutive duplicates are dropped first; the spline degree is
    ``min(4, n) - 1`` (a line through two points) with no smoothing.
    Returns (m, 2); a single point when fewer than two distinct remain.
    """
    keep = np.ones(len(points), bool)
    keep[1:] = np.any(np.abs(np.diff(points, axis=0)) > 1e-6, axis=1)
    points = points[keep]
    n = len(points)
    if n < 2:
        return points
    try:
        tck, _ = splprep([points[:, 0], points[:, 1]], k=min(4, n) - 1, s=0)
    except (ValueError, TypeError, SystemError):
        return points  # degenerate geometry: fall back to the polyline
    u = np.linspace(0., 1., num_samples)
    return np.stack(splev(u, tck), axis=-1)


def boundary_heatmap(points: np.ndarray, visible: np.ndarray,
                     curves: Sequence[Sequence[int]],
                     heatmap_size: Tuple[int, int], sigma: float = 1.,
                     num_samples: int = 100) -> np.ndarray:
    """Boundary map :math:`B = \\exp(-d^2 / 2\\sigma^2)` for :math:`d <
    3\\sigma`, else 0, :math:`d` the distance to the nearest curve.

    Args:
        points (np.ndarray): (K, 2) landmark heatmap coordinates.
        visible (np.ndarray): (K,) bool; invisible points leave their curve.
        curves (list[list[int]]): landmark indices of each curve, in order.
        heatmap_size (tuple): (W, H).

    Returns:
        np.ndarray: (H, W) float32 in [0, 1].
    """
    W, H = heatmap_size
    # Lines are drawn with 4 fractional bits, so sub-pixel geometry counts.
    shift = 4
    canvas = np.full((H, W), 255, np.uint8)
    drawn = False
    for curve in curves:
        idx = [i for i in curve if visible[i]]
        if len(idx) < 2:
            continue
        samples = curve_samples(points[idx], num_samples)
        if len(samples) < 2:
            continue
        fixed = np.round(samples * (1 << shift)).astype(np.int32)
        cv2.polylines(canvas, [fixed], False, 0, 1, cv2.LINE_8, shift)
        drawn = True
    if not drawn:
        return np.zeros((H, W), np.float32)
    dist = cv2.distanceTransform(canvas, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    boundary = np.exp(-dist**2 / (2 * sigma**2))
    boundary[dist >= 3 * sigma] = 0.
    return boundary.astype(np.float32)
