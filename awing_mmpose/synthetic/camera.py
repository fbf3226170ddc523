"""What the camera adds to the scene: blur, exposure / colour of the light
and sensor noise, ending in the uint8 picture."""
import cv2
import numpy as np

from .background import sensor_noise
from .face_params import Blur, Light
from .raster import SHIFT, to_fixed


def _motion_kernel(length: float, angle_deg: float) -> np.ndarray:
    """A normalised line kernel ``length`` pixels long at ``angle_deg``."""
    n = int(np.ceil(length)) | 1
    k = np.zeros((n, n), np.float32)
    c = n // 2
    a = np.deg2rad(angle_deg)
    d = np.array([np.cos(a), np.sin(a)]) * (length / 2)
    cv2.line(k, tuple(to_fixed([c - d[0], c - d[1]])),
             tuple(to_fixed([c + d[0], c + d[1]])), 1.0, 1, cv2.LINE_AA,
             SHIFT)
    k /= max(float(k.sum()), 1e-6)
    return k


def _defocus_kernel(radius: float) -> np.ndarray:
    """A normalised disc kernel of ``radius`` pixels."""
    r = float(radius)
    n = int(np.ceil(r)) * 2 + 1
    k = np.zeros((n, n), np.float32)
    cv2.circle(k, (n // 2, n // 2), int(round(r)), 1.0, -1, cv2.LINE_AA)
    k /= float(k.sum())
    return k


def apply_blur(img: np.ndarray, blur: Blur) -> np.ndarray:
    """The picture (S, S, 3) float32 blurred as ``blur`` says (Gaussian,
    motion or defocus; unchanged when ``blur.kind`` is None)."""
    if blur.kind is None:
        return img
    if blur.kind == 'gaussian':
        return cv2.GaussianBlur(img, (0, 0), float(blur.sigma))
    if blur.kind == 'motion':
        k = _motion_kernel(blur.length, blur.angle)
    else:
        k = _defocus_kernel(blur.radius)
    return cv2.filter2D(img, -1, k, borderType=cv2.BORDER_REFLECT)


def expose(img: np.ndarray, light: Light, noise_sigma: float,
           rng: np.random.Generator) -> np.ndarray:
    """Global gain and tint of the light, Gaussian sensor noise of std
    ``noise_sigma`` grey levels, rounding and clipping to uint8."""
    gain = np.asarray(light.tint, np.float32) * np.float32(light.gain)
    m = np.zeros((3, 4), np.float32)
    m[[0, 1, 2], [0, 1, 2]] = gain
    m[:, 3] = 0.5  # rounding offset
    img = cv2.transform(img, m)
    img = cv2.scaleAdd(np.ascontiguousarray(sensor_noise(rng, img.shape[0])),
                       float(noise_sigma), img)
    np.clip(img, 0, 255, out=img)
    return img.astype(np.uint8)
