"""Clear eyeglasses (:class:`Eyeglasses`): rims round the eyes that hide
nothing; the landmarks do not change."""
from dataclasses import replace

import cv2
import numpy as np
import pytest

from awing_mmpose.synthetic import render_face, sample_face_params
from awing_mmpose.synthetic.eyeglasses import (RIM_COLOURS, Eyeglasses,
                                               lens_outlines,
                                               sample_eyeglasses)
from awing_mmpose.synthetic.renderer import _frame

S = 160


def _glasses(**kw):
    base = dict(width=1.5, height=0.2, squareness=3.0, drop=0.1, rim=0.03,
                colour=(20.0, 20.0, 24.0), tint=0.0, glare=0.0)
    base.update(kw)
    return Eyeglasses(**base)


def _params(i, **attributes):
    flags = dict(occlusion=False, blur=False)
    flags.update(attributes)
    p = sample_face_params(np.random.default_rng([12, i]), S,
                           attributes=flags)
    return replace(p, noise_sigma=0.0)


def test_sampled_glasses_in_their_ranges():
    pairs = [sample_eyeglasses(np.random.default_rng(i)) for i in range(300)]
    arr = np.array([[g.width, g.height, g.squareness, g.drop, g.rim, g.tint,
                     g.glare] for g in pairs])
    lo = [1.35, 0.15, 2.0, 0.0, 0.006, 0.0, 0.0]
    hi = [1.75, 0.25, 5.0, 0.35, 0.035, 0.25, 0.45]
    assert (arr >= lo).all() and (arr <= hi).all()
    assert (arr.max(0) - arr.min(0) > 0.8 * (np.array(hi) - lo)).all()
    colours = {g.colour for g in pairs}
    assert colours == {tuple(float(v) for v in c) for c in RIM_COLOURS}


@pytest.mark.parametrize('i', range(4))
def test_lenses_hold_the_eyes(i):
    """Each lens surrounds both corners and the pupil of its eye, in any
    pose (pose flag on for odd faces)."""
    frame = _frame(_params(i, pose=bool(i % 2)))
    for g in (_glasses(), _glasses(width=1.35, squareness=2.0, drop=0.35,
                                   height=0.15)):
        lenses = lens_outlines(frame, g)
        for lens, (ring0, ring4, pupil) in zip(lenses, [(60, 64, 96),
                                                        (68, 72, 97)]):
            poly = lens.astype(np.float32).reshape(-1, 1, 2)
            for k in (ring0, ring4, pupil):
                x, y = frame.landmarks[k]
                assert cv2.pointPolygonTest(poly, (float(x), float(y)),
                                            False) > 0, (i, k)


@pytest.mark.parametrize('i', range(3))
def test_rims_drawn_round_the_eyes_only(i):
    """The rims darken the picture on the lens outline; nothing below the
    mouth changes, and the landmarks, box and flags stay the same."""
    p = _params(i, illumination=False)
    bare = render_face(p)
    worn = render_face(p, glasses=_glasses())
    np.testing.assert_array_equal(bare.landmarks, worn.landmarks)
    np.testing.assert_array_equal(bare.bbox, worn.bbox)
    assert bare.attributes == worn.attributes
    diff = np.abs(worn.image.astype(int) - bare.image.astype(int)).sum(2)
    below = int(bare.landmarks[76:96, 1].max()) + 3
    assert diff[below:].max() == 0
    rim = np.zeros((S, S), np.uint8)
    for lens in lens_outlines(_frame(p), _glasses()):
        cv2.polylines(rim, [np.round(lens).astype(np.int32)], True, 1, 1)
    on_rim = rim > 0
    assert worn.image[on_rim].mean() < bare.image[on_rim].mean() - 25


def test_eyes_stay_visible_through_clear_lenses():
    """Unlike sunglasses, clear lenses keep the eye's contrast: the eye
    region changes by at most the tint."""
    p = _params(0, illumination=False)
    bare = render_face(p)
    worn = render_face(p, glasses=_glasses(tint=0.1, rim=0.01, drop=0.0))
    eye = bare.landmarks[60:68]
    x0, y0 = np.floor(eye.min(0)).astype(int) + 1
    x1, y1 = np.ceil(eye.max(0)).astype(int) - 1
    a = bare.image[y0:y1, x0:x1].astype(float)
    b = worn.image[y0:y1, x0:x1].astype(float)
    assert np.abs(a - b).max() <= 0.1 * 255 + 2
    assert b.std() > 0.8 * a.std()
