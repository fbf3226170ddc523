"""Gaussian blur augmentation (the paper's "random Gaussian blur")."""
from typing import Dict, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from awing_mmpose.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomGaussianBlur(BaseTransform):
    """Blur ``results['img']`` (H, W, C) with probability ``prob``.

    Args:
        prob (float): probability of blurring. Defaults to 0.2.
        sigma_range (tuple): range of the Gaussian sigma in pixels.
    """

    def __init__(self, prob: float = 0.2,
                 sigma_range: Tuple[float, float] = (0.5, 2.5)) -> None:
        super().__init__()
        self.prob = prob
        self.sigma_range = sigma_range

    def transform(self, results: Dict) -> Dict:
        if np.random.rand() < self.prob:
            sigma = np.random.uniform(*self.sigma_range)
            results['img'] = cv2.GaussianBlur(results['img'], (0, 0), sigma)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(prob={self.prob}, '
                f'sigma_range={self.sigma_range})')
