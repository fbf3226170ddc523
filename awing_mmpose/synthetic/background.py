"""Backgrounds (clutter behind the face) and the camera's sensor noise."""
import functools
from typing import Tuple

import cv2
import numpy as np

from .raster import (SHIFT, blend, ellipse_polygon, polygon_mask,
                     smooth_noise, to_fixed)

#: the sensor-noise bank is this much larger than the picture
_NOISE_PAD = 64
_NOISE_BANK_SEED = 20190401
NUM_CLUTTER_KINDS = 5


@functools.lru_cache(maxsize=4)
def _noise_bank(size: int) -> np.ndarray:
    """A fixed (size + 64, size + 64, 3) bank of unit normal noise."""
    bank = np.random.default_rng(_NOISE_BANK_SEED).standard_normal(
        (size + _NOISE_PAD, size + _NOISE_PAD, 3), dtype=np.float32)
    bank.setflags(write=False)
    return bank


def sensor_noise(rng: np.random.Generator, size: int) -> np.ndarray:
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
def _unit_grid(size: int) -> Tuple[np.ndarray, np.ndarray]:
    """(yy, xx): (size, size) float32 coordinates divided by ``size``."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    yy.setflags(write=False)
    xx.setflags(write=False)
    return yy, xx


def _gradient(rng: np.random.Generator, size: int) -> np.ndarray:
    """A linear ramp between two random colours in a random direction,
    plus smooth colour noise."""
    c1, c2 = rng.random(3) * 255, rng.random(3) * 255
    ang = rng.random() * 2 * np.pi
    yy, xx = _unit_grid(size)
    ramp = np.clip(np.float32(np.cos(ang)) * (xx - 0.5) +
                   np.float32(np.sin(ang)) * (yy - 0.5) + 0.5, 0, 1)
    c1, c2 = c1.astype(np.float32), c2.astype(np.float32)
    img = c1 + (c2 - c1) * ramp[..., None]
    img += smooth_noise(rng, size, int(rng.integers(3, 24)),
                        float(rng.uniform(5, 35)))
    return img


def _add_stripes(img: np.ndarray, rng: np.random.Generator,
                 size: int) -> None:
    """Add a sine grating (stripes / tiles texture) in place."""
    yy, xx = _unit_grid(size)
    f = rng.uniform(4, 20) / size * 2 * np.pi
    th = rng.random() * np.pi
    wave = np.sin(np.float32(f * np.cos(th) * size) * xx +
                  np.float32(f * np.sin(th) * size) * yy)
    img += wave[..., None] * (rng.uniform(10, 40) *
                              (rng.random(3) - 0.3)).astype(np.float32)


def _add_clutter_shape(img: np.ndarray, rng: np.random.Generator,
                       size: int) -> None:
    """Draw one random shape in place: 0 rhombus, 1 ellipse, 2 line,
    3 random polygon, 4 translucent rhombus."""
    col = tuple(float(c) for c in rng.random(3) * 255)
    kind = int(rng.integers(0, NUM_CLUTTER_KINDS))
    cx, cy = rng.uniform(-0.1, 1.1, 2) * size
    r = rng.uniform(0.05, 0.35) * size
    if kind == 0:
        poly = ellipse_polygon((cx, cy), (r, r * rng.uniform(0.3, 1.5)),
                               rng.uniform(0, 180), 4)
        cv2.fillPoly(img, [to_fixed(poly).reshape(-1, 1, 2)], col,
                     cv2.LINE_AA, SHIFT)
    elif kind == 1:
        poly = ellipse_polygon((cx, cy), (r, r * rng.uniform(0.4, 1.0)),
                               rng.uniform(0, 180))
        cv2.fillPoly(img, [to_fixed(poly).reshape(-1, 1, 2)], col,
                     cv2.LINE_AA, SHIFT)
    elif kind == 2:
        p2 = np.array([cx, cy]) + rng.uniform(-1, 1, 2) * size * 0.6
        cv2.line(img, tuple(to_fixed([cx, cy])), tuple(to_fixed(p2)), col,
                 int(rng.integers(1, 12)) * size // 256 + 1, cv2.LINE_AA,
                 SHIFT)
    elif kind == 3:
        n = int(rng.integers(3, 7))
        poly = np.array([cx, cy]) + rng.uniform(-1, 1, (n, 2)) * r
        cv2.fillPoly(img, [to_fixed(poly).reshape(-1, 1, 2)], col,
                     cv2.LINE_AA, SHIFT)
    else:
        poly = ellipse_polygon((cx, cy), (r, r * 0.6), 0, 4)
        m = polygon_mask(size, [poly])
        blend(img, m, col, float(rng.uniform(0.3, 0.7)))


def draw_background(rng: np.random.Generator, size: int) -> np.ndarray:
    """A random cluttered background (size, size, 3) float32 BGR: gradient,
    sometimes stripes, 3 to 10 shapes, sometimes out of focus."""
    img = _gradient(rng, size)
    if rng.random() < 0.35:
        _add_stripes(img, rng, size)
    for _ in range(int(rng.integers(3, 11))):
        _add_clutter_shape(img, rng, size)
    if rng.random() < 0.5:  # out-of-focus background
        img = cv2.GaussianBlur(img, (0, 0),
                               float(rng.uniform(0.8, 2.5)) * size / 256)
    return img
