"""Photographs (scikit-image sample photos, no people) as backgrounds of
synthetic faces."""
import numpy as np
import pytest

from awing_mmpose.synthetic import make_face
from awing_mmpose.synthetic.photo_bank import (DEFAULT_PHOTOS,
                                                        PhotoBank,
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


def test_photo_background_changes_only_the_background():
    plain = make_face(0, 'train', 4, 128)
    again = make_face(0, 'train', 4, 128, photo_backgrounds=0.)
    photo = make_face(0, 'train', 4, 128, photo_backgrounds=1.)
    # the default faces are unchanged (the demo and reference data)
    np.testing.assert_array_equal(plain.image, again.image)
    np.testing.assert_array_equal(plain.landmarks, photo.landmarks)
    diff = np.abs(plain.image.astype(int) - photo.image).max(2) > 8
    assert diff[~plain.face_mask].mean() > 0.3
    assert diff[plain.face_mask].mean() < diff[~plain.face_mask].mean()
