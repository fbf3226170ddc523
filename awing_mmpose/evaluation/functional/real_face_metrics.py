"""The figures of ``tools/analysis/eval_real_faces.py`` in pure numpy:
NME / FR / AUC over a few labelled faces, NME per facial part, the error
left after a similarity alignment, and the jaw width.

Symbols as in :mod:`.face_metrics`: ``N`` faces, ``K`` landmarks (68 for
the per-part and jaw figures, the iBUG / 300W layout), ``p`` predictions,
``g`` labels, ``d`` the per-face normaliser; all errors are fractions.
"""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np

from awing_mmpose.utils.similarity import fit_similarity

from .face_metrics import per_image_nme, summarise_nmes

__all__ = ['PARTS_68', 'jaw_width', 'similarity_align', 'score_faces']

#: the facial parts of the 68-point (iBUG / 300W) layout, 0-based
PARTS_68: Dict[str, list] = dict(
    contour=list(range(0, 17)), brows=list(range(17, 27)),
    nose=list(range(27, 36)), eyes=list(range(36, 48)),
    mouth=list(range(48, 68)))


def jaw_width(kpts: np.ndarray) -> np.ndarray:
    """Width of the 68-point jaw (points 1-17, x extent) over the distance
    of the eye centres (means of points 37-42 and 43-48).

    Args:
        kpts (np.ndarray): 68-point shapes, (N, 68, 2).

    Returns:
        np.ndarray: (N, ). A narrow predicted jaw shows up against the
        labels' here.
    """
    kpts = np.asarray(kpts, np.float64)
    eyes = np.linalg.norm(kpts[:, 36:42].mean(1) - kpts[:, 42:48].mean(1),
                          axis=-1)
    return np.ptp(kpts[:, PARTS_68['contour'], 0], axis=1) / eyes


def similarity_align(pred: np.ndarray, gt: np.ndarray
                     ) -> Tuple[np.ndarray, float, float]:
    """The least-squares similarity transform (rotation, scale, shift) of
    ``pred`` onto ``gt``.

    Args:
        pred (np.ndarray): predicted shape ``p``, (K, 2).
        gt (np.ndarray): labelled shape ``g``, (K, 2).

    Returns:
        tuple: ``(aligned (K, 2), rotation in degrees, scale)``: the
        rotation and scale that take ``p`` onto ``g`` (a prediction turned
        by +12 degrees and 1.25 x too large gives -12 and 0.8). What is left
        between ``aligned`` and ``g`` is the error of the predicted shape
        itself, with the pose and size misfit removed.
    """
    sim = fit_similarity(pred, gt)
    return sim(pred), sim.angle, sim.scale


def score_faces(pred: np.ndarray, gt: np.ndarray, normaliser: np.ndarray,
                names: Optional[Sequence[str]] = None,
                thr: float = 0.1) -> dict:
    """Every figure of a real-face evaluation.

    Args:
        pred (np.ndarray): predictions in the labels' layout, (N, K, 2).
        gt (np.ndarray): labels, (N, K, 2).
        normaliser (np.ndarray): ``d`` per face, (N, ).
        names (Sequence[str], optional): face names for error messages.
        thr (float): the FR / AUC threshold.

    Returns:
        dict:

        * ``summary``: ``NME`` (mean of ``NME_i``), ``FR@thr``, ``AUC@thr``
          and ``num`` (:func:`summarise_nmes`);
        * ``nmes``: ``NME_i``, (N, );
        * ``parts``: for ``K = 68``, per facial part of :data:`PARTS_68`,
          the mean over faces of the part's mean point error over ``d_i``
          (the whole face's normaliser); ``{}`` otherwise;
        * ``aligned``: per face ``(NME after similarity_align, rotation in
          degrees, scale)``;
        * ``aligned_nme``: the mean of the first of these;
        * ``jaws``: for ``K = 68``, (N, 2) :func:`jaw_width` of the labels
          and of the predictions; ``None`` otherwise.
    """
    pred = np.asarray(pred, np.float64)
    gt = np.asarray(gt, np.float64)
    d = np.asarray(normaliser, np.float64).reshape(-1)
    nmes = per_image_nme(pred, gt, None, d, names)
    aligned = []
    for p, g, norm in zip(pred, gt, d):
        al, angle, scale = similarity_align(p, g)
        aligned.append((float(np.linalg.norm(al - g, axis=1).mean() / norm),
                        angle, scale))
    parts, jaws = {}, None
    if gt.shape[1] == 68:
        jaws = np.stack([jaw_width(gt), jaw_width(pred)], axis=1)
        for part, idx in PARTS_68.items():
            vis = np.zeros(gt.shape[:2])
            vis[:, idx] = 1
            parts[part] = float(per_image_nme(pred, gt, vis, d, names).mean())
    return dict(summary=summarise_nmes(nmes, thrs=(thr, )), nmes=nmes,
                parts=parts, aligned=aligned,
                aligned_nme=float(np.mean([a[0] for a in aligned])),
                jaws=jaws)
