"""Low-resolution augmentation: a small face, upsampled to the input size."""
from typing import Dict, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from awing_mmpose.registry import TRANSFORMS

_INTERPOLATIONS = (cv2.INTER_NEAREST, cv2.INTER_LINEAR, cv2.INTER_CUBIC,
                   cv2.INTER_AREA)


@TRANSFORMS.register_module()
class RandomLowResolution(BaseTransform):
    """Downscale ``results['img']`` (H, W, C) by a random factor and scale it
    back to (H, W), with probability ``prob``: what a face of a few dozen
    pixels in a photo looks like after the crop. The interpolation of each
    direction is drawn from nearest, linear, cubic and area. Coordinates do
    not change.

    Args:
        prob (float): probability of degrading. Defaults to 0.2.
        scale_range (tuple): the downscale factor (the small picture's side
            over the original's). Defaults to (0.2, 0.6).
    """

    def __init__(self, prob: float = 0.2,
                 scale_range: Tuple[float, float] = (0.2, 0.6)) -> None:
        super().__init__()
        lo, hi = scale_range
        if not 0 < lo <= hi <= 1:
            raise ValueError('RandomLowResolution: scale_range must be '
                             f'within (0, 1], got {scale_range}')
        self.prob = prob
        self.scale_range = (float(lo), float(hi))

    def transform(self, results: Dict) -> Dict:
        if np.random.rand() >= self.prob:
            return results
        img = results['img']
        h, w = img.shape[:2]
        s = np.random.uniform(*self.scale_range)
        small = (max(2, int(round(w * s))), max(2, int(round(h * s))))
        down, up = np.random.choice(len(_INTERPOLATIONS), 2)
        img = cv2.resize(img, small, interpolation=_INTERPOLATIONS[down])
        results['img'] = cv2.resize(img, (w, h),
                                    interpolation=_INTERPOLATIONS[up])
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(prob={self.prob}, '
                f'scale_range={self.scale_range})')
