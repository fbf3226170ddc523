"""Photo-like degradations of the pretrained model's pipeline: JPEG,
grey, low resolution, photo occluders and random convolutions."""
import cv2
import numpy as np
import pytest

from awing_mmpose.datasets.transforms import (RandomConvolution,
                                              RandomGrayscale,
                                              RandomJPEGCompression,
                                              RandomLowResolution,
                                              RandomPhotoOcclusion)


@pytest.fixture
def img():
    rng = np.random.default_rng(0)
    base = cv2.resize(rng.integers(0, 256, (16, 16, 3), dtype=np.uint8),
                      (128, 128), interpolation=cv2.INTER_CUBIC)
    # fine detail that low resolution must remove
    base[::2, :, 1] = 255 - base[::2, :, 1]
    return base


def run(t, img, seed=0):
    np.random.seed(seed)
    kpts = np.array([[[10., 20.], [64., 64.]]])
    out = t(dict(img=img.copy(), keypoints=kpts.copy()))
    assert out['img'].shape == img.shape and out['img'].dtype == np.uint8
    np.testing.assert_array_equal(out['keypoints'], kpts)  # never moved
    return out['img']


@pytest.mark.parametrize('cls', [RandomJPEGCompression, RandomGrayscale,
                                 RandomLowResolution, RandomPhotoOcclusion,
                                 RandomConvolution])
def test_prob_zero_is_identity_and_prob_one_changes(cls, img):
    np.testing.assert_array_equal(run(cls(prob=0.), img), img)
    assert np.abs(run(cls(prob=1.), img).astype(int) - img).mean() > 1


def test_jpeg_quality_range_and_artefacts():
    with pytest.raises(ValueError, match='quality_range'):
        RandomJPEGCompression(quality_range=(0, 50))
    img = cv2.resize(
        np.random.default_rng(1).integers(0, 256, (8, 8, 3), dtype=np.uint8),
        (128, 128), interpolation=cv2.INTER_CUBIC)
    low = run(RandomJPEGCompression(prob=1., quality_range=(5, 5)), img)
    high = run(RandomJPEGCompression(prob=1., quality_range=(95, 95)), img)
    err = [np.abs(x.astype(int) - img).mean() for x in (low, high)]
    assert err[0] > 2 * err[1]


def test_grayscale_equal_channels(img):
    out = run(RandomGrayscale(prob=1.), img)
    assert (out[..., 0] == out[..., 1]).all() and \
        (out[..., 1] == out[..., 2]).all()


def test_low_resolution_removes_fine_detail(img):
    with pytest.raises(ValueError, match='scale_range'):
        RandomLowResolution(scale_range=(0., 0.5))
    out = run(RandomLowResolution(prob=1., scale_range=(0.25, 0.25)), img)
    # the alternating rows are gone: row-to-row differences shrink
    detail = lambda x: np.abs(np.diff(x[..., 1].astype(int), axis=0)).mean()
    assert detail(out) < 0.5 * detail(img)


def test_photo_occlusion_covers_a_region_only(img):
    t = RandomPhotoOcclusion(prob=1., size_range=(0.3, 0.3))
    out = run(t, img, seed=3)
    changed = np.abs(out.astype(int) - img).max(2) > 0
    assert 0.02 < changed.mean() < 0.5
    with pytest.raises(ValueError, match='shows a person'):
        RandomPhotoOcclusion(prob=1., photos=['astronaut.png']).bank.photos


def test_random_convolution_arguments():
    for bad in ((2, ), (0, ), ()):
        with pytest.raises(ValueError, match='kernel_sizes'):
            RandomConvolution(kernel_sizes=bad)
    with pytest.raises(ValueError, match='mix_range'):
        RandomConvolution(mix_range=(0.8, 0.2))
    with pytest.raises(ValueError, match='prob'):
        RandomConvolution(prob=1.5)


@pytest.mark.parametrize('k', [1, 3, 7])
def test_random_convolution_keeps_outlines_in_place(k):
    # two flat regions split by a vertical step edge at column 60: a
    # centred k x k kernel changes colours and texture but only the columns
    # within k // 2 of the edge may differ from their flat side
    img = np.empty((64, 128, 3), np.uint8)
    img[:, :60] = (200, 120, 40)
    img[:, 60:] = (30, 90, 160)
    t = RandomConvolution(prob=1., kernel_sizes=(k, ), mix_range=(0., 0.))
    for seed in range(5):
        out = run(t, img, seed=seed).astype(int)
        assert np.abs(out - img).max() > 5  # colours did change
        left, right = out[:, :60 - k // 2], out[:, 60 + k // 2:]
        assert np.abs(left - left[:1, :1]).max() <= 1
        assert np.abs(right - right[:1, :1]).max() <= 1


def test_random_convolution_flat_and_grey_images():
    t = RandomConvolution(prob=1., kernel_sizes=(5, ), mix_range=(0., 0.))
    flat = np.full((32, 32, 3), 77, np.uint8)
    np.testing.assert_array_equal(run(t, flat), flat)  # nothing invented
    grey = np.random.default_rng(2).integers(0, 256, (32, 32), np.uint8)
    out = run(t, grey)
    assert out.shape == grey.shape and np.abs(out.astype(int) - grey).max()
