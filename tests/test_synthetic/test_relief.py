"""The face's relief (:class:`Relief`): folds, cheekbones and creases drawn
inside the face only; the landmarks do not change."""
from dataclasses import replace

import numpy as np
import pytest

from awing_mmpose.synthetic import render_face, sample_face_params
from awing_mmpose.synthetic.relief import Relief, sample_relief

S = 160
STRONG = Relief(folds=0.5, fold_length=0.6, cheekbone=0.4, eye_bags=0.4,
                chin_crease=0.35)


def _params(i, **attributes):
    flags = dict(occlusion=False, blur=False)
    flags.update(attributes)
    p = sample_face_params(np.random.default_rng([13, i]), S,
                           attributes=flags)
    return replace(p, noise_sigma=0.0)


def test_sampled_relief_in_its_ranges():
    reliefs = [sample_relief(np.random.default_rng(i)) for i in range(300)]
    arr = np.array([[r.folds, r.fold_length, r.cheekbone, r.eye_bags,
                     r.chin_crease] for r in reliefs])
    lo = [0.1, 0.1, 0.1, 0.0, 0.0]
    hi = [0.5, 0.8, 0.4, 0.4, 0.35]
    assert (arr >= lo).all() and (arr <= hi).all()
    assert (arr.max(0) - arr.min(0) > 0.8 * (np.array(hi) - lo)).all()


@pytest.mark.parametrize('i', range(3))
def test_relief_stays_inside_the_face(i):
    """Only pixels of the face change (up to its soft edge); landmarks, box
    and flags stay the same, and the inside of the face does change."""
    p = _params(i, pose=bool(i % 2))
    flat = render_face(p)
    marked = render_face(p, relief=STRONG)
    np.testing.assert_array_equal(flat.landmarks, marked.landmarks)
    np.testing.assert_array_equal(flat.bbox, marked.bbox)
    assert flat.attributes == marked.attributes
    diff = np.abs(marked.image.astype(int) - flat.image.astype(int)).sum(2)
    grown = np.zeros_like(flat.face_mask)
    ys, xs = np.nonzero(flat.face_mask)
    for dy in range(-2, 3):
        for dx in range(-2, 3):
            grown[np.clip(ys + dy, 0, S - 1), np.clip(xs + dx, 0, S - 1)] = 1
    assert diff[~grown].max() == 0
    assert (diff[flat.face_mask] > 6).mean() > 0.05


def test_folds_darken_beside_the_mouth_corners():
    """Just outside each mouth corner (where the fold passes) the face gets
    darker; the middle of the forehead does not change."""
    p = _params(0, pose=False, illumination=False)
    flat = render_face(p).image.astype(float)
    folded = render_face(p, relief=Relief(0.5, 0.6, 0.0, 0.0, 0.0)).image
    lm = render_face(p).landmarks
    sc = p.pose.scale
    for corner, side in ((76, -1), (82, 1)):
        x = int(round(lm[corner, 0] + side * 0.14 * sc))
        y = int(round(lm[corner, 1] - 0.12 * sc))
        patch = (slice(y - 2, y + 3), slice(x - 2, x + 3))
        ratio = folded[patch].mean(2) / flat[patch].mean(2)
        assert ratio.min() < 0.92
    brow_mid = lm[[33, 46]].mean(0) - [0, 0.2 * sc]
    x, y = np.round(brow_mid).astype(int)
    np.testing.assert_array_equal(folded[y, x], flat[y, x])
