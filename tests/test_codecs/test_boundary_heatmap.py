import numpy as np
import pytest
from scipy.ndimage import grey_dilation

from awing_mmpose.codecs import BoundaryHeatmap
from awing_mmpose.codecs.utils import (curve_samples, load_boundary_curves,
                                       refine_quarter)


def face_points(num=98, seed=0, size=256):
    """In-bounds random points (1, K, 2) in input pixels."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.1 * size, 0.9 * size, (1, num, 2)).astype(np.float32)


@pytest.mark.parametrize('layout,num', [('wflw', 98), ('300w', 68),
                                        ('cofw', 29)])
def test_layouts_encode_k_plus_one(layout, num):
    codec = BoundaryHeatmap(boundary_curves=layout)
    enc = codec.encode(face_points(num), np.ones((1, num)))
    assert enc['heatmaps'].shape == (num + 1, 64, 64)
    assert enc['keypoint_weights'].shape == (1, num + 1)
    assert enc['foreground_mask'].shape == (num + 1, 64, 64)
    assert len(codec.boundary_curves) == 13


def test_curves_from_metainfo():
    curves = load_boundary_curves('wflw')
    assert curves[0] == list(range(33))
    assert [60, 67, 66, 65, 64] in curves
    assert all(96 not in c and 97 not in c for c in curves)
    assert load_boundary_curves('300w')[-1] == [60, 67, 66, 65, 64]
    with pytest.raises(FileNotFoundError, match='nope'):
        load_boundary_curves('nope')


def test_encode_decode_dark_within_005_px():
    codec = BoundaryHeatmap(boundary_curves='wflw', refine='dark')
    kpts = face_points(98, seed=3)
    enc = codec.encode(kpts, np.ones((1, 98)))
    dec, scores = codec.decode(enc['heatmaps'])
    assert dec.shape == (1, 98, 2) and scores.shape == (1, 98)
    err_hm = np.linalg.norm(dec - kpts, axis=-1) / codec.stride[0]
    assert err_hm.mean() < 0.05, err_hm.mean()


def test_quarter_rule_and_pixel_centre_convention():
    codec = BoundaryHeatmap(boundary_curves=None, refine='none')
    hm = np.zeros((1, 64, 64), np.float32)
    hm[0, 10, 20] = 1.
    kpts, _ = codec.decode(hm)
    # heatmap pixel i sits at input coordinate (i + 0.5) * 4 - 0.5
    assert kpts[0, 0].tolist() == [81.5, 41.5]
    hm[0, 10, 21] = 0.5  # right neighbour higher than the left one
    hm[0, 9, 20] = 0.5  # upper neighbour higher than the lower one
    quarter = BoundaryHeatmap(boundary_curves=None, refine='quarter')
    kpts, _ = quarter.decode(hm)
    assert kpts[0, 0].tolist() == [82.5, 40.5]
    # the shared rule is a quarter heatmap pixel, vectorised
    ref = refine_quarter(np.array([[20., 10.]]), hm)
    assert ref.tolist() == [[20.25, 9.75]]


def test_roundtrip_without_refinement_is_within_half_pixel():
    codec = BoundaryHeatmap(boundary_curves='wflw', refine='quarter')
    kpts = face_points(98, seed=5)
    dec, _ = codec.decode(codec.encode(kpts)['heatmaps'])
    err_hm = np.abs(dec - kpts) / codec.stride[0]
    assert err_hm.max() <= 0.5 + 1e-6


def test_decode_strips_boundary_channel():
    codec = BoundaryHeatmap(boundary_curves='wflw')
    enc = codec.encode(face_points(98))
    hm = enc['heatmaps'].copy()
    hm[-1] = 5.  # a huge boundary channel must not leak into landmarks
    dec, scores = codec.decode(hm)
    assert dec.shape == (1, 98, 2)
    assert scores.max() <= 1.0 + 1e-6


def test_boundary_channel_is_gaussian_of_distance():
    codec = BoundaryHeatmap(boundary_curves=[[0, 1]])
    kpts = np.array([[[40., 128.], [216., 128.]]], np.float32)
    hm = codec.encode(kpts)['heatmaps'][-1]
    y = int(round((128 + 0.5) / 4 - 0.5))  # heatmap row of the line
    assert hm[y, 20:40].min() == pytest.approx(1.)
    # one pixel off the line: exp(-1/2); three or more: 0 (d >= 3 sigma)
    assert hm[y + 1, 30] == pytest.approx(np.exp(-0.5), abs=0.06)
    assert hm[y + 3, 30] == 0. and hm[y - 4, 30] == 0.
    assert hm[:, :5].max() == 0.  # before the segment starts


def test_spline_passes_through_points():
    pts = np.array([[0., 0.], [10., 5.], [20., 0.], [30., 5.]])
    samples = curve_samples(pts, 200)
    for p in pts:
        assert np.min(np.linalg.norm(samples - p, axis=1)) < 0.2
    # consecutive duplicates are dropped; two points give a line
    line = curve_samples(np.array([[0., 0.], [0., 0.], [4., 0.]]), 5)
    assert np.allclose(line[:, 1], 0.) and np.isclose(line[-1, 0], 4.)


def test_foreground_mask_is_dilation_of_target():
    codec = BoundaryHeatmap(boundary_curves='wflw')
    enc = codec.encode(face_points(98))
    ref = grey_dilation(enc['heatmaps'], size=(1, 3, 3),
                        mode='constant') >= 0.2
    assert np.array_equal(enc['foreground_mask'].astype(bool), ref)
    naive = BoundaryHeatmap(boundary_curves='wflw', mask_kernel=1).encode(face_points(98))
    assert naive['foreground_mask'].sum() < enc['foreground_mask'].sum()


def test_invisible_points_have_zero_weight_and_no_gaussian():
    codec = BoundaryHeatmap(boundary_curves='wflw')
    vis = np.ones((1, 98))
    vis[0, 5] = 0
    enc = codec.encode(face_points(98), vis)
    assert enc['keypoint_weights'][0, 5] == 0
    assert enc['heatmaps'][5].max() == 0
    assert enc['keypoint_weights'][0, -1] == 1


def test_errors():
    codec = BoundaryHeatmap(boundary_curves='wflw')
    with pytest.raises(ValueError, match='index landmark'):
        codec.encode(face_points(68))
    bad = face_points(98)
    bad[0, 3, 0] = np.nan
    with pytest.raises(ValueError, match='NaN'):
        codec.encode(bad)
    with pytest.raises(ValueError, match='refine'):
        BoundaryHeatmap(refine='best')


def test_auto_curves_come_with_the_sample():
    auto = BoundaryHeatmap()  # boundary_curves='auto'
    fixed = BoundaryHeatmap(boundary_curves='300w')
    kpts = face_points(68)
    got = auto.encode(kpts, None, boundary_curves=fixed.boundary_curves)
    assert np.array_equal(got['heatmaps'], fixed.encode(kpts)['heatmaps'])
    with pytest.raises(ValueError, match='FaceLandmarkDataset'):
        auto.encode(kpts)


@pytest.mark.parametrize('convention', ['center', 'corner'])
def test_roundtrip_dark_within_005_px_either_convention(convention):
    codec = BoundaryHeatmap(boundary_curves='wflw', refine='dark',
                            pixel_convention=convention)
    kpts = face_points(98, seed=11)
    dec, _ = codec.decode(codec.encode(kpts)['heatmaps'])
    err_hm = np.linalg.norm(dec - kpts, axis=-1) / codec.stride[0]
    assert err_hm.mean() < 0.05, err_hm.mean()


def test_corner_convention_is_the_authors_4i_plus_2():
    codec = BoundaryHeatmap(boundary_curves=None, refine='none',
                            pixel_convention='corner')
    hm = np.zeros((1, 64, 64), np.float32)
    hm[0, 10, 20] = 1.
    kpts, _ = codec.decode(hm)
    assert kpts[0, 0].tolist() == [4 * 20 + 2, 4 * 10 + 2]
    # the two conventions differ by half an input pixel
    center = BoundaryHeatmap(boundary_curves=None, refine='none')
    assert (kpts - center.decode(hm)[0]).tolist() == [[[0.5, 0.5]]]
    with pytest.raises(ValueError, match='pixel_convention'):
        BoundaryHeatmap(pixel_convention='edge')


def test_quarter_authors_refines_only_off_the_border_in_both_axes():
    hm = np.zeros((1, 64, 64), np.float32)
    hm[0, 0, 20] = 1.  # maximum on the top row
    hm[0, 0, 21] = 0.5  # right neighbour higher
    ours = BoundaryHeatmap(boundary_curves=None, refine='quarter',
                           pixel_convention='corner')
    authors = BoundaryHeatmap(boundary_curves=None, refine='quarter_authors',
                              pixel_convention='corner')
    assert ours.decode(hm)[0][0, 0].tolist() == [83., 2.]
    assert authors.decode(hm)[0][0, 0].tolist() == [82., 2.]
    hm = np.roll(hm, 5, axis=1)  # now off the border: both shift
    assert authors.decode(hm)[0][0, 0].tolist() == [83., 22.]


@pytest.mark.parametrize('convention', ['center', 'corner'])
def test_landmark_outside_the_crop_has_weight_zero(convention):
    codec = BoundaryHeatmap(boundary_curves='wflw',
                            pixel_convention=convention)
    kpts = face_points(98, seed=2)
    kpts[0, 5] = [-3., 100.]  # left of the crop, Gaussian still reaches in
    kpts[0, 7] = [100., 258.]  # below the crop
    kpts[0, 9] = [255.4, 0.]  # on the last column: inside
    enc = codec.encode(kpts, np.ones((1, 98)))
    weights = enc['keypoint_weights'][0]
    assert weights[5] == 0 and weights[7] == 0
    assert weights[9] == 1 and weights[-1] == 1  # boundary channel
    # no channel is empty while weighted
    peaks = enc['heatmaps'].reshape(99, -1).max(1)
    assert not ((peaks <= 0) & (weights > 0)).any()


def test_random_points_never_give_an_empty_weighted_channel():
    codec = BoundaryHeatmap(boundary_curves='wflw')
    rng = np.random.default_rng(0)
    for _ in range(20):
        kpts = rng.uniform(-40, 296, (1, 98, 2)).astype(np.float32)
        vis = (rng.uniform(size=(1, 98)) > 0.1).astype(np.float32)
        enc = codec.encode(kpts, vis)
        peaks = enc['heatmaps'].reshape(99, -1).max(1)
        assert not ((peaks <= 0) & (enc['keypoint_weights'][0] > 0)).any()


def test_boundary_weight_is_zero_when_no_curve_is_drawn():
    codec = BoundaryHeatmap(boundary_curves='wflw')
    enc = codec.encode(face_points(98), np.zeros((1, 98)))
    assert enc['heatmaps'][-1].max() == 0
    assert enc['keypoint_weights'][0, -1] == 0
