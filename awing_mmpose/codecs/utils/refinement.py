"""Sub-pixel refinement of heatmap maxima, vectorised over keypoints.

MMPose has both rules (``mmpose.codecs.utils.refine_keypoints`` and
``refine_keypoints_dark``); these differ on purpose, as each docstring says,
and loop over no keypoint."""
import cv2
import numpy as np


def refine_quarter(keypoints: np.ndarray, heatmaps: np.ndarray,
                   both_axes_inside: bool = False) -> np.ndarray:
    """The authors' rule: move the integer maximum a quarter pixel toward the
    higher neighbour, in x and in y independently.

    The authors refine every maximum that has both neighbours along an axis
    (1-based ``1 < pX < 64``, i.e. 0-based ``0 < x < W - 1``).
    MMPose's ``refine_keypoints`` also skips the second column and row
    (``1 < x``, ``1 < y``), so it would leave those maxima where the
    authors' code moves them; this function follows the authors.

    Args:
        keypoints (np.ndarray): (K, 2) integer maxima (x, y).
        heatmaps (np.ndarray): (K, H, W).
        both_axes_inside (bool): shift only maxima that are off the border in
            both axes, as the authors' code does; by default each axis is
            refined wherever it is off the border. (MMPose's
            ``refine_keypoints`` is not used: it also leaves x unrefined at
            column 1, ``1 < x``, which neither rule does.)

    Returns:
        np.ndarray: (K, 2) refined heatmap coordinates.
    """
    K, H, W = heatmaps.shape
    x = keypoints[:, 0].astype(int)
    y = keypoints[:, 1].astype(int)
    k = np.arange(K)
    xl, xr = np.clip(x - 1, 0, W - 1), np.clip(x + 1, 0, W - 1)
    yu, yd = np.clip(y - 1, 0, H - 1), np.clip(y + 1, 0, H - 1)
    inside_x = (x > 0) & (x < W - 1)
    inside_y = (y > 0) & (y < H - 1)
    if both_axes_inside:
        inside_x = inside_y = inside_x & inside_y
    dx = np.where(inside_x, heatmaps[k, y, xr] - heatmaps[k, y, xl], 0.)
    dy = np.where(inside_y, heatmaps[k, yd, x] - heatmaps[k, yu, x], 0.)
    return keypoints + 0.25 * np.stack([np.sign(dx), np.sign(dy)], -1)


def refine_dark(keypoints: np.ndarray, heatmaps: np.ndarray,
                blur_kernel_size: int = 0) -> np.ndarray:
    """Distribution-aware refinement (DARK, Zhang et al., CVPR 2020): one
    Newton step on the log-heatmap, exact for a Gaussian peak.

    Differs from MMPose's ``refine_keypoints_dark`` on purpose: the second
    derivatives use the neighbours at distance 1 (MMPose's use distance 2,
    which needs two pixels of margin and so skips maxima next to the
    border, where small faces put the jaw), a step is taken only where the
    log-heatmap is concave and the step stays within one pixel (a noisy
    prediction cannot throw a point away), and the modulation mirrors the
    border instead of padding it with zeros (which would pull maxima near
    the border inwards).

    Args:
        keypoints (np.ndarray): (K, 2) integer maxima (x, y).
        heatmaps (np.ndarray): (K, H, W).
        blur_kernel_size (int): odd size of a Gaussian modulation applied
            first (for noisy predicted heatmaps); 0 skips it.

    Returns:
        np.ndarray: (K, 2) refined heatmap coordinates; keypoints on the
        border or with a non-concave neighbourhood are left unchanged.
    """
    K, H, W = heatmaps.shape
    hm = heatmaps.astype(np.float64)
    if blur_kernel_size:
        peak = hm.reshape(K, -1).max(1)
        hm = np.stack([
            cv2.GaussianBlur(h, (blur_kernel_size, blur_kernel_size), 0)
            for h in hm
        ])
        hm *= (peak / np.maximum(hm.reshape(K, -1).max(1), 1e-12))[:, None,
                                                                     None]
    logh = np.log(np.maximum(hm, 1e-10))
    x = keypoints[:, 0].astype(int)
    y = keypoints[:, 1].astype(int)
    ok = (x > 0) & (x < W - 1) & (y > 0) & (y < H - 1)
    x, y = np.clip(x, 1, W - 2), np.clip(y, 1, H - 2)
    k = np.arange(K)
    c = logh[k, y, x]
    dx = 0.5 * (logh[k, y, x + 1] - logh[k, y, x - 1])
    dy = 0.5 * (logh[k, y + 1, x] - logh[k, y - 1, x])
    dxx = logh[k, y, x + 1] - 2 * c + logh[k, y, x - 1]
    dyy = logh[k, y + 1, x] - 2 * c + logh[k, y - 1, x]
    dxy = 0.25 * (logh[k, y + 1, x + 1] - logh[k, y - 1, x + 1] -
                  logh[k, y + 1, x - 1] + logh[k, y - 1, x - 1])
    det = dxx * dyy - dxy**2
    ok &= (det > 1e-12) & (dxx < 0)
    safe = np.where(ok, det, 1.)
    off_x = -(dyy * dx - dxy * dy) / safe
    off_y = -(dxx * dy - dxy * dx) / safe
    ok &= (np.abs(off_x) <= 1) & (np.abs(off_y) <= 1)
    offset = np.where(ok[:, None], np.stack([off_x, off_y], -1), 0.)
    return keypoints + offset
