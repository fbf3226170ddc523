"""The windowed / batched target drawing equals the plain definitions: dense
Gaussians over the whole grid, one FITPACK spline per curve, SciPy's grey
dilation."""
import numpy as np
import pytest
from scipy.ndimage import maximum_filter

from awing_mmpose.codecs import BoundaryHeatmap
from awing_mmpose.codecs.utils import (boundary_heatmap, curve_samples,
                                       dilated_mask, gaussian_heatmaps,
                                       load_boundary_curves)
from awing_mmpose.codecs.utils.plain_targets import (dense_gaussians,
                                                     fitpack_samples,
                                                     plain_boundary)


def random_faces(num, k=98, seed=0):
    rng = np.random.default_rng(seed)
    for i in range(num):
        pts = rng.uniform(2, 62, (k, 2))
        if i % 4 == 1:  # far outside / straddling the border
            pts = rng.uniform(-12, 76, (k, 2))
        visible = rng.random(k) > (0.15 if i % 3 == 0 else 0.)
        if i % 5 == 2:  # duplicates inside curves
            pts[1] = pts[0]
            pts[4] = pts[3] + 1e-8
        yield pts, visible


def test_gaussians_equal_dense_definition():
    for sigma, truncate, size in [(1.75, 3., (64, 64)), (1., 2.5, (48, 40)),
                                  (2.3, 3., (32, 64))]:
        for pts, vis in random_faces(12, seed=int(sigma * 10)):
            pts = pts * np.array(size) / 64.
            got, w = gaussian_heatmaps(pts, vis, size, sigma, truncate)
            ref, w_ref = dense_gaussians(pts, vis, size, sigma, truncate)
            assert got.dtype == np.float32 and got.shape == ref.shape
            assert np.abs(got - ref).max() <= 1e-6
            assert np.array_equal(w, w_ref)


def test_gaussian_of_nan_invisible_point_is_empty():
    pts = np.array([[np.nan, np.nan], [10.2, 5.7]])
    hm, w = gaussian_heatmaps(pts, np.array([False, True]), (16, 16), 1.5)
    assert hm[0].max() == 0 and w.tolist() == [0., 1.]


def test_splines_equal_fitpack():
    rng = np.random.default_rng(1)
    for n in list(range(2, 12)) + [20, 33]:
        for _ in range(5):
            pts = rng.uniform(-5, 70, (n, 2))
            got = curve_samples(pts, 100)
            ref = fitpack_samples(pts, 100)
            assert got.shape == ref.shape
            assert np.abs(got - ref).max() < 1e-8
    # fewer than two distinct points: the point itself
    assert curve_samples(np.array([[1., 2.], [1., 2.]])).shape == (1, 2)


@pytest.mark.parametrize('layout,k', [('wflw', 98), ('300w', 68),
                                      ('cofw', 29)])
def test_boundary_equals_per_curve_fitpack(layout, k):
    curves = load_boundary_curves(layout)
    for pts, vis in random_faces(10, k, seed=k):
        got = boundary_heatmap(pts, vis, curves, (64, 64))
        ref = plain_boundary(pts, vis, curves, (64, 64))
        assert np.abs(got - ref).max() <= 1e-6
    none = np.zeros(k, bool)
    assert boundary_heatmap(pts, none, curves, (64, 64)).max() == 0


@pytest.mark.parametrize('kernel', [1, 2, 3, 5])
@pytest.mark.parametrize('threshold', [0.2, 0., -1.])
def test_mask_equals_grey_dilation(kernel, threshold):
    rng = np.random.default_rng(kernel)
    hm = (rng.random((7, 13, 11))**20).astype(np.float32)
    if threshold < 0:
        hm -= 2.  # only the zero padding reaches the threshold
        hm[0, 6, 5] = 1.
    ref = maximum_filter(hm, size=(1, kernel, kernel), mode='constant',
                         cval=0.) >= threshold
    assert np.array_equal(dilated_mask(hm, kernel, threshold), ref)


def test_codec_targets_equal_plain_definitions():
    codec = BoundaryHeatmap(boundary_curves='wflw')
    curves = load_boundary_curves('wflw')
    for pts, vis in random_faces(8, seed=7):
        kpts = codec.to_input_coords(pts)[None]
        enc = codec.encode(kpts, vis[None].astype(np.float32))
        p = codec.to_heatmap_coords(kpts[0].astype(np.float64))
        hm, w = dense_gaussians(p, vis, (64, 64), 1.75, 3.)
        boundary = plain_boundary(p, vis, curves, (64, 64))
        hm = np.concatenate([hm, boundary[None]])
        assert np.abs(enc['heatmaps'] - hm).max() <= 1e-6
        # the codec also zeroes landmarks outside the crop (the Gaussian
        # may still reach in): weight = drawn and inside
        inside = ((p >= -0.5) & (p <= 63.5)).all(1)
        assert np.array_equal(enc['keypoint_weights'][0, :98], w * inside)
        mask = maximum_filter(hm, size=(1, 3, 3), mode='constant') >= 0.2
        assert np.array_equal(enc['foreground_mask'], mask)
