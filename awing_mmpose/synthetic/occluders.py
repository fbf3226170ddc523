"""Occluders painted over the face (the landmarks stay where they are, as
WFLW annotates occluded points): a bar, a hand, sunglasses, a face mask or
an object.

Every painter takes the picture (float32, in place), the face and an
:class:`OccluderPaint` with the occluder's 9 shape draws ``u``, a random
colour and a smooth texture.
"""
from dataclasses import dataclass
from typing import Callable, Dict

import cv2
import numpy as np

from . import landmark_indices as L
from .face_frame import FaceFrame
from .face_params import lerp
from .raster import blend, draw_mask, ellipse_polygon, polygon_mask, \
    smooth_noise


@dataclass
class OccluderPaint:
    """Draws and colours of one occluder."""
    u: np.ndarray  # (9,) shape draws in [0, 1)
    colour: np.ndarray  # (3,) float32 BGR
    texture: np.ndarray  # (S, S, 3) float32 smooth noise
    rng: np.random.Generator  # for painters that draw more


def _pick_target(targets, u: float) -> np.ndarray:
    return targets[int(u * len(targets)) % len(targets)]


def _bar(img: np.ndarray, frame: FaceFrame, paint: OccluderPaint) -> None:
    """A long straight bar across the eyes, nose, mouth or jaw."""
    lm, u, sc = frame.landmarks, paint.u, frame.scale
    targets = [lm[[L.LEFT_EYE_OUTER, L.RIGHT_EYE_OUTER]].mean(0),
               lm[[L.NOSE_TIP, L.NOSE_BASE]].mean(0),
               lm[[L.MOUTH_LEFT, L.MOUTH_RIGHT]].mean(0),
               lm[[L.JAW_LEFT_END, L.CHIN]].mean(0)]
    c = _pick_target(targets, u[0])
    a = np.deg2rad(frame.pose.roll + lerp(u[1], -70, 70) +
                   (90 if u[2] < 0.3 else 0))
    d = np.array([np.cos(a), np.sin(a)])
    n = np.array([-d[1], d[0]])
    length, width = 3.0 * sc, lerp(u[3], 0.15, 0.35) * sc
    poly = np.stack([c - d * length - n * width, c + d * length - n * width,
                     c + d * length + n * width, c - d * length + n * width])
    blend(img, polygon_mask(frame.size, [poly], 0.4),
          paint.colour + paint.texture)


def _hand_polygons(c: np.ndarray, ang: float, u: np.ndarray,
                   sc: float) -> list:
    """Palm, four fingers pointing along ``ang`` (degrees) towards ``c``
    and a thumb, as ellipse polygons."""
    a = np.deg2rad(ang)
    d = np.array([np.cos(a), np.sin(a)])
    n = np.array([-d[1], d[0]])
    palm_c = c - d * 0.45 * sc
    polys = [ellipse_polygon(palm_c, (0.5 * sc, 0.42 * sc), ang)]
    for k in range(4):
        base = palm_c + d * 0.3 * sc + n * (k - 1.5) * 0.2 * sc
        tip = base + d * lerp(u[k], 0.45, 0.7) * sc
        polys.append(ellipse_polygon(0.5 * (base + tip),
                                     (0.5 * np.linalg.norm(tip - base) +
                                      0.05 * sc, 0.085 * sc), ang, 16))
    thumb = palm_c - n * 0.45 * sc + d * 0.1 * sc
    polys.append(ellipse_polygon(thumb, (0.35 * sc, 0.09 * sc), ang - 50,
                                 16))
    return polys


def _hand(img: np.ndarray, frame: FaceFrame, paint: OccluderPaint) -> None:
    """A hand of the face's skin tone over the mouth, an eye, a cheek or
    the chin, shaded darker towards its edge."""
    lm, u, sc = frame.landmarks, paint.u, frame.scale
    hand_skin = frame.skin * lerp(u[0], 0.8, 1.1)
    targets = [lm[[L.MOUTH_LEFT, L.MOUTH_RIGHT]].mean(0),
               lm[[L.LEFT_EYE_OUTER, L.LEFT_EYE_INNER]].mean(0),
               lm[[L.RIGHT_EYE_INNER, L.RIGHT_EYE_OUTER]].mean(0),
               lm[[L.JAW_LEFT_MID, L.NOSE_TIP]].mean(0),
               lm[[L.JAW_RIGHT_MID, L.NOSE_TIP]].mean(0), lm[L.CHIN]]
    c = _pick_target(targets, u[1])
    polys = _hand_polygons(c, lerp(u[2], 0, 360), u[3:7], sc)
    m = polygon_mask(frame.size, polys, 0.5).full(frame.size)
    shade = cv2.GaussianBlur(m, (0, 0), 0.08 * sc)
    blend(img, m, hand_skin * (0.6 + 0.4 * shade[..., None]) + paint.texture)


