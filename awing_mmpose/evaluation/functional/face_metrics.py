"""Face-alignment evaluation in pure numpy (paper sec. 4.1;
``docs/method.md`` section 8).

Symbols and units
-----------------
* ``N`` images (faces), ``K`` landmarks, ``D = 2`` coordinates (pixels).
* Per-image normalised mean error::

      NME_i = (1 / |V_i|) * sum_{k in V_i} || p_ik - g_ik ||_2 / d_i

  with ``p`` the prediction, ``g`` the ground truth, ``V_i`` the visible
  (``visible > 0``) landmarks of image ``i`` and ``d_i`` its normaliser.
  All values here are *fractions* (0.0436, not 4.36); only
  :func:`format_table` prints percent, like the paper's tables.
* Failure rate ``FR@t`` = share of images with ``NME_i > t`` (strictly
  greater: an image exactly at the threshold is not a failure).
* Cumulative error distribution ``CED(x)`` = share of images with
  ``NME_i <= x``; ``AUC@t = (1 / t) * integral_0^t CED(x) dx``, integrated
  on a grid of step ``1e-4`` (the trapezoid rule on that grid; the exact value
  for the step-shaped CED is ``mean(max(t - NME_i, 0)) / t`` and the grid
  result is within ``step / t`` of it).

Normalisers (``d_i``)
---------------------
* ``inter_ocular``: distance of the outer eye corners,
* ``inter_pupil``: distance of the pupils (98 / 29 points) or, for 68 points,
  of the centres of the eye contours 36-41 and 42-47,
* ``bbox_diagonal``: ``sqrt(w^2 + h^2)`` of the ground-truth box,
* ``bbox_size``: ``sqrt(w * h)`` of the ground-truth box,
* explicit index groups ``([a...], [b...])``: distance of the mean of the
  landmarks ``a`` and the mean of the landmarks ``b`` (this covers the first
  two modes, e.g. WFLW inter-ocular is ``([60], [72])``).
"""
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from awing_mmpose.datasets.landmark_layouts import (
    COFW_OUTER_EYE_CORNERS, COFW_PUPILS, IBUG68_EYE_CONTOURS,
    IBUG68_OUTER_EYE_CORNERS, WFLW_OUTER_EYE_CORNERS, WFLW_PUPILS)

__all__ = [
    'NORM_MODES', 'DEFAULT_NORM_INDICES', 'default_norm_indices',
    'keypoint_normaliser', 'bbox_normaliser', 'per_image_nme',
    'failure_rate', 'ced_curve', 'auc_from_ced', 'ced_auc',
    'summarise_nmes', 'format_table'
]

#: Modes accepted by :func:`per_image_nme` users (see the metric).
NORM_MODES = ('inter_ocular', 'inter_pupil', 'bbox_diagonal', 'bbox_size')


def _groups(left, right) -> Tuple[List[int], List[int]]:
    """Two landmarks (or index groups) -> the groups ``([a...], [b...])``."""
    return ([left] if isinstance(left, int) else list(left),
            [right] if isinstance(right, int) else list(right))


_IBUG68 = {
    # outer eye corners (36, 45)
    'inter_ocular': _groups(*IBUG68_OUTER_EYE_CORNERS),
    # centres of the two eye contours (authors' "inter-pupil" for 68 points)
    'inter_pupil': _groups(*IBUG68_EYE_CONTOURS),
}

