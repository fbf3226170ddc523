"""A 3D-ish parametric face: the 98-point WFLW landmark model.

Coordinates of the template (the *face frame*): ``x`` to the image right,
``y`` down, ``z`` towards the camera; one unit is about half the face width
at eye level. The landmark layout is WFLW's (98 points, listed in
:mod:`awing_mmpose.datasets.landmark_layouts`).

The face surface is a star-shaped "elliptic dome": around the axis point
``C = (0, cy, 0)`` every direction ``k`` of the closed face outline
(jaw + forehead) spans an elliptic arc ``P(phi) = C + u_k sin(phi) +
v_k cos(phi)`` with ``u_k`` the in-plane vector from ``C`` to the outline
point (``z = 0``) and ``v_k = (0, 0, D_k)`` the depth of the face front.
Under a rotation the visible silhouette of every arc is found in closed form
(:func:`silhouette_phi`): that is where WFLW annotators put self-occluded jaw
points (on the visible outline), and the renderer fills that silhouette, so
the far cheek is hidden.
"""
from dataclasses import dataclass, field

import numpy as np

from awing_mmpose.datasets.landmark_layouts import (NUM_WFLW_KEYPOINTS,
                                                    WFLW_FLIP_PAIRS)


def flip_permutation(num_keypoints=NUM_WFLW_KEYPOINTS, pairs=None):
    """Index permutation ``perm`` with ``flipped[i] = mirrored[perm[i]]``."""
    perm = np.arange(num_keypoints)
    for a, b in (WFLW_FLIP_PAIRS if pairs is None else pairs):
        perm[a], perm[b] = b, a
    return perm


# --------------------------------------------------------------------------
# identity (shape) and expression parameters
# --------------------------------------------------------------------------
@dataclass
class FaceShape:
    """Identity parameters of one face (template units)."""
    jaw_width: float = 1.0  # half width of the face at the jaw top
    jaw_top_y: float = -0.32  # y of jaw points 0 and 32
    chin_y: float = 1.08  # y of the chin point 16
    jaw_square: float = 2.4  # superellipse exponent of the jaw (2 = ellipse)
    forehead_top_y: float = -1.45  # top of the face outline
    depth: float = 0.95  # D: depth of the face front over the outline
    eye_y: float = -0.28
    eye_dist: float = 0.42  # half distance of the eye centres
    eye_half_width: float = 0.19
    eye_up: float = 0.085  # upper lid height
    eye_low: float = 0.055  # lower lid depth
    eye_tilt: float = 0.02  # outer corner higher by this much
    brow_gap: float = 0.2  # brow above the eye centre
    brow_outer: float = 0.34  # brow extends beyond the eye centre (outer)
    brow_inner: float = 0.27  # brow extends towards the midline (inner)
    brow_arch: float = 0.06
    brow_thick: float = 0.07
    nose_top_y: float = -0.26
    nose_tip_y: float = 0.2
    nose_base_y: float = 0.3
    nose_width: float = 0.19
    nose_protrusion: float = 0.3
    mouth_y: float = 0.62
    mouth_half_width: float = 0.34
    upper_lip: float = 0.09
    lower_lip: float = 0.12


@dataclass
class Expression:
    """Expression parameters (0 = neutral)."""
    mouth_open: float = 0.0  # 0..1
    smile: float = 0.0  # -0.3 (frown) .. 1
    brow_raise: float = 0.0  # -0.6 (frown) .. 1
    eye_open: float = 1.0  # multiplier of the lid heights
    gaze: np.ndarray = field(default_factory=lambda: np.zeros(2))


