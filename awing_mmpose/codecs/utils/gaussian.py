"""Landmark Gaussians and the Weighted Loss Map mask, in numpy.

Each truncated Gaussian is non-zero only inside a window of
``2 * truncate * sigma`` pixels, so the K Gaussians are evaluated on their
K small windows at once and scattered into the (K, H, W) stack, instead of
over K full grids.
"""
from typing import Tuple

import numpy as np
from scipy.ndimage import maximum_filter


def gaussian_heatmaps(points: np.ndarray, visible: np.ndarray,
                      heatmap_size: Tuple[int, int], sigma: float,
                      truncate: float = 3.) -> Tuple[np.ndarray, np.ndarray]:
    """Unquantised Gaussians centred at sub-pixel heatmap coordinates.

    Heatmap k is :math:`\\exp(-\\|p - p_k\\|^2 / 2\\sigma^2)` where
    :math:`\\|p - p_k\\| \\le` ``truncate * sigma``, else 0.

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
    K = len(points)
    radius = truncate * sigma
    heatmaps = np.zeros((K, H, W), np.float32)
    inside = np.zeros(K, bool)
    drawn = np.zeros(K, bool)
    if K:
        pts = np.asarray(points, np.float64)
        inside = (visible & (pts[:, 0] > -radius)
                  & (pts[:, 0] < W - 1 + radius) & (pts[:, 1] > -radius)
                  & (pts[:, 1] < H - 1 + radius))
        drawn = visible & np.isfinite(pts).all(1)
    if drawn.any():
        idx = np.flatnonzero(drawn)
        pts = pts[idx]
        # window: the integers in [p - radius, p + radius]
        size = int(np.floor(2 * radius)) + 1
        offsets = np.arange(size)
        xs = np.ceil(pts[:, 0:1] - radius) + offsets  # (k, S)
        ys = np.ceil(pts[:, 1:2] - radius) + offsets
        dx2 = (xs - pts[:, 0:1])**2
        dy2 = (ys - pts[:, 1:2])**2
        d2 = dy2[:, :, None] + dx2[:, None, :]  # (k, S, S)
        values = np.exp(-d2 / (2 * sigma**2))
        keep = ((d2 <= radius**2) & ((ys >= 0) & (ys < H))[:, :, None]
                & ((xs >= 0) & (xs < W))[:, None, :])
        xs, ys = xs.astype(np.intp), ys.astype(np.intp)
        flat = ((idx * (H * W))[:, None, None] + (ys * W)[:, :, None] +
                xs[:, None, :])
        heatmaps.reshape(-1)[flat[keep]] = values[keep]
    return heatmaps, inside.astype(np.float32)


def dilated_mask(heatmaps: np.ndarray, kernel: int = 3,
                 threshold: float = 0.2) -> np.ndarray:
    """:math:`M` of the Weighted Loss Map: grey dilation of each channel by a
    ``kernel`` x ``kernel`` square (zero outside the map), thresholded.

    Dilation and threshold commute (the maximum of a window reaches the
    threshold iff one of its pixels does), so the binary map is dilated.

    Args:
        heatmaps (np.ndarray): (C, H, W).

    Returns:
        np.ndarray: (C, H, W) float32 of 0 and 1.
    """
    if kernel > 1 and kernel % 2 == 0:  # an off-centre window
        heatmaps = maximum_filter(
            heatmaps, size=(1, kernel, kernel), mode='constant', cval=0.)
        kernel = 1
    C, H, W = heatmaps.shape
    r = kernel // 2
    # one flat buffer with r zero rows / columns after each channel / row,
    # so that a shift by one element (row) never crosses into the next
    Hp, Wp = H + r, W + r
    buf = np.zeros((C, Hp, Wp), bool)
    np.greater_equal(heatmaps, threshold, out=buf[:, :H, :W])
    flat = buf.reshape(-1)
    for step in (1, Wp):  # along rows, then along columns
        out = flat.copy()
        for s in range(step, r * step + 1, step):
            np.logical_or(out[s:], flat[:-s], out=out[s:])
            np.logical_or(out[:-s], flat[s:], out=out[:-s])
        flat = out
    above = flat.reshape(C, Hp, Wp)[:, :H, :W]
    if r and threshold <= 0:  # the zero padding itself reaches the threshold
        above[:, :r] = above[:, -r:] = True
        above[:, :, :r] = above[:, :, -r:] = True
    return above.astype(np.float32)
