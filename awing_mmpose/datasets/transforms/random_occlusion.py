"""Random occlusion augmentation (the paper's "random occlusion")."""
from typing import Dict, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from awing_mmpose.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomOcclusion(BaseTransform):
    """Paint one rectangle of random colour or noise over ``results['img']``
    with probability ``prob``. Landmarks keep their true positions, as in
    annotated occluded faces.

    Args:
        prob (float): probability of occluding. Defaults to 0.3.
        size_range (tuple): side of the rectangle as a fraction of the image
            side, sampled per dimension. Defaults to (0.1, 0.4).
    """

    def __init__(self, prob: float = 0.3,
                 size_range: Tuple[float, float] = (0.1, 0.4)) -> None:
        super().__init__()
        self.prob = prob
        self.size_range = size_range

    def transform(self, results: Dict) -> Dict:
        if np.random.rand() >= self.prob:
            return results
        img = results['img'].copy()
        h, w = img.shape[:2]
        oh = max(1, int(h * np.random.uniform(*self.size_range)))
        ow = max(1, int(w * np.random.uniform(*self.size_range)))
        y0 = np.random.randint(0, h - oh + 1)
        x0 = np.random.randint(0, w - ow + 1)
        shape = (oh, ow) + img.shape[2:]
        if np.random.rand() < 0.5:
            patch = np.random.randint(0, 256, shape)
        else:
            patch = np.broadcast_to(
                np.random.randint(0, 256, img.shape[2:] or (1, )), shape)
        img[y0:y0 + oh, x0:x0 + ow] = patch.astype(img.dtype)
        results['img'] = img
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(prob={self.prob}, '
                f'size_range={self.size_range})')
