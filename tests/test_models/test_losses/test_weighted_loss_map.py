import numpy as np
import pytest
import torch
from scipy.ndimage import grey_dilation

from awing_mmpose.models.losses import (AdaptiveWingLoss, WeightedLossMap,
                                        loss_map_mask)


def test_mask_is_3x3_grey_dilation_threshold():
    rng = np.random.default_rng(0)
    target = rng.random((2, 3, 9, 9)).astype(np.float32) ** 4
    ref = grey_dilation(target, size=(1, 1, 3, 3), mode='constant') >= 0.2
    got = loss_map_mask(torch.from_numpy(target)).numpy()
    assert np.array_equal(got.astype(bool), ref)


def test_naive_map_has_no_dilation():
    target = torch.zeros(1, 1, 5, 5)
    target[0, 0, 2, 2] = 1.
    assert loss_map_mask(target, kernel_size=1).sum() == 1
    assert loss_map_mask(target, kernel_size=3).sum() == 9


def test_weighting_formula():
    torch.manual_seed(0)
    target = torch.zeros(1, 2, 6, 6)
    target[0, 0, 3, 3] = 1.
    target[0, 1, 1, 1] = 0.5
    pred = torch.rand(1, 2, 6, 6)
    pixel = AdaptiveWingLoss(reduction='none')(pred, target)
    mask = loss_map_mask(target)
    expected = (pixel * (10 * mask + 1)).mean()
    assert WeightedLossMap()(pred, target).item() == pytest.approx(
        expected.item(), rel=1e-6)
    # a precomputed mask (the codec's) gives the same value
    assert WeightedLossMap()(pred, target, mask=mask).item() == \
        pytest.approx(expected.item(), rel=1e-6)


def test_wraps_other_pixel_losses():
    pred, target = torch.rand(2, 3, 4, 4), torch.rand(2, 3, 4, 4)
    mse = WeightedLossMap(loss=dict(type='awing_mmpose.MSELoss'), weight=0.)
    assert mse(pred, target).item() == pytest.approx(
        torch.nn.functional.mse_loss(pred, target).item(), rel=1e-6)


def test_target_weights_zero_out_channels():
    pred, target = torch.rand(1, 2, 4, 4), torch.rand(1, 2, 4, 4)
    loss = WeightedLossMap(use_target_weight=True)
    full = loss(pred, target, torch.ones(1, 2))
    half = loss(pred, target, torch.tensor([[1., 0.]]))
    assert 0 < half.item() < full.item()


def test_bad_kernel():
    with pytest.raises(ValueError, match='kernel_size'):
        WeightedLossMap(kernel_size=2)
