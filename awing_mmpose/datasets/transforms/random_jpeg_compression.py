"""JPEG re-compression augmentation (block and ringing artefacts)."""
from typing import Dict, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from awing_mmpose.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomJPEGCompression(BaseTransform):
    """Encode ``results['img']`` (H, W, 3) ``uint8`` as JPEG and decode it
    again, with probability ``prob``.

    Args:
        prob (float): probability of compressing. Defaults to 0.3.
        quality_range (tuple): JPEG quality, sampled uniformly (integers,
            both ends included). Defaults to (15, 80).
    """

    def __init__(self, prob: float = 0.3,
                 quality_range: Tuple[int, int] = (15, 80)) -> None:
        super().__init__()
        lo, hi = quality_range
        if not 1 <= lo <= hi <= 100:
            raise ValueError('RandomJPEGCompression: quality_range must be '
                             f'within [1, 100], got {quality_range}')
        self.prob = prob
        self.quality_range = (int(lo), int(hi))

    def transform(self, results: Dict) -> Dict:
        if np.random.rand() >= self.prob:
            return results
        quality = np.random.randint(self.quality_range[0],
                                    self.quality_range[1] + 1)
        img = np.ascontiguousarray(results['img'], np.uint8)
        ok, buf = cv2.imencode('.jpg', img,
                               [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
        if ok:
            results['img'] = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED).reshape(
                img.shape)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(prob={self.prob}, '
                f'quality_range={self.quality_range})')
