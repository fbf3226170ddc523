"""Sub-pixel, anti-aliased drawing of polygons and curves into float images.

Points are (N, 2) float pixel coordinates (x, y). OpenCV draws integer
coordinates; :func:`to_fixed` scales them by ``2 ** SHIFT`` so that
``cv2`` draws with 1/16-pixel precision. Coverage masks are computed only on
the region of interest of the shape (:class:`Mask`), which keeps small
features cheap on large pictures.
"""
from typing import Optional, Sequence, Tuple, Union

import cv2
import numpy as np

#: fractional bits of the fixed-point coordinates passed to OpenCV
SHIFT = 4
_ONE = 1 << SHIFT

Colour = Union[float, Sequence[float], np.ndarray]


def to_fixed(pts) -> np.ndarray:
    """Float pixel coordinates -> int32 fixed point with :data:`SHIFT`."""
    return np.round(np.asarray(pts, np.float64) * _ONE).astype(np.int32)


def fill_polygon(img: np.ndarray, poly: np.ndarray, colour: Colour) -> None:
    """Fill one polygon (N, 2) into ``img`` in place with a flat colour."""
    cv2.fillPoly(img, [to_fixed(poly).reshape(-1, 1, 2)],
                 tuple(float(c) for c in colour), cv2.LINE_AA, SHIFT)


class Mask:
    """Coverage in [0, 1] on a region of interest: ``arr`` (h, w) float32
    placed at rows ``y0:y0+h`` and columns ``x0:x0+w`` of the picture."""
    __slots__ = ('arr', 'y0', 'x0')

    def __init__(self, arr: np.ndarray, y0: int, x0: int):
        self.arr, self.y0, self.x0 = arr, y0, x0

    @property
    def sl(self) -> Tuple[slice, slice]:
        """The region as (rows, columns) slices of the picture."""
        h, w = self.arr.shape
        return (slice(self.y0, self.y0 + h), slice(self.x0, self.x0 + w))

    def full(self, size: int) -> np.ndarray:
        """The mask as a (size, size) float32 picture."""
        out = np.zeros((size, size), np.float32)
        out[self.sl] = self.arr
        return out


def region_of_interest(size: int, pts: np.ndarray,
                       pad: float) -> Tuple[int, int, int, int]:
    """``(x0, y0, x1, y1)``: the box of ``pts`` grown by ``pad`` pixels,
    clipped to the (size, size) picture, at least one pixel wide."""
    lo = np.floor(pts.min(0) - pad).astype(int)
    hi = np.ceil(pts.max(0) + pad).astype(int) + 1
    x0, y0 = max(int(lo[0]), 0), max(int(lo[1]), 0)
    x1, y1 = min(int(hi[0]), size), min(int(hi[1]), size)
    return x0, y0, max(x1, x0 + 1), max(y1, y0 + 1)


def draw_mask(size: int,
              polys: Sequence[np.ndarray],
              blur: float,
              thickness: Optional[float] = None) -> Mask:
    """Coverage of filled polygons (``thickness=None``) or of open
    polylines ``thickness`` pixels wide, softened by a Gaussian of std
    ``blur`` pixels."""
    allp = np.concatenate([np.asarray(p, np.float64) for p in polys], 0)
    pad = 3.0 * blur + 2.0 + (thickness or 0)
    x0, y0, x1, y1 = region_of_interest(size, allp, pad)
    m = np.zeros((y1 - y0, x1 - x0), np.uint8)
    off = np.array([x0, y0], np.float64)
    pp = [to_fixed(np.asarray(p, np.float64) - off).reshape(-1, 1, 2)
          for p in polys]
    if thickness is None:
        for q in pp:  # one call each: fillPoly XORs overlapping polygons
            cv2.fillPoly(m, [q], 255, cv2.LINE_AA, SHIFT)
    else:
        cv2.polylines(m, pp, False, 255, max(1, int(round(thickness))),
                      cv2.LINE_AA, SHIFT)
    m = m.astype(np.float32) * (1.0 / 255.0)
    if blur > 0:
        m = cv2.GaussianBlur(m, (0, 0), blur)
    return Mask(m, y0, x0)


def polygon_mask(size: int, polys: Sequence[np.ndarray],
                 blur: float = 0.0) -> Mask:
    """:class:`Mask` coverage of the filled polygons."""
    return draw_mask(size, polys, blur)


def curve_mask(size: int, pts: np.ndarray, thickness: float,
               blur: float = 0.0) -> Mask:
    """:class:`Mask` coverage of one open polyline (N, 2)."""
    return draw_mask(size, [pts], blur, thickness)


def blend(img: np.ndarray,
          mask: Union[Mask, np.ndarray],
          colour: Colour,
          alpha: float = 1.0) -> None:
    """In place on the mask's region: ``img = img (1 - a m) + colour a m``.

    Args:
        img: (S, S, 3) float32 picture.
        mask: a :class:`Mask` or a full (S, S) coverage.
        colour: a (3,) colour, a scalar, a full-size image or an image of
            the mask's region.
        alpha: opacity ``a``.
    """
    if isinstance(mask, Mask):
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


def ellipse_polygon(center, axes, angle_deg: float,
                    n: int = 36) -> np.ndarray:
    """(n, 2) vertices of an ellipse with half axes ``axes`` rotated by
    ``angle_deg`` (``n = 4`` gives a rhombus)."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    a = np.deg2rad(angle_deg)
    x = axes[0] * np.cos(t)
    y = axes[1] * np.sin(t)
    return np.stack([center[0] + x * np.cos(a) - y * np.sin(a),
                     center[1] + x * np.sin(a) + y * np.cos(a)], 1)


def smooth_noise(rng: np.random.Generator,
                 size: int,
                 cells: int,
                 amp: float,
                 shape: Optional[Tuple[int, int]] = None) -> np.ndarray:
    """Smooth colour noise (h, w, 3) float32 of std about ``amp``: a
    (cells, cells) grid of normals, bilinearly upsampled."""
    low = rng.standard_normal((cells, cells, 3)).astype(np.float32)
    h, w = (size, size) if shape is None else shape
    return cv2.resize(low * np.float32(amp), (w, h),
                      interpolation=cv2.INTER_LINEAR)
