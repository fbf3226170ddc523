"""Clear eyeglasses worn on the face: rims round both eyes, a bridge over
the nose, arms to the ears, tinted lenses with a glare.

Glasses are among the commonest things on real faces, and a thin dark rim
round each eye is an edge next to the eye corners and brows that the
drawn faces otherwise never show. Unlike the sunglasses occluder they hide
nothing: the eyes stay visible through the lenses. The landmarks and the
attribute flags do not depend on them.

Sizes follow the projected eyes (the lens axis runs from the outer to the
inner eye corner, so it turns with roll and shortens with yaw); heights are
in template units (about half the face width), scaled by the pose.
"""
from dataclasses import dataclass
from typing import List, Tuple

import numpy as np

from . import landmark_indices as L
from .face_frame import FaceFrame
from .face_params import pick
from .raster import Mask, blend, draw_mask, polygon_mask

#: rim colours (BGR): black, dark brown, tortoiseshell, steel, gold, clear
RIM_COLOURS = np.array([[20, 20, 24], [25, 40, 62], [40, 70, 110],
                        [150, 150, 155], [70, 160, 200], [200, 200, 205]],
                       np.float32)
_LENS_POINTS = 40


@dataclass(frozen=True)
class Eyeglasses:
    """Drawing choices of one pair of glasses.

    Attributes:
        width: lens half width over half the eye's corner-to-corner length
            (1.35-1.75).
        height: lens half height in template units (0.15-0.25).
        squareness: superellipse exponent of the lens (2 oval .. 5 nearly
            rectangular).
        drop: lens centre below the eye centre, in lens half heights
            (0-0.35).
        rim: rim thickness in template units (0.006-0.035).
        colour: (3,) BGR rim colour.
        tint: opacity of the lens tint (0-0.25).
        glare: opacity of a reflection band on the lenses (0-0.45).
    """
    width: float
    height: float
    squareness: float
    drop: float
    rim: float
    colour: Tuple[float, float, float]
    tint: float
    glare: float


def sample_eyeglasses(rng: np.random.Generator) -> Eyeglasses:
    """Draw an :class:`Eyeglasses` (8 uniform draws)."""
    u = rng.random(8)
    colour = pick(u[5], RIM_COLOURS)
    return Eyeglasses(width=1.35 + 0.4 * u[0],
                      height=0.15 + 0.1 * u[1],
                      squareness=2.0 + 3.0 * u[2],
                      drop=0.35 * u[3],
                      rim=0.006 + 0.029 * u[4],
                      colour=tuple(float(c) for c in colour),
                      tint=0.25 * u[6],
                      glare=0.45 * u[7])


def lens_outlines(frame: FaceFrame, glasses: Eyeglasses) -> List[np.ndarray]:
    """(N, 2) closed outlines of the two lenses (image left eye first);
    each starts at its outer end and runs over the top to the inner end."""
    lm, sc = frame.landmarks, frame.scale
    t = np.linspace(np.pi, -np.pi, _LENS_POINTS, endpoint=False)
    e = 2.0 / glasses.squareness
    cx = np.sign(np.cos(t)) * np.abs(np.cos(t))**e
    cy = np.sign(np.sin(t)) * np.abs(np.sin(t))**e
    lenses = []
    for eye in L.EYES:
        outer, inner = lm[eye.ring[0]], lm[eye.ring[4]]
        along = inner - outer
        half = 0.5 * np.linalg.norm(along)
        d = along / max(2 * half, 1e-6)  # unit, outer -> inner
        down = np.array([-d[1], d[0]])
        if down[1] < 0:
            down = -down
        a, b = glasses.width * half, glasses.height * sc
        centre = 0.5 * (outer + inner) + down * glasses.drop * b
        # t = pi: the outer end; then over the top (-down) to the inner end
        lenses.append(centre + np.outer(cx * a, d) - np.outer(cy * b, down))
    return lenses


def draw_eyeglasses(img: np.ndarray, frame: FaceFrame, glasses: Eyeglasses,
                    rng: np.random.Generator) -> None:
    """Paint ``glasses`` on the face in place: lens tint and glare, the
    rims' faint shadow on the skin, then rims, bridge and arms."""
    size, sc, lm = frame.size, frame.scale, frame.landmarks
    lenses = lens_outlines(frame, glasses)
    lens_mask = polygon_mask(size, lenses, 0.5)
    blend(img, lens_mask, np.float32(90.0), glasses.tint)
    if glasses.glare > 0.02:
        _glare(img, lenses, lens_mask, glasses.glare, rng)

    quarter = _LENS_POINTS // 4
    top_inner = [lens[quarter + quarter // 2] for lens in lenses]
    nose_top = lm[L.NOSE_TOP]
    bridge = np.stack([top_inner[0],
                       0.5 * (top_inner[0] + nose_top) + [0, -0.02 * sc],
                       nose_top + [0, -0.03 * sc],
                       0.5 * (top_inner[1] + nose_top) + [0, -0.02 * sc],
                       top_inner[1]])
    arms = [np.stack([lens[quarter // 3], _towards(lens[quarter // 3],
                                                   lm[end], 1.15)])
            for lens, end in zip(lenses, (L.JAW_LEFT_END, L.JAW_RIGHT_END))]
    curves = [np.concatenate([lens, lens[:1]]) for lens in lenses]
    curves += [bridge] + arms
    thick = max(1.0, glasses.rim * sc)
    shadow = draw_mask(size, [c + [0.0, 0.04 * sc] for c in curves],
                       0.02 * sc, thick)
    blend(img, shadow, np.float32(0.0), 0.18)
    rims = draw_mask(size, curves, 0.3, thick)
    blend(img, rims, frame.lit(glasses.colour))


def _towards(start: np.ndarray, end: np.ndarray, k: float) -> np.ndarray:
    """The point ``k`` of the way from ``start`` to ``end``."""
    return start + k * (end - start)


def _glare(img, lenses, lens_mask, alpha, rng):
    """A soft diagonal band of light across both lenses (computed on the
    lenses' region only)."""
    pts = np.concatenate(lenses, 0)
    lo, hi = pts.min(0), pts.max(0)
    rows, cols = lens_mask.sl
    ys, xs = np.mgrid[rows, cols].astype(np.float32)
    ang = rng.uniform(0.5, 1.2)
    offset = rng.uniform(0.2, 0.8)
    u = ((xs - lo[0]) * np.cos(ang) + (ys - lo[1]) * np.sin(ang)) / max(
        float(np.abs(hi - lo).max()), 1.0)
    band = np.exp(-((u - offset) / 0.12)**2).astype(np.float32)
    blend(img, Mask(lens_mask.arr * band, lens_mask.y0, lens_mask.x0),
          np.float32(255.0), alpha)
