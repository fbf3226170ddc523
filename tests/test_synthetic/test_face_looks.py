"""The optional looks of :func:`make_face` (photo backgrounds, open heads,
eyeglasses, relief, facial hair): each is drawn with its probability from
a random stream of its own, so the face and its landmarks do not change
and a fraction of 0 leaves every picture as it was."""
import numpy as np
import pytest

from awing_mmpose.synthetic import generate_synthetic_wflw, make_face

LOOKS = ('open_heads', 'eyeglasses', 'relief', 'facial_hair')


@pytest.mark.parametrize('look', LOOKS)
def test_look_keeps_the_face_and_its_landmarks(look):
    plain = make_face(0, 'train', 9, 128)
    again = make_face(0, 'train', 9, 128, **{look: 0.0})
    drawn = make_face(0, 'train', 9, 128, **{look: 1.0})
    np.testing.assert_array_equal(plain.image, again.image)
    np.testing.assert_array_equal(plain.landmarks, drawn.landmarks)
    np.testing.assert_array_equal(plain.bbox, drawn.bbox)
    assert plain.attributes == drawn.attributes
    assert not np.array_equal(plain.image, drawn.image)


@pytest.mark.parametrize('look', LOOKS)
def test_look_fraction_is_honoured_face_by_face(look):
    changed = [not np.array_equal(make_face(1, 'train', k, 96).image,
                                  make_face(1, 'train', k, 96,
                                            **{look: 0.5}).image)
               for k in range(24)]
    assert 4 <= sum(changed) <= 20
    # the choice is the face's own: other looks do not move it
    with_others = [not np.array_equal(
        make_face(1, 'train', k, 96,
                  **{o: 0.5 for o in LOOKS if o != look}).image,
        make_face(1, 'train', k, 96, **{o: 0.5 for o in LOOKS}).image)
        for k in range(24)]
    assert with_others == changed


@pytest.mark.parametrize('look', LOOKS + ('photo_backgrounds', ))
def test_generator_refuses_bad_fraction(look, tmp_path):
    with pytest.raises(ValueError, match=look):
        generate_synthetic_wflw(str(tmp_path), num_train=1, num_test=1,
                                **{look: 1.5})


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
