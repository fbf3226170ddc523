"""Draw what the network sees: the boundary map and the per-landmark heatmaps
of one face as a single grid picture.

Layout (BGR uint8)::

    +-----------+-----------+-----------+-----------+
    | face crop | boundary  | boundary  | max over  |   top row: 4 panels
    | (network  | map B     | over crop | landmark  |   (crop panels only
    |  input)   |           |           | heatmaps  |    with ``image``)
    +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    |0 |1 |2 | ...  one tile per landmark heatmap H_k, index top-left    |
    +--+--+--+--------------------------------------------------------+

Heatmaps are shown on an absolute scale (values clipped to [0, 1], the
range of the targets; JET colour map), so a weak, blurry prediction looks
weak; pass ``normalize='max'`` to stretch each tile to its own maximum.
"""
import math
from typing import Optional, Sequence

import cv2
import numpy as np


def heatmap_to_color(heatmap: np.ndarray,
                     size: Optional[Sequence[int]] = None,
                     normalize: str = 'clip') -> np.ndarray:
    """(h, w) float heatmap -> (H, W, 3) BGR uint8 (JET).

    Args:
        heatmap (np.ndarray): (h, w).
        size (tuple, optional): output (W, H); nearest-neighbour upscaling so
            heatmap pixels stay visible.
        normalize (str): ``'clip'`` (clip to [0, 1]) or ``'max'`` (divide by
            the tile's maximum).
    """
    hm = np.asarray(heatmap, dtype=np.float32)
    if hm.ndim != 2:
        raise ValueError(f'heatmap_to_color: expected an (h, w) heatmap, got '
                         f'shape {hm.shape}')
    if normalize == 'max':
        hm = hm / max(float(hm.max()), 1e-6)
    elif normalize != 'clip':
        raise ValueError(f"normalize must be 'clip' or 'max', got "
                         f'{normalize!r}')
    hm = np.clip(np.nan_to_num(hm), 0.0, 1.0)
    color = cv2.applyColorMap((hm * 255).astype(np.uint8), cv2.COLORMAP_JET)
    if size is not None:
        color = cv2.resize(
            color, tuple(int(s) for s in size),
            interpolation=cv2.INTER_NEAREST)
    return color


def crop_face(image: np.ndarray, input_center: Sequence[float],
              input_scale: Sequence[float],
              input_size: Sequence[int]) -> np.ndarray:
    """The network's input crop of a face, as MMPose's ``TopdownAffine``
    (no rotation, no UDP) makes it from ``input_center`` / ``input_scale``
    (image pixels) and ``input_size`` (w, h)."""
    from mmpose.structures.bbox import get_warp_matrix
    w, h = int(input_size[0]), int(input_size[1])
    mat = get_warp_matrix(
        np.asarray(input_center, np.float32).reshape(2),
        np.asarray(input_scale, np.float32).reshape(2),
        rot=0,
        output_size=(w, h))
    return cv2.warpAffine(image, mat, (w, h), flags=cv2.INTER_LINEAR)


def draw_heatmap_grid(heatmaps: np.ndarray,
                      image: Optional[np.ndarray] = None,
                      num_keypoints: Optional[int] = None,
                      tile: int = 64,
                      cols: Optional[int] = None,
                      normalize: str = 'clip',
                      alpha: float = 0.5) -> np.ndarray:
    """Grid picture of one face's heatmaps.

    Args:
        heatmaps (np.ndarray): (C, h, w). With the boundary codec
            C = K + 1 and the boundary map B is the last channel.
        image (np.ndarray, optional): the face crop (H, W, 3) BGR uint8 the
            network saw (see :func:`crop_face`); adds the crop panels.
        num_keypoints (int, optional): K. ``None``: the last channel is
            the boundary map (K = C - 1); pass K = C for a model without a
            boundary channel.
        tile (int): side of a landmark tile in pixels.
        cols (int, optional): tiles per row; default ceil(sqrt(K)).
        normalize (str): see :func:`heatmap_to_color`.
        alpha (float): weight of the heatmap over the crop.

    Returns:
        np.ndarray: BGR uint8 picture, width = cols * tile.
    """
    hms = np.asarray(heatmaps, dtype=np.float32)
    if hms.ndim != 3:
        raise ValueError(f'draw_heatmap_grid: expected (C, h, w) heatmaps, '
                         f'got shape {hms.shape}')
    c = hms.shape[0]
    k = c - 1 if num_keypoints is None and c > 1 else (num_keypoints or c)
    if not 0 < k <= c or c - k > 1:
        raise ValueError(f'draw_heatmap_grid: {c} channels cannot hold '
                         f'K={k} landmarks (+ at most one boundary map)')
    landmarks = hms[:k]
    boundary = hms[k] if c == k + 1 else None
    cols = cols or int(math.ceil(math.sqrt(k)))
    rows = int(math.ceil(k / cols))
    width = cols * tile

    # top row
    panels = []
    crop = None
    if image is not None:
        crop = np.ascontiguousarray(image[..., :3]).astype(np.uint8)
        if crop.ndim == 2:
            crop = cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)
        panels.append(('input crop', lambda s: cv2.resize(crop, (s, s))))
    if boundary is not None:
        panels.append(('boundary', lambda s: heatmap_to_color(
            boundary, (s, s), normalize)))
        if crop is not None:
            panels.append(('boundary on crop', lambda s: _blend(
                crop, heatmap_to_color(boundary, None, normalize), s, alpha)))
    panels.append(('max of landmarks', lambda s: heatmap_to_color(
        landmarks.max(axis=0), (s, s), normalize)))
    side = width // len(panels)
    top = np.zeros((side + 18, width, 3), np.uint8)
    for i, (title, make) in enumerate(panels):
        top[18:, i * side:(i + 1) * side] = make(side)
        cv2.putText(top, title, (i * side + 3, 13), cv2.FONT_HERSHEY_SIMPLEX,
                    0.4, (255, 255, 255), 1, cv2.LINE_AA)

    grid = np.zeros((rows * tile, width, 3), np.uint8)
    for i in range(k):
        r, q = divmod(i, cols)
        t = heatmap_to_color(landmarks[i], (tile, tile), normalize)
        cv2.rectangle(t, (0, 0), (7 * len(str(i)) + 3, 13), (0, 0, 0), -1)
        cv2.putText(t, str(i), (2, 10), cv2.FONT_HERSHEY_SIMPLEX, 0.35,
                    (255, 255, 255), 1, cv2.LINE_AA)
        cv2.rectangle(t, (0, 0), (tile - 1, tile - 1), (60, 60, 60), 1)
        grid[r * tile:(r + 1) * tile, q * tile:(q + 1) * tile] = t
    return np.concatenate([top, grid], axis=0)


def _blend(crop: np.ndarray, color: np.ndarray, side: int,
           alpha: float) -> np.ndarray:
    a = cv2.resize(crop, (side, side))
    b = cv2.resize(color, (side, side), interpolation=cv2.INTER_LINEAR)
    return cv2.addWeighted(a, 1 - alpha, b, alpha, 0)
