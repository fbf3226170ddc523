import pytest
import torch
from mmpose.models.losses import AdaptiveWingLoss as MMPoseAWing

from awing_mmpose.models.losses import (AdaptiveWingLoss, WeightedLossMap,
                                        adaptive_wing)
from awing_mmpose.registry import MODELS

ALPHA, OMEGA, EPS, THETA = 2.1, 14., 1., 0.5


def reference(y, delta):
    """The paper's formula, written out in float64 with Python math."""
    import math
    p = ALPHA - y
    if delta < THETA:
        return OMEGA * math.log(1 + (delta / EPS)**p)
    A = OMEGA * (1 / (1 + (THETA / EPS)**p)) * p * (THETA / EPS)**(p - 1) / EPS
    C = THETA * A - OMEGA * math.log(1 + (THETA / EPS)**p)
    return A * delta - C


@pytest.mark.parametrize('y', [0., 0.3, 0.7, 1.])
@pytest.mark.parametrize('delta', [0., 0.1, 0.49, 0.5, 0.51, 0.9])
def test_matches_formula(y, delta):
    target = torch.tensor([y], dtype=torch.float64)
    pred = target + delta if y + delta <= 1 else target - delta
    got = adaptive_wing(pred, target).item()
    assert got == pytest.approx(reference(y, delta), rel=1e-10, abs=1e-12)


def test_known_value_pred_one_target_zero():
    # docs/method.md section 2: pred = 1, target = 0 gives 8.4959 per pixel
    loss = adaptive_wing(torch.ones(1), torch.zeros(1))
    assert loss.item() == pytest.approx(8.4959, abs=1e-4)


@pytest.mark.parametrize('y', [0., 0.25, 0.5, 0.75, 1.])
def test_continuous_value_and_derivative_at_theta(y):
    target = torch.full((2, ), y, dtype=torch.float64)
    h = 1e-7
    d = torch.tensor([THETA - h, THETA + h], dtype=torch.float64)
    pred = (target - d).requires_grad_()
    loss = adaptive_wing(pred, target)
    assert abs(loss[0] - loss[1]).item() < 1e-5
    (grad, ) = torch.autograd.grad(loss.sum(), pred)
    assert abs(grad[0] - grad[1]).item() < 1e-4


def test_gradcheck_float64():
    torch.manual_seed(0)
    target = torch.rand(2, 3, 5, 5, dtype=torch.float64)
    pred = (target + 0.8 * (torch.rand_like(target) - 0.5)).requires_grad_()
    # keep away from the kink of |.| and from delta == theta
    delta = (pred - target).abs()
    assert ((delta > 1e-3) & ((delta - THETA).abs() > 1e-3)).all()
    assert torch.autograd.gradcheck(
        lambda p: AdaptiveWingLoss()(p, target), (pred, ))
    assert torch.autograd.gradcheck(
        lambda p: WeightedLossMap()(p, target), (pred, ))


def test_finite_at_zero_error_and_foreground():
    target = torch.tensor([0., 0.5, 1., 1.], dtype=torch.float32)
    pred = torch.tensor([0., 0.5, 1., 0.999]).requires_grad_()
    loss = adaptive_wing(pred, target)
    loss.sum().backward()
    assert torch.isfinite(loss).all() and torch.isfinite(pred.grad).all()
    assert loss[:3].abs().max().item() == 0.


def test_foreground_gradient_stays_large_as_errors_shrink():
    # the key property: with y = 1 the exponent alpha - y is near 1 and the
    # gradient stays large as errors shrink; with y = 0 it vanishes
    def grad(y, delta):
        pred = torch.tensor([y - delta if y > 0.5 else y + delta],
                            dtype=torch.float64, requires_grad=True)
        adaptive_wing(pred, torch.tensor([y], dtype=torch.float64)).backward()
        return pred.grad.abs().item()

    for delta in (1e-2, 1e-3):
        assert grad(1., delta) > 5.
        assert grad(1., delta) > 40 * grad(0., delta)
    assert grad(0., 1e-3) < 0.02 < grad(0., 1e-2) < 0.2


def test_equals_mmpose_adaptive_wing_when_map_off():
    torch.manual_seed(1)
    target = torch.rand(2, 4, 8, 8)
    pred = torch.rand(2, 4, 8, 8)
    weights = torch.ones(2, 4)
    ref = MMPoseAWing()(pred, target, weights)
    ours = AdaptiveWingLoss()(pred, target, weights)
    off = WeightedLossMap(weight=0.)(pred, target, weights)
    assert ours.item() == pytest.approx(ref.item(), abs=1e-6)
    assert off.item() == pytest.approx(ref.item(), abs=1e-6)


def test_registry_keeps_mmpose_class():
    from mmengine.registry import DefaultScope
    with DefaultScope.overwrite_default_scope('mmpose'):
        theirs = MODELS.build(dict(type='AdaptiveWingLoss'))
        ours = MODELS.build(dict(type='awing_mmpose.AdaptiveWingLoss'))
    assert type(theirs) is MMPoseAWing
    assert type(ours) is AdaptiveWingLoss


def test_reduction_and_validation():
    x = torch.rand(1, 2, 4, 4)
    assert AdaptiveWingLoss(reduction='none')(x, x * 0).shape == x.shape
    with pytest.raises(ValueError, match='reduction'):
        AdaptiveWingLoss(reduction='avg')
    with pytest.raises(ValueError, match='shape'):
        AdaptiveWingLoss()(x, torch.rand(1, 3, 4, 4))
