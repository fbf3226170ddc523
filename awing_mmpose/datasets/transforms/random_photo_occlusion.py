"""Occlusion by a piece of a photograph (an object in front of the face)."""
from typing import Dict, Optional, Sequence, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from awing_mmpose.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomPhotoOcclusion(BaseTransform):
    """Paste a piece of a photograph, cut to a random ellipse or polygon
    with a soft edge, over ``results['img']`` (H, W, 3) with probability
    ``prob``. Landmarks keep their true positions, as in annotated occluded
    faces.

    The photographs come from :class:`~awing_mmpose.datasets.photo_bank.
    PhotoBank` (scikit-image's sample photos without people).

    Args:
        prob (float): probability of occluding. Defaults to 0.3.
        size_range (tuple): the occluder's diameter as a fraction of the
            image side. Defaults to (0.15, 0.5).
        photos (sequence of str, optional): photo names for the bank;
            default: its default set.
    """

    def __init__(self, prob: float = 0.3,
                 size_range: Tuple[float, float] = (0.15, 0.5),
                 photos: Optional[Sequence[str]] = None) -> None:
        super().__init__()
        self.prob = prob
        self.size_range = size_range
        self.photos = tuple(photos) if photos else None
        self._bank = None

    @property
    def bank(self):
        if self._bank is None:
            from ..photo_bank import PhotoBank
            self._bank = PhotoBank(self.photos) if self.photos else \
                PhotoBank()
        return self._bank

    def _mask(self, h: int, w: int) -> np.ndarray:
        """(h, w) float32 coverage in [0, 1] of one random shape."""
        d = np.random.uniform(*self.size_range) * min(h, w)
        cx, cy = np.random.uniform(0, w), np.random.uniform(0, h)
        mask = np.zeros((h, w), np.float32)
        if np.random.rand() < 0.5:
            axes = (max(1, int(d / 2)),
                    max(1, int(d / 2 * np.random.uniform(0.4, 1))))
            cv2.ellipse(mask, (int(cx), int(cy)), axes,
                        float(np.random.uniform(0, 180)), 0, 360, 1., -1)
        else:
            n = np.random.randint(3, 8)
            ang = np.sort(np.random.uniform(0, 2 * np.pi, n))
            r = d / 2 * np.random.uniform(0.5, 1, n)
            poly = np.stack([cx + r * np.cos(ang), cy + r * np.sin(ang)], 1)
            cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], 1.)
        edge = max(0.5, 0.02 * min(h, w))
        return cv2.GaussianBlur(mask, (0, 0), edge)

    def transform(self, results: Dict) -> Dict:
        if np.random.rand() >= self.prob:
            return results
        img = results['img']
        h, w = img.shape[:2]
        seed = np.random.randint(2**31)
        piece = self.bank.view(np.random.default_rng(seed), (h, w),
                               min_zoom=0.1)
        a = self._mask(h, w)[..., None]
        out = img.astype(np.float32) * (1 - a) + piece * a
        results['img'] = np.clip(out + 0.5, 0, 255).astype(img.dtype)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(prob={self.prob}, '
                f'size_range={self.size_range})')
