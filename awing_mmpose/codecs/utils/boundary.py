"""The facial-boundary heatmap: interpolating splines through the landmarks
of each facial part, one polyline raster, one distance transform, a Gaussian
of the distance.

The spline through the n points of a curve is the interpolating B-spline of
degree ``min(4, n) - 1`` on the chord-length parameter in [0, 1] with
FITPACK's interpolation knots (``scipy.interpolate.splprep(..., s=0)``): a
line for two points, the quadratic for three, and for four or more the
cubic with knots at the interior parameters but the second and second to
last - the not-a-knot cubic spline. All curves of a face are solved as one
linear system for the second derivatives at the points and evaluated in one
vectorised pass, which replaces one FITPACK fit and evaluation per curve.
"""
from functools import lru_cache
from itertools import chain
from typing import List, Sequence, Tuple

import cv2
import numpy as np
from scipy.linalg.lapack import dgbsv


def _distinct(points: np.ndarray) -> np.ndarray:
    """``points`` (n, 2) without consecutive duplicates (1e-6 tolerance)."""
    keep = np.ones(len(points), bool)
    keep[1:] = np.any(np.abs(np.diff(points, axis=0)) > 1e-6, axis=1)
    return points[keep]


def spline_samples(curves: List[np.ndarray],
                   num_samples: int = 100) -> List[np.ndarray]:
    """Samples of the interpolating spline through each curve.

    Args:
        curves (list[np.ndarray]): points (n_c, 2) of each curve, n_c >= 2,
            no consecutive duplicates.
        num_samples (int): samples per curve, at equally spaced parameters
            from 0 to 1.

    Returns:
        list[np.ndarray]: (num_samples, 2) float64 per curve; a curve whose
        system is singular (degenerate geometry) keeps its points.
    """
    if not curves:
        return []
    sizes = np.array([len(c) for c in curves])
    out, ok = _splines(np.concatenate(curves).astype(np.float64), sizes,
                       num_samples)
    return [
        out[k] if ok[k] else curves[k].astype(np.float64)
        for k in range(len(curves))
    ]


@lru_cache(maxsize=16)
def _sample_grid(num_samples: int, num_curves: int):
    """Sample parameters (C * S,) of C curves, S each, and their shifts."""
    t = np.tile(np.linspace(0., 1., num_samples), num_curves)
    shift = np.repeat(2. * np.arange(num_curves), num_samples)
    t.flags.writeable = shift.flags.writeable = False
    return t, shift


