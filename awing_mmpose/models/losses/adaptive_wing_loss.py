"""Adaptive Wing loss (Wang, Bo, Fuxin, ICCV 2019, Eq. 5-6)."""
from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor

from awing_mmpose.registry import MODELS
from .fused_adaptive_wing import fused_adaptive_wing


def channel_weights(target_weights: Optional[Tensor], output: Tensor,
                    who: str) -> Tensor:
    """Per-channel weights (B, C) reshaped to (B, C, 1, 1) for ``output``
    (B, C, H, W); a clear error when missing or of the wrong shape."""
    if target_weights is None:
        raise ValueError(f'{who}: use_target_weight=True but no '
                         'target_weights were given (B, C)')
    if tuple(target_weights.shape) != tuple(output.shape[:2]):
        raise ValueError(f'{who}: target_weights of shape '
                         f'{tuple(target_weights.shape)}, expected (B, C) = '
                         f'{tuple(output.shape[:2])}')
    return target_weights.reshape(target_weights.shape + (1, ) *
                                  (output.ndim - 2))


def adaptive_wing(pred: Tensor, target: Tensor, alpha: float = 2.1,
                  omega: float = 14., epsilon: float = 1.,
                  theta: float = 0.5) -> Tensor:
    r"""Element-wise Adaptive Wing loss.

    With :math:`\delta = |y - \hat y|`:

    .. math::
        AWing(y, \hat y) = \begin{cases}
            \omega \ln(1 + (\delta/\epsilon)^{\alpha - y}) & \delta < \theta \\
            A\delta - C & \text{otherwise}
        \end{cases}

    where :math:`A` and :math:`C` make the loss and its first derivative
    continuous at :math:`\delta = \theta`.

    Args:
        pred (Tensor): :math:`\hat y`, any shape, e.g. (B, C, H, W).
        target (Tensor): :math:`y` in [0, 1], same shape as ``pred``.

    Returns:
        Tensor: the loss of each element, same shape as ``pred``.
    """
    delta = (target - pred).abs()
    power = alpha - target
    ratio = theta / epsilon
    # A = omega / (1 + (theta/eps)^(alpha-y)) * (alpha-y)
    #     * (theta/eps)^(alpha-y-1) / eps
    ratio_pow = torch.pow(torch.full_like(target, ratio), power)
    A = omega * (1. / (1. + ratio_pow)) * power * \
        torch.pow(torch.full_like(target, ratio), power - 1.) / epsilon
    C = theta * A - omega * torch.log1p(ratio_pow)
    # Keep the non-selected branch finite (its gradient is multiplied by 0
    # in torch.where, but NaN * 0 would still be NaN).
    small = delta < theta
    delta_small = torch.where(small, delta, torch.zeros_like(delta))
    nonlinear = omega * torch.log1p(torch.pow(delta_small / epsilon, power))
    linear = A * delta - C
    return torch.where(small, nonlinear, linear)


@MODELS.register_module()
class AdaptiveWingLoss(nn.Module):
    """Adaptive Wing loss for heatmap regression.

    Drop-in for any MMPose heatmap head (``HeatmapHead``, ``CPMHead``, ...):
    it takes ``(output, target, target_weights)`` like MMPose's losses. With
    ``reduction='none'`` it returns the per-pixel map. Value and gradient
    come from one closed-form autograd node (:func:`fused_adaptive_wing`);
    :func:`adaptive_wing` is the same formula through autograd, used when
    the target itself needs a gradient. :class:`WeightedLossMap` folds its
    weight map into the same node through :meth:`weighted`.

    Args:
        alpha (float): :math:`\\alpha`. Defaults to 2.1.
        omega (float): :math:`\\omega`. Defaults to 14.
        epsilon (float): :math:`\\epsilon`. Defaults to 1.
        theta (float): :math:`\\theta`. Defaults to 0.5.
        use_target_weight (bool): multiply each keypoint channel by its
            weight. Defaults to False.
        reduction (str): ``'mean'``, ``'sum'`` or ``'none'``.
        loss_weight (float): scale of the loss. Defaults to 1.
    """

    def __init__(self,
                 alpha: float = 2.1,
                 omega: float = 14.,
                 epsilon: float = 1.,
                 theta: float = 0.5,
                 use_target_weight: bool = False,
                 reduction: str = 'mean',
                 loss_weight: float = 1.):
        super().__init__()
        if reduction not in ('mean', 'sum', 'none'):
            raise ValueError(f'AdaptiveWingLoss: unknown reduction '
                             f'{reduction!r} (mean, sum or none)')
        if epsilon <= 0 or theta <= 0:
            raise ValueError('AdaptiveWingLoss: epsilon and theta must be > 0')
        self.alpha = float(alpha)
        self.omega = float(omega)
        self.epsilon = float(epsilon)
        self.theta = float(theta)
        self.use_target_weight = use_target_weight
        self.reduction = reduction
        self.loss_weight = loss_weight

    def forward(self,
                output: Tensor,
                target: Tensor,
                target_weights: Optional[Tensor] = None,
                mask: Optional[Tensor] = None) -> Tensor:
        """
        Args:
            output (Tensor): predicted heatmaps (B, C, H, W).
            target (Tensor): target heatmaps (B, C, H, W), values in [0, 1].
            target_weights (Tensor, optional): per-channel weights (B, C),
                used when ``use_target_weight``.
            mask (Tensor, optional): per-pixel weights broadcastable to
                (B, C, H, W).

        Returns:
            Tensor: scalar, or (B, C, H, W) with ``reduction='none'``.
        """
        if output.shape != target.shape:
            raise ValueError(f'AdaptiveWingLoss: output shape '
                             f'{tuple(output.shape)} != target shape '
                             f'{tuple(target.shape)}')
        weight = None
        if self.use_target_weight:
            weight = channel_weights(target_weights, output,
                                     'AdaptiveWingLoss')
        if mask is not None:
            weight = mask if weight is None else weight * mask
        return self.weighted(output, target, weight, self.reduction,
                             self.loss_weight)

    def weighted(self,
                 output: Tensor,
                 target: Tensor,
                 weight: Optional[Tensor] = None,
                 reduction: str = 'mean',
                 scale: float = 1.) -> Tensor:
        """``reduce(AWing(output, target) * weight) * scale``.

        The closed-form path (:func:`fused_adaptive_wing`) unless the target
        needs a gradient, which only the autograd path gives.

        Args:
            output (Tensor): (B, C, H, W).
            target (Tensor): (B, C, H, W).
            weight (Tensor, optional): broadcastable to (B, C, H, W).
            reduction (str): ``'mean'``, ``'sum'`` or ``'none'``.
            scale (float): factor on the result.
        """
        if not target.requires_grad:
            return fused_adaptive_wing(output, target, weight, reduction,
                                       scale, self.alpha, self.omega,
                                       self.epsilon, self.theta)
        loss = adaptive_wing(output, target, self.alpha, self.omega,
                             self.epsilon, self.theta)
        if weight is not None:
            loss = loss * weight
        if reduction == 'mean':
            loss = loss.mean()
        elif reduction == 'sum':
            loss = loss.sum()
        return loss * scale
