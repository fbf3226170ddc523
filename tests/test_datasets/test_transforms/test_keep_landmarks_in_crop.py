import numpy as np
import pytest
from mmpose.datasets.transforms import GetBBoxCenterScale, TopdownAffine

from awing_mmpose.datasets.transforms import KeepLandmarksInCrop

SIZE = (256, 256)


def face(seed=0, spread=0.5, padding=1.4):
    """A face whose landmarks fill its box to the edges; the crop is the
    box times ``padding``."""
    rng = np.random.default_rng(seed)
    kpts = rng.uniform(100, 100 + 200 * spread, (1, 98, 2)).astype(np.float32)
    x0, y0 = kpts[0].min(0)
    x1, y1 = kpts[0].max(0)
    results = dict(
        img=np.zeros((400, 400, 3), np.uint8),
        bbox=np.array([[x0, y0, x1, y1]], np.float32),
        keypoints=kpts,
        keypoints_visible=np.ones((1, 98), np.float32))
    return GetBBoxCenterScale(padding=padding)(results)


def crop(results, **kwargs):
    cfg = dict(
        transform=dict(
            type='RandomBBoxTransform', shift_factor=0.2, shift_prob=1.,
            scale_factor=(0.8, 1.3), scale_prob=1., rotate_factor=60.,
            rotate_prob=1.),
        input_size=SIZE)
    cfg.update(kwargs)
    results = KeepLandmarksInCrop(**cfg)(results)
    return TopdownAffine(input_size=SIZE)(results)


def test_every_visible_landmark_stays_inside_with_margin():
    np.random.seed(0)
    tries = []
    for seed in range(60):
        out = crop(face(seed), margin=15.)
        pts = out['transformed_keypoints'][0]
        assert pts.min() >= 15 - 1e-3 and pts.max() <= 240 + 1e-3, seed
        tries.append(out['crop_tries'])
    # the augmentation still varies: most crops are random draws
    assert sum(t > 0 for t in tries) > len(tries) / 2
    # ... and a plain RandomBBoxTransform with these settings does push
    # landmarks out: the wrapper is doing work
    assert any(t > 1 or t == 0 for t in tries)


def test_fallback_crop_holds_all_landmarks_and_keeps_the_rotation():
    np.random.seed(1)
    # a shift of 3 box sizes always leaves the face: every draw fails
    # a box that the landmarks fill: the safe crop must grow
    out = crop(face(3, padding=1.), margin=10., max_tries=3,
               transform=dict(type='RandomBBoxTransform', shift_factor=3.,
                              shift_prob=1., rotate_factor=30.,
                              rotate_prob=1.))
    assert out['crop_tries'] == 0
    assert out['bbox_rotation'][0] != 0  # the last draw's rotation
    start = face(3, padding=1.)
    assert (out['bbox_center'] == start['bbox_center']).all()  # no shift
    assert (out['bbox_scale'] >= start['bbox_scale'] - 1e-3).all()
    pts = out['transformed_keypoints'][0]
    assert pts.min() >= 10 - 1e-3 and pts.max() <= 245 + 1e-3
    # grown no more than needed: a landmark is within a pixel of the margin
    assert min(pts.min() - 10, 245 - pts.max()) < 1.5


def test_invisible_landmarks_are_not_kept_inside():
    np.random.seed(2)
    results = face(4)
    results['keypoints'][0, 0] = [-5000., -5000.]
    results['keypoints_visible'][0, 0] = 0.
    out = crop(results, margin=5.)
    assert out['crop_tries'] > 0  # the far, invisible point did not matter
    assert out['transformed_keypoints'][0, 1:].min() >= 5 - 1e-3


def test_without_keypoints_the_transform_runs_once():
    np.random.seed(3)
    results = face(5)
    del results['keypoints'], results['keypoints_visible']
    out = KeepLandmarksInCrop(
        transform=dict(type='RandomBBoxTransform'), input_size=SIZE)(results)
    assert 'bbox_rotation' in out and 'crop_tries' not in out


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match='margin'):
        KeepLandmarksInCrop(dict(type='RandomBBoxTransform'), SIZE,
                            margin=128)
    with pytest.raises(ValueError, match='max_tries'):
        KeepLandmarksInCrop(dict(type='RandomBBoxTransform'), SIZE,
                            max_tries=0)
