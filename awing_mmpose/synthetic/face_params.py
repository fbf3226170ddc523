"""The parameters of one synthetic face and how they are drawn.

:func:`sample_face_params` always makes the same number of draws whatever
the attribute flags are, so ``sample_face_params(rng, attributes={'blur':
True})`` and ``{'blur': False}`` with equally seeded generators give the
same face, differing only in the blur (tests rely on this). The drawing-time
effects (light, make-up, occluder, blur) keep their raw uniform draws in the
parameters and are derived from them and the flags when read
(:attr:`FaceParams.light` ...), so :func:`with_attributes` can switch an
effect on or off for the same face.
"""
from dataclasses import dataclass, field, replace
from typing import Dict, Optional, Tuple

import numpy as np

from awing_mmpose.datasets.landmark_layouts import ATTRIBUTE_NAMES
from .face_geometry import (Expression, FaceModel3D, FaceShape, Pose,
                            project_landmarks, sample_expression,
                            sample_shape)

#: Probability of each attribute flag (independent draws).
ATTRIBUTE_PROBS = dict(
    pose=0.2,
    expression=0.2,
    illumination=0.2,
    makeup=0.18,
    occlusion=0.2,
    blur=0.18)

OCCLUDER_KINDS = ('bar', 'hand', 'sunglasses', 'mask', 'object')
LIGHT_MODES = ('side', 'dark', 'bright', 'colour')
BLUR_KINDS = ('gaussian', 'motion', 'defocus')
HAIR_STYLES = ('short', 'long', 'bald')

# colours are BGR
_SKIN_LIGHT = np.array([185.0, 205.0, 240.0])
_SKIN_MID = np.array([105.0, 145.0, 200.0])
_SKIN_DARK = np.array([45.0, 62.0, 98.0])
# black, dark brown, brown, blonde, red, grey, dark grey, dyed purple,
# dyed blue
_HAIR_COLOURS = np.array([
    [18, 18, 22], [28, 38, 60], [45, 75, 110], [100, 160, 200],
    [35, 70, 150], [160, 160, 165], [60, 60, 70], [150, 60, 150],
    [170, 120, 40]
], dtype=np.float64)
_HAIR_PROBS = np.array([0.3, 0.22, 0.16, 0.1, 0.06, 0.06, 0.04, 0.03, 0.03])
_IRIS_COLOURS = np.array([[20, 40, 70], [30, 60, 100], [120, 100, 60],
                          [70, 120, 80], [15, 25, 40]], dtype=np.float64)
_MAKEUP_LIPS = np.array([[40, 20, 190], [70, 40, 150], [110, 50, 200],
                         [30, 10, 90], [120, 70, 130], [60, 60, 230]],
                        dtype=np.float64)
_EYE_SHADOW = np.array([[160, 60, 60], [140, 40, 120], [40, 60, 90],
                        [20, 20, 25], [60, 140, 60], [120, 120, 200]],
                       dtype=np.float64)

NUM_LIGHT_DRAWS = 8
NUM_MAKEUP_DRAWS = 6
NUM_OCCLUDER_DRAWS = 10
NUM_BLUR_DRAWS = 4


def lerp(u, lo, hi):
    """``lo + (hi - lo) u``: a uniform draw ``u`` in [0, 1) mapped to
    [lo, hi)."""
    return lo + (hi - lo) * u


def pick(u: float, options):
    """The option a uniform draw selects (``int(u n) % n``)."""
    return options[int(u * len(options)) % len(options)]


@dataclass
class Light:
    """Light of the face: direction (azimuth ``az``, elevation ``el``,
    radians), ``ambient`` + ``diffuse`` Lambert terms of the shading,
    global ``gain`` and (3,) BGR ``tint`` of the exposure, and the darkness
    of the nose/brow cast shadow (``shadow`` < 1 draws one)."""
    mode: str  # 'normal' or one of LIGHT_MODES
    az: float
    el: float
    ambient: float
    diffuse: float
    gain: float = 1.0
    tint: np.ndarray = field(default_factory=lambda: np.ones(3))
    shadow: float = 1.0


@dataclass
class Makeup:
    """Lip colour and opacity, eye shadow (None: a plain socket shadow),
    eye liner width factor, brow darkening and cheek blush strength."""
    lip: np.ndarray
    lip_alpha: float
    shadow: Optional[np.ndarray]
    shadow_alpha: float
    liner: float
    brow_dark: float
    blush: float


@dataclass
class Occluder:
    """Kind of the occluder (None: no occluder) and its 9 shape draws."""
    kind: Optional[str]
    u: np.ndarray


