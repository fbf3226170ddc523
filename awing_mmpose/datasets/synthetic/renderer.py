"""Drawing of one synthetic face: background, head, features, attributes.

The whole picture is a deterministic function of a :class:`FaceParams`
(:func:`render_face`). :func:`sample_face_params` draws the parameters from a
numpy ``Generator``; it always makes the same number of draws whatever the
attribute flags are, so ``sample_face_params(rng, attributes={'blur': True})``
and ``{'blur': False}`` with equally seeded generators give the same face,
differing only in the blur (tests rely on this).

Images are BGR ``uint8`` arrays of shape (S, S, 3) (OpenCV order).
"""
import functools
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from .face_geometry import (ATTRIBUTE_NAMES, FaceModel3D, Pose,
                            project_landmarks, projected_outline,
                            sample_expression, sample_shape)

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

_SKIN_LIGHT = np.array([185.0, 205.0, 240.0])  # BGR
_SKIN_MID = np.array([105.0, 145.0, 200.0])
_SKIN_DARK = np.array([45.0, 62.0, 98.0])
_HAIR_COLOURS = np.array([
    [18, 18, 22], [28, 38, 60], [45, 75, 110], [100, 160, 200],
    [35, 70, 150], [160, 160, 165], [60, 60, 70], [150, 60, 150],
    [170, 120, 40]
], dtype=np.float64)  # BGR: black, dark brown, brown, blonde, red, grey,
# dark grey, dyed purple, dyed blue
_HAIR_PROBS = np.array([0.3, 0.22, 0.16, 0.1, 0.06, 0.06, 0.04, 0.03, 0.03])
_IRIS_COLOURS = np.array([[20, 40, 70], [30, 60, 100], [120, 100, 60],
                          [70, 120, 80], [15, 25, 40]], dtype=np.float64)
_MAKEUP_LIPS = np.array([[40, 20, 190], [70, 40, 150], [110, 50, 200],
                         [30, 10, 90], [120, 70, 130], [60, 60, 230]],
                        dtype=np.float64)
_EYE_SHADOW = np.array([[160, 60, 60], [140, 40, 120], [40, 60, 90],
                        [20, 20, 25], [60, 140, 60], [120, 120, 200]],
                       dtype=np.float64)


@dataclass
class FaceParams:
    """Everything that determines one picture (see :func:`render_face`)."""
    image_size: int
    attributes: dict
    shape: object
    expression: object
    pose: Pose
    skin: np.ndarray  # BGR
    hair: np.ndarray  # BGR
    hair_style: str  # 'short', 'long', 'bald'
    hair_volume: float
    hairline_y: float
    iris: np.ndarray
    lip: np.ndarray
    clothes: np.ndarray
    light_u: np.ndarray  # (8,) draws of the light
    makeup_u: np.ndarray  # (6,) draws of the make-up
    occluder_u: np.ndarray  # (10,) draws of the occluder
    blur_u: np.ndarray  # (4,) draws of the blur
    noise_sigma: float
    box_jitter: np.ndarray  # (4,) in units of the landmark box side
    render_seed: int
    extras: dict = field(default_factory=dict)

    # the sub-parameters follow the flags (``with_attributes`` can flip them)
    @property
    def light(self):
        return _light_params(self.light_u, self.attributes['illumination'])

    @property
    def makeup(self):
        return _makeup_params(self.makeup_u, self.attributes['makeup'],
                              self.lip)

    @property
    def occluder(self):
        return _occluder_params(self.occluder_u,
                                self.attributes['occlusion'])

    @property
    def blur(self):
        return _blur_params(self.blur_u, self.attributes['blur'],
                            self.image_size)


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
    attributes: dict


# --------------------------------------------------------------------------
# sampling
# --------------------------------------------------------------------------
def _lerp(u, lo, hi):
    return lo + (hi - lo) * u


