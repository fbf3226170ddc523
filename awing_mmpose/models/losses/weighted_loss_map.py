"""Weighted Loss Map (Wang, Bo, Fuxin, ICCV 2019, Sec. 4.2)."""
from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor

from awing_mmpose.registry import MODELS
from .adaptive_wing_loss import AdaptiveWingLoss, channel_weights


def loss_map_mask(target: Tensor, kernel_size: int = 3,
                  threshold: float = 0.2) -> Tensor:
    """The binary map :math:`M` of the Weighted Loss Map.

    :math:`M = 1` where the grey dilation of the target with a
    ``kernel_size`` x ``kernel_size`` square is >= ``threshold``: the
    foreground and the difficult background pixels around it. With
    ``kernel_size=1`` this is the naive map of the paper's ablation.

    Args:
        target (Tensor): target heatmaps (B, C, H, W).

    Returns:
        Tensor: :math:`M`, (B, C, H, W), same dtype as ``target``.
    """
    target = target.detach()
    if kernel_size > 1:
        radius = kernel_size // 2
        return _dilate(_dilate(target, radius, -1), radius,
                       -2).ge_(threshold)
    return (target >= threshold).to(target.dtype)


def _dilate(x: Tensor, radius: int, dim: int) -> Tensor:
    """Running maximum over ``2 * radius + 1`` elements along ``dim``,
    border windows cut at the edge: one separable half of a square grey
    dilation (equal to ``max_pool2d`` with stride 1, several times faster
    on the CPU)."""
    out = x.clone()
    size = x.shape[dim]
    for shift in range(1, min(radius, size - 1) + 1):
        head, tail = x.narrow(dim, 0, size - shift), x.narrow(
            dim, shift, size - shift)
        right = out.narrow(dim, shift, size - shift)
        torch.maximum(right, head, out=right)
        left = out.narrow(dim, 0, size - shift)
        torch.maximum(left, tail, out=left)
    return out


@MODELS.register_module()
class WeightedLossMap(nn.Module):
    """Weights a pixel-wise heatmap loss by :math:`W \\cdot M + 1`.

    ``loss = mean(L(y, y_hat) * (W * M + 1))`` over all pixels of all
    channels, :math:`M` from :func:`loss_map_mask`. It wraps any pixel loss
    that accepts ``reduction='none'`` (``awing_mmpose.AdaptiveWingLoss``,
    ``awing_mmpose.MSELoss``, ``awing_mmpose.L1Loss``, ...) and has the call
    signature of MMPose's heatmap losses, so any MMPose heatmap head uses it
    by config alone.

    Args:
        loss (dict): config of the wrapped pixel loss; ``reduction='none'``
            is set on it.
        weight (float): :math:`W`. Defaults to 10.
        kernel_size (int): side of the dilation square; 1 gives the naive
            (undilated) map. Defaults to 3.
        threshold (float): threshold on the dilated target. Defaults to 0.2.
        use_target_weight (bool): multiply each channel by its weight
            (B, C). Defaults to False.
        loss_weight (float): scale of the loss. Defaults to 1.
    """

    def __init__(self,
                 loss: dict = dict(type='awing_mmpose.AdaptiveWingLoss'),
                 weight: float = 10.,
                 kernel_size: int = 3,
                 threshold: float = 0.2,
                 use_target_weight: bool = False,
                 loss_weight: float = 1.):
        super().__init__()
        if kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(f'WeightedLossMap: kernel_size must be a '
                             f'positive odd number, got {kernel_size}')
        self.pixel_loss = MODELS.build(dict(loss, reduction='none'))
        self.weight = weight
        self.kernel_size = kernel_size
        self.threshold = threshold
        self.use_target_weight = use_target_weight
        self.loss_weight = loss_weight

    def forward(self,
                output: Tensor,
                target: Tensor,
                target_weights: Optional[Tensor] = None,
                mask: Optional[Tensor] = None) -> Tensor:
        """
        Args:
            output (Tensor): predicted heatmaps (B, C, H, W).
            target (Tensor): target heatmaps (B, C, H, W).
            target_weights (Tensor, optional): (B, C) channel weights.
            mask (Tensor, optional): a precomputed :math:`M` (B, C, H, W),
                e.g. the codec's ``foreground_mask``; computed from
                ``target`` when None.

        Returns:
            Tensor: the scalar loss.
        """
        if output.shape != target.shape:
            raise ValueError(f'WeightedLossMap: output shape '
                             f'{tuple(output.shape)} != target shape '
                             f'{tuple(target.shape)}')
        weight_map = self.weight_map(target, mask)
        if self.use_target_weight:
            weight_map.mul_(
                channel_weights(target_weights, output, 'WeightedLossMap'))
        if isinstance(self.pixel_loss, AdaptiveWingLoss):
            # one closed-form autograd node, the map folded into its gradient
            return self.pixel_loss.weighted(
                output, target, weight_map, 'mean',
                self.pixel_loss.loss_weight * self.loss_weight)
        pixel = self.pixel_loss(output, target)
        if pixel.shape != output.shape:
            raise ValueError(
                f'WeightedLossMap: the wrapped {type(self.pixel_loss).__name__}'
                ' must return a per-pixel loss with reduction="none"')
        return (pixel * weight_map).mean() * self.loss_weight

    def weight_map(self, target: Tensor,
                   mask: Optional[Tensor] = None) -> Tensor:
        """:math:`W M + 1` (B, C, H, W), a new tensor; :math:`M` is ``mask``
        or :func:`loss_map_mask` of ``target``."""
        if mask is None:
            mask = loss_map_mask(target, self.kernel_size, self.threshold)
            return mask.mul_(self.weight).add_(1.)
        weight_map = torch.mul(mask, self.weight).add_(1.)
        if weight_map.shape != target.shape:
            weight_map = weight_map.expand_as(target).contiguous()
        return weight_map
