"""The crop with which the authors evaluate their released WFLW model."""
from typing import Dict, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from awing_mmpose.registry import TRANSFORMS


@TRANSFORMS.register_module()
class OfficialWFLWCrop(BaseTransform):
    """Crop a face exactly as the authors' WFLW evaluation does.

    Their protocol has two stages (see ``docs/method.md``):

    1. Conversion: the WFLW box ``(left, top, right, bottom)``, truncated to
       integers, is padded by ``int(0.05 * w / 2)`` left and right and
       ``int(0.05 * h / 2)`` top and bottom (left / top clipped at 0). Around
       the padded box's centre a square of side
       :math:`L = 200 (w + h) / D`, :math:`D = 250`, is cut (window corners
       ``int(c -/+ L // 2)``, zeros outside the image) and resized to
       450 x 450 (bilinear). While a landmark lands below 10 or above 440 of
       that crop, :math:`D` drops by 10 and the crop is redone.
    2. Evaluation: the middle 360 x 360 of the 450 crop (rows and columns
       45 to 404) is resized to ``input_size`` (bilinear).

    Their landmarks follow :math:`x' = (x - x_0) \\cdot 450 / L` and then
    :math:`(x' - 45) \\cdot 256 / 360`, :math:`x_0` the window's left edge;
    this is the similarity MMPose inverts with ``input_center`` :math:`=
    x_0 + L / 2` and ``input_scale`` :math:`= 0.8 L`, so predictions come
    back to image pixels as theirs would. Pair it with a codec of
    ``pixel_convention='corner'`` and ``refine='quarter_authors'`` and no
    flip test (``configs/awing_wflw_official.py``). Their converter saves
    the 450 crop to a file before evaluating; this transform keeps it in
    memory, so JPEG re-encoding of that file is the one step not
    reproduced.

    Required keys: ``img``, ``bbox`` (1, 4) xyxy; ``keypoints`` for the
    enlargement loop (without them the first crop is kept).
    Added keys: ``input_size``, ``input_center``, ``input_scale``,
    ``transformed_keypoints``, ``official_divisor`` (the final :math:`D`).

    Args:
        input_size (tuple): (w, h) of the network input, square. Defaults to
            (256, 256).
        use_landmarks (bool): run the enlargement loop on the annotated
            landmarks, as the authors do. Defaults to True.
    """

    PAD_RATIO = 0.05
    DIVISOR = 250.
    DIVISOR_STEP = 10.
    FIRST_SIZE = 450
    FIRST_RANGE = (10., 440.)
    #: the evaluation window inside the 450 crop: rows / columns 45 to 404
    SECOND_BOX = (45, 405)

    def __init__(self, input_size: Tuple[int, int] = (256, 256),
                 use_landmarks: bool = True) -> None:
        super().__init__()
        if input_size[0] != input_size[1]:
            raise ValueError('OfficialWFLWCrop: the authors crop squares, '
                             f'got input_size {tuple(input_size)}')
        self.input_size = (int(input_size[0]), int(input_size[1]))
        self.use_landmarks = use_landmarks

    @classmethod
    def padded_box(cls, bbox: np.ndarray) -> Tuple[int, int, int, int]:
        """The integer box padded by 5 % (left / top clipped at 0)."""
        left, top, right, bottom = (int(v) for v in bbox)
        pad_x = int(cls.PAD_RATIO * (right - left) / 2)
        pad_y = int(cls.PAD_RATIO * (bottom - top) / 2)
        return (max(0, left - pad_x), max(0, top - pad_y), right + pad_x,
                bottom + pad_y)

    @classmethod
    def first_window(cls, box: Tuple[int, int, int, int],
                     keypoints=None) -> Tuple[np.ndarray, float, float]:
        """Window of stage 1: ((x0, y0, x1, y1) ints, side L, divisor D)."""
        left, top, right, bottom = box
        # their centre is a float32 tensor; python floats stay weak
        center = np.array([right - (right - left) / 2.,
                           bottom - (bottom - top) / 2.], np.float32)
        divisor = cls.DIVISOR
        lo, hi = cls.FIRST_RANGE
        while True:
            side = 200. * (right - left + bottom - top) / divisor
            half = side // 2
            window = np.array([int(center[0] - half), int(center[1] - half),
                               int(center[0] + half), int(center[1] + half)])
            if keypoints is None:
                return window, side, divisor
            moved = (keypoints - window[:2]) * cls.FIRST_SIZE / side
            if moved.min() >= lo and moved.max() <= hi:
                return window, side, divisor
            divisor -= cls.DIVISOR_STEP
            if divisor <= 0:
                raise ValueError('OfficialWFLWCrop: no crop holds the '
                                 f'landmarks of box {box}')

    @staticmethod
    def cut(img: np.ndarray, window: np.ndarray, size: int) -> np.ndarray:
        """``img[y0:y1, x0:x1]`` with zeros outside the image, resized to
        ``size`` x ``size`` (bilinear)."""
        x0, y0, x1, y1 = (int(v) for v in window)
        h, w = img.shape[:2]
        canvas = np.zeros((y1 - y0, x1 - x0) + img.shape[2:], img.dtype)
        sx0, sy0 = max(x0, 0), max(y0, 0)
        sx1, sy1 = min(x1, w), min(y1, h)
        if sx1 > sx0 and sy1 > sy0:
            canvas[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = img[sy0:sy1,
                                                               sx0:sx1]
        return cv2.resize(canvas, (size, size), interpolation=cv2.INTER_LINEAR)

    def transform(self, results: Dict) -> Dict:
        bbox = np.asarray(results['bbox'], np.float64).reshape(-1, 4)
        if len(bbox) != 1:
            raise ValueError('OfficialWFLWCrop: one face per sample, got '
                             f'{len(bbox)} boxes')
        kpts = results.get('keypoints')
        use_kpts = (self.use_landmarks and kpts is not None
                    and np.size(kpts) > 0)
        points = (np.asarray(kpts, np.float64)[0, :, :2]
                  if use_kpts else None)
        window, side, divisor = self.first_window(
            self.padded_box(bbox[0]), points)
        first = self.cut(results['img'], window, self.FIRST_SIZE)
        a, b = self.SECOND_BOX
        results['img'] = self.cut(first, np.array([a, a, b, b]),
                                  self.input_size[0])

        center = window[:2] + side / 2.
        scale = np.full(2, 0.8 * side)
        results['input_size'] = self.input_size
        results['input_center'] = center.astype(np.float32)
        results['input_scale'] = scale.astype(np.float32)
        results['official_divisor'] = divisor
        if kpts is not None and np.size(kpts) > 0:
            moved = np.array(kpts, np.float32, copy=True)
            moved[..., :2] = ((moved[..., :2] - center) / scale +
                              0.5) * self.input_size[0]
            results['transformed_keypoints'] = moved
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(input_size={self.input_size}, '
                f'use_landmarks={self.use_landmarks})')
