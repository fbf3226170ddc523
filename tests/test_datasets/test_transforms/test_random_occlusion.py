"""RandomOcclusion: one rectangle of noise or of one colour, its sides within
``size_range`` of the image's, landmarks left where they are."""
import numpy as np

from awing_mmpose.datasets.transforms import RandomOcclusion


def occlude(t, img, seed):
    np.random.seed(seed)
    kpts = np.array([[[10., 20.], [40., 50.]]])
    out = t(dict(img=img, keypoints=kpts.copy()))
    np.testing.assert_array_equal(out['keypoints'], kpts)  # never moved
    assert out['img'].shape == img.shape and out['img'].dtype == img.dtype
    return out['img']


def test_prob_zero_is_identity():
    img = np.full((60, 50, 3), 7, np.uint8)
    assert occlude(RandomOcclusion(prob=0.), img, 0) is img


def test_paints_one_rectangle_of_noise_or_one_colour():
    h, w = 100, 80
    img = np.full((h, w, 3), 7, np.uint8)
    t = RandomOcclusion(prob=1., size_range=(0.1, 0.4))
    kinds = set()
    for seed in range(20):
        out = occlude(t, img, seed)
        assert np.all(img == 7)  # the input is not painted in place
        changed = (out != img).any(-1)
        ys, xs = np.nonzero(changed)
        top, bottom, left, right = ys.min(), ys.max(), xs.min(), xs.max()
        assert int(0.1 * h) <= bottom - top + 1 <= int(0.4 * h), seed
        assert int(0.1 * w) <= right - left + 1 <= int(0.4 * w), seed
        patch = out[top:bottom + 1, left:right + 1].reshape(-1, 3)
        colours = len(np.unique(patch, axis=0))
        if colours == 1:
            kinds.add('colour')
            assert changed.sum() == len(patch)  # a full rectangle
        else:
            kinds.add('noise')
            assert colours > len(patch) // 4
    assert kinds == {'colour', 'noise'}


def test_grey_image_and_repr():
    img = np.zeros((40, 30), np.uint8)
    t = RandomOcclusion(prob=1., size_range=(0.5, 0.5))
    hits = [(occlude(t, img, seed) != 0).sum() for seed in range(10)]
    # 20 x 15 rectangles; one of one colour may draw 0, the background
    assert max(hits) == 20 * 15 and sum(h > 0 for h in hits) >= 8
    assert repr(t) == 'RandomOcclusion(prob=1.0, size_range=(0.5, 0.5))'
