"""The shared landmark-layout facts agree with the metainfo files that
MMPose's datasets read (numbers of points, flip pairs, boundary curves)."""
import numpy as np
import pytest
from mmpose.datasets.datasets.utils import parse_pose_metainfo

from awing_mmpose.codecs.utils import load_boundary_curves, metainfo_file
from awing_mmpose.datasets import landmark_layouts as L

NUM_KEYPOINTS = {
    'wflw': L.NUM_WFLW_KEYPOINTS,
    '300w': L.NUM_300W_KEYPOINTS,
    'cofw': L.NUM_COFW_KEYPOINTS
}


def _metainfo(name):
    return parse_pose_metainfo(dict(from_file=metainfo_file(name)))


def _flip_pairs(name):
    """The metainfo's ``swap`` names as a set of sorted index pairs."""
    return {tuple(sorted(p)) for p in _metainfo(name)['flip_pairs']}


@pytest.mark.parametrize('name', sorted(NUM_KEYPOINTS))
def test_numbers_of_points_match_the_metainfo(name):
    assert _metainfo(name)['num_keypoints'] == NUM_KEYPOINTS[name]


def test_wflw_flip_pairs_are_the_metainfo_swaps():
    ours = [tuple(sorted(p)) for p in L.WFLW_FLIP_PAIRS]
    assert len(ours) == len(set(ours)) == 44
    assert set(ours) == _flip_pairs('wflw')


def test_wflw_flip_is_an_involution():
    perm = np.arange(L.NUM_WFLW_KEYPOINTS)
    for a, b in L.WFLW_FLIP_PAIRS:
        perm[a], perm[b] = b, a
    np.testing.assert_array_equal(perm[perm], np.arange(len(perm)))
    # the 10 points left in place are on the midline: chin, nose bridge,
    # nose base, the middles of the four lip curves
    fixed = set(np.flatnonzero(perm == np.arange(len(perm))).tolist())
    assert fixed == {16, 51, 52, 53, 54, 57, 79, 85, 90, 94}


def test_wflw_to_300w_is_68_distinct_wflw_points():
    m = L.WFLW_TO_300W
    assert m.shape == (L.NUM_300W_KEYPOINTS, ) and m.dtype == np.int64
    assert len(set(m.tolist())) == L.NUM_300W_KEYPOINTS
    assert m.min() >= 0 and m.max() < L.NUM_WFLW_KEYPOINTS
    assert not m.flags.writeable


def test_wflw_to_300w_maps_300w_flip_pairs_onto_wflw_flip_pairs():
    mapped = {tuple(sorted((int(L.WFLW_TO_300W[a]), int(L.WFLW_TO_300W[b]))))
              for a, b in _flip_pairs('300w')}
    assert mapped <= _flip_pairs('wflw')
    # and the 300W midline points go to WFLW midline points
    wflw_paired = {i for p in _flip_pairs('wflw') for i in p}
    paired_300w = {i for p in _flip_pairs('300w') for i in p}
    for i in set(range(L.NUM_300W_KEYPOINTS)) - paired_300w:
        assert int(L.WFLW_TO_300W[i]) not in wflw_paired, i


def _is_subsequence(small, big):
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


def test_wflw_to_300w_maps_each_300w_curve_into_a_wflw_curve():
    wflw = load_boundary_curves('wflw')
    for curve in load_boundary_curves('300w'):
        mapped = [int(L.WFLW_TO_300W[i]) for i in curve]
        assert any(_is_subsequence(mapped, c) for c in wflw), (curve, mapped)


@pytest.mark.parametrize('name, pairs', [
    ('wflw', (L.WFLW_OUTER_EYE_CORNERS, L.WFLW_PUPILS)),
    ('300w', (L.IBUG68_OUTER_EYE_CORNERS, )),
    ('cofw', (L.COFW_OUTER_EYE_CORNERS, L.COFW_PUPILS)),
])
def test_named_left_right_points_are_flip_pairs(name, pairs):
    for pair in pairs:
        assert tuple(sorted(pair)) in _flip_pairs(name), pair


def test_300w_eye_groups_mirror_each_other():
    left, right = L.IBUG68_EYE_CONTOURS
    assert len(left) == len(right) == 6
    partner = {a: b for p in _flip_pairs('300w') for a, b in (p, p[::-1])}
    assert {partner[i] for i in left} == set(right)
    assert L.IBUG68_OUTER_EYE_CORNERS[0] in left
    assert L.IBUG68_OUTER_EYE_CORNERS[1] in right

