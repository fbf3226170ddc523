"""What surrounds the face: body, neck, back of the head, ears, hair cap.

Without a :class:`~.head_look.HeadLook` the hair (or the scalp) frames the
face; with one the temples, ears and neck are skin (an "open head").
"""
from typing import Optional

import numpy as np

from .face_frame import FaceFrame
from .head_look import HeadLook
from .lighting import surface_shade
from .raster import blend, ellipse_polygon, fill_polygon, polygon_mask

_DOWN = np.array([0.0, 1.0])  # the body stays upright whatever the roll
#: the face outline holds the 33 jaw points first, then the forehead
_FOREHEAD_START = 33


def draw_body(img: np.ndarray, frame: FaceFrame,
              look: Optional[HeadLook] = None) -> None:
    """Torso in the clothes' colour, neck and the jaw's shadow on it."""
    sc, pose, skin = frame.scale, frame.pose, frame.skin
    if look is None:
        neck_half, neck_tone, shadow = 0.45, 0.8, 0.8
    else:  # lit like a surface facing the camera
        neck_half, shadow = look.neck_width, look.jaw_shadow
        neck_tone = look.neck_tone * surface_shade(frame.light, (0, 0, 1))
    neck_top = frame.project([[0, 0.75, -0.45]])[0]
    neck_bot = neck_top + _DOWN * 1.7 * sc
    torso = ellipse_polygon(neck_bot + _DOWN * 0.9 * sc,
                            (2.1 * sc, 1.2 * sc), 0.15 * pose.roll, 48)
    fill_polygon(img, torso, frame.params.clothes)
    nx = np.array([1.0, 0.0]) * sc
    neck = np.stack([neck_top - neck_half * nx, neck_top + neck_half * nx,
                     neck_bot + (neck_half + 0.15) * nx,
                     neck_bot - (neck_half + 0.15) * nx])
    fill_polygon(img, neck, skin * neck_tone)
    jaw_shadow = ellipse_polygon(
        frame.project([[0, 1.0, -0.2]])[0] + _DOWN * 0.15 * sc,
        (0.55 * sc, 0.3 * sc), pose.roll)
    blend(img, polygon_mask(frame.size, [jaw_shadow], 0.07 * sc),
          skin * 0.45, shadow)


def draw_back_of_head(img: np.ndarray, frame: FaceFrame,
                      look: Optional[HeadLook] = None) -> None:
    """Hair behind the face (long hair falls to the shoulders), or the bald
    scalp; ears unless long hair covers them. With an open ``look`` short
    hair covers only the top of the head, above skin temples."""
    p, sc, roll = frame.params, frame.scale, frame.pose.roll
    hv = p.hair_volume
    head_c = frame.project([[0, -0.5, -0.75]])[0]
    if look is not None and p.hair_style != 'long':
        _draw_open_head(img, frame, look)
    elif p.hair_style != 'bald':
        back = [ellipse_polygon(head_c, (1.2 * hv * sc, 1.3 * hv * sc),
                                roll, 48)]
        if p.hair_style == 'long':
            sides = frame.project([[-1.1 * hv, -0.4, -0.7],
                                   [1.1 * hv, -0.4, -0.7]])
            back.append(np.stack([
                sides[0], sides[1], sides[1] + (_DOWN * 2.3 + [0.2, 0]) * sc,
                sides[0] + (_DOWN * 2.3 - [0.2, 0]) * sc]))
        blend(img, polygon_mask(frame.size, back), frame.lit_hair)
    else:
        fill_polygon(img, ellipse_polygon(head_c, (1.05 * sc, 1.22 * sc),
                                          roll, 48), frame.skin * 0.85)
    if p.hair_style != 'long':
        _draw_ears(img, frame)


def _draw_open_head(img: np.ndarray, frame: FaceFrame,
                    look: HeadLook) -> None:
    """Skin of the head's sides (temples, cheeks behind the outline, the
    scalp when bald), each half lit as a surface turned to its side, then
    short hair over the crown only (down to short sideburns)."""
    p = frame.params
    t = np.linspace(-np.pi / 2, np.pi / 2, 25)
    for sgn in (-1.0, 1.0):
        arc = np.stack([sgn * 1.08 * np.cos(t), -0.35 + 1.15 * np.sin(t),
                        np.full_like(t, -0.6)], 1)
        half = np.concatenate([arc, [[0, 0.8, -0.6], [0, -1.5, -0.6]]], 0)
        shade = surface_shade(frame.light, (sgn, 0.0, 0.5))
        fill_polygon(img, frame.project(half),
                     frame.skin * look.side_tone * shade)
    if p.hair_style == 'bald':
        return
    hv = p.hair_volume
    top = np.linspace(np.pi, 2 * np.pi, 25)
    crown = np.stack([1.12 * hv * np.cos(top), -0.5 + 1.3 * hv * np.sin(top),
                      np.full_like(top, -0.75)], 1)
    burns = np.array([[1.02, -0.5, -0.6], [0.98, -0.3, -0.5],
                      [-0.98, -0.3, -0.5], [-1.02, -0.5, -0.6]])
    hair = frame.project(np.concatenate([crown, burns], 0))
    blend(img, polygon_mask(frame.size, [hair], 0.5), frame.lit_hair)


def _draw_ears(img: np.ndarray, frame: FaceFrame) -> None:
    sc, pose = frame.scale, frame.pose
    for side in (-1, 1):
        centre = frame.project([[side * 0.98, -0.12, -0.4]])[0]
        width = 0.13 * sc * abs(np.sin(np.deg2rad(pose.yaw * side) + 0.9))
        ear = ellipse_polygon(centre, (width, 0.27 * sc), pose.roll)
        fill_polygon(img, ear, frame.skin * 0.8)


def draw_hair_cap(img: np.ndarray, frame: FaceFrame) -> None:
    """Hair over the forehead above the hairline (a fringe when the
    hairline is low), lit like the back hair; nothing when bald."""
    if frame.params.hair_style == 'bald':
        return
    model = frame.model
    hairline = frame.project(model.hairline)
    top = frame.outline[_FOREHEAD_START:]
    ctr = frame.outline.mean(0)
    top = top + (top - ctr) / np.maximum(np.linalg.norm(
        top - ctr, axis=1, keepdims=True), 1e-6) * 1.5  # over the edge
    keep = model.outline[_FOREHEAD_START:, 1] < model.hairline[0, 1]
    cap = np.concatenate([hairline, top[keep]], 0)
    blend(img, polygon_mask(frame.size, [cap], 0.7), frame.lit_hair)
