"""The plain definitions of the training targets, as the code drew them
before the windowed / batched drawing: every Gaussian over the whole grid,
one FITPACK spline fit per boundary curve, SciPy's grey dilation. The tests
check the fast drawing against them; the speed benchmark times both."""
import cv2
import numpy as np
from scipy.interpolate import splev, splprep
from scipy.ndimage import maximum_filter


def dense_gaussians(points, visible, size, sigma, truncate):
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
    keep = np.ones(len(points), bool)
    keep[1:] = np.any(np.abs(np.diff(points, axis=0)) > 1e-6, axis=1)
    points = points[keep]
    if len(points) < 2:
        return points
    tck, _ = splprep([points[:, 0], points[:, 1]],
                     k=min(4, len(points)) - 1, s=0)
    return np.stack(splev(np.linspace(0., 1., num), tck), axis=-1)


def plain_boundary(points, visible, curves, size, sigma=1., num=100):
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
    if kernel > 1:
        heatmaps = maximum_filter(
            heatmaps, size=(1, kernel, kernel), mode='constant', cval=0.)
    return (heatmaps >= threshold).astype(np.float32)