@dataclass
class Blur:
    """Camera blur: ``kind`` None (sharp) or one of :data:`BLUR_KINDS`;
    Gaussian ``sigma``, motion ``length`` and ``angle`` (degrees), defocus
    disc ``radius``, all in pixels of the picture."""
    kind: Optional[str]
    sigma: float
    length: float
    radius: float
    angle: float


@dataclass
class FaceParams:
    """Everything that determines one picture (see
    :func:`~.renderer.render_face`)."""
    image_size: int
    attributes: Dict[str, bool]
    shape: FaceShape
    expression: Expression
    pose: Pose
    skin: np.ndarray  # (3,) BGR
    hair: np.ndarray  # (3,) BGR
    hair_style: str  # one of HAIR_STYLES
    hair_volume: float
    hairline_y: float
    iris: np.ndarray  # (3,) BGR
    lip: np.ndarray  # (3,) BGR
    clothes: np.ndarray  # (3,) BGR
    light_u: np.ndarray  # (8,) draws of the light
    makeup_u: np.ndarray  # (6,) draws of the make-up
    occluder_u: np.ndarray  # (10,) draws of the occluder
    blur_u: np.ndarray  # (4,) draws of the blur
    noise_sigma: float
    box_jitter: np.ndarray  # (4,) in units of the landmark box side
    render_seed: int
    #: the 3D model built while sampling (reused when it still matches)
    model: Optional[FaceModel3D] = field(
        default=None, repr=False, compare=False)

    # the effects follow the flags (``with_attributes`` can flip them)
    @property
    def light(self) -> Light:
        return light_from_draws(self.light_u,
                                self.attributes['illumination'])

    @property
    def makeup(self) -> Makeup:
        return makeup_from_draws(self.makeup_u, self.attributes['makeup'],
                                 self.lip)

    @property
    def occluder(self) -> Occluder:
        return occluder_from_draws(self.occluder_u,
                                   self.attributes['occlusion'])

    @property
    def blur(self) -> Blur:
        return blur_from_draws(self.blur_u, self.attributes['blur'],
                               self.image_size)

    def face_model(self) -> FaceModel3D:
        """The 3D face of these parameters."""
        m = self.model
        if (m is not None and m.shape is self.shape
                and m.expression is self.expression
                and m.hairline_y == self.hairline_y):
            return m
        return FaceModel3D(self.shape, self.expression,
                           hairline_y=self.hairline_y)


# --------------------------------------------------------------------------
# drawing-time effects from their draws
# --------------------------------------------------------------------------
def light_from_draws(b: np.ndarray, on: bool) -> Light:
    """Light from its 8 draws ``b``: strong (one of :data:`LIGHT_MODES`)
    when ``on``, else a soft frontal light."""
    az = lerp(b[0], -np.pi, np.pi)
    if not on:
        return Light(mode='normal', az=az, el=lerp(b[2], 0.35, 1.1),
                     ambient=lerp(b[4], 0.58, 0.75),
                     diffuse=lerp(b[5], 0.25, 0.42),
                     gain=lerp(b[6], 0.88, 1.12))
    mode = pick(b[1], LIGHT_MODES)
    el = lerp(b[2], 0.0, 0.5)
    if mode == 'side':
        az_side = np.sign(b[6] - 0.5) * lerp(b[3], 1.1, 1.5)
        return Light(mode, az=az_side, el=el, ambient=lerp(b[4], 0.08, 0.22),
                     diffuse=lerp(b[5], 1.0, 1.35),
                     shadow=lerp(b[7], 0.25, 0.5))
    if mode == 'dark':
        return Light(mode, az=az, el=el, ambient=0.5, diffuse=0.5,
                     gain=lerp(b[6], 0.22, 0.42))
    if mode == 'bright':
        return Light(mode, az=az, el=el, ambient=0.7, diffuse=0.4,
                     gain=lerp(b[6], 1.7, 2.4))
    tint = np.array([lerp(b[6], 0.4, 1.0), lerp(b[7], 0.6, 1.1), 1.4])
    tint = tint[np.argsort(b[5:8]) if b[6] > 0.5 else [0, 1, 2]]
    return Light(mode, az=az, el=el, ambient=0.35, diffuse=0.75, tint=tint,
                 shadow=lerp(b[7], 0.5, 0.8))