def _splines(P: np.ndarray, sizes: np.ndarray,
             num_samples: int) -> Tuple[np.ndarray, np.ndarray]:
    """:func:`spline_samples` of the curves stacked in ``P`` (N, 2),
    ``sizes`` (C,) points each: samples (C, num_samples, 2) and (C,) bool,
    False where the system was singular."""
    ends = np.cumsum(sizes)
    starts = ends - sizes
    N = len(P)
    # chord-length parameter u in [0, 1] per curve
    step = np.zeros(N)
    step[1:] = np.sqrt(((P[1:] - P[:-1])**2).sum(1))
    step[starts] = 0.
    cum = np.cumsum(step)
    u = cum - np.repeat(cum[starts], sizes)
    u /= np.repeat(u[ends - 1], sizes)
    # segment j runs from point j to j + 1 (the last point of a curve
    # starts no segment): h_j, chord slopes
    h = np.ones(N)
    h[:-1] = u[1:] - u[:-1]
    h[ends - 1] = 1.
    slope = np.zeros((N, 2))
    slope[:-1] = (P[1:] - P[:-1]) / h[:-1, None]
    # banded system (2 sub-, 2 super-diagonals) for the second derivatives
    # M: C2 continuity at interior points, an end condition at each end
    ab = np.zeros((5, N))
    interior = np.ones(N, bool)
    interior[starts] = interior[ends - 1] = False
    i = np.flatnonzero(interior)
    ab[3, i - 1] = h[i - 1]
    ab[2, i] = 2. * (h[i - 1] + h[i])
    ab[1, i + 1] = h[i]
    R = np.zeros((N, 2))
    R[i] = 6. * (slope[i] - slope[i - 1])
    s, e = starts[sizes >= 4], ends[sizes >= 4] - 1
    # not-a-knot: the third derivative is continuous at u_1 and u_{n-2}
    ab[2, s], ab[1, s + 1], ab[0, s + 2] = h[s + 1], -(h[s] + h[s + 1]), h[s]
    ab[4, e - 2], ab[3, e - 1], ab[2, e] = (h[e - 1], -(h[e - 2] + h[e - 1]),
                                            h[e - 2])
    s, e = starts[sizes == 3], ends[sizes == 3] - 1
    # one quadratic: M_0 = M_1 = M_2
    ab[2, s], ab[1, s + 1], ab[3, e - 1], ab[2, e] = 1., -1., -1., 1.
    s, e = starts[sizes == 2], ends[sizes == 2] - 1
    ab[2, s] = ab[2, e] = 1.  # a line: M = 0
    # LAPACK's banded LU (partial pivoting) wants 2 spare rows on top
    _, _, M, info = dgbsv(2, 2, np.concatenate([np.zeros((2, N)), ab]), R,
                          overwrite_ab=True, overwrite_b=True)
    if info != 0:  # singular: degenerate geometry
        M = np.full_like(R, np.nan)
    # the cubic of segment j in b = u - u_j: c0 + b (c1 + b (c2 + b c3))
    coef = np.zeros((N, 4, 2))
    coef[:, 0] = P
    coef[:-1, 1] = slope[:-1] - h[:-1, None] * (2. * M[:-1] + M[1:]) / 6.
    coef[:, 2] = 0.5 * M
    coef[:-1, 3] = (M[1:] - M[:-1]) / (6. * h[:-1, None])
    # the segment j of each sample: parameters shifted by 2 per curve
    t, shift = _sample_grid(num_samples, len(sizes))
    j = np.searchsorted(u + np.repeat(shift[::num_samples], sizes),
                        t + shift, side='right') - 1
    j = np.clip(j, np.repeat(starts, num_samples),
                np.repeat(ends - 2, num_samples))
    b = (t - u[j])[:, None]
    c = np.take(coef.reshape(N, 8), j, axis=0)  # (C * num_samples, 8)
    out = c[:, 6:] * b
    out += c[:, 4:6]
    out *= b
    out += c[:, 2:4]
    out *= b
    out += c[:, :2]
    out = out.reshape(len(sizes), num_samples, 2)
    return out, np.isfinite(out).all(axis=(1, 2))


def curve_samples(points: np.ndarray, num_samples: int = 100) -> np.ndarray:
    """Samples of an interpolating spline through ``points`` (n, 2).

    Consecutive duplicates are dropped first; the spline degree is
    ``min(4, n) - 1`` (a line through two points) with no smoothing.
    Returns (m, 2); a single point when fewer than two distinct remain.
    """
    points = _distinct(np.asarray(points, np.float64))
    if len(points) < 2:
        return points
    return spline_samples([points], num_samples)[0]


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
    points = np.asarray(points, np.float64)
    # the visible points of all curves, stacked; consecutive duplicates
    # (1e-6) dropped; curves left with fewer than two points dropped
    lens = [len(c) for c in curves]
    index = np.fromiter(chain.from_iterable(curves), np.intp, sum(lens))
    curve = np.repeat(np.arange(len(lens)), lens)
    seen = np.asarray(visible, bool)[index]
    P, curve = points[index[seen]], curve[seen]
    keep = np.ones(len(P), bool)
    keep[1:] = (np.any(np.abs(np.diff(P, axis=0)) > 1e-6, axis=1)
                | (curve[1:] != curve[:-1]))
    P, curve = P[keep], curve[keep]
    sizes = np.bincount(curve, minlength=len(lens))
    drawn = sizes >= 2
    if not drawn.any():
        return np.zeros((H, W), np.float32)
    P, sizes = P[drawn[curve]], sizes[drawn]
    samples, ok = _splines(P, sizes, num_samples)
    # Lines are drawn with 4 fractional bits, so sub-pixel geometry counts.
    shift = 4
    fixed = list((samples * (1 << shift)).round().astype(np.int32))
    if not ok.all():  # degenerate geometry: the polyline of the points
        pieces = np.split(P, np.cumsum(sizes)[:-1])
        fixed = [
            f if good else (p * (1 << shift)).round().astype(np.int32)
            for f, good, p in zip(fixed, ok, pieces)
        ]
    canvas = np.full((H, W), 255, np.uint8)
    cv2.polylines(canvas, fixed, False, 0, 1, cv2.LINE_8, shift)
    dist = cv2.distanceTransform(canvas, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    boundary = np.exp(-dist**2 / (2 * sigma**2))
    boundary[dist >= 3 * sigma] = 0.
    return boundary.astype(np.float32)
