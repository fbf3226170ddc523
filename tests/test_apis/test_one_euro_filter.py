"""The One-Euro filter (Casiez et al., CHI 2012) of the video demo."""
import numpy as np
import pytest

from awing_mmpose.apis import OneEuroFilter
from awing_mmpose.apis.one_euro_filter import smoothing_factor


def run(f, xs, fps=25.0):
    return np.stack([f(x, i / fps) for i, x in enumerate(xs)])


def test_first_value_passes_and_constant_stays():
    f = OneEuroFilter()
    x = np.array([[10., 20.], [30., 40.]])
    assert np.array_equal(f(x, 0.0), x)
    out = run(OneEuroFilter(), [x] * 10)
    assert np.allclose(out, x)


def test_still_noise_is_damped():
    rng = np.random.default_rng(0)
    truth = rng.uniform(0, 100, (68, 2))
    xs = truth + rng.normal(0, 1.0, (100, 68, 2))
    out = run(OneEuroFilter(min_cutoff=1.0, beta=0.05), xs)
    raw_jitter = np.linalg.norm(np.diff(xs, axis=0), axis=2).mean()
    flt_jitter = np.linalg.norm(np.diff(out, axis=0), axis=2).mean()
    assert flt_jitter < 0.5 * raw_jitter
    # the filtered points stay on the face (no drift)
    assert np.abs(out[20:] - truth).mean() < np.abs(xs[20:] - truth).mean()


def test_speed_term_reduces_lag():
    """On a steady motion (4 px/frame) a larger beta follows closer."""
    xs = [np.array([[4. * i, 0.]]) for i in range(50)]
    lag = {}
    for beta in (0.0, 0.05):
        out = run(OneEuroFilter(min_cutoff=1.0, beta=beta), xs)
        lag[beta] = abs(out[-1, 0, 0] - xs[-1][0, 0])
    assert lag[0.05] < 0.5 * lag[0.0]


def test_alpha_and_errors():
    # alpha = 1 / (1 + 1 / (2 pi f dt)): 0.5 at f = 1 / (2 pi dt)
    assert smoothing_factor(1 / (2 * np.pi * 0.04), 0.04) == \
        pytest.approx(0.5)
    f = OneEuroFilter()
    f(np.zeros((2, 2)), 1.0)
    with pytest.raises(ValueError, match='time must increase'):
        f(np.zeros((2, 2)), 1.0)
    with pytest.raises(ValueError, match='min_cutoff'):
        OneEuroFilter(min_cutoff=0)
    with pytest.raises(ValueError, match='beta'):
        OneEuroFilter(beta=-1)
