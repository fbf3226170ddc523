"""Shading of the face under its light: a Lambert-lit dome fitted into the
face mask and the cast shadow of nose and brow."""
import cv2
import numpy as np

from . import landmark_indices as L
from .face_frame import FaceFrame
from .face_params import Light
from .raster import Mask


def light_direction(light: Light) -> np.ndarray:
    """(3,) unit vector towards the light in the image frame (x right,
    y down, z towards the camera)."""
    az, el = light.az, light.el
    return np.array([np.cos(el) * np.cos(az), np.cos(el) * np.sin(az),
                     np.sin(el)])


def surface_shade(light: Light, normal) -> float:
    """Lambert shade ``ambient + diffuse max(0, n . l)`` of a flat surface
    with image-frame normal ``normal`` (any length), as
    :func:`dome_shading` shades the face."""
    n = np.asarray(normal, np.float64)
    lam = max(0.0, float(n @ light_direction(light)) / np.linalg.norm(n))
    return float(light.ambient + light.diffuse * lam)


def dome_shading(mask: np.ndarray, light: Light) -> np.ndarray:
    """Lambert shading (h, w) float32 of a dome fitted in the face mask
    (h, w); computed at half resolution (it is smooth) and upsampled."""
    h0, w0 = mask.shape
    small = cv2.resize(mask, ((w0 + 1) // 2, (h0 + 1) // 2),
                       interpolation=cv2.INTER_AREA)
    return cv2.resize(_dome_shading_full(small, light), (w0, h0),
                      interpolation=cv2.INTER_LINEAR)


def _dome_shading_full(mask: np.ndarray, light: Light) -> np.ndarray:
    """``ambient + diffuse max(0, n . l)`` of the dome whose height is
    ``sqrt`` of the normalised distance to the mask's edge."""
    m8 = (mask > 0.5).astype(np.uint8)
    dt = cv2.distanceTransform(m8, cv2.DIST_L2, 3)
    dmax = max(float(dt.max()), 1.0)
    h = np.sqrt(np.clip(dt / dmax, 0, 1)) * dmax * 0.9
    h = cv2.GaussianBlur(h, (0, 0), max(1.0, dmax * 0.15))
    gy, gx = np.gradient(h)
    lx, ly, lz = light_direction(light)
    n = 1.0 / np.sqrt(gx * gx + gy * gy + 1.0)
    lam = np.clip((-gx * lx - gy * ly + lz) * n, 0, 1)
    return (light.ambient + light.diffuse * lam).astype(np.float32)


def cast_shadow(face: Mask, frame: FaceFrame) -> np.ndarray:
    """(h, w) factor on the face's region: the half of the face away from
    the light, split along the nose line, darkened to ``light.shadow``
    with a soft edge."""
    lm, light, sc = frame.landmarks, frame.light, frame.scale
    d = lm[[L.NOSE_TOP, L.NOSE_TIP, L.NOSE_BASE]].mean(0)
    nrm, _ = frame.axes
    h, w = face.arr.shape
    yy, xx = np.mgrid[face.y0:face.y0 + h,
                      face.x0:face.x0 + w].astype(np.float32)
    sgn = 1.0 if np.cos(light.az) >= 0 else -1.0
    dist = ((xx - d[0]) * nrm[0] + (yy - d[1]) * nrm[1]) * sgn
    half = 1.0 / (1.0 + np.exp(np.clip(dist / (0.05 * sc), -30, 30)))
    return 1.0 - (1.0 - light.shadow) * half


def light_face(features: np.ndarray, face: Mask,
               frame: FaceFrame) -> np.ndarray:
    """The face's region of ``features`` (S, S, 3) under the light:
    (h, w, 3) float32."""
    lit = features[face.sl] * dome_shading(face.arr, frame.light)[..., None]
    if frame.light.shadow < 1.0:
        lit *= cast_shadow(face, frame)[..., None]
    return lit