def _sunglasses(img: np.ndarray, frame: FaceFrame,
                paint: OccluderPaint) -> None:
    """Dark lenses over both eyes, a frame to the temples and a
    reflection."""
    lm, u, sc, size = frame.landmarks, paint.u, frame.scale, frame.size
    lens_col = np.array([20, 20, 25], np.float32) * lerp(u[0], 0.6, 2.5)
    lenses = []
    for eye in L.EYES:
        pts = lm[eye.ring]
        c = pts.mean(0) + np.array([0, 0.02 * sc])
        w = np.linalg.norm(pts[4] - pts[0]) * lerp(u[1], 0.7, 0.85)
        lenses.append(ellipse_polygon(c, (w, w * lerp(u[2], 0.65, 0.85)),
                                      frame.pose.roll))
    m = polygon_mask(size, lenses, 0.4).full(size)
    rims = [lm[[L.LEFT_EYE_INNER, L.RIGHT_EYE_INNER]],
            lm[[L.LEFT_EYE_OUTER, L.JAW_LEFT_END]],
            lm[[L.RIGHT_EYE_OUTER, L.JAW_RIGHT_END]]]
    frame_mask = draw_mask(size, rims, 0.0, 0.04 * sc)
    blend(img, m, lens_col, lerp(u[3], 0.85, 1.0))
    blend(img, frame_mask, lens_col * 0.5)
    reflection = m * smooth_noise(paint.rng, size, 6, 1.0)[..., 0].clip(0, 1)
    blend(img, reflection, 255.0, 0.25)


def _face_mask(img: np.ndarray, frame: FaceFrame,
               paint: OccluderPaint) -> None:
    """A medical / cloth face mask from the nose bridge over the lower jaw
    (beige, white, black or the random colour)."""
    lm = frame.landmarks
    pts = np.concatenate([[lm[L.JAW_LEFT_LOW], lm[L.NOSE_BRIDGE_HIGH]],
                          lm[L.JAW_RIGHT_LOW:L.JAW_LEFT_LOW - 1:-1]], 0)
    m = polygon_mask(frame.size, [pts], 0.5)
    colours = [np.array([220, 200, 150]), np.array([235, 235, 235]),
               np.array([30, 30, 30]), paint.colour]
    col = _pick_target(colours, paint.u[0])
    blend(img, m, np.asarray(col, np.float32) + paint.texture * 0.5)


def _object(img: np.ndarray, frame: FaceFrame,
            paint: OccluderPaint) -> None:
    """A cup / microphone / ball-like textured blob (ellipse or random
    star polygon) near the mouth, the jaw, the brows or the nose."""
    lm, u, sc = frame.landmarks, paint.u, frame.scale
    targets = [lm[[L.MOUTH_LEFT, L.MOUTH_RIGHT]].mean(0),
               lm[L.JAW_LEFT_CHEEK], lm[L.JAW_RIGHT_CHEEK],
               lm[[L.LEFT_BROW_OUTER, L.RIGHT_BROW_OUTER]].mean(0),
               lm[L.NOSE_TIP]]
    c = _pick_target(targets, u[0]) + (np.array([u[1], u[2]]) - 0.5) * \
        0.4 * sc
    r = lerp(u[3], 0.35, 0.7) * sc
    if u[4] < 0.5:
        poly = ellipse_polygon(c, (r, r * lerp(u[5], 0.5, 1.0)),
                               lerp(u[6], 0, 180))
    else:
        k = 5 + int(u[5] * 4)
        ang = np.sort(paint.rng.random(k)) * 2 * np.pi
        rad = r * (0.6 + 0.4 * paint.rng.random(k))
        poly = c + np.stack([np.cos(ang), np.sin(ang)], 1) * rad[:, None]
    blend(img, polygon_mask(frame.size, [poly], 0.4),
          paint.colour + paint.texture * 2)


#: painter of each kind of :data:`~.face_params.OCCLUDER_KINDS`
OCCLUDER_PAINTERS: Dict[str, Callable[[np.ndarray, FaceFrame, OccluderPaint],
                                      None]] = dict(
    bar=_bar, hand=_hand, sunglasses=_sunglasses, mask=_face_mask,
    object=_object)


def paint_occluder(img: np.ndarray, frame: FaceFrame, kind: str,
                   u: np.ndarray, rng: np.random.Generator) -> None:
    """Paint the occluder ``kind`` with its draws ``u`` in place; its
    colour and texture come from ``rng``."""
    colour = rng.random(3).astype(np.float32) * 230 + 10
    texture = smooth_noise(rng, frame.size, 16, 12.0)
    OCCLUDER_PAINTERS[kind](img, frame, OccluderPaint(u, colour, texture,
                                                      rng))
