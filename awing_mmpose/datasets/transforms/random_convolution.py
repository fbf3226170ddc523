"""Random convolution of the image: texture and colour randomisation that
keeps shapes (RandConv, Xu et al., ICLR 2021)."""
from typing import Dict, Sequence, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from awing_mmpose.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomConvolution(BaseTransform):
    """Filter ``results['img']`` with a random 3 -> 3 channel convolution.

    With probability ``prob`` a kernel ``W`` of shape ``(3, 3, k, k)``, ``k``
    drawn from ``kernel_sizes``, is drawn from ``N(0, 1 / (3 k^2))`` (the
    variance that keeps the output's scale) and applied, centred, to the
    standardised image ``z = (I - mean) / std`` (``mean`` per channel,
    ``std`` over all channels): ``y_o = sum_i W_oi * z_i``.
    ``y`` is brought back to the image's grey-level statistics, ``I' = mean
    + std * y / std(y)``, mixed with the original, ``alpha I + (1 - alpha)
    I'`` with ``alpha ~ U(mix_range)``, and clipped to [0, 255].

    Colours, textures and the local contrast change at random while the
    outlines stay where they are (``k`` is odd and the kernel centred, so
    nothing shifts): a network trained on a renderer's faces is pushed to
    read shapes rather than the renderer's own textures. Landmarks and
    boxes are left unchanged.

    Args:
        prob (float): probability of filtering. Defaults to 0.5.
        kernel_sizes (Sequence[int]): odd kernel sizes drawn from.
            Defaults to (1, 3, 5, 7).
        mix_range (tuple): range of the weight ``alpha`` of the original
            image. Defaults to (0., 1.).
    """

    def __init__(self,
                 prob: float = 0.5,
                 kernel_sizes: Sequence[int] = (1, 3, 5, 7),
                 mix_range: Tuple[float, float] = (0., 1.)) -> None:
        super().__init__()
        if not 0. <= prob <= 1.:
            raise ValueError('RandomConvolution: prob must be in [0, 1], '
                             f'got {prob}')
        kernel_sizes = tuple(int(k) for k in kernel_sizes)
        if not kernel_sizes or any(k < 1 or k % 2 == 0
                                   for k in kernel_sizes):
            raise ValueError('RandomConvolution: kernel_sizes must be odd '
                             'and positive (a centred kernel moves no '
                             f'outline), got {kernel_sizes}')
        lo, hi = mix_range
        if not 0. <= lo <= hi <= 1.:
            raise ValueError('RandomConvolution: mix_range must satisfy '
                             f'0 <= lo <= hi <= 1, got {mix_range}')
        self.prob = prob
        self.kernel_sizes = kernel_sizes
        self.mix_range = (float(lo), float(hi))

    def transform(self, results: Dict) -> Dict:
        if np.random.rand() >= self.prob:
            return results
        img = results['img']
        k = self.kernel_sizes[np.random.randint(len(self.kernel_sizes))]
        alpha = np.random.uniform(*self.mix_range)
        grey = img.ndim == 2
        x = (img[..., None] if grey else img).astype(np.float32)
        channels = x.shape[-1]
        weights = np.random.normal(
            0., 1. / np.sqrt(channels * k * k),
            size=(channels, channels, k, k)).astype(np.float32)
        mean = x.mean(axis=(0, 1))
        std = float(x.std()) + 1e-6
        z = (x - mean) / std
        y = np.zeros_like(z)
        for o in range(channels):
            for i in range(channels):
                y[..., o] += cv2.filter2D(
                    z[..., i], -1, weights[o, i],
                    borderType=cv2.BORDER_REFLECT_101)
        y *= std / (float(y.std()) + 1e-6)
        y += mean
        out = alpha * x + (1. - alpha) * y
        out = np.clip(out, 0, 255).astype(img.dtype)
        results['img'] = out[..., 0] if grey else out
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(prob={self.prob}, '
                f'kernel_sizes={self.kernel_sizes}, '
                f'mix_range={self.mix_range})')
