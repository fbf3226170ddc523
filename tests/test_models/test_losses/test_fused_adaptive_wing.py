"""The closed-form AWing node equals the autograd formula (values and
gradients), with the Weighted Loss Map and per-channel weights folded in."""
import pytest
import torch
import torch.nn.functional as F

from awing_mmpose.models.losses import (AdaptiveWingLoss, WeightedLossMap,
                                        adaptive_wing, fused_adaptive_wing,
                                        loss_map_mask)


def heatmaps(shape, dtype, seed=0):
    g = torch.Generator().manual_seed(seed)
    target = torch.rand(shape, generator=g, dtype=dtype)**6
    pred = torch.rand(shape, generator=g, dtype=dtype) * 1.4 - 0.2
    # exact hits: zero error, delta == theta, foreground / background
    target.view(-1)[:6] = torch.tensor([0., 1., 0.5, 0.5, 0., 1.])
    pred.view(-1)[:6] = torch.tensor([0., 1., 0., 1., 0.5, 0.5])
    return pred, target


def autograd_reference(pred, target, tw=None, mask=None, weight=10.):
    """The Weighted Loss Map written out through autograd."""
    if mask is None:
        mask = (F.max_pool2d(target, 3, 1, 1) >= 0.2).to(target.dtype)
    wmap = mask * weight + 1.
    if tw is not None:
        wmap = wmap * tw[..., None, None]
    return (adaptive_wing(pred, target) * wmap).mean()


@pytest.mark.parametrize('dtype,tol', [(torch.float64, 1e-12),
                                       (torch.float32, 1e-6)])
@pytest.mark.parametrize('use_tw', [False, True])
@pytest.mark.parametrize('codec_mask', [False, True])
def test_weighted_loss_map_equals_autograd(dtype, tol, use_tw, codec_mask):
    pred, target = heatmaps((3, 5, 16, 16), dtype)
    tw = torch.tensor([[1., 0., .5, 1., 1.], [0., 1., 1., 1., 1.],
                       [1., 1., 1., 1., 0.]], dtype=dtype)
    mask = loss_map_mask(target) if codec_mask else None
    p_ref = pred.clone().requires_grad_()
    ref = autograd_reference(p_ref, target, tw if use_tw else None)
    ref.backward()
    p_new = pred.clone().requires_grad_()
    loss = WeightedLossMap(use_target_weight=use_tw)
    got = loss(p_new, target, tw, mask=mask)
    got.backward()
    assert abs(got.item() - ref.item()) <= tol * max(1., abs(ref.item()))
    scale = p_ref.grad.abs().max().item()
    assert (p_new.grad - p_ref.grad).abs().max().item() <= tol * scale
    assert p_new.grad.dtype == dtype


@pytest.mark.parametrize('reduction', ['mean', 'sum', 'none'])
def test_adaptive_wing_loss_reductions_and_target_weights(reduction):
    pred, target = heatmaps((2, 4, 8, 8), torch.float64, seed=1)
    tw = torch.tensor([[1., 0., 1., .3], [1., 1., 0., 1.]],
                      dtype=torch.float64)
    pix = torch.rand(2, 4, 8, 8, dtype=torch.float64)
    loss = AdaptiveWingLoss(use_target_weight=True, reduction=reduction,
                            loss_weight=2.)
    p1, p2 = pred.clone().requires_grad_(), pred.clone().requires_grad_()
    ref = adaptive_wing(p1, target) * tw[..., None, None] * pix * 2.
    ref = dict(mean=ref.mean(), sum=ref.sum(), none=ref)[reduction]
    got = loss(p2, target, tw, mask=pix)
    assert got.shape == ref.shape
    assert torch.allclose(got, ref, rtol=1e-12, atol=1e-12)
    upstream = torch.rand_like(ref)
    ref.backward(upstream)
    got.backward(upstream)
    assert torch.allclose(p2.grad, p1.grad, rtol=1e-12, atol=1e-12)
    # a zero channel weight removes the channel from loss and gradient
    assert p2.grad[0, 1].abs().max() == 0 and p2.grad[1, 2].abs().max() == 0


def test_gradcheck_with_weights_and_mask():
    torch.manual_seed(0)
    target = torch.rand(2, 3, 6, 6, dtype=torch.float64)**3
    pred = (target + 0.9 * (torch.rand_like(target) - 0.5)).requires_grad_()
    delta = (pred - target).abs()
    assert ((delta > 1e-3) & ((delta - 0.5).abs() > 1e-3)).all()
    tw = torch.tensor([[1., .5, 0.], [0., 1., 2.]], dtype=torch.float64)
    mask = loss_map_mask(target)
    wlm = WeightedLossMap(use_target_weight=True)
    assert torch.autograd.gradcheck(lambda p: wlm(p, target, tw, mask),
                                    (pred, ))
    pix = AdaptiveWingLoss(reduction='none', use_target_weight=True)
    assert torch.autograd.gradcheck(lambda p: pix(p, target, tw), (pred, ))


def test_target_with_gradient_uses_autograd_path():
    pred, target = heatmaps((1, 2, 4, 4), torch.float64)
    target.requires_grad_()
    loss = AdaptiveWingLoss()(pred.requires_grad_(), target)
    loss.backward()
    assert target.grad is not None and pred.grad is not None
    with pytest.raises(ValueError, match='target'):
        fused_adaptive_wing(pred, target)


def test_half_precision_prediction_gets_half_gradient():
    pred, target = heatmaps((1, 3, 8, 8), torch.float32)
    pred = pred.to(torch.bfloat16).requires_grad_()
    loss = WeightedLossMap()(pred, target)
    loss.backward()
    assert loss.dtype == torch.float32 and pred.grad.dtype == torch.bfloat16
    ref = pred.detach().float().requires_grad_()
    autograd_reference(ref, target).backward()
    assert torch.allclose(pred.grad.float(), ref.grad, rtol=1e-2, atol=1e-6)


def test_target_weight_errors_name_the_problem():
    x = torch.rand(2, 3, 4, 4)
    for loss in (AdaptiveWingLoss(use_target_weight=True),
                 WeightedLossMap(use_target_weight=True)):
        name = type(loss).__name__
        with pytest.raises(ValueError, match=f'{name}.*no target_weights'):
            loss(x, x)
        with pytest.raises(ValueError, match=f'{name}.*expected'):
            loss(x, x, torch.ones(2, 4))


def test_generic_path_still_wraps_mse_with_weights():
    pred, target = torch.rand(2, 3, 5, 5), torch.rand(2, 3, 5, 5)**4
    tw = torch.tensor([[1., 0., 1.], [1., 1., 0.]])
    loss = WeightedLossMap(loss=dict(type='awing_mmpose.MSELoss'),
                           use_target_weight=True)
    wmap = (loss_map_mask(target) * 10 + 1) * tw[..., None, None]
    ref = ((pred - target)**2 * wmap).mean()
    assert loss(pred, target, tw).item() == pytest.approx(ref.item(),
                                                          rel=1e-6)
