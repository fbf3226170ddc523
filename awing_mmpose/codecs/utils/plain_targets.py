"""The slow reference of the training targets: their plain definitions, as
the codec drew them before the windowed / batched drawing of
:mod:`.gaussian` and :mod:`.boundary`. Every Gaussian over the whole grid,
one FITPACK spline fit per boundary curve, SciPy's grey dilation.

Used only as a reference: ``tests/test_codecs/test_target_drawing.py``
checks the fast drawing against it, and ``tools/benchmarks/speed.py``
times both. Not exported by :mod:`awing_mmpose.codecs.utils`, and the
codec never calls it.
"""
import cv2
import numpy as np
from scipy.interpolate import splev, splprep
from scipy.ndimage import maximum_filter


def dense_gaussians(points, visible, size, sigma, truncate):
    """(K, H, W) Gaussians of std ``sigma`` at ``points`` (K, 2), cut to 0
    beyond ``truncate * sigma``, each computed over the whole (W, H) grid,
    and the (K,) target weights (visible and within reach of the grid)."""
    W, H = size
    radius = truncate * sigma
    pts = np.where(visible[:, None], points, -1e6)
    dx2 = (np.arange(W)[None] - pts[:, 0:1])**2
    dy2 = (np.arange(H)[None] - pts[:, 1:2])**2
    d2 = dy2[:, :, None] + dx2[:, None, :]
    hm = np.exp(-d2 / (2 * sigma**2))
    hm[d2 > radius**2] = 0.
    inside = ((pts[:, 0] > -radius) & (pts[:, 0] < W - 1 + radius)
              & (pts[:, 1] > -radius) & (pts[:, 1] < H - 1 + radius))
    return hm.astype(np.float32), (visible & inside).astype(np.float32)


def fitpack_samples(points, num):
    """``num`` points of one FITPACK spline (degree up to 3, through the
    points) fitted to ``points`` (P, 2), repeated points dropped."""
    keep = np.ones(len(points), bool)
    keep[1:] = np.any(np.abs(np.diff(points, axis=0)) > 1e-6, axis=1)
    points = points[keep]
    if len(points) < 2:
        return points
    tck, _ = splprep([points[:, 0], points[:, 1]],
                     k=min(4, len(points)) - 1, s=0)
    return np.stack(splev(np.linspace(0., 1., num), tck), axis=-1)


def plain_boundary(points, visible, curves, size, sigma=1., num=100):
    """(H, W) boundary heatmap: each curve's visible points -> a spline
    (:func:`fitpack_samples`) drawn as a polyline, then exp(-d^2 / 2 sigma^2)
    of the distance d to it, 0 from 3 sigma on."""
    W, H = size
    canvas = np.full((H, W), 255, np.uint8)
    drawn = False
    for curve in curves:
        idx = [i for i in curve if visible[i]]
        if len(idx) < 2:
            continue
        s = fitpack_samples(points[idx], num)
        if len(s) < 2:
            continue
        cv2.polylines(canvas, [np.round(s * 16).astype(np.int32)], False, 0,
                      1, cv2.LINE_8, 4)
        drawn = True
    if not drawn:
        return np.zeros((H, W), np.float32)
    dist = cv2.distanceTransform(canvas, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    b = np.exp(-dist**2 / (2 * sigma**2))
    b[dist >= 3 * sigma] = 0.
    return b.astype(np.float32)


def plain_mask(heatmaps, kernel=3, threshold=0.2):
    """The loss map's mask M: SciPy's grey dilation of (C, h, w) heatmaps
    by a ``kernel`` square, then >= ``threshold``."""
    if kernel > 1:
        heatmaps = maximum_filter(
            heatmaps, size=(1, kernel, kernel), mode='constant', cval=0.)
    return (heatmaps >= threshold).astype(np.float32)
