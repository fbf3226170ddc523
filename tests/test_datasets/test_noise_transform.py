"""RandomGaussianNoise: seeded runs repeat, the noise has the drawn std,
values stay in [0, 255] with the input dtype."""
import numpy as np

from awing_mmpose.datasets.transforms import RandomGaussianNoise


def test_noise_is_seeded_clipped_and_has_the_std():
    img = np.full((64, 64, 3), 128, np.uint8)
    img[0] = 0
    img[1] = 255
    t = RandomGaussianNoise(prob=1., std_range=(8., 8.))
    np.random.seed(3)
    a = t(dict(img=img.copy()))['img']
    np.random.seed(3)
    b = t(dict(img=img.copy()))['img']
    assert a.dtype == np.uint8 and np.array_equal(a, b)
    diff = a[2:].astype(np.float64) - 128
    assert 7. < diff.std() < 9. and abs(diff.mean()) < 1.
    assert a[0].min() == 0 and a[1].max() == 255  # clipped, not wrapped
    np.random.seed(3)
    assert np.array_equal(
        RandomGaussianNoise(prob=0.)(dict(img=img.copy()))['img'], img)
