"""The least-squares similarity transform between two point sets."""
from typing import NamedTuple, Optional

import numpy as np


class Similarity(NamedTuple):
    """``p -> scale * rotation @ (p - src_mean) + dst_mean``.

    ``rotation`` is a (2, 2) rotation matrix (no reflection); ``src_mean``
    and ``dst_mean`` are (2,) points.
    """
    scale: float
    rotation: np.ndarray
    src_mean: np.ndarray
    dst_mean: np.ndarray

    @property
    def angle(self) -> float:
        """The rotation in degrees (counter-clockwise in x-right, y-up
        axes; clockwise on an image, whose y axis points down)."""
        return float(np.degrees(np.arctan2(self.rotation[1, 0],
                                           self.rotation[0, 0])))

    def __call__(self, points: np.ndarray) -> np.ndarray:
        """Map (..., 2) points."""
        pts = np.asarray(points, np.float64) - self.src_mean
        return self.scale * pts @ self.rotation.T + self.dst_mean


def fit_similarity(src: np.ndarray,
                   dst: np.ndarray,
                   weights: Optional[np.ndarray] = None) -> Similarity:
    """The rotation, scale and shift that best map ``src`` onto ``dst``
    (weighted least squares; Umeyama, IEEE TPAMI 1991, without reflection).

    Args:
        src (np.ndarray): (K, 2) points.
        dst (np.ndarray): (K, 2) points.
        weights (np.ndarray, optional): (K,) non-negative weights.
    """
    src = np.asarray(src, np.float64).reshape(-1, 2)
    dst = np.asarray(dst, np.float64).reshape(-1, 2)
    if src.shape != dst.shape:
        raise ValueError(f'fit_similarity: {src.shape} source points for '
                         f'{dst.shape} destination points')
    w = np.ones(len(src)) if weights is None else np.clip(
        np.asarray(weights, np.float64).reshape(-1), 0, None)
    w = w / max(w.sum(), 1e-12)
    ms, md = w @ src, w @ dst
    a, b = src - ms, dst - md
    u, sig, vt = np.linalg.svd((a * w[:, None]).T @ b)
    d = np.diag([1.0, np.sign(np.linalg.det(u @ vt)) or 1.0])
    rot = (u @ d @ vt).T
    var = float((w * (a**2).sum(1)).sum())
    scale = float((sig * np.diag(d)).sum() / max(var, 1e-12))
    return Similarity(scale, rot, ms, md)