def sample_shape(rng):
    """Random identity, plausible ranges (always 24 draws)."""
    u = rng.random(24)

    def r(i, lo, hi):
        return float(lo + (hi - lo) * u[i])

    s = FaceShape()
    s.jaw_width = r(0, 0.92, 1.06)
    s.jaw_top_y = r(1, -0.4, -0.25)
    s.chin_y = r(2, 0.98, 1.2)
    s.jaw_square = r(3, 2.0, 3.2)
    s.forehead_top_y = r(4, -1.55, -1.35)
    s.depth = r(5, 0.85, 1.05)
    s.eye_y = r(6, -0.33, -0.22)
    s.eye_dist = r(7, 0.38, 0.46)
    s.eye_half_width = r(8, 0.16, 0.21)
    s.eye_up = r(9, 0.065, 0.1)
    s.eye_low = r(10, 0.04, 0.065)
    s.eye_tilt = r(11, -0.01, 0.04)
    s.brow_gap = r(12, 0.17, 0.25)
    s.brow_outer = r(13, 0.28, 0.38)
    s.brow_inner = r(14, 0.22, 0.3)
    s.brow_arch = r(15, 0.02, 0.09)
    s.brow_thick = r(16, 0.05, 0.1)
    s.nose_top_y = s.eye_y + r(17, -0.02, 0.04)
    s.nose_tip_y = r(18, 0.14, 0.26)
    s.nose_base_y = s.nose_tip_y + r(19, 0.07, 0.12)
    s.nose_width = r(20, 0.15, 0.23)
    s.mouth_y = s.nose_base_y + r(21, 0.25, 0.36)
    s.mouth_half_width = r(22, 0.28, 0.4)
    s.upper_lip = r(23, 0.06, 0.11)
    s.lower_lip = s.upper_lip * 1.3
    s.nose_protrusion = 0.22 + 0.5 * (s.nose_tip_y - 0.14)
    return s


EXPRESSION_KINDS = ('open_mouth', 'smile', 'surprise', 'raised_brows',
                    'frown')


def sample_expression(rng, expressive):
    """Random expression (always 8 draws, whatever ``expressive`` is).

    Without the flag the face stays near neutral; with it one of
    :data:`EXPRESSION_KINDS` is strong (landmarks move with it).
    """
    u = rng.random(8)
    e = Expression()
    e.gaze = np.array([u[6] * 2 - 1, u[7] * 2 - 1]) * np.array([0.3, 0.2])
    if not expressive:
        e.mouth_open = 0.08 * u[1]**2
        e.smile = -0.1 + 0.35 * u[2]
        e.brow_raise = -0.1 + 0.25 * u[3]
        e.eye_open = 0.85 + 0.25 * u[4]
        return e
    kind = EXPRESSION_KINDS[int(u[0] * len(EXPRESSION_KINDS)) %
                            len(EXPRESSION_KINDS)]
    if kind == 'open_mouth':
        e.mouth_open = 0.5 + 0.5 * u[1]
        e.smile = -0.1 + 0.5 * u[2]
        e.brow_raise = 0.3 * u[3]
        e.eye_open = 0.9 + 0.3 * u[4]
    elif kind == 'smile':
        e.mouth_open = 0.45 * u[1]
        e.smile = 0.65 + 0.35 * u[2]
        e.brow_raise = 0.2 * u[3]
        e.eye_open = 0.55 + 0.3 * u[4]  # smiling eyes narrow
    elif kind == 'surprise':
        e.mouth_open = 0.55 + 0.45 * u[1]
        e.smile = -0.2 + 0.2 * u[2]
        e.brow_raise = 0.65 + 0.35 * u[3]
        e.eye_open = 1.25 + 0.25 * u[4]
    elif kind == 'raised_brows':
        e.mouth_open = 0.2 * u[1]
        e.smile = 0.3 * u[2]
        e.brow_raise = 0.7 + 0.3 * u[3]
        e.eye_open = 1.1 + 0.2 * u[4]
    else:  # frown / squint
        e.mouth_open = 0.15 * u[1]
        e.smile = -0.3 * u[2]
        e.brow_raise = -0.55 - 0.3 * u[3]
        e.eye_open = 0.5 + 0.25 * u[4]
    return e


