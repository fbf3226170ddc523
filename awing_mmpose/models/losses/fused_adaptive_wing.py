"""Adaptive Wing loss with a closed-form backward (one autograd node).

Autograd through the element-wise formula keeps a dozen full-size
intermediates per call (two powers of :math:`\\theta/\\epsilon`, ``where``,
``log1p``, the weight map ...) and replays them in the backward pass. The
derivative of AWing is closed-form in both branches, so this module computes
the value and the gradient in one forward sweep and saves only the gradient.

With :math:`\\delta = |\\hat y - y|`, :math:`p = \\alpha - y`,
:math:`q = \\min(\\delta, \\theta) / \\epsilon` and
:math:`g = p\\, q^{p-1} / (1 + q^p)`:

.. math::
    AWing = \\omega \\left[\\ln(1 + q^p) + \\frac{g}{\\epsilon}
            \\max(\\delta - \\theta, 0)\\right], \\qquad
    \\frac{\\partial AWing}{\\partial \\hat y} = \\frac{\\omega}{\\epsilon}
            \\, g \\, \\mathrm{sign}(\\hat y - y).

For :math:`\\delta < \\theta` this is :math:`\\omega \\ln(1 + (\\delta /
\\epsilon)^p)`; for :math:`\\delta \\ge \\theta`, :math:`q = \\theta /
\\epsilon` and :math:`\\omega g / \\epsilon` is the paper's :math:`A`, so the
value is :math:`A\\delta - C` with :math:`C = \\theta A - \\omega \\ln(1 +
(\\theta/\\epsilon)^p)`. One power and one logarithm per element, no branch.
"""
from typing import Optional

import torch
from torch import Tensor


def _awing_terms(pred: Tensor, target: Tensor, alpha: float, epsilon: float,
                 theta: float):
    """:math:`AWing / \\omega` and :math:`g\\,\\mathrm{sign}(\\hat y - y)`,
    both (B, C, H, W) in the promoted dtype of ``pred`` and ``target``.
    Intermediates are updated in place and released as soon as possible."""
    d = pred - target
    excess = d.abs()
    q = excess.clamp(max=theta)
    excess.sub_(q)  # max(delta - theta, 0)
    if epsilon != 1.:
        q.div_(epsilon)
    pm1 = torch.rsub(target, alpha - 1.).to(q.dtype)  # p - 1
    g = torch.pow(q, pm1)  # q^(p-1)
    w = q.mul_(g)  # q^p
    value = torch.log1p(w)
    g.addcmul_(g, pm1)  # p q^(p-1)
    del pm1
    g.div_(w.add_(1.))
    del w, q
    value.addcmul_(g, excess, value=1. / epsilon)
    del excess
    g.copysign_(d)
    return value, g


class _FusedAdaptiveWing(torch.autograd.Function):
    """Value of ``sum(AWing * weight) * scale`` (``reduce``) or of
    ``AWing * weight * scale``; saves only ``g * weight`` for backward."""

    @staticmethod
    def forward(ctx, pred, target, weight, reduce, scale, alpha, omega,
                epsilon, theta):
        value, grad = _awing_terms(pred, target, alpha, epsilon, theta)
        if weight is not None:
            if reduce and weight.shape == value.shape:
                total = torch.dot(
                    value.reshape(-1), weight.to(value.dtype).reshape(-1))
            else:
                value.mul_(weight)
                total = value.sum() if reduce else value
            grad.mul_(weight)
        else:
            total = value.sum() if reduce else value
        del value
        ctx.reduce = reduce
        ctx.grad_scale = scale * omega / epsilon
        if ctx.needs_input_grad[0]:
            ctx.save_for_backward(grad.to(pred.dtype))
        return total * (scale * omega)

    @staticmethod
    def backward(ctx, grad_output):
        (grad, ) = ctx.saved_tensors
        if ctx.reduce:
            grad = grad * (grad_output * ctx.grad_scale).to(grad.dtype)
        else:
            grad = (grad * grad_output).mul_(ctx.grad_scale)
        return (grad, ) + (None, ) * 8


def fused_adaptive_wing(pred: Tensor,
                        target: Tensor,
                        weight: Optional[Tensor] = None,
                        reduction: str = 'mean',
                        scale: float = 1.,
                        alpha: float = 2.1,
                        omega: float = 14.,
                        epsilon: float = 1.,
                        theta: float = 0.5) -> Tensor:
    """Weighted Adaptive Wing loss with a closed-form gradient.

    Args:
        pred (Tensor): :math:`\\hat y` (B, C, H, W); the gradient flows here.
        target (Tensor): :math:`y` (B, C, H, W) in [0, 1]; no gradient.
        weight (Tensor, optional): per-pixel weights broadcastable to
            ``pred`` (a Weighted Loss Map :math:`W M + 1` times per-channel
            target weights); the same shape as ``pred`` is fastest.
        reduction (str): ``'mean'`` (over all elements of ``pred``),
            ``'sum'`` or ``'none'``.
        scale (float): a factor on the result (the loss weight).

    Returns:
        Tensor: a scalar, or (B, C, H, W) with ``reduction='none'``.
    """
    if target.requires_grad:
        raise ValueError('fused_adaptive_wing: the target must not require '
                         'a gradient (use adaptive_wing for that)')
    if reduction == 'mean':
        scale = scale / pred.numel()
    return _FusedAdaptiveWing.apply(pred, target, weight, reduction != 'none',
                                    scale, alpha, omega, epsilon, theta)
