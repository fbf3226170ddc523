"""The face itself: skin, blush, brows, eyes, nose and mouth.

Each function paints one feature in place on a float32 (S, S, 3) BGR
picture, placed by the face's landmarks (:mod:`.landmark_indices`).
"""
import cv2
import numpy as np

from . import landmark_indices as L
from .face_frame import FaceFrame
from .raster import (SHIFT, Mask, blend, curve_mask, ellipse_polygon,
                     polygon_mask, region_of_interest, smooth_noise,
                     to_fixed)

_SCLERA = np.array([200, 207, 212], np.float32)
_PUPIL = (10, 10, 12)
_CATCH_LIGHT = (235, 240, 245)
_LASH = np.array([20, 20, 25])
_BLUSH = np.array([120, 100, 220])
_DARK_BROW = np.array([15, 15, 20])
_MOUTH_INSIDE = np.array([35, 25, 60], np.float32)
_TEETH = (215, 225, 230)


def face_silhouette(frame: FaceFrame, blur: float = 0.4) -> Mask:
    """Coverage of the face skin: the silhouette plus the profile of nose
    and lips (they stick out of the cheek outline at large yaw), its edge
    softened by a Gaussian of std ``blur`` pixels."""
    size, lm = frame.size, frame.landmarks
    profile = cv2.convexHull(
        lm[L.NOSE + L.OUTER_LIP].astype(np.float32))[:, 0]
    x0, y0, x1, y1 = region_of_interest(
        size, np.concatenate([frame.outline, profile]), max(3.0, 3.5 * blur))
    face = polygon_mask(size, [frame.outline, profile], blur)
    return Mask(face.full(size)[y0:y1, x0:x1], y0, x0)


