"""The relief inside the face: nasolabial folds, cheekbones with the hollow
below them, creases under the eyes and above the chin.

A drawn face is otherwise smooth between its features: apart from the nose
and the lit dome, the only shading edge on it is its outline. A face in a
photo is full of shading edges that are not its outline: the folds from the
nose wings past the mouth corners, the cheekbone's highlight and the shadow
under it, the lines under the eyes and above the chin. A :class:`Relief`
draws them, so that a model learns to tell an inner edge from the jaw. The
landmarks do not depend on it.

The marks are painted on the features' layer, before the face is lit, so
the face's light and silhouette apply to them as to the skin.
"""
from dataclasses import dataclass

import numpy as np

from . import landmark_indices as L
from .face_frame import FaceFrame
from .raster import blend, curve_mask, ellipse_polygon, polygon_mask


@dataclass(frozen=True)
class Relief:
    """Strengths of the marks of the face's relief (opacities in [0, 1]).

    Attributes:
        folds: nasolabial folds (0.1-0.5).
        fold_length: how far the folds run below the mouth corners, in
            mouth half widths (0.1-0.8).
        cheekbone: cheekbone highlight and the hollow below it (0.1-0.4).
        eye_bags: crease under each lower lid (0-0.4).
        chin_crease: crease between the lower lip and the chin (0-0.35).
    """
    folds: float
    fold_length: float
    cheekbone: float
    eye_bags: float
    chin_crease: float


def sample_relief(rng: np.random.Generator) -> Relief:
    """Draw a :class:`Relief` (5 uniform draws)."""
    u = rng.random(5)
    return Relief(folds=0.1 + 0.4 * u[0], fold_length=0.1 + 0.7 * u[1],
                  cheekbone=0.1 + 0.3 * u[2], eye_bags=0.4 * u[3],
                  chin_crease=0.35 * u[4])


def draw_relief(img: np.ndarray, frame: FaceFrame, relief: Relief) -> None:
    """Paint the marks of ``relief`` in place on ``img`` (S, S, 3) float32
    BGR, the face's features layer."""
    _draw_cheekbones(img, frame, relief.cheekbone)
    _draw_folds(img, frame, relief)
    _draw_creases(img, frame, relief)


def _draw_cheekbones(img, frame, strength):
    """Per side a highlight on the cheekbone, below the outer eye corner,
    and a shadowed hollow under it; the side facing the light gets the
    stronger highlight, the other the darker hollow."""
    size, sc, skin = frame.size, frame.scale, frame.skin
    lit_side = 1.0 if np.cos(frame.light.az) > 0 else -1.0
    for side in (-1.0, 1.0):
        lit = 1.0 if side == lit_side else 0.5
        for (x, y), axes, colour, alpha in (
                ((0.58, 0.0), (0.24, 0.1), skin * 1.25, strength * lit),
                ((0.62, 0.32), (0.2, 0.2), skin * 0.6,
                 strength * (1.5 - lit))):
            poly = ellipse_polygon(frame.on_surface(side * x, y),
                                   (axes[0] * sc, axes[1] * sc),
                                   frame.pose.roll - side * 15)
            blend(img, polygon_mask(size, [poly], 0.08 * sc), colour, alpha)


def _draw_folds(img, frame, relief):
    """A dark crease from above each nose wing round the mouth corner,
    with a highlight on its cheek side."""
    size, sc, lm, skin = frame.size, frame.scale, frame.landmarks, frame.skin
    across, down = frame.axes
    half_mouth = 0.5 * np.linalg.norm(lm[L.MOUTH_RIGHT] - lm[L.MOUTH_LEFT])
    for wing, corner, side in ((L.NOSE_LEFT_WING, L.MOUTH_LEFT, -1.0),
                               (L.NOSE_RIGHT_WING, L.MOUTH_RIGHT, 1.0)):
        out = side * across
        start = lm[wing] + out * 0.05 * sc - down * 0.04 * sc
        mid = lm[corner] + out * 0.14 * sc - down * 0.12 * sc
        end = lm[corner] + out * 0.08 * sc + down * (
            relief.fold_length * half_mouth)
        fold = np.stack([start, 0.5 * (start + mid) + out * 0.03 * sc, mid,
                         end])
        width = max(1.0, 0.03 * sc)
        blend(img, curve_mask(size, fold, width, 0.02 * sc), skin * 0.45,
              relief.folds)
        blend(img, curve_mask(size, fold + out * 0.08 * sc, 2 * width,
                              0.04 * sc), skin * 1.2, 0.5 * relief.folds)


def _draw_creases(img, frame, relief):
    """Lines under the lower lids and between the lower lip and the
    chin."""
    size, sc, lm, skin = frame.size, frame.scale, frame.landmarks, frame.skin
    _, down = frame.axes
    width = max(1.0, 0.015 * sc)
    if relief.eye_bags > 0.02:
        for eye in L.EYES:
            lid = lm[eye.lower_lid[1:-1]]
            blend(img, curve_mask(size, lid + down * 0.09 * sc, width,
                                  0.02 * sc), skin * 0.65, relief.eye_bags)
    if relief.chin_crease > 0.02:
        lip = lm[L.LOWER_LIP_MIDDLE]
        c = lip + (lm[L.CHIN] - lip[1]) * 0.45
        arc = np.stack([c[0] - down * 0.03 * sc, c[1],
                        c[2] - down * 0.03 * sc])
        blend(img, curve_mask(size, arc, 2 * width, 0.03 * sc), skin * 0.6,
              relief.chin_crease)
