"""The photo bank: scikit-image's sample photos without people, as
backgrounds of synthetic faces and as occluders."""
import numpy as np
import pytest

from awing_mmpose.datasets.photo_bank import (DEFAULT_PHOTOS, PhotoBank,
                                              list_photos)


def test_all_default_photos_install_and_views_are_reproducible():
    assert list_photos() == list(DEFAULT_PHOTOS)
    bank = PhotoBank()
    a = bank.view(np.random.default_rng(1), (96, 64))
    b = bank.view(np.random.default_rng(1), (96, 64))
    assert a.shape == (96, 64, 3) and a.dtype == np.float32
    assert 0 <= a.min() and a.max() <= 255 and a.std() > 1
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize('name', ['astronaut.png', 'camera.png'])
def test_photos_with_people_are_refused(name):
    with pytest.raises(ValueError, match='shows a person'):
        PhotoBank([name]).photos
