"""Facial hair: stubble, a moustache, a goatee or a full beard.

Facial hair is common on faces in photos and it sits exactly where the jaw
and mouth landmarks are: a moustache hides the top of the upper lip, a
goatee the chin, a full beard the lower jaw line itself, which annotators
then place where the jaw must be under it (the landmarks do not move). Hair
is drawn over the lit face in the lit hair colour, with a strand-like
grain; stubble is a fine dark grain on the skin.
"""
from dataclasses import dataclass

import cv2
import numpy as np

from . import landmark_indices as L
from .face_frame import FaceFrame
from .face_params import pick
from .raster import Mask, blend, polygon_mask

FACIAL_HAIR_KINDS = ('stubble', 'moustache', 'goatee', 'beard')


@dataclass(frozen=True)
class FacialHair:
    """Drawing choices of the facial hair.

    Attributes:
        kind: one of :data:`FACIAL_HAIR_KINDS`.
        density: opacity of the hair (0.35-0.95; stubble uses half).
        thickness: moustache height and beard spread, template units
            (0.05-0.12).
        overhang: how far a full beard reaches beyond the jaw outline,
            template units (0-0.15).
        grey: how much the hair is greyed (0-0.6).
    """
    kind: str
    density: float
    thickness: float
    overhang: float
    grey: float


def sample_facial_hair(rng: np.random.Generator) -> FacialHair:
    """Draw a :class:`FacialHair` (5 uniform draws)."""
    u = rng.random(5)
    return FacialHair(kind=pick(u[0], FACIAL_HAIR_KINDS),
                      density=0.35 + 0.6 * u[1],
                      thickness=0.05 + 0.07 * u[2], overhang=0.15 * u[3],
                      grey=0.6 * u[4])


def _moustache(frame: FaceFrame, hair: FacialHair) -> np.ndarray:
    """Polygon from mouth corner to corner over the upper lip's top, no
    higher than the nose base."""
    lm, sc = frame.landmarks, frame.scale
    _, down = frame.axes
    lip = lm[[L.MOUTH_LEFT, 77, 78, 79, 80, 81, L.MOUTH_RIGHT]]
    top = lip - down * hair.thickness * sc
    below_nose = lm[L.NOSE_BASE] @ down + 0.01 * sc
    top += np.maximum(below_nose - top @ down, 0.0)[:, None] * down
    bottom = lip + down * 0.2 * hair.thickness * sc
    bottom[[0, -1]] += down * 0.5 * hair.thickness * sc
    return np.concatenate([top, bottom[::-1]], 0)


def _chin_patch(frame: FaceFrame, hair: FacialHair) -> np.ndarray:
    """Polygon from under the lower lip down to just past the chin (jaw
    points 13-19)."""
    lm, sc = frame.landmarks, frame.scale
    under_lip = lm[[84, 85, 86]]  # right to left
    chin = lm[13:20] + frame.axes[1] * 0.4 * hair.thickness * sc
    return np.concatenate([under_lip, chin], 0)


def _beard(frame: FaceFrame, hair: FacialHair) -> np.ndarray:
    """Polygon of a full beard: the lower jaw from ear to ear, grown by
    ``overhang`` outside the outline, up to the cheeks and round the
    mouth."""
    lm, sc = frame.landmarks, frame.scale
    jaw = lm[4:29]
    centre = lm[[L.NOSE_BASE, L.CHIN]].mean(0)
    out = jaw - centre
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
    outer = jaw + out * hair.overhang * sc
    cheek = [0.45 * lm[28] + 0.55 * lm[L.NOSE_RIGHT_WING],
             lm[L.MOUTH_RIGHT] + (lm[L.NOSE_RIGHT_WING] - lm[L.MOUTH_RIGHT])
             * 0.6,
             lm[L.NOSE_BASE] - frame.axes[1] * 0.01 * sc,
             lm[L.MOUTH_LEFT] + (lm[L.NOSE_LEFT_WING] - lm[L.MOUTH_LEFT]) *
             0.6,
             0.45 * lm[4] + 0.55 * lm[L.NOSE_LEFT_WING]]
    return np.concatenate([outer, np.stack(cheek)], 0)


def _hair_paint(frame: FaceFrame, hair: FacialHair, mask: Mask,
                rng: np.random.Generator) -> np.ndarray:
    """(h, w, 3) hair colour with a fine strand grain on the mask's
    region."""
    grey = np.full(3, float(np.mean(frame.lit_hair)) * 1.3 + 40, np.float32)
    base = frame.lit_hair * (1 - hair.grey) + grey * hair.grey
    h, w = mask.arr.shape
    grain = rng.standard_normal((h, w)).astype(np.float32)
    grain = cv2.GaussianBlur(grain, (0, 0), sigmaX=0.4, sigmaY=1.2)
    return base + (grain * 18.0)[..., None]


def _within(m: Mask, coverage: np.ndarray) -> Mask:
    """``m`` times the full-picture ``coverage`` (S, S) on its region."""
    return Mask(m.arr * coverage[m.sl], m.y0, m.x0)


def draw_facial_hair(img: np.ndarray, frame: FaceFrame, hair: FacialHair,
                     face: Mask, rng: np.random.Generator) -> None:
    """Paint ``hair`` in place on the lit picture ``img`` (S, S, 3) float32
    BGR; ``face`` is the face's coverage (stubble stays on the skin)."""
    size, sc = frame.size, frame.scale
    if hair.kind == 'stubble':
        lm = frame.landmarks
        area = np.concatenate([lm[2:31], [lm[L.NOSE_RIGHT_WING],
                                          lm[L.NOSE_BASE],
                                          lm[L.NOSE_LEFT_WING]]], 0)
        m = _within(polygon_mask(size, [area], 0.06 * sc), face.full(size))
        dots = (rng.random(m.arr.shape) < 0.35).astype(np.float32)
        dots = cv2.GaussianBlur(dots, (0, 0), 0.5)
        blend(img, Mask(m.arr * dots, m.y0, m.x0),
              frame.lit_hair * 0.6, 0.5 * hair.density)
        return
    polys = [_moustache(frame, hair)]
    if hair.kind == 'goatee':
        polys.append(_chin_patch(frame, hair))
    elif hair.kind == 'beard':
        polys.append(_beard(frame, hair))
    m = polygon_mask(size, polys, 0.02 * sc + 0.4)
    if hair.kind == 'beard':  # the lips stay visible
        lips = polygon_mask(size, [frame.landmarks[L.OUTER_LIP]], 0.5)
        m = _within(m, 1 - lips.full(size))
    blend(img, m, _hair_paint(frame, hair, m, rng), hair.density)
