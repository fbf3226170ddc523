"""Grey-picture augmentation (black-and-white photos, IR cameras)."""
from typing import Dict

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from awing_mmpose.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomGrayscale(BaseTransform):
    """Replace ``results['img']`` (H, W, 3) by its luminance, repeated in
    the three channels, with probability ``prob``.

    Args:
        prob (float): probability of turning the picture grey.
            Defaults to 0.2.
    """

    def __init__(self, prob: float = 0.2) -> None:
        super().__init__()
        self.prob = prob

    def transform(self, results: Dict) -> Dict:
        img = results['img']
        if np.random.rand() < self.prob and img.ndim == 3 and \
                img.shape[2] == 3:
            grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
            results['img'] = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(prob={self.prob})'