def draw_skin(img: np.ndarray, face: Mask, frame: FaceFrame,
              rng: np.random.Generator, grain: float = 0.0) -> None:
    """Skin colour with a slight smooth mottling over the face mask, and a
    fine grey grain (pores, creases) of std ``grain`` grey levels."""
    skin = frame.skin + smooth_noise(rng, frame.size, 8, 5.0, face.arr.shape)
    if grain > 0:
        cells = max(8, frame.size // 3)
        skin += smooth_noise(rng, frame.size, cells, grain,
                             face.arr.shape)[..., :1]
    blend(img, face, skin)


def draw_blush(img: np.ndarray, frame: FaceFrame) -> None:
    """Make-up blush on both cheeks (only with make-up)."""
    strength = frame.makeup.blush
    if strength <= 0:
        return
    sc = frame.scale
    for side in (-1, 1):
        c = frame.on_surface(side * 0.55, 0.2)
        bm = polygon_mask(frame.size, [ellipse_polygon(
            c, (0.22 * sc, 0.14 * sc), frame.pose.roll)], 0.1 * sc)
        blend(img, bm, _BLUSH, strength * 0.5)


def _brow_colour(frame: FaceFrame):
    """(colour, opacity) of the brows: the hair's, darker with make-up and
    for light hair or a bald head."""
    makeup = frame.makeup
    colour = frame.hair * 0.75 + frame.skin * 0.1
    alpha = 0.8
    if makeup.brow_dark > 0:
        colour = (colour * (1 - makeup.brow_dark) +
                  _DARK_BROW * makeup.brow_dark)
        alpha = 0.95
    lum = float(np.mean(colour))
    if frame.params.hair_style == 'bald' or lum > 80:
        colour = colour * (min(80.0, lum * 0.6) / max(lum, 1e-3))
    return colour, alpha


def draw_brows(img: np.ndarray, frame: FaceFrame) -> None:
    """Both brows as filled polygons of their 9 points."""
    colour, alpha = _brow_colour(frame)
    for idx in (L.LEFT_BROW, L.RIGHT_BROW):
        bm = polygon_mask(frame.size, [frame.landmarks[idx]],
                          0.02 * frame.scale)
        blend(img, bm, colour, alpha)


def _draw_eye_shadow(img: np.ndarray, frame: FaceFrame,
                     eye: L.EyeIndices) -> None:
    """Make-up eye shadow above the upper lid, else the socket's shadow."""
    size, sc, makeup = frame.size, frame.scale, frame.makeup
    up = frame.landmarks[eye.upper_lid]
    centre = frame.landmarks[eye.ring].mean(0)
    if makeup.shadow is not None:
        top = centre + (up - centre) * 2.3
        area = np.concatenate([up, top[::-1]], 0)
        blend(img, polygon_mask(size, [area], 0.04 * sc), makeup.shadow,
              makeup.shadow_alpha)
    else:
        top = centre + (up - centre) * 1.6
        area = np.concatenate([up, top[::-1]], 0)
        blend(img, polygon_mask(size, [area], 0.03 * sc), frame.skin * 0.7,
              0.5)


def _draw_eyeball(img: np.ndarray, frame: FaceFrame,
                  eye: L.EyeIndices) -> None:
    """Sclera, iris, pupil and a catch light, clipped to the eye opening;
    the iris is foreshortened by the yaw."""
    pts = frame.landmarks[eye.ring]
    em = polygon_mask(frame.size, [pts])
    ball = np.empty(em.arr.shape + (3, ), np.float32)
    ball[:] = _SCLERA
    off = np.array([em.x0, em.y0], np.float64)
    pc = frame.landmarks[eye.pupil]
    roll = frame.pose.roll
    r_iris = 0.2 * np.linalg.norm(pts[4] - pts[0])
    cy = max(np.cos(np.deg2rad(frame.pose.yaw) * 0.8), 0.3)
    for poly, col in (
        (ellipse_polygon(pc, (r_iris * cy, r_iris), roll),
         frame.params.iris),
        (ellipse_polygon(pc, (0.45 * r_iris * cy, 0.45 * r_iris), roll),
         _PUPIL),
        (ellipse_polygon(pc + np.array([-0.3, -0.35]) * r_iris,
                         (0.16 * r_iris, 0.16 * r_iris), 0, 12),
         _CATCH_LIGHT)):
        cv2.fillPoly(ball, [to_fixed(poly - off).reshape(-1, 1, 2)],
                     tuple(float(c) for c in col), cv2.LINE_AA, SHIFT)
    blend(img, em, ball)


def draw_eyes(img: np.ndarray, frame: FaceFrame) -> None:
    """Both eyes: shadow above, eyeball, lash line (thicker with eye
    liner) and the lower lid."""
    size, lm = frame.size, frame.landmarks
    lid_px = max(1.0, 0.022 * frame.scale * frame.makeup.liner)
    for eye in L.EYES:
        _draw_eye_shadow(img, frame, eye)
        _draw_eyeball(img, frame, eye)
        blend(img, curve_mask(size, lm[eye.upper_lid], lid_px, 0.3), _LASH,
              0.9)
        blend(img, curve_mask(size, lm[eye.lower_lid],
                              max(1.0, lid_px * 0.5), 0.4),
              frame.skin * 0.45, 0.6)


def draw_nose(img: np.ndarray, frame: FaceFrame) -> None:
    """Side shadow of the bridge (away from the light), base line,
    nostrils, alar creases and a highlight on the tip."""
    size, lm, skin = frame.size, frame.landmarks, frame.skin
    roll = frame.pose.roll
    nw = np.linalg.norm(lm[L.NOSE_RIGHT_WING] - lm[L.NOSE_LEFT_WING])
    side = -1.0 if np.cos(frame.light.az) > 0 else 1.0
    across, down = frame.axes
    shadow = lm[L.NOSE_BRIDGE] + side * across * nw * 0.28
    blend(img, curve_mask(size, shadow, max(1.0, nw * 0.18), nw * 0.12),
          skin * 0.55, 0.5)
    blend(img, curve_mask(size, lm[L.NOSE_BOTTOM], max(1.0, nw * 0.12),
                          nw * 0.06), skin * 0.4, 0.7)
    for a, b, tilt in ((L.NOSE_LEFT_WING, L.NOSE_LEFT_NOSTRIL, 20),
                       (L.NOSE_RIGHT_NOSTRIL, L.NOSE_RIGHT_WING, -20)):
        c = 0.5 * (lm[a] + lm[b]) - down * nw * 0.04
        hole = ellipse_polygon(c, (nw * 0.13, nw * 0.065), roll + tilt)
        blend(img, polygon_mask(size, [hole], 0.5), skin * 0.25, 0.85)
    for wing in (L.NOSE_LEFT_WING, L.NOSE_RIGHT_WING):
        crease = np.stack([
            lm[wing], lm[wing] * 0.6 + lm[L.NOSE_BRIDGE_LOW] * 0.4 +
            (lm[wing] - lm[L.NOSE_BASE]) * 0.15,
            lm[L.NOSE_BRIDGE_LOW] * 0.8 + lm[wing] * 0.2])
        blend(img, curve_mask(size, crease, max(1.0, nw * 0.08), nw * 0.05),
              skin * 0.55, 0.45)
    tip = ellipse_polygon(lm[L.NOSE_TIP] - down * nw * 0.05,
                          (nw * 0.18, nw * 0.14), roll, 16)
    blend(img, polygon_mask(size, [tip], nw * 0.1), skin * 1.25, 0.5)


def _lip_colour(frame: FaceFrame) -> np.ndarray:
    p, makeup = frame.params, frame.makeup
    if makeup.lip_alpha > 0:
        return p.lip * (1 - makeup.lip_alpha) + makeup.lip * makeup.lip_alpha
    return p.lip


def _draw_mouth_inside(img: np.ndarray, frame: FaceFrame,
                       gap: float) -> None:
    """The dark inside of an open mouth, with the upper teeth when the
    mouth is wide open or smiling."""
    lm, e = frame.landmarks, frame.params.expression
    im = polygon_mask(frame.size, [lm[L.INNER_LIP]])
    mouth = np.empty(im.arr.shape + (3, ), np.float32)
    mouth[:] = _MOUTH_INSIDE
    if e.mouth_open > 0.15 or e.smile > 0.5:
        _, down = frame.axes
        upper = lm[L.INNER_UPPER_LIP]
        teeth_lo = upper + down * gap * 0.35
        teeth = np.concatenate([upper - down * 2, teeth_lo[::-1]], 0)
        cv2.fillPoly(mouth, [to_fixed(teeth - np.array([im.x0, im.y0]))
                             .reshape(-1, 1, 2)], _TEETH, cv2.LINE_AA, SHIFT)
    blend(img, im, mouth)


def draw_mouth(img: np.ndarray, frame: FaceFrame) -> None:
    """Inside of the mouth when open, both lips (the upper one darker), a
    highlight on the lower lip and the line between the lips."""
    size, lm, sc = frame.size, frame.landmarks, frame.scale
    lip = _lip_colour(frame)
    gap = np.linalg.norm(lm[L.INNER_LOWER_MIDDLE] - lm[L.INNER_UPPER_MIDDLE])
    mw = np.linalg.norm(lm[L.MOUTH_RIGHT] - lm[L.MOUTH_LEFT])
    if gap > 0.04 * mw:
        _draw_mouth_inside(img, frame, gap)
    blend(img, polygon_mask(size, [lm[L.UPPER_LIP]], 0.3), lip * 0.82)
    blend(img, polygon_mask(size, [lm[L.LOWER_LIP]], 0.3), lip)
    shine = (lm[L.LOWER_LIP_MIDDLE] * 0.55 +
             lm[[L.INNER_LOWER_MIDDLE] * 3] * 0.45)
    blend(img, curve_mask(size, shine, max(1.0, mw * 0.05), mw * 0.03),
          255.0, 0.18)
    blend(img, curve_mask(size, lm[L.INNER_UPPER_LIP],
                          max(1.0, 0.012 * sc), 0.3), lip * 0.35, 0.8)