def sample_face_params(rng, image_size=256, attributes=None):
    """Draw the parameters of one face.

    Args:
        rng (np.random.Generator): source of randomness.
        image_size (int): side S of the square picture.
        attributes (dict, optional): overrides of the flags, e.g.
            ``{'blur': True}``; unknown names raise ``KeyError``.

    Returns:
        FaceParams
    """
    u = rng.random(6)
    flags = {
        k: bool(u[i] < ATTRIBUTE_PROBS[k])
        for i, k in enumerate(ATTRIBUTE_NAMES)
    }
    for k, v in (attributes or {}).items():
        if k not in flags:
            raise KeyError(f'unknown attribute {k!r}; known: '
                           f'{ATTRIBUTE_NAMES}')
        flags[k] = bool(v)

    shape = sample_shape(rng)
    expression = sample_expression(rng, flags['expression'])

    # ---- pose (10 draws)
    u = rng.random(10)
    sign = np.where(rng.random(3) < 0.5, -1.0, 1.0)
    if flags['pose']:
        kind = int(u[0] * 5) % 5  # 0-2 yaw, 3 pitch, 4 roll
        yaw = sign[0] * (_lerp(u[1], 38, 65) if kind <= 2 else
                         _lerp(u[1], 0, 30))
        pitch = sign[1] * (_lerp(u[2], 22, 35) if kind == 3 else
                           _lerp(u[2], 0, 15))
        roll = sign[2] * (_lerp(u[3], 28, 50) if kind == 4 else
                          _lerp(u[3], 0, 18))
    else:
        yaw = sign[0] * _lerp(u[1], 0, 25)**1.0 * (0.4 + 0.6 * u[4])
        pitch = sign[1] * _lerp(u[2], 0, 12)
        roll = sign[2] * _lerp(u[3], 0, 15) * (0.3 + 0.7 * u[4])
    frac = _lerp(u[5], 0.4, 0.75)

    # ---- appearance (16 draws)
    a = rng.random(16)
    t = a[0]
    skin = (_SKIN_LIGHT + (_SKIN_MID - _SKIN_LIGHT) * min(t * 2, 1)
            if t < 0.5 else _SKIN_MID + (_SKIN_DARK - _SKIN_MID) *
            (t - 0.5) * 2)
    skin = skin * (1 + 0.08 * (a[1:4] - 0.5))
    hair = _HAIR_COLOURS[int(np.searchsorted(np.cumsum(_HAIR_PROBS),
                                             a[4] * 0.9999))]
    hair = np.clip(hair * (0.8 + 0.4 * a[5]), 0, 255)
    hair_style = ('short', 'long', 'bald')[0 if a[6] < 0.5 else
                                           (1 if a[6] < 0.93 else 2)]
    hair_volume = _lerp(a[7], 1.0, 1.2)
    hairline_y = _lerp(a[8], -1.05, -0.8)  # fringe when low
    iris = _IRIS_COLOURS[int(a[9] * len(_IRIS_COLOURS)) % 5] * (0.8 +
                                                               0.4 * a[10])
    lip = skin * np.array([0.78, 0.72, 0.95]) * (0.85 + 0.15 * a[11])
    clothes = np.array([a[12], a[13], a[14]]) * 230 + 10

    # ---- drawing-time attributes: the draws are kept, the flags decide
    light_u = rng.random(8)
    makeup_u = rng.random(6)
    occluder_u = rng.random(10)
    blur_u = rng.random(4)

    n = rng.random(6)
    noise_sigma = _lerp(n[0], 0.8, 3.0)
    # box sides move by a few % of the landmark box, mostly outwards
    box_jitter = (n[1:5] - 0.5) * 0.05 + np.array([-0.02, -0.03, 0.02, 0.01])
    render_seed = int(rng.integers(0, 2**31 - 1))

    # ---- scale and position from the projected landmarks
    model = FaceModel3D(shape, expression, hairline_y=hairline_y)
    unit = Pose(yaw=yaw, pitch=pitch, roll=roll, scale=1.0, tx=0.0, ty=0.0)
    lm = project_landmarks(model, unit)
    lo, hi = lm.min(0), lm.max(0)
    side = float(np.max(hi - lo))
    scale = frac * image_size / side
    margin = 0.04 * image_size
    tx_lo = margin - lo[0] * scale
    tx_hi = image_size - margin - hi[0] * scale
    ty_lo = margin - lo[1] * scale
    ty_hi = image_size - margin - hi[1] * scale
    pose = Pose(yaw=yaw, pitch=pitch, roll=roll, scale=scale,
                tx=_lerp(u[6], tx_lo, max(tx_lo, tx_hi)),
                ty=_lerp(u[7], ty_lo, max(ty_lo, ty_hi)))

    return FaceParams(
        image_size=int(image_size), attributes=flags, shape=shape,
        expression=expression, pose=pose, skin=skin, hair=hair,
        hair_style=hair_style, hair_volume=hair_volume,
        hairline_y=hairline_y, iris=iris, lip=lip, clothes=clothes,
        light_u=light_u, makeup_u=makeup_u, occluder_u=occluder_u,
        blur_u=blur_u,
        noise_sigma=noise_sigma, box_jitter=box_jitter,
        render_seed=render_seed,
        extras=dict(_model=(shape, expression, model)))


def _light_params(b, on):
    """Light of a face from its 8 draws ``b``; strong when ``on``."""
    az = _lerp(b[0], -np.pi, np.pi)
    if on:
        mode = LIGHT_MODES[int(b[1] * 4) % 4]
        el = _lerp(b[2], 0.0, 0.5)
        light = dict(mode=mode, ambient=_lerp(b[4], 0.08, 0.22),
                     diffuse=_lerp(b[5], 1.0, 1.35), gain=1.0,
                     tint=np.ones(3))
        if mode == 'side':
            azs = np.sign(b[6] - 0.5) * _lerp(b[3], 1.1, 1.5)  # from a side
            light.update(az=azs, el=el, shadow=_lerp(b[7], 0.25, 0.5))
        elif mode == 'dark':
            light.update(az=az, el=el, gain=_lerp(b[6], 0.22, 0.42),
                         ambient=0.5, diffuse=0.5, shadow=1.0)
        elif mode == 'bright':
            light.update(az=az, el=el, gain=_lerp(b[6], 1.7, 2.4),
                         ambient=0.7, diffuse=0.4, shadow=1.0)
        else:
            tint = np.array([_lerp(b[6], 0.4, 1.0), _lerp(b[7], 0.6, 1.1),
                             1.4])
            tint = tint[np.argsort(b[5:8]) if b[6] > 0.5 else [0, 1, 2]]
            light.update(az=az, el=el, tint=tint, ambient=0.35,
                         diffuse=0.75, shadow=_lerp(b[7], 0.5, 0.8))
    else:
        light = dict(mode='normal', az=az, el=_lerp(b[2], 0.35, 1.1),
                     ambient=_lerp(b[4], 0.58, 0.75),
                     diffuse=_lerp(b[5], 0.25, 0.42),
                     gain=_lerp(b[6], 0.88, 1.12), tint=np.ones(3),
                     shadow=1.0)
    return light


