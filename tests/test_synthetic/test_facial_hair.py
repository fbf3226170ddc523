"""Facial hair (:class:`FacialHair`): stubble, moustache, goatee, beard
where they grow; the landmarks do not change."""
from dataclasses import replace

import cv2
import numpy as np
import pytest

from awing_mmpose.synthetic import render_face, sample_face_params
from awing_mmpose.synthetic.facial_hair import (FACIAL_HAIR_KINDS,
                                                FacialHair,
                                                sample_facial_hair)

S = 160


def _params(i):
    p = sample_face_params(np.random.default_rng([14, i]), S,
                           attributes=dict(occlusion=False, blur=False,
                                           pose=False, illumination=False))
    # light skin, black hair, bald in front of white: the hair shows as a
    # dark change on the face and beyond its outline
    return replace(p, noise_sigma=0.0, skin=np.array([150., 180., 225.]),
                   hair=np.array([20., 20., 25.]), hair_style='bald')


WHITE = np.full((S, S, 3), 255.0, np.float32)


def _hair(kind, **kw):
    base = dict(density=0.9, thickness=0.09, overhang=0.1, grey=0.0)
    base.update(kw)
    return FacialHair(kind=kind, **base)


def _changed(p, hair):
    bare = render_face(p, WHITE)
    worn = render_face(p, WHITE, facial_hair=hair)
    np.testing.assert_array_equal(bare.landmarks, worn.landmarks)
    np.testing.assert_array_equal(bare.bbox, worn.bbox)
    assert bare.attributes == worn.attributes
    diff = np.abs(worn.image.astype(int) - bare.image.astype(int)).sum(2)
    return diff > 30, bare.landmarks


def _at(changed, pt):
    x, y = np.round(pt).astype(int)
    return bool(changed[y - 1:y + 2, x - 1:x + 2].any())


def test_sampled_facial_hair_in_its_ranges():
    hairs = [sample_facial_hair(np.random.default_rng(i)) for i in range(300)]
    arr = np.array([[h.density, h.thickness, h.overhang, h.grey]
                    for h in hairs])
    lo, hi = [0.35, 0.05, 0.0, 0.0], [0.95, 0.12, 0.15, 0.6]
    assert (arr >= lo).all() and (arr <= hi).all()
    assert (arr.max(0) - arr.min(0) > 0.8 * (np.array(hi) - lo)).all()
    assert {h.kind for h in hairs} == set(FACIAL_HAIR_KINDS)


@pytest.mark.parametrize('i', range(2))
def test_each_kind_grows_where_it_should(i):
    """A moustache covers the top of the upper lip, not the chin; a goatee
    also the chin; a beard the lower jaw line, beyond the outline, while
    the eyes never change."""
    p = _params(i)
    down = np.array([0.0, 1.0]) * 0.05 * p.pose.scale
    for kind in FACIAL_HAIR_KINDS:
        changed, lm = _changed(p, _hair(kind))
        assert not changed[:int(lm[60:76, 1].max()) + 2].any(), kind
        above_lip = lm[79] - down
        if kind != 'stubble':
            assert _at(changed, above_lip), kind
        assert _at(changed, lm[16] - 3 * down) == (kind != 'moustache'), \
            kind
        out = lm[8] - lm[[57, 16]].mean(0)
        beyond_jaw = lm[8] + out / np.linalg.norm(out) * 0.07 * p.pose.scale
        assert _at(changed, beyond_jaw) == (kind == 'beard'), kind


def test_stubble_stays_on_the_skin():
    p = _params(0)
    skin = cv2.dilate(render_face(p).face_mask.astype(np.uint8),
                      np.ones((3, 3), np.uint8)) > 0  # its soft edge
    changed, _ = _changed(p, _hair('stubble'))
    assert changed.sum() > 50
    assert not (changed & ~skin).any()