#: Default keypoint-index groups per ``dataset_meta['dataset_name']``, from
#: the named points of :mod:`awing_mmpose.datasets.landmark_layouts`.
#: WFLW: outer eye corners 60 / 72, pupils 96 / 97.
#: COFW: MMPose's metainfo (configs/_base_/datasets/cofw.py) keeps the 29-point
#: order of the COFW .mat files (swap pairs 8<->9, 10<->11, 16<->17, 20 and
#: 21 unpaired); 8 / 9 are the outer eye corners (MMPose's own NME default)
#: and 16 / 17 the pupils, which the paper uses for COFW.
DEFAULT_NORM_INDICES: Dict[str, Dict[str, Tuple[List[int], List[int]]]] = {
    'wflw': {
        'inter_ocular': _groups(*WFLW_OUTER_EYE_CORNERS),
        'inter_pupil': _groups(*WFLW_PUPILS),
    },
    '300w': _IBUG68,
    # other datasets with the same 68-point iBUG layout
    '300wlp': _IBUG68,
    '300vw': _IBUG68,
    'coco_wholebody_face': _IBUG68,
    'cofw': {
        'inter_ocular': _groups(*COFW_OUTER_EYE_CORNERS),
        'inter_pupil': _groups(*COFW_PUPILS),
    },
}


def default_norm_indices(dataset_name: Optional[str],
                         norm_mode: str) -> Tuple[List[int], List[int]]:
    """The two landmark-index groups of a keypoint normaliser.

    Args:
        dataset_name (str): ``dataset_meta['dataset_name']``
            (case-insensitive).
        norm_mode (str): ``'inter_ocular'`` or ``'inter_pupil'``.

    Returns:
        tuple[list[int], list[int]]: groups ``a`` and ``b``.
    """
    if norm_mode not in ('inter_ocular', 'inter_pupil'):
        raise ValueError(f'norm_mode {norm_mode!r} is not a keypoint '
                         "normaliser; expected 'inter_ocular' or "
                         "'inter_pupil'")
    key = str(dataset_name).lower() if dataset_name is not None else None
    if key not in DEFAULT_NORM_INDICES:
        raise KeyError(
            f'FaceAlignmentMetric: no default {norm_mode} landmarks for '
            f'dataset {dataset_name!r} (known: '
            f'{sorted(DEFAULT_NORM_INDICES)}); pass '
            'norm_indices=([a, ...], [b, ...]) or a bbox norm_mode')
    a, b = DEFAULT_NORM_INDICES[key][norm_mode]
    return list(a), list(b)


def _names(names: Optional[Sequence[str]], n: int) -> List[str]:
    if names is None:
        return [f'image #{i}' for i in range(n)]
    return [str(x) for x in names]


def keypoint_normaliser(gt: np.ndarray,
                        groups: Tuple[Sequence[int], Sequence[int]]
                        ) -> np.ndarray:
    """Distance between the means of two landmark groups.

    Args:
        gt (np.ndarray): ground truth, shape (N, K, 2).
        groups: ``([a...], [b...])`` landmark indices (0-based).

    Returns:
        np.ndarray: ``d``, shape (N,).
    """
    gt = np.asarray(gt, dtype=np.float64)
    if gt.ndim != 3:
        raise ValueError(f'gt keypoints must be (N, K, 2), got {gt.shape}')
    if len(groups) != 2:
        raise ValueError('norm_indices must be two groups of keypoint '
                         f'indices ([a...], [b...]), got {groups!r}')
    k = gt.shape[1]
    idx = []
    for g in groups:
        g = np.atleast_1d(np.asarray(g, dtype=np.int64))
        if g.size == 0:
            raise ValueError(f'empty keypoint-index group in {groups!r}')
        if g.min() < -k or g.max() >= k:
            raise IndexError(f'normaliser indices {g.tolist()} out of range '
                             f'for {k} keypoints')
        idx.append(g)
    ca = gt[:, idx[0], :2].mean(axis=1)
    cb = gt[:, idx[1], :2].mean(axis=1)
    return np.linalg.norm(ca - cb, axis=-1)


def bbox_normaliser(bboxes: np.ndarray, mode: str) -> np.ndarray:
    """Box-based normaliser.

    Args:
        bboxes (np.ndarray): boxes ``x1, y1, x2, y2``, shape (N, 4).
        mode (str): ``'bbox_diagonal'`` (``sqrt(w^2 + h^2)``) or
            ``'bbox_size'`` (``sqrt(w * h)``).

    Returns:
        np.ndarray: ``d``, shape (N,).
    """
    b = np.asarray(bboxes, dtype=np.float64).reshape(-1, 4)
    w = b[:, 2] - b[:, 0]
    h = b[:, 3] - b[:, 1]
    if mode == 'bbox_diagonal':
        return np.sqrt(w * w + h * h)
    if mode == 'bbox_size':
        # a degenerate box (w * h <= 0) gives 0 or NaN, caught downstream
        with np.errstate(invalid='ignore'):
            return np.sqrt(w * h)
    raise ValueError(f"unknown bbox norm mode {mode!r}; expected "
                     "'bbox_diagonal' or 'bbox_size'")