# --------------------------------------------------------------------------
# the 3D model
# --------------------------------------------------------------------------
def _resample(curve, n):
    """``n`` points equally spaced along the polyline ``curve`` (M, 2)."""
    seg = np.linalg.norm(np.diff(curve, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    t = np.linspace(0.0, s[-1], n)
    return np.stack(
        [np.interp(t, s, curve[:, 0]),
         np.interp(t, s, curve[:, 1])], axis=1)


class FaceModel3D:
    """The face template with depth, built from a shape and an expression.

    Attributes:
        landmarks (np.ndarray): (98, 3) template landmarks (x, y, z).
        center (np.ndarray): (3,) the arc centre ``C``.
        outline (np.ndarray): (M, 3) closed face outline (z = 0): jaw points
            0..32 first (indices ``jaw_index``), then the forehead from the
            image-right temple over the top back to the image-left one.
        outline_depth (np.ndarray): (M,) ``D_k`` of every outline arc.
        jaw_index (np.ndarray): (33,) indices of the jaw landmarks in
            ``outline``.
        hairline (np.ndarray): (H, 3) the hairline across the forehead
            (at template height ``hairline_y`` in the middle).
    """

    def __init__(self, shape, expression=None, hairline_y=None):
        self.shape = shape
        self.expression = expression or Expression()
        self._build_outline()
        self.landmarks = self._build_landmarks()
        hy = (0.45 * shape.forehead_top_y + 0.55 * (shape.eye_y - 0.55)
              if hairline_y is None else hairline_y)
        self.hairline_y = hy
        xs = np.linspace(-1.0, 1.0, 21)
        w = self._half_width_at(hy)
        hx = xs * w * 0.995
        hyy = hy + 0.1 * np.abs(xs)**2  # hairline recedes at the temples
        self.hairline = self._lift(np.stack([hx, hyy], axis=1), inset=0.02)

    # ---- outline --------------------------------------------------------
    def _build_outline(self):
        s, e = self.shape, self.expression
        w, y0 = s.jaw_width, s.jaw_top_y
        drop = 0.3 * e.mouth_open  # the jaw opens with the mouth
        h = s.chin_y + drop - y0
        n = s.jaw_square
        t = np.linspace(0.0, np.pi, 400)
        c, si = np.cos(t), np.sin(t)
        jaw = np.stack([
            -w * np.sign(c) * np.abs(c)**(2.0 / n),
            y0 + h * np.abs(si)**(2.0 / n)
        ], axis=1)
        jaw = _resample(jaw, 33)
        # forehead: from the image-right temple over the top to the left one
        hf = y0 - s.forehead_top_y
        t2 = np.linspace(0.0, np.pi, 41)[1:-1]
        fore = np.stack([w * 1.0 * np.cos(t2) * (1 - 0.04 * np.sin(t2)),
                         y0 - hf * np.sin(t2)**0.8], axis=1)
        out2 = np.concatenate([jaw, fore], axis=0)
        self.outline = np.concatenate([out2, np.zeros((len(out2), 1))], 1)
        self.jaw_index = np.arange(33)
        self.center = np.array([0.0, 0.05 * s.chin_y + 0.02, 0.0])
        # depth of the front: largest at the sides, smaller at chin/forehead
        d = self.outline[:, :2] - self.center[:2]
        ang = np.arctan2(d[:, 1], np.abs(d[:, 0]))  # 0 sideways, +pi/2 down
        self.outline_depth = s.depth * (1.0 - 0.25 * np.sin(ang)**2)
        # polar table for depth look-ups
        a = np.arctan2(d[:, 1], d[:, 0])
        order = np.argsort(a)
        self._polar_a = a[order]
        self._polar_r = np.linalg.norm(d, axis=1)[order]
        self._polar_d = self.outline_depth[order]

    def _half_width_at(self, y):
        """Half width of the outline at height ``y`` (upper half)."""
        o = self.outline[33:, :2]
        right = o[o[:, 0] > 0]
        right = right[np.argsort(right[:, 1])]
        return float(np.interp(y, right[:, 1], right[:, 0]))

    def depth_at(self, xy):
        """Front-surface depth ``z`` at template points ``xy`` (N, 2)."""
        d = np.asarray(xy, dtype=np.float64) - self.center[:2]
        a = np.arctan2(d[:, 1], d[:, 0])
        pa = np.concatenate([self._polar_a - 2 * np.pi, self._polar_a,
                             self._polar_a + 2 * np.pi])
        rr = np.interp(a, pa, np.tile(self._polar_r, 3))
        dd = np.interp(a, pa, np.tile(self._polar_d, 3))
        q = np.clip(np.linalg.norm(d, axis=1) / rr, 0.0, 1.0)
        return dd * np.sqrt(1.0 - q**2)

    def _lift(self, xy, inset=0.0):
        z = self.depth_at(xy) + inset
        return np.concatenate([xy, z[:, None]], axis=1)

    # ---- landmarks ------------------------------------------------------
    def _build_landmarks(self):
        """(98, 3) template landmarks: the jaw on the outline, the inner
        features placed by the shape and expression, lifted onto the
        surface."""
        s, e = self.shape, self.expression
        p = np.zeros((NUM_WFLW_KEYPOINTS, 2))
        p[0:33] = self.outline[self.jaw_index, :2]
        _place_brows(p, s, e)
        _place_nose(p, s)
        _place_eyes(p, s, e)
        _place_mouth(p, s, e)
        z = _feature_depth(self.depth_at(p), s)
        return np.concatenate([p, z[:, None]], axis=1)


# --------------------------------------------------------------------------
# landmark placement (template x, y of the WFLW points, in place)
# --------------------------------------------------------------------------
def _place_brows(p, s, e):
    """Brows 33-50 (left = image-left); upper arc t = 0 outer .. 1
    inner."""
    raise_ = 0.1 * e.brow_raise
    for side in (-1, 1):
        ex = side * s.eye_dist
        outer_x = ex + side * s.brow_outer
        inner_x = ex - side * s.brow_inner
        base_y = s.eye_y - s.brow_gap - raise_

        def upper(t):
            x = outer_x + (inner_x - outer_x) * t
            y = (base_y - s.brow_arch * np.sin(np.pi * t**0.8) + 0.05 *
                 (1 - t)**2 + 0.01 * t)
            if e.brow_raise < 0:  # frown: inner ends pulled down
                y = y - 0.12 * e.brow_raise * t**2
            return np.stack([x, y], axis=-1)

        def thick(t):
            return s.brow_thick * (0.45 + 0.75 * t)

        tu = np.linspace(0, 1, 5)
        tl = np.array([0.82, 0.6, 0.38, 0.16])  # inner -> outer
        up = upper(tu)
        low = upper(tl) + np.stack([np.zeros(4), thick(tl)], 1)
        if side < 0:
            p[33:38] = up  # outer -> inner
            p[38:42] = low  # inner -> outer
        else:
            p[42:47] = up[::-1]  # inner -> outer
            p[47:51] = low[::-1]  # outer -> inner


def _place_nose(p, s):
    """Nose bridge 51-54 and bottom 55-59."""
    ny = np.linspace(s.nose_top_y, s.nose_tip_y, 4)
    p[51:55] = np.stack([np.zeros(4), ny], 1)
    nw, nb = s.nose_width, s.nose_base_y
    p[55:60] = np.array([[-nw, nb - 0.03], [-nw * 0.5, nb + 0.005],
                         [0.0, nb + 0.02], [nw * 0.5, nb + 0.005],
                         [nw, nb - 0.03]])


def _place_eyes(p, s, e):
    """Eyes 60-75 and pupils 96, 97; t = 0 outer .. 1 inner."""
    for side in (-1, 1):
        ex = side * s.eye_dist
        a = s.eye_half_width
        outer = np.array([ex + side * a, s.eye_y - s.eye_tilt])
        inner = np.array([ex - side * a, s.eye_y + 0.005])
        bu = s.eye_up * e.eye_open
        bl = s.eye_low * (0.6 + 0.4 * e.eye_open)

        def lid(t, b, sign, skew):
            base = outer + (inner - outer) * t[:, None]
            prof = np.sin(np.pi * t)**0.85 * (1 + skew * (t - 0.5))
            return base + np.stack([np.zeros_like(t), sign * b * prof], 1)

        tu = np.array([0.25, 0.5, 0.75])
        upper = lid(tu, bu, -1.0, 0.25)  # outer -> inner
        lower = lid(tu[::-1], bl, 1.0, -0.2)  # inner -> outer
        eye = np.concatenate([[outer], upper, [inner], lower], 0)
        centre = 0.5 * (outer + inner)
        pupil = centre + e.gaze * np.array([a, bu])
        pupil[1] += 0.15 * (bu - bl)  # the upper lid covers the iris top
        if side < 0:
            p[60:68] = eye
            p[96] = pupil
        else:
            # right eye: 68 inner, 69-71 upper inner->outer, 72 outer,
            # 73-75 lower outer->inner
            p[68] = inner
            p[69:72] = upper[::-1]
            p[72] = outer
            p[73:76] = lower[::-1]
            p[97] = pupil


def _place_mouth(p, s, e):
    """Outer lip 76-87 and inner lip 88-95."""
    sm = e.smile
    op = e.mouth_open
    mw = s.mouth_half_width * (1 + 0.12 * max(sm, 0) - 0.1 * op)
    my = s.mouth_y + 0.04 * op
    cy = my - 0.07 * sm  # corners lift with a smile
    gap = 0.32 * op
    ul, ll = s.upper_lip, s.lower_lip
    ux = np.array([-0.62, -0.28, 0.0, 0.28, 0.62]) * mw
    # cupid's bow: peaks at +-0.28, dip in the centre
    uprof = np.array([0.6, 1.0, 0.82, 1.0, 0.6])
    inner_y = my - 0.02 * sm * (1 - (ux / mw)**2)  # closed line
    p[76] = [-mw, cy]
    p[82] = [mw, cy]
    corner_w = (np.abs(ux) / mw)**2
    upper_line = inner_y * (1 - corner_w) + cy * corner_w
    p[77:82] = np.stack([ux, upper_line - 0.1 * gap - ul * uprof], 1)
    lx = np.array([0.62, 0.3, 0.0, -0.3, -0.62]) * mw
    lprof = np.array([0.55, 0.92, 1.0, 0.92, 0.55])
    cw_l = (np.abs(lx) / mw)**2
    lower_line = (my + 0.03 * sm * (1 - cw_l)) * (1 - cw_l) + cy * cw_l
    gprof = np.sin(np.pi * (0.5 + 0.5 * lx / mw))**0.7
    p[83:88] = np.stack([lx, lower_line + gap * gprof + ll * lprof], 1)
    mwi = mw * 0.86
    p[88] = [-mwi, cy + 0.003]
    p[92] = [mwi, cy + 0.003]
    ix = np.array([-0.5, 0.0, 0.5]) * mwi
    iw = (np.abs(ix) / mw)**2
    inner_yi = my - 0.02 * sm * (1 - iw)
    base_u = inner_yi * (1 - iw) + cy * iw
    p[89:92] = np.stack([ix, base_u - 0.1 * gap * 0.9], 1)
    ixl = ix[::-1]
    gl = np.sin(np.pi * (0.5 + 0.5 * ixl / mwi))**0.7
    base_l = (my + 0.03 * sm * (1 - iw)) * (1 - iw) + cy * iw
    p[93:96] = np.stack([ixl, base_l[::-1] + 0.9 * gap * gl], 1)


def _feature_depth(z, s):
    """Depth of the landmarks: ``z`` (98,) on the surface plus the
    offsets of the features (brow ridge, nose, eyes, lips)."""
    z[33:51] += 0.04  # brow ridge
    nt = np.linspace(0.0, 1.0, 4)
    z[51:55] += s.nose_protrusion * (0.35 + 0.65 * nt**1.5)
    z[55:60] += s.nose_protrusion * np.array([0.1, 0.3, 0.45, 0.3, 0.1])
    z[60:76] -= 0.03  # eyes sit slightly deep
    z[76:96] += 0.05
    z[0:33] = 0.0  # exactly on the outline
    return z


# --------------------------------------------------------------------------
# pose and projection
# --------------------------------------------------------------------------
def rotation_matrix(yaw, pitch, roll):
    """Rotation ``R = Rz(roll) @ Rx(pitch) @ Ry(yaw)`` (angles in degrees).

    Positive yaw turns the face front towards the image right, positive
    pitch tilts the face down (chin towards the chest), positive roll turns
    the face clockwise in the image.
    """
    y, p, r = np.deg2rad([yaw, pitch, roll])
    ry = np.array([[np.cos(y), 0, np.sin(y)], [0, 1, 0],
                   [-np.sin(y), 0, np.cos(y)]])
    rx = np.array([[1, 0, 0], [0, np.cos(p), np.sin(p)],
                   [0, -np.sin(p), np.cos(p)]])
    rz = np.array([[np.cos(r), -np.sin(r), 0], [np.sin(r),
                                                 np.cos(r), 0], [0, 0, 1]])
    return rz @ rx @ ry


def silhouette_phi(rot, u, v):
    """Visible-outline parameter of the arcs ``C + u sin(phi) + v cos(phi)``.

    Args:
        rot (np.ndarray): (3, 3) rotation.
        u (np.ndarray): (N, 3) in-plane arc vectors (to the outline point).
        v (np.ndarray): (N, 3) depth vectors.

    Returns:
        np.ndarray: (N,) ``phi`` in (0, pi/2]: ``pi/2`` where the outline
        point itself is on the visible outline (near side); smaller on the
        far side, where the arc's projected extreme along its outward
        direction is the silhouette and the outline point is hidden.
    """
    u2 = (u @ rot.T)[:, :2]
    v2 = (v @ rot.T)[:, :2]
    n = u2 / np.maximum(np.linalg.norm(u2, axis=1, keepdims=True), 1e-9)
    a = np.sum(n * u2, axis=1)
    b = np.sum(n * v2, axis=1)
    return np.minimum(np.arctan2(a, b), np.pi / 2)


@dataclass
class Pose:
    """Weak-perspective pose: rotation angles (deg), scale (px per unit) and
    image position (px) of the template origin."""
    yaw: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0
    scale: float = 60.0
    tx: float = 128.0
    ty: float = 128.0

    @property
    def rotation(self):
        return rotation_matrix(self.yaw, self.pitch, self.roll)

    def project(self, pts3d):
        """(N, 3) template points -> ((N, 2) image points, (N,) depth)."""
        q = np.asarray(pts3d, dtype=np.float64) @ self.rotation.T
        xy = q[:, :2] * self.scale + np.array([self.tx, self.ty])
        return xy, q[:, 2] * self.scale


def projected_outline(model, pose):
    """Silhouette of the face outline in the image.

    Returns:
        tuple: ``(outline_xy (M, 2), phi (M,))``; the jaw landmarks are
        ``outline_xy[model.jaw_index]``.
    """
    c = model.center
    u = model.outline - c
    v = np.zeros_like(u)
    v[:, 2] = model.outline_depth
    phi = silhouette_phi(pose.rotation, u, v)
    pts = c + u * np.sin(phi)[:, None] + v * np.cos(phi)[:, None]
    xy, _ = pose.project(pts)
    return xy, phi


def project_landmarks(model, pose):
    """Image landmarks (98, 2) as WFLW annotates them.

    Inner points are projected; self-occluded jaw points are moved to the
    visible silhouette (:func:`projected_outline`).
    """
    xy, _ = pose.project(model.landmarks)
    out_xy, _ = projected_outline(model, pose)
    xy[0:33] = out_xy[model.jaw_index]
    return xy