def makeup_from_draws(m: np.ndarray, on: bool, lip: np.ndarray) -> Makeup:
    """Make-up from its 6 draws ``m``; none (natural ``lip``) when not
    ``on``."""
    if not on:
        return Makeup(lip=lip, lip_alpha=0.0, shadow=None, shadow_alpha=0.0,
                      liner=1.0, brow_dark=0.0, blush=0.0)
    return Makeup(
        lip=pick(m[0], _MAKEUP_LIPS), lip_alpha=lerp(m[1], 0.75, 0.95),
        shadow=pick(m[2], _EYE_SHADOW), shadow_alpha=lerp(m[3], 0.5, 0.8),
        liner=lerp(m[4], 2.0, 3.0), brow_dark=lerp(m[5], 0.5, 0.8),
        blush=0.35)


def occluder_from_draws(o: np.ndarray, on: bool) -> Occluder:
    """Occluder kind (None when not ``on``) and its remaining draws."""
    return Occluder(kind=pick(o[0], OCCLUDER_KINDS) if on else None,
                    u=o[1:])


def blur_from_draws(q: np.ndarray, on: bool, image_size: int) -> Blur:
    """Blur from its 4 draws ``q``: strong when ``on``, else none or a
    slight Gaussian. Sizes scale with the picture (given for 256 px)."""
    scale_px = image_size / 256.0
    if on:
        return Blur(kind=pick(q[0], BLUR_KINDS),
                    sigma=lerp(q[1], 2.0, 3.5) * scale_px,
                    length=lerp(q[1], 8, 16) * scale_px,
                    radius=lerp(q[1], 3.0, 5.0) * scale_px,
                    angle=lerp(q[2], 0, 180))
    return Blur(kind='gaussian' if q[3] < 0.5 else None,
                sigma=lerp(q[1], 0.3, 0.7) * scale_px, length=0, radius=0,
                angle=0)


def with_attributes(params: FaceParams, **flags: bool) -> FaceParams:
    """Copy of ``params`` with some flags changed *after* sampling.

    Meaningful for the flags applied at drawing time (``illumination``,
    ``makeup``, ``occlusion``, ``blur``: their draws are kept in the params,
    so the same face is drawn with or without the effect). ``pose`` and
    ``expression`` shape the geometry at sampling time: re-sample with
    ``sample_face_params(..., attributes=...)`` from an equally seeded
    generator instead.
    """
    attrs = dict(params.attributes)
    attrs.update({k: bool(v) for k, v in flags.items()})
    return replace(params, attributes=attrs)


# --------------------------------------------------------------------------
# sampling
# --------------------------------------------------------------------------
def _sample_flags(rng: np.random.Generator,
                  overrides: Optional[Dict[str, bool]]) -> Dict[str, bool]:
    u = rng.random(6)
    flags = {
        k: bool(u[i] < ATTRIBUTE_PROBS[k])
        for i, k in enumerate(ATTRIBUTE_NAMES)
    }
    for k, v in (overrides or {}).items():
        if k not in flags:
            raise KeyError(f'unknown attribute {k!r}; known: '
                           f'{ATTRIBUTE_NAMES}')
        flags[k] = bool(v)
    return flags


def _pose_angles(u: np.ndarray, sign: np.ndarray,
                 large: bool) -> Tuple[float, float, float]:
    """(yaw, pitch, roll) in degrees from 5 draws ``u`` and 3 signs; with
    ``large`` one of them is large (3 in 5: yaw; pitch; roll)."""
    if large:
        kind = int(u[0] * 5) % 5  # 0-2 yaw, 3 pitch, 4 roll
        yaw = sign[0] * (lerp(u[1], 38, 65) if kind <= 2 else
                         lerp(u[1], 0, 30))
        pitch = sign[1] * (lerp(u[2], 22, 35) if kind == 3 else
                           lerp(u[2], 0, 15))
        roll = sign[2] * (lerp(u[3], 28, 50) if kind == 4 else
                          lerp(u[3], 0, 18))
    else:
        yaw = sign[0] * lerp(u[1], 0, 25)**1.0 * (0.4 + 0.6 * u[4])
        pitch = sign[1] * lerp(u[2], 0, 12)
        roll = sign[2] * lerp(u[3], 0, 15) * (0.3 + 0.7 * u[4])
    return yaw, pitch, roll


def _skin_colour(a: np.ndarray) -> np.ndarray:
    """Skin BGR from 4 draws: a tone from light over mid to dark, varied
    per channel by +-4 %."""
    t = a[0]
    skin = (_SKIN_LIGHT + (_SKIN_MID - _SKIN_LIGHT) * min(t * 2, 1)
            if t < 0.5 else _SKIN_MID + (_SKIN_DARK - _SKIN_MID) *
            (t - 0.5) * 2)
    return skin * (1 + 0.08 * (a[1:4] - 0.5))