def _makeup_params(m, on, lip):
    """Make-up from its 6 draws ``m``; none when not ``on``."""
    if on:
        makeup = dict(
            lip=_MAKEUP_LIPS[int(m[0] * 6) % 6], lip_alpha=_lerp(m[1], 0.75,
                                                                 0.95),
            shadow=_EYE_SHADOW[int(m[2] * 6) % 6],
            shadow_alpha=_lerp(m[3], 0.5, 0.8), liner=_lerp(m[4], 2.0, 3.0),
            brow_dark=_lerp(m[5], 0.5, 0.8), blush=0.35)
    else:
        makeup = dict(lip=lip, lip_alpha=0.0, shadow=None, shadow_alpha=0.0,
                      liner=1.0, brow_dark=0.0, blush=0.0)
    return makeup


def _occluder_params(o, on):
    """Occluder kind (None when not ``on``) and its draws."""
    return dict(kind=OCCLUDER_KINDS[int(o[0] * 5) % 5] if on else None,
                u=o[1:])


def _blur_params(q, on, image_size):
    """Blur from its 4 draws ``q``: strong when ``on``, else none or a
    slight Gaussian."""
    scale_px = image_size / 256.0
    if on:
        kind = BLUR_KINDS[int(q[0] * 3) % 3]
        blur = dict(kind=kind, sigma=_lerp(q[1], 2.0, 3.5) * scale_px,
                    length=_lerp(q[1], 8, 16) * scale_px,
                    radius=_lerp(q[1], 3.0, 5.0) * scale_px,
                    angle=_lerp(q[2], 0, 180))
    else:
        blur = dict(kind='gaussian' if q[3] < 0.5 else None,
                    sigma=_lerp(q[1], 0.3, 0.7) * scale_px, length=0,
                    radius=0, angle=0)
    return blur


def with_attributes(params, **flags):
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
# drawing helpers
# --------------------------------------------------------------------------
_SHIFT = 4
_ONE = 1 << _SHIFT


def _fix(pts):
    return np.round(np.asarray(pts, np.float64) * _ONE).astype(np.int32)


class _Mask:
    """Coverage in [0, 1] on a region of interest: ``arr`` (h, w) float32
    placed at rows ``y0:y0+h`` and columns ``x0:x0+w`` of the picture."""
    __slots__ = ('arr', 'y0', 'x0')

    def __init__(self, arr, y0, x0):
        self.arr, self.y0, self.x0 = arr, y0, x0

    @property
    def sl(self):
        h, w = self.arr.shape
        return (slice(self.y0, self.y0 + h), slice(self.x0, self.x0 + w))

    def full(self, size):
        out = np.zeros((size, size), np.float32)
        out[self.sl] = self.arr
        return out


def _roi(size, pts, pad):
    lo = np.floor(pts.min(0) - pad).astype(int)
    hi = np.ceil(pts.max(0) + pad).astype(int) + 1
    x0, y0 = max(int(lo[0]), 0), max(int(lo[1]), 0)
    x1, y1 = min(int(hi[0]), size), min(int(hi[1]), size)
    return x0, y0, max(x1, x0 + 1), max(y1, y0 + 1)


def _draw_mask(size, polys, blur, thickness=None):
    allp = np.concatenate([np.asarray(p, np.float64) for p in polys], 0)
    pad = 3.0 * blur + 2.0 + (thickness or 0)
    x0, y0, x1, y1 = _roi(size, allp, pad)
    m = np.zeros((y1 - y0, x1 - x0), np.uint8)
    off = np.array([x0, y0], np.float64)
    pp = [_fix(np.asarray(p, np.float64) - off).reshape(-1, 1, 2)
          for p in polys]
    if thickness is None:
        for q in pp:  # one call each: fillPoly XORs overlapping polygons
            cv2.fillPoly(m, [q], 255, cv2.LINE_AA, _SHIFT)
    else:
        cv2.polylines(m, pp, False, 255, max(1, int(round(thickness))),
                      cv2.LINE_AA, _SHIFT)
    m = m.astype(np.float32) * (1.0 / 255.0)
    if blur > 0:
        m = cv2.GaussianBlur(m, (0, 0), blur)
    return _Mask(m, y0, x0)


def _fill(img, poly, colour):
    """Fill one polygon (sub-pixel, anti-aliased) with a flat colour."""
    cv2.fillPoly(img, [_fix(poly).reshape(-1, 1, 2)],
                 tuple(float(c) for c in colour), cv2.LINE_AA, _SHIFT)


def _poly_mask(size, polys, blur=0.0):
    """:class:`_Mask` coverage of the filled polygons (sub-pixel, AA)."""
    return _draw_mask(size, polys, blur)


def _curve_mask(size, pts, thickness, blur=0.0):
    """:class:`_Mask` coverage of an open polyline."""
    return _draw_mask(size, [pts], blur, thickness)


def _blend(img, mask, colour, alpha=1.0):
    """In place on the mask's region: ``img = img (1 - a m) + colour a m``.

    ``colour`` is a (3,) colour, a full-size image or an image of the
    mask's region.
    """
    if isinstance(mask, _Mask):
        sl = mask.sl
        m = mask.arr
    else:
        sl = (slice(None), slice(None))
        m = mask
    c = np.asarray(colour, np.float32)
    if c.ndim == 3 and c.shape[:2] != m.shape:
        c = c[sl]
    am = (m * np.float32(alpha))[..., None]
    sub = img[sl]
    sub += am * (c - sub)


def _ellipse_poly(center, axes, angle_deg, n=36):
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    a = np.deg2rad(angle_deg)
    x = axes[0] * np.cos(t)
    y = axes[1] * np.sin(t)
    return np.stack([center[0] + x * np.cos(a) - y * np.sin(a),
                     center[1] + x * np.sin(a) + y * np.cos(a)], 1)


