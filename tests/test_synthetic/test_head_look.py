"""Open heads (:class:`HeadLook`): skin temples and neck around the face
instead of a hood of hair; the landmarks do not change."""
from dataclasses import replace

import cv2
import numpy as np
import pytest

from awing_mmpose.synthetic import render_face, sample_face_params
from awing_mmpose.synthetic.head_look import HeadLook, sample_head_look

S = 192


def _look(**kw):
    base = dict(neck_width=0.7, neck_tone=0.95, side_tone=0.95,
                jaw_shadow=0.3, edge_blur=0.01, skin_grain=4.0)
    base.update(kw)
    return HeadLook(**base)


def _short_haired_face(i):
    p = sample_face_params(np.random.default_rng([11, i]), S,
                           attributes=dict(pose=False, occlusion=False,
                                           blur=False, illumination=False))
    return replace(p, hair_style='short', hair_volume=1.1,
                   hair=np.array([20., 20., 25.]))


def _chin_bands(face):
    """Pixels in a band 2-6 px outside the face silhouette (the neck) and
    one 2-6 px inside it (the chin), below the mouth and between jaw points
    12 and 20."""
    mask = face.face_mask.astype(np.uint8)
    k5, k13 = np.ones((5, 5), np.uint8), np.ones((13, 13), np.uint8)
    outside = (cv2.dilate(mask, k13) > 0) & (cv2.dilate(mask, k5) == 0)
    inside = (cv2.erode(mask, k5) > 0) & (cv2.erode(mask, k13) == 0)
    lm = face.landmarks
    keep = np.zeros_like(outside)
    keep[int(lm[76:88, 1].max()) + 3:,
         int(lm[12, 0]):int(lm[20, 0]) + 1] = True
    return outside & keep, inside & keep


def test_sampled_looks_in_their_ranges():
    looks = [sample_head_look(np.random.default_rng(i)) for i in range(200)]
    arr = np.array([[lk.neck_width, lk.neck_tone, lk.side_tone,
                     lk.jaw_shadow, lk.edge_blur, lk.skin_grain]
                    for lk in looks])
    lo = [0.5, 0.75, 0.8, 0.1, 0.002, 0.0]
    hi = [0.75, 1.0, 1.0, 0.7, 0.03, 7.0]
    assert (arr >= lo).all() and (arr <= hi).all()
    assert (arr.max(0) - arr.min(0) > 0.8 * (np.array(hi) - lo)).all()
    assert sample_head_look(np.random.default_rng(3)) == \
        sample_head_look(np.random.default_rng(3))


@pytest.mark.parametrize('i', range(3))
def test_open_head_joins_neck_and_jaw(i):
    """By default a dark, unlit neck meets the chin in a strong colour
    step; with an open head the lit neck continues the skin and the jaw
    line is a soft shadow, as in a photo."""
    p = _short_haired_face(i)
    hooded = render_face(p)
    opened = render_face(p, look=_look(jaw_shadow=0.1))
    np.testing.assert_array_equal(hooded.landmarks, opened.landmarks)
    np.testing.assert_array_equal(hooded.bbox, opened.bbox)
    outside, inside = _chin_bands(hooded)
    assert outside.sum() > 30 and inside.sum() > 30

    def step(face):
        """Colour step across the chin's edge."""
        img = face.image.astype(float)
        return np.linalg.norm(img[outside].mean(0) - img[inside].mean(0))

    assert step(opened) < 0.65 * step(hooded)


def test_open_head_neck_is_wider_and_closer_to_the_skin():
    p = _short_haired_face(0)
    narrow = render_face(p, look=_look(neck_width=0.5, neck_tone=0.75))
    wide = render_face(p, look=_look(neck_width=0.75, neck_tone=1.0))
    chin = narrow.landmarks[16]
    row = int(chin[1] + 0.12 * p.pose.scale)
    assert row < S

    def skin_run(face):
        """Width of the run of neck-coloured pixels through the chin's
        column on the row below the chin."""
        img = face.image[row].astype(float)
        x = int(round(chin[0]))
        near = np.linalg.norm(img - img[x], axis=1) < 20
        n = m = 0
        while 0 <= x - n - 1 and near[x - n - 1]:
            n += 1
        while x + m + 1 < S and near[x + m + 1]:
            m += 1
        return n + m + 1

    assert skin_run(wide) > skin_run(narrow) + 0.2 * p.pose.scale
