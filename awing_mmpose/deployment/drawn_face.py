"""A frontal face drawn with OpenCV: the picture the ONNX export check
(:func:`~awing_mmpose.deployment.check_export`) crops when no photo is
given, and a stand-in face for tests (OpenCV's Haar frontal-face cascade
finds it). numpy and OpenCV only."""
import cv2
import numpy as np


def draw_face(size: int = 256, seed: int = 0) -> np.ndarray:
    """A frontal face (BGR uint8, size x size): a blurred, shaded oval with
    dark eyes and brows, a bright nose ridge and a dark mouth, on a darker
    background; the face fills about 60 x 80 % of the picture. ``seed``
    draws the pixel noise (standard deviation 2 grey levels)."""
    rng = np.random.default_rng(seed)
    s = size / 256.

    def p(x, y):
        return int(round(x * s)), int(round(y * s))

    def ax(a, b):
        return max(1, int(round(a * s))), max(1, int(round(b * s)))

    g = np.full((size, size), 70, np.float32)
    cv2.ellipse(g, p(128, 135), ax(78, 100), 0, 0, 360, 190, -1)
    for x in (95, 161):
        cv2.ellipse(g, p(x, 112), ax(20, 9), 0, 0, 360, 40, -1)    # eye
        cv2.ellipse(g, p(x, 88), ax(24, 6), 0, 0, 360, 60, -1)     # brow
    cv2.ellipse(g, p(128, 150), ax(10, 25), 0, 0, 360, 220, -1)    # nose
    cv2.ellipse(g, p(128, 172), ax(14, 5), 0, 0, 360, 130, -1)     # nostrils
    cv2.ellipse(g, p(128, 198), ax(30, 8), 0, 0, 360, 70, -1)      # mouth
    g = cv2.GaussianBlur(g, (0, 0), max(0.5, 7 * s))
    g += rng.normal(0, 2, g.shape).astype(np.float32)
    tint = np.array([0.85, 0.95, 1.1], np.float32)  # BGR skin tone
    return np.clip(g[..., None] * tint, 0, 255).astype(np.uint8)
