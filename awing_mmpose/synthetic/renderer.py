"""Drawing of one synthetic face: background, head, features, attributes.

The whole picture is a deterministic function of a
:class:`~.face_params.FaceParams` (:func:`render_face`), which
:func:`~.face_params.sample_face_params` draws from a numpy ``Generator``.
The layers, back to front: background (:mod:`.background`), body and back of
the head (:mod:`.head`), the face skin, its relief (:mod:`.relief`) and
features (:mod:`.facial_features`) lit as one surface (:mod:`.lighting`),
facial hair (:mod:`.facial_hair`), the hair cap, eyeglasses
(:mod:`.eyeglasses`), an occluder (:mod:`.occluders`), then blur, exposure
and sensor noise (:mod:`.camera`).

Images are BGR ``uint8`` arrays of shape (S, S, 3) (OpenCV order).
"""
from dataclasses import dataclass
from typing import Dict, Optional

import cv2
import numpy as np

from . import facial_features as features
from .background import draw_background
from .camera import apply_blur, expose
from .eyeglasses import Eyeglasses, draw_eyeglasses
from .face_frame import FaceFrame
from .face_geometry import project_landmarks, projected_outline
from .face_params import (ATTRIBUTE_PROBS, FaceParams, sample_face_params,
                          with_attributes)
from .facial_hair import FacialHair, draw_facial_hair
from .head import draw_back_of_head, draw_body, draw_hair_cap
from .head_look import HeadLook
from .lighting import light_face
from .occluders import paint_occluder
from .raster import blend
from .relief import Relief, draw_relief

__all__ = [
    'ATTRIBUTE_PROBS', 'Eyeglasses', 'FaceParams', 'FacialHair', 'HeadLook',
    'RenderedFace', 'Relief', 'render_face', 'sample_face_params',
    'with_attributes'
]

#: the background is drawn at half resolution (4x cheaper) and upsampled
_MIN_BACKGROUND_SIZE = 32


@dataclass
class RenderedFace:
    """A rendered face: ``image`` (S, S, 3) BGR uint8, ``landmarks`` (98, 2)
    0-based pixel coordinates (x, y), ``bbox`` (4,) x_min y_min x_max y_max,
    ``face_mask`` (S, S) bool (visible face skin before occlusion),
    ``attributes`` dict of the six flags."""
    image: np.ndarray
    landmarks: np.ndarray
    bbox: np.ndarray
    face_mask: np.ndarray
    attributes: Dict[str, bool]


def _frame(params: FaceParams) -> FaceFrame:
    model = params.face_model()
    return FaceFrame(params=params, model=model,
                     landmarks=project_landmarks(model, params.pose),
                     outline=projected_outline(model, params.pose)[0],
                     light=params.light, makeup=params.makeup)


def _face_box(landmarks: np.ndarray, jitter: np.ndarray,
              size: int) -> np.ndarray:
    """The annotated box: the landmarks' box, each side moved by
    ``jitter`` times the box side, rounded and clipped to the picture."""
    lo, hi = landmarks.min(0), landmarks.max(0)
    box = np.concatenate([lo, hi]) + jitter * np.tile(hi - lo, 2)
    return np.clip(np.round(box), 0, size - 1)


def render_face(params: FaceParams,
                background: Optional[np.ndarray] = None,
                look: Optional[HeadLook] = None,
                glasses: Optional[Eyeglasses] = None,
                relief: Optional[Relief] = None,
                facial_hair: Optional[FacialHair] = None) -> RenderedFace:
    """Draw the face described by ``params``, in front of ``background``
    ((S, S, 3) float32 BGR, e.g. a view of
    :class:`~awing_mmpose.datasets.photo_bank.PhotoBank`) or, by default, a
    drawn clutter background; with a ``look``
    (:class:`~.head_look.HeadLook`) the head around the face is open
    (skin temples and neck, softer face edge, skin grain); with
    ``glasses`` (:class:`~.eyeglasses.Eyeglasses`) the face wears them;
    a ``relief`` (:class:`~.relief.Relief`) draws folds, cheekbones and
    creases inside the face; ``facial_hair``
    (:class:`~.facial_hair.FacialHair`) draws stubble, a moustache, a
    goatee or a beard. The landmarks depend on ``params`` only."""
    size = params.image_size
    rng = np.random.default_rng(params.render_seed)
    frame = _frame(params)
    if background is None:
        half = max(size // 2, _MIN_BACKGROUND_SIZE)
        img = cv2.resize(draw_background(rng, half), (size, size),
                         interpolation=cv2.INTER_LINEAR)
    else:
        if background.shape != (size, size, 3):
            raise ValueError(f'render_face: background shape '
                             f'{background.shape} != {(size, size, 3)}')
        img = np.array(background, np.float32)
    draw_body(img, frame, look)
    draw_back_of_head(img, frame, look)

    # features are painted on a copy and clipped to the face silhouette
    edge_blur, grain = ((0.4, 0.0) if look is None else
                        (max(0.4, look.edge_blur * frame.scale),
                         look.skin_grain))
    face = features.face_silhouette(frame, edge_blur)
    feat = img.copy()
    features.draw_skin(feat, face, frame, rng, grain)
    if relief is not None:
        draw_relief(feat, frame, relief)
    features.draw_blush(feat, frame)
    features.draw_brows(feat, frame)
    features.draw_eyes(feat, frame)
    features.draw_nose(feat, frame)
    features.draw_mouth(feat, frame)
    blend(img, face, light_face(feat, face, frame))
    if facial_hair is not None:
        draw_facial_hair(img, frame, facial_hair, face, rng)
    draw_hair_cap(img, frame)
    if glasses is not None:
        draw_eyeglasses(img, frame, glasses, rng)

    occluder = params.occluder
    if params.attributes['occlusion'] and occluder.kind is not None:
        paint_occluder(img, frame, occluder.kind, occluder.u, rng)
    img = apply_blur(img, params.blur)
    image = expose(img, frame.light, params.noise_sigma, rng)
    return RenderedFace(
        image=image, landmarks=frame.landmarks,
        bbox=_face_box(frame.landmarks, params.box_jitter, size),
        face_mask=face.full(size) > 0.5,
        attributes=dict(params.attributes))