def _appearance(a: np.ndarray) -> dict:
    """Colours and hair of a face from its 16 appearance draws ``a``."""
    skin = _skin_colour(a[0:4])
    hair = _HAIR_COLOURS[int(np.searchsorted(np.cumsum(_HAIR_PROBS),
                                             a[4] * 0.9999))]
    hair_style = HAIR_STYLES[0 if a[6] < 0.5 else (1 if a[6] < 0.93 else 2)]
    iris = _IRIS_COLOURS[int(a[9] * len(_IRIS_COLOURS)) % 5]
    return dict(
        skin=skin,
        hair=np.clip(hair * (0.8 + 0.4 * a[5]), 0, 255),
        hair_style=hair_style,
        hair_volume=lerp(a[7], 1.0, 1.2),
        hairline_y=lerp(a[8], -1.05, -0.8),  # a fringe when low
        iris=iris * (0.8 + 0.4 * a[10]),
        lip=skin * np.array([0.78, 0.72, 0.95]) * (0.85 + 0.15 * a[11]),
        clothes=np.array([a[12], a[13], a[14]]) * 230 + 10)


def _place_face(model: FaceModel3D, angles: Tuple[float, float, float],
                u: np.ndarray, image_size: int) -> Pose:
    """The pose that makes the landmark box a fraction ``lerp(u[0], 0.4,
    0.75)`` of the picture and puts it at a random place (draws ``u[1:3]``)
    at least 4 % of the picture away from its border."""
    yaw, pitch, roll = angles
    unit = Pose(yaw=yaw, pitch=pitch, roll=roll, scale=1.0, tx=0.0, ty=0.0)
    lm = project_landmarks(model, unit)
    lo, hi = lm.min(0), lm.max(0)
    side = float(np.max(hi - lo))
    scale = lerp(u[0], 0.4, 0.75) * image_size / side
    margin = 0.04 * image_size
    tx_lo = margin - lo[0] * scale
    tx_hi = image_size - margin - hi[0] * scale
    ty_lo = margin - lo[1] * scale
    ty_hi = image_size - margin - hi[1] * scale
    return Pose(yaw=yaw, pitch=pitch, roll=roll, scale=scale,
                tx=lerp(u[1], tx_lo, max(tx_lo, tx_hi)),
                ty=lerp(u[2], ty_lo, max(ty_lo, ty_hi)))


def sample_face_params(rng: np.random.Generator,
                       image_size: int = 256,
                       attributes: Optional[Dict[str, bool]] = None
                       ) -> FaceParams:
    """Draw the parameters of one face.

    Args:
        rng (np.random.Generator): source of randomness.
        image_size (int): side S of the square picture.
        attributes (dict, optional): overrides of the flags, e.g.
            ``{'blur': True}``; unknown names raise ``KeyError``.

    Returns:
        FaceParams
    """
    flags = _sample_flags(rng, attributes)
    shape = sample_shape(rng)
    expression = sample_expression(rng, flags['expression'])
    pose_u = rng.random(10)
    sign = np.where(rng.random(3) < 0.5, -1.0, 1.0)
    angles = _pose_angles(pose_u, sign, flags['pose'])
    look = _appearance(rng.random(16))
    # drawing-time effects: the draws are kept, the flags decide
    light_u = rng.random(NUM_LIGHT_DRAWS)
    makeup_u = rng.random(NUM_MAKEUP_DRAWS)
    occluder_u = rng.random(NUM_OCCLUDER_DRAWS)
    blur_u = rng.random(NUM_BLUR_DRAWS)
    n = rng.random(6)
    # box sides move by a few % of the landmark box, mostly outwards
    box_jitter = (n[1:5] - 0.5) * 0.05 + np.array([-0.02, -0.03, 0.02, 0.01])
    render_seed = int(rng.integers(0, 2**31 - 1))

    model = FaceModel3D(shape, expression, hairline_y=look['hairline_y'])
    pose = _place_face(model, angles, pose_u[5:8], image_size)
    return FaceParams(
        image_size=int(image_size), attributes=flags, shape=shape,
        expression=expression, pose=pose, light_u=light_u,
        makeup_u=makeup_u, occluder_u=occluder_u, blur_u=blur_u,
        noise_sigma=lerp(n[0], 0.8, 3.0), box_jitter=box_jitter,
        render_seed=render_seed, model=model, **look)