def per_image_nme(pred: np.ndarray,
                  gt: np.ndarray,
                  visible: Optional[np.ndarray],
                  normaliser: np.ndarray,
                  names: Optional[Sequence[str]] = None) -> np.ndarray:
    """Per-image NME (a fraction).

    Args:
        pred (np.ndarray): predictions ``p``, shape (N, K, 2).
        gt (np.ndarray): ground truth ``g``, shape (N, K, 2).
        visible (np.ndarray | None): visibility, shape (N, K) or (N, K, 1);
            landmarks with ``visible <= 0`` are left out of the mean.
            ``None`` means all visible.
        normaliser (np.ndarray): ``d``, shape (N,).
        names (Sequence[str], optional): image names for error messages.

    Returns:
        np.ndarray: ``NME_i``, shape (N,).
    """
    pred = np.asarray(pred, dtype=np.float64)
    gt = np.asarray(gt, dtype=np.float64)
    if pred.ndim != 3 or gt.ndim != 3 or pred.shape[:2] != gt.shape[:2]:
        raise ValueError('pred and gt keypoints must both be (N, K, 2); got '
                         f'{pred.shape} and {gt.shape}')
    n, k = gt.shape[:2]
    names = _names(names, n)
    if visible is None:
        mask = np.ones((n, k), dtype=bool)
    else:
        mask = np.asarray(visible).reshape(n, k) > 0
    d = np.asarray(normaliser, dtype=np.float64).reshape(-1)
    if d.shape[0] != n:
        raise ValueError(f'{d.shape[0]} normalisers for {n} images')

    # any non-finite prediction is a model / decoding bug, visible or not
    bad_pred = ~np.isfinite(pred[..., :2]).all(axis=-1)
    for i in np.flatnonzero(bad_pred.any(axis=1)):
        raise ValueError(
            f'non-finite (NaN/inf) prediction for {names[i]} at keypoints '
            f'{np.flatnonzero(bad_pred[i]).tolist()}')
    bad_gt = ~np.isfinite(gt[..., :2]).all(axis=-1) & mask
    for i in np.flatnonzero(bad_gt.any(axis=1)):
        raise ValueError(
            f'non-finite ground truth for {names[i]} at visible keypoints '
            f'{np.flatnonzero(bad_gt[i]).tolist()}')
    for i in np.flatnonzero(~(np.isfinite(d) & (d > 0))):
        raise ValueError(f'normaliser of {names[i]} is {d[i]!r}; it must be '
                         'finite and > 0 (degenerate eye landmarks or box?)')
    n_vis = mask.sum(axis=1)
    for i in np.flatnonzero(n_vis == 0):
        raise ValueError(f'{names[i]} has no visible keypoint to evaluate')

    err = np.linalg.norm(
        np.where(mask[..., None], pred[..., :2] - gt[..., :2], 0.0), axis=-1)
    return err.sum(axis=1) / n_vis / d


def failure_rate(nmes: np.ndarray, thr: float = 0.1) -> float:
    """``FR@thr``: share of images with ``NME > thr`` (ties pass)."""
    nmes = np.asarray(nmes, dtype=np.float64).reshape(-1)
    if nmes.size == 0:
        return float('nan')
    return float(np.count_nonzero(nmes > thr) / nmes.size)