def _smooth_noise(rng, size, cells, amp, shape=None):
    """Smooth colour noise (h, w, 3) float32 of std about ``amp``."""
    low = rng.standard_normal((cells, cells, 3)).astype(np.float32)
    h, w = (size, size) if shape is None else shape
    return cv2.resize(low * np.float32(amp), (w, h),
                      interpolation=cv2.INTER_LINEAR)


# --------------------------------------------------------------------------
# background
# --------------------------------------------------------------------------
_NOISE_PAD = 64


@functools.lru_cache(maxsize=4)
def _noise_bank(size):
    """A fixed (size + 64, size + 64, 3) bank of unit normal noise."""
    bank = np.random.default_rng(20190401).standard_normal(
        (size + _NOISE_PAD, size + _NOISE_PAD, 3), dtype=np.float32)
    bank.setflags(write=False)
    return bank


def _sensor_noise(rng, size):
    """(size, size, 3) unit noise: a random crop / flip of the fixed bank
    (drawing fresh normals costs more than the rest of the picture)."""
    ox, oy, f = (int(v) for v in rng.integers(0, _NOISE_PAD, 3))
    n = _noise_bank(size)[oy:oy + size, ox:ox + size]
    if f & 1:
        n = n[::-1]
    if f & 2:
        n = n[:, ::-1]
    if f & 4:
        n = n[..., ::-1]
    return n


@functools.lru_cache(maxsize=4)
def _unit_grid(size):
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    yy.setflags(write=False)
    xx.setflags(write=False)
    return yy, xx


def _background(rng, size):
    c1, c2 = rng.random(3) * 255, rng.random(3) * 255
    ang = rng.random() * 2 * np.pi
    yy, xx = _unit_grid(size)
    ramp = np.clip(np.float32(np.cos(ang)) * (xx - 0.5) +
                   np.float32(np.sin(ang)) * (yy - 0.5) + 0.5, 0, 1)
    c1, c2 = c1.astype(np.float32), c2.astype(np.float32)
    img = c1 + (c2 - c1) * ramp[..., None]
    img += _smooth_noise(rng, size, int(rng.integers(3, 24)),
                         float(rng.uniform(5, 35)))
    if rng.random() < 0.35:  # stripes / tiles texture
        f = rng.uniform(4, 20) / size * 2 * np.pi
        th = rng.random() * np.pi
        wave = np.sin(np.float32(f * np.cos(th) * size) * xx +
                      np.float32(f * np.sin(th) * size) * yy)
        img += wave[..., None] * (rng.uniform(10, 40) *
                                  (rng.random(3) - 0.3)).astype(np.float32)
    for _ in range(int(rng.integers(3, 11))):
        col = tuple(float(c) for c in rng.random(3) * 255)
        kind = int(rng.integers(0, 5))
        cx, cy = rng.uniform(-0.1, 1.1, 2) * size
        r = rng.uniform(0.05, 0.35) * size
        if kind == 0:
            poly = _ellipse_poly((cx, cy), (r, r * rng.uniform(0.3, 1.5)),
                                 rng.uniform(0, 180), 4)
            cv2.fillPoly(img, [_fix(poly).reshape(-1, 1, 2)], col,
                         cv2.LINE_AA, _SHIFT)
        elif kind == 1:
            poly = _ellipse_poly((cx, cy), (r, r * rng.uniform(0.4, 1.0)),
                                 rng.uniform(0, 180))
            cv2.fillPoly(img, [_fix(poly).reshape(-1, 1, 2)], col,
                         cv2.LINE_AA, _SHIFT)
        elif kind == 2:
            p2 = np.array([cx, cy]) + rng.uniform(-1, 1, 2) * size * 0.6
            cv2.line(img, tuple(_fix([cx, cy])), tuple(_fix(p2)), col,
                     int(rng.integers(1, 12)) * size // 256 + 1, cv2.LINE_AA,
                     _SHIFT)
        elif kind == 3:
            n = int(rng.integers(3, 7))
            poly = np.array([cx, cy]) + rng.uniform(-1, 1, (n, 2)) * r
            cv2.fillPoly(img, [_fix(poly).reshape(-1, 1, 2)], col,
                         cv2.LINE_AA, _SHIFT)
        else:
            poly = _ellipse_poly((cx, cy), (r, r * 0.6), 0, 4)
            m = _poly_mask(size, [poly])
            _blend(img, m, col, float(rng.uniform(0.3, 0.7)))
    if rng.random() < 0.5:  # out-of-focus background
        img = cv2.GaussianBlur(img, (0, 0),
                               float(rng.uniform(0.8, 2.5)) * size / 256)
    return img