def ced_curve(nmes: np.ndarray,
              thr: float = 0.1,
              step: float = 1e-4) -> Tuple[np.ndarray, np.ndarray]:
    """Cumulative error distribution on ``x = 0, step, ..., thr``.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``x`` and ``CED(x)`` (share of images
        with ``NME <= x``), both of shape (round(thr / step) + 1,).
    """
    nmes = np.sort(np.asarray(nmes, dtype=np.float64).reshape(-1))
    if thr <= 0 or step <= 0:
        raise ValueError(f'thr ({thr}) and step ({step}) must be > 0')
    n_steps = max(int(round(thr / step)), 1)
    xs = np.linspace(0.0, thr, n_steps + 1)
    if nmes.size == 0:
        return xs, np.full_like(xs, np.nan)
    ys = np.searchsorted(nmes, xs, side='right') / nmes.size
    return xs, ys


def auc_from_ced(xs: np.ndarray, ys: np.ndarray, thr: float) -> float:
    """``(1 / thr) * integral CED`` over the given grid (trapezoid rule)."""
    xs = np.asarray(xs, dtype=np.float64)
    ys = np.asarray(ys, dtype=np.float64)
    area = float(np.sum((xs[1:] - xs[:-1]) * (ys[1:] + ys[:-1]) / 2.0))
    return area / thr


def ced_auc(nmes: np.ndarray, thr: float = 0.1, step: float = 1e-4) -> float:
    """``AUC@thr`` of the CED of ``nmes`` (in [0, 1])."""
    xs, ys = ced_curve(nmes, thr, step)
    return auc_from_ced(xs, ys, thr)


def summarise_nmes(nmes: np.ndarray,
                   thrs: Sequence[float] = (0.1, ),
                   step: float = 1e-4) -> Dict[str, float]:
    """Mean NME, ``FR@t`` and ``AUC@t`` of one group of images (fractions).

    Returns:
        dict: ``{'NME': ..., 'FR@0.1': ..., 'AUC@0.1': ..., 'num': N}``.
    """
    nmes = np.asarray(nmes, dtype=np.float64).reshape(-1)
    out: Dict[str, float] = {
        'NME': float(nmes.mean()) if nmes.size else float('nan')
    }
    for t in thrs:
        out[f'FR@{t:g}'] = failure_rate(nmes, t)
        out[f'AUC@{t:g}'] = ced_auc(nmes, t, step) if nmes.size \
            else float('nan')
    out['num'] = int(nmes.size)
    return out


def format_table(summaries: Mapping[str, Mapping[str, float]],
                 thrs: Sequence[float] = (0.1, ),
                 title: Optional[str] = None) -> str:
    """Paper-style table: one column per group (``full`` first), rows
    ``NME (%)``, ``FR@t (%)``, ``AUC@t`` (fraction, 4 decimals) and
    ``#images``.

    Args:
        summaries: ``{column: summarise_nmes(...)}`` in column order.
        thrs: thresholds to print.
        title: optional first line.

    Returns:
        str: whitespace-aligned table (no trailing newline); every cell is a
        single token, so ``line.split()`` parses it.
    """
    cols = list(summaries)
    rows = [('NME(%)', 'NME', 100.0, '{:.2f}')]
    for t in thrs:
        rows.append((f'FR@{t:g}(%)', f'FR@{t:g}', 100.0, '{:.2f}'))
        rows.append((f'AUC@{t:g}', f'AUC@{t:g}', 1.0, '{:.4f}'))
    cells = [['metric'] + cols]
    for label, key, scale, fmt in rows:
        line = [label]
        for c in cols:
            v = summaries[c].get(key, float('nan'))
            line.append('nan' if not np.isfinite(v) else fmt.format(v * scale))
        cells.append(line)
    cells.append(['#images'] + [str(int(summaries[c].get('num', 0)))
                                for c in cols])
    widths = [max(len(r[j]) for r in cells) for j in range(len(cells[0]))]
    lines = ['  '.join(
        (cell.ljust(widths[j]) if j == 0 else cell.rjust(widths[j]))
        for j, cell in enumerate(r)).rstrip() for r in cells]
    if title:
        lines.insert(0, title)
    return '\n'.join(lines)