# --------------------------------------------------------------------------
# the face
# --------------------------------------------------------------------------
def _dome_shading(mask, light):
    """Lambert shading (h, w) of a dome fitted in the face mask (h, w).

    The dome height is ``sqrt`` of the normalised distance to the mask edge;
    its normals are lit by the light direction. Computed at half
    resolution (it is smooth) and upsampled.
    """
    h0, w0 = mask.shape
    small = cv2.resize(mask, ((w0 + 1) // 2, (h0 + 1) // 2),
                       interpolation=cv2.INTER_AREA)
    return cv2.resize(_dome_shading_full(small, light), (w0, h0),
                      interpolation=cv2.INTER_LINEAR)


def _dome_shading_full(mask, light):
    m8 = (mask > 0.5).astype(np.uint8)
    dt = cv2.distanceTransform(m8, cv2.DIST_L2, 3)
    dmax = max(float(dt.max()), 1.0)
    h = np.sqrt(np.clip(dt / dmax, 0, 1)) * dmax * 0.9
    h = cv2.GaussianBlur(h, (0, 0), max(1.0, dmax * 0.15))
    gy, gx = np.gradient(h)
    az, el = light['az'], light['el']
    lx, ly, lz = np.cos(el) * np.cos(az), np.cos(el) * np.sin(az), np.sin(el)
    n = 1.0 / np.sqrt(gx * gx + gy * gy + 1.0)
    lam = np.clip((-gx * lx - gy * ly + lz) * n, 0, 1)
    return (light['ambient'] + light['diffuse'] * lam).astype(np.float32)


def render_face(params):
    """Draw the face described by ``params``.

    Returns:
        RenderedFace
    """
    p = params
    S = p.image_size
    rng = np.random.default_rng(p.render_seed)
    pose = p.pose
    sc = pose.scale
    e = p.expression
    cached = p.extras.get('_model')
    if (cached is not None and cached[0] is p.shape and cached[1] is e
            and cached[2].hairline_y == p.hairline_y):
        model = cached[2]  # built while sampling, same shape/expression
    else:
        model = FaceModel3D(p.shape, e, hairline_y=p.hairline_y)
    lm = project_landmarks(model, pose)
    outline, _ = projected_outline(model, pose)

    def proj(pts):
        return pose.project(np.asarray(pts, np.float64))[0]

    # the clutter is drawn at half resolution (4x cheaper) and upsampled
    half = max(S // 2, 32)
    img = cv2.resize(_background(rng, half), (S, S),
                     interpolation=cv2.INTER_LINEAR)
    skin = np.asarray(p.skin, np.float32)
    hair = np.asarray(p.hair, np.float32)

    # ---- body, neck, back of the head, ears (the body stays upright)
    down = np.array([0.0, 1.0])
    neck_top = proj([[0, 0.75, -0.45]])[0]
    neck_bot = neck_top + down * 1.7 * sc
    torso = _ellipse_poly(neck_bot + down * 0.9 * sc, (2.1 * sc, 1.2 * sc),
                          0.15 * pose.roll, 48)
    _fill(img, torso, p.clothes)
    nx = np.array([1.0, 0.0]) * sc
    neck = np.stack([neck_top - 0.45 * nx, neck_top + 0.45 * nx,
                     neck_bot + 0.6 * nx, neck_bot - 0.6 * nx])
    _fill(img, neck, skin * 0.8)
    jaw_sh = _ellipse_poly(proj([[0, 1.0, -0.2]])[0] + down * 0.15 * sc,
                           (0.55 * sc, 0.3 * sc), pose.roll)
    _blend(img, _poly_mask(S, [jaw_sh], 0.07 * sc), skin * 0.45, 0.8)
    hv = p.hair_volume
    hair_lit = hair * np.float32(p.light['ambient'] + 0.6 *
                                 p.light['diffuse'])
    head_c = proj([[0, -0.5, -0.75]])[0]
    if p.hair_style != 'bald':
        back = [_ellipse_poly(head_c, (1.2 * hv * sc, 1.3 * hv * sc),
                              pose.roll, 48)]
        if p.hair_style == 'long':
            sides = proj([[-1.1 * hv, -0.4, -0.7], [1.1 * hv, -0.4, -0.7]])
            back.append(np.stack([
                sides[0], sides[1], sides[1] + (down * 2.3 + [0.2, 0]) * sc,
                sides[0] + (down * 2.3 - [0.2, 0]) * sc]))
        hm = _poly_mask(S, back)
        _blend(img, hm, hair_lit)
    else:
        _fill(img, _ellipse_poly(head_c, (1.05 * sc, 1.22 * sc), pose.roll,
                                 48), skin * 0.85)
    if p.hair_style != 'long':
        for side in (-1, 1):
            ec = proj([[side * 0.98, -0.12, -0.4]])[0]
            ear = _ellipse_poly(ec, (0.13 * sc * abs(np.sin(
                np.deg2rad(pose.yaw * side) + 0.9)), 0.27 * sc), pose.roll)
            _fill(img, ear, skin * 0.8)

    # ---- face skin
    # the silhouette plus the profile of nose and lips (they stick out of the
    # cheek outline at large yaw)
    profile = cv2.convexHull(lm[list(range(51, 60)) + list(range(76, 88))]
                             .astype(np.float32))[:, 0]
    fx0, fy0, fx1, fy1 = _roi(S, np.concatenate([outline, profile]), 3.0)
    fsl = (slice(fy0, fy1), slice(fx0, fx1))
    face = _poly_mask(S, [outline, profile], 0.4)
    face = _Mask(face.full(S)[fsl], fy0, fx0)
    skin_img = skin + _smooth_noise(rng, S, 8, 5.0, face.arr.shape)
    feat = img.copy()
    _blend(feat, face, skin_img)

    # cheek blush
    if p.makeup['blush'] > 0:
        for side in (-1, 1):
            c = proj([[side * 0.55, 0.2, model.depth_at([[side * 0.55,
                                                          0.2]])[0]]])[0]
            bm = _poly_mask(S, [_ellipse_poly(c, (0.22 * sc, 0.14 * sc),
                                              pose.roll)], 0.1 * sc)
            _blend(feat, bm, np.array([120, 100, 220]),
                   p.makeup['blush'] * 0.5)

    # ---- brows
    brow_col = hair * 0.75 + skin * 0.1
    brow_alpha = 0.8
    if p.makeup['brow_dark'] > 0:
        brow_col = brow_col * (1 - p.makeup['brow_dark']) + np.array(
            [15, 15, 20]) * p.makeup['brow_dark']
        brow_alpha = 0.95
    lum = float(np.mean(brow_col))
    if p.hair_style == 'bald' or lum > 80:  # light hair: darker brows
        brow_col = brow_col * (min(80.0, lum * 0.6) / max(lum, 1e-3))
    for idx in (list(range(33, 42)), list(range(42, 51))):
        bm = _poly_mask(S, [lm[idx]], 0.02 * sc)
        _blend(feat, bm, brow_col, brow_alpha)

    # ---- eyes
    lid_px = max(1.0, 0.022 * sc * p.makeup['liner'])
    for ring, pupil_i, upper_i in ((list(range(60, 68)), 96, [60, 61, 62, 63,
                                                            64]),
                                   (list(range(68, 76)), 97, [68, 69, 70, 71,
                                                              72])):
        pts = lm[ring]
        # eye socket shadow / eye shadow make-up above the upper lid
        up = lm[upper_i]
        centre = pts.mean(0)
        lid_top = centre + (up - centre) * 1.6
        sock = np.concatenate([up, lid_top[::-1]], 0)
        if p.makeup['shadow'] is not None:
            sh_top = centre + (up - centre) * 2.3
            sh = np.concatenate([up, sh_top[::-1]], 0)
            _blend(feat, _poly_mask(S, [sh], 0.04 * sc), p.makeup['shadow'],
                   p.makeup['shadow_alpha'])
        else:
            _blend(feat, _poly_mask(S, [sock], 0.03 * sc), skin * 0.7, 0.5)
        em = _poly_mask(S, [pts])
        # the eyeball on the eye's region: sclera, iris, pupil, catch light
        eye = np.empty(em.arr.shape + (3, ), np.float32)
        eye[:] = np.array([200, 207, 212], np.float32)
        off = np.array([em.x0, em.y0], np.float64)
        pc = lm[pupil_i]
        eye_w = np.linalg.norm(pts[4] - pts[0])
        r_iris = 0.2 * eye_w
        cy = max(np.cos(np.deg2rad(pose.yaw) * 0.8), 0.3)
        for poly, col in (
            (_ellipse_poly(pc, (r_iris * cy, r_iris), pose.roll), p.iris),
            (_ellipse_poly(pc, (0.45 * r_iris * cy, 0.45 * r_iris),
                           pose.roll), (10, 10, 12)),
            (_ellipse_poly(pc + np.array([-0.3, -0.35]) * r_iris,
                           (0.16 * r_iris, 0.16 * r_iris), 0, 12),
             (235, 240, 245))):
            cv2.fillPoly(eye, [_fix(poly - off).reshape(-1, 1, 2)],
                         tuple(float(c) for c in col), cv2.LINE_AA, _SHIFT)
        _blend(feat, em, eye)
        # lash line (upper) and lower lid
        _blend(feat, _curve_mask(S, up, lid_px, 0.3), np.array([20, 20, 25]),
               0.9)
        low = lm[[ring[4], ring[5], ring[6], ring[7], ring[0]]]
        _blend(feat, _curve_mask(S, low, max(1.0, lid_px * 0.5), 0.4),
               skin * 0.45, 0.6)

    # ---- nose
    lx = np.cos(p.light['az'])
    bridge = lm[51:55]
    nw = np.linalg.norm(lm[59] - lm[55])
    side = -1.0 if lx > 0 else 1.0  # shadow on the side away from the light
    ca, sa = np.cos(np.deg2rad(pose.roll)), np.sin(np.deg2rad(pose.roll))
    perp = np.array([ca, sa])
    sh = bridge + side * perp * nw * 0.28
    _blend(feat, _curve_mask(S, sh, max(1.0, nw * 0.18), nw * 0.12),
           skin * 0.55, 0.5)
    base = lm[55:60]
    _blend(feat, _curve_mask(S, base, max(1.0, nw * 0.12), nw * 0.06),
           skin * 0.4, 0.7)
    for a, b in ((55, 56), (58, 59)):
        c = 0.5 * (lm[a] + lm[b]) - np.array([-sa, ca]) * nw * 0.04
        nos = _ellipse_poly(c, (nw * 0.13, nw * 0.065), pose.roll +
                            (20 if a == 55 else -20))
        _blend(feat, _poly_mask(S, [nos], 0.5), skin * 0.25, 0.85)
    for a in (55, 59):  # alar creases
        crease = np.stack([lm[a], lm[a] * 0.6 + lm[53] * 0.4 +
                           (lm[a] - lm[57]) * 0.15, lm[53] * 0.8 +
                           lm[a] * 0.2])
        _blend(feat, _curve_mask(S, crease, max(1.0, nw * 0.08), nw * 0.05),
               skin * 0.55, 0.45)
    tip = _ellipse_poly(lm[54] - np.array([-sa, ca]) * nw * 0.05,
                        (nw * 0.18, nw * 0.14), pose.roll, 16)
    _blend(feat, _poly_mask(S, [tip], nw * 0.1), skin * 1.25, 0.5)

    # ---- mouth
    upper_lip = lm[[76, 77, 78, 79, 80, 81, 82, 92, 91, 90, 89, 88]]
    lower_lip = lm[[82, 83, 84, 85, 86, 87, 76, 88, 95, 94, 93, 92]]
    inner = lm[88:96]
    lip_col = p.lip
    if p.makeup['lip_alpha'] > 0:
        lip_col = (p.lip * (1 - p.makeup['lip_alpha']) +
                   p.makeup['lip'] * p.makeup['lip_alpha'])
    gap = np.linalg.norm(lm[94] - lm[90])
    mw = np.linalg.norm(lm[82] - lm[76])
    if gap > 0.04 * mw:
        im = _poly_mask(S, [inner])
        mouth = np.empty(im.arr.shape + (3, ), np.float32)
        mouth[:] = np.array([35, 25, 60], np.float32)
        if e.mouth_open > 0.15 or e.smile > 0.5:
            teeth_lo = lm[[88, 89, 90, 91, 92]] + np.array(
                [-sa, ca]) * gap * 0.35
            teeth = np.concatenate([lm[[88, 89, 90, 91, 92]] - np.array(
                [-sa, ca]) * 2, teeth_lo[::-1]], 0)
            cv2.fillPoly(mouth, [_fix(teeth - np.array([im.x0, im.y0]))
                                 .reshape(-1, 1, 2)], (215, 225, 230),
                         cv2.LINE_AA, _SHIFT)
        _blend(feat, im, mouth)
    _blend(feat, _poly_mask(S, [upper_lip], 0.3), lip_col * 0.82)
    _blend(feat, _poly_mask(S, [lower_lip], 0.3), lip_col)
    lh = lm[[86, 85, 84]] * 0.55 + lm[[94, 94, 94]] * 0.45
    _blend(feat, _curve_mask(S, lh, max(1.0, mw * 0.05), mw * 0.03),
           255.0, 0.18)
    _blend(feat, _curve_mask(S, lm[[88, 89, 90, 91, 92]], max(1.0, 0.012 *
                                                                sc), 0.3),
           lip_col * 0.35, 0.8)

    # ---- composite the face (features clipped to the silhouette), light
    fm = face.arr
    shade = _dome_shading(fm, p.light)
    lit = feat[fsl] * shade[..., None]
    if p.light.get('shadow', 1.0) < 1.0:  # cast shadow of the nose/brow
        d = lm[[51, 54, 57]].mean(0)
        nrm = np.array([np.cos(np.deg2rad(pose.roll)),
                        np.sin(np.deg2rad(pose.roll))])
        yy, xx = np.mgrid[fy0:fy1, fx0:fx1].astype(np.float32)
        sgn = 1.0 if np.cos(p.light['az']) >= 0 else -1.0
        dist = ((xx - d[0]) * nrm[0] + (yy - d[1]) * nrm[1]) * sgn
        half = 1.0 / (1.0 + np.exp(np.clip(dist / (0.05 * sc), -30, 30)))
        lit *= (1.0 - (1.0 - p.light['shadow']) * half)[..., None]
    _blend(img, face, lit)
    # hair cap over the forehead (and a fringe), lit like the back hair
    if p.hair_style != 'bald':
        hl = proj(model.hairline)
        top = outline[33:]
        ctr = outline.mean(0)
        top = top + (top - ctr) / np.maximum(np.linalg.norm(
            top - ctr, axis=1, keepdims=True), 1e-6) * 1.5  # over the edge
        o3 = model.outline[33:]
        keep = o3[:, 1] < model.hairline[0, 1]
        cap = np.concatenate([hl, top[keep]], 0)
        _blend(img, _poly_mask(S, [cap], 0.7), hair_lit)

    # ---- occlusion
    if p.attributes['occlusion'] and p.occluder['kind'] is not None:
        img = _occlude(img, p, lm, rng)

    # ---- blur; global exposure / colour of the light; sensor noise
    if p.attributes['blur'] or p.blur['kind'] == 'gaussian':
        img = _blur(img, p.blur if p.attributes['blur'] else dict(
            p.blur, kind='gaussian'))
    gain = np.asarray(p.light['tint'], np.float32) * np.float32(
        p.light['gain'])
    m = np.zeros((3, 4), np.float32)
    m[[0, 1, 2], [0, 1, 2]] = gain
    m[:, 3] = 0.5  # rounding offset
    img = cv2.transform(img, m)
    img = cv2.scaleAdd(np.ascontiguousarray(_sensor_noise(rng, S)),
                       float(p.noise_sigma), img)
    np.clip(img, 0, 255, out=img)
    out = img.astype(np.uint8)

    lo, hi = lm.min(0), lm.max(0)
    side_len = hi - lo
    box = np.concatenate([lo, hi]) + p.box_jitter * np.tile(side_len, 2)
    box = np.clip(np.round(box), 0, S - 1)
    return RenderedFace(image=out, landmarks=lm, bbox=box,
                        face_mask=face.full(S) > 0.5,
                        attributes=dict(p.attributes))


def _blur(img, b):
    if b['kind'] == 'gaussian':
        return cv2.GaussianBlur(img, (0, 0), float(b['sigma']))
    if b['kind'] == 'motion':
        n = int(np.ceil(b['length'])) | 1
        k = np.zeros((n, n), np.float32)
        c = n // 2
        a = np.deg2rad(b['angle'])
        d = np.array([np.cos(a), np.sin(a)]) * (b['length'] / 2)
        cv2.line(k, tuple(_fix([c - d[0], c - d[1]])),
                 tuple(_fix([c + d[0], c + d[1]])), 1.0, 1, cv2.LINE_AA,
                 _SHIFT)
        k /= max(float(k.sum()), 1e-6)
        return cv2.filter2D(img, -1, k, borderType=cv2.BORDER_REFLECT)
    r = float(b['radius'])
    n = int(np.ceil(r)) * 2 + 1
    k = np.zeros((n, n), np.float32)
    cv2.circle(k, (n // 2, n // 2), int(round(r)), 1.0, -1, cv2.LINE_AA)
    k /= float(k.sum())
    return cv2.filter2D(img, -1, k, borderType=cv2.BORDER_REFLECT)


def _occlude(img, p, lm, rng):
    """Paint the occluder of ``p`` over the face (landmarks unchanged)."""
    S = p.image_size
    u = p.occluder['u']
    sc = p.pose.scale
    roll = p.pose.roll
    kind = p.occluder['kind']
    col = rng.random(3).astype(np.float32) * 230 + 10
    tex = _smooth_noise(rng, S, 16, 12.0)
    if kind == 'bar':
        targets = [lm[[60, 72]].mean(0), lm[[54, 57]].mean(0),
                   lm[[76, 82]].mean(0), lm[[0, 16]].mean(0)]
        c = targets[int(u[0] * 4) % 4]
        ang = roll + _lerp(u[1], -70, 70) + (90 if u[2] < 0.3 else 0)
        a = np.deg2rad(ang)
        d = np.array([np.cos(a), np.sin(a)])
        n = np.array([-d[1], d[0]])
        L, W = 3.0 * sc, _lerp(u[3], 0.15, 0.35) * sc
        poly = np.stack([c - d * L - n * W, c + d * L - n * W,
                         c + d * L + n * W, c - d * L + n * W])
        _blend(img, _poly_mask(S, [poly], 0.4), col + tex)
    elif kind == 'hand':
        hand_skin = np.asarray(p.skin, np.float32) * _lerp(u[0], 0.8, 1.1)
        targets = [lm[[76, 82]].mean(0), lm[[60, 64]].mean(0),
                   lm[[68, 72]].mean(0), lm[[4, 54]].mean(0),
                   lm[[28, 54]].mean(0), lm[16]]
        c = targets[int(u[1] * 6) % 6]
        ang = _lerp(u[2], 0, 360)
        a = np.deg2rad(ang)
        d = np.array([np.cos(a), np.sin(a)])
        n = np.array([-d[1], d[0]])
        palm_c = c - d * 0.45 * sc
        polys = [_ellipse_poly(palm_c, (0.5 * sc, 0.42 * sc), ang)]
        for k in range(4):
            base = palm_c + d * 0.3 * sc + n * (k - 1.5) * 0.2 * sc
            tipc = base + d * _lerp(u[3 + k], 0.45, 0.7) * sc
            polys.append(_ellipse_poly(0.5 * (base + tipc),
                                       (0.5 * np.linalg.norm(tipc - base) +
                                        0.05 * sc, 0.085 * sc), ang, 16))
        thumb = palm_c - n * 0.45 * sc + d * 0.1 * sc
        polys.append(_ellipse_poly(thumb, (0.35 * sc, 0.09 * sc), ang - 50,
                                   16))
        m = _poly_mask(S, polys, 0.5).full(S)
        shade = cv2.GaussianBlur(m, (0, 0), 0.08 * sc)
        _blend(img, m, hand_skin * (0.6 + 0.4 * shade[..., None]) + tex)
    elif kind == 'sunglasses':
        lens_col = np.array([20, 20, 25], np.float32) * _lerp(u[0], 0.6,
                                                              2.5)
        polys = []
        for ring in (list(range(60, 68)), list(range(68, 76))):
            pts = lm[ring]
            c = pts.mean(0) + np.array([0, 0.02 * sc])
            w = np.linalg.norm(pts[4] - pts[0]) * _lerp(u[1], 0.7, 0.85)
            polys.append(_ellipse_poly(c, (w, w * _lerp(u[2], 0.65, 0.85)),
                                       roll))
        m = _poly_mask(S, polys, 0.4).full(S)
        frame = _draw_mask(S, [lm[[64, 68]], lm[[60, 0]], lm[[72, 32]]], 0.0,
                           0.04 * sc)
        _blend(img, m, lens_col, _lerp(u[3], 0.85, 1.0))
        _blend(img, frame, lens_col * 0.5)
        # a reflection on the lenses
        _blend(img, m * _smooth_noise(rng, S, 6, 1.0)[..., 0].clip(0, 1),
               255.0, 0.25)
    elif kind == 'mask':
        pts = np.concatenate([[lm[2], lm[52]], lm[30:1:-1]], 0)
        m = _poly_mask(S, [pts], 0.5)
        mcol = [np.array([220, 200, 150]), np.array([235, 235, 235]),
                np.array([30, 30, 30]), col][int(u[0] * 4) % 4]
        _blend(img, m, np.asarray(mcol, np.float32) + tex * 0.5)
    else:  # object: a cup / microphone / ball-like textured blob
        targets = [lm[[76, 82]].mean(0), lm[8],
                   lm[24], lm[[33, 46]].mean(0), lm[54]]
        c = targets[int(u[0] * 5) % 5] + (np.array([u[1], u[2]]) - 0.5) * \
            0.4 * sc
        r = _lerp(u[3], 0.35, 0.7) * sc
        if u[4] < 0.5:
            poly = _ellipse_poly(c, (r, r * _lerp(u[5], 0.5, 1.0)),
                                 _lerp(u[6], 0, 180))
        else:
            k = 5 + int(u[5] * 4)
            ang = np.sort(rng.random(k)) * 2 * np.pi
            rad = r * (0.6 + 0.4 * rng.random(k))
            poly = c + np.stack([np.cos(ang), np.sin(ang)], 1) * rad[:, None]
        m = _poly_mask(S, [poly], 0.4)
        _blend(img, m, col + tex * 2)
    return img
