"""The figures of tools/analysis/eval_real_faces.py on hand-built faces
whose NME, FR, AUC, per-part NME and similarity-aligned error are known in
closed form (awing_mmpose/evaluation/functional/real_face_metrics.py), and
the committed records of that tool recomputed from their labels and
predictions."""
import glob
import json
import os.path as osp

import numpy as np
import pytest

from awing_mmpose.evaluation.functional import (PARTS_68,
                                                default_norm_indices,
                                                jaw_width,
                                                keypoint_normaliser,
                                                score_faces)

ROT_DEG, SCALE = 10.0, 1.2


def labels68():
    """68 distinct points on the integer grid; the outer eye corners (36,
    45) are 100 px apart, so the inter-ocular normaliser is exactly 100."""
    rng = np.random.default_rng(0)
    pts = rng.permutation(400)[:68]
    pts = np.stack([100. + pts % 20 * 10, 100. + pts // 20 * 10], axis=1)
    pts[36], pts[45] = (150., 200.), (250., 200.)
    assert len({tuple(p) for p in pts}) == 68
    return pts


def faces():
    """Three labelled faces (the same shape) and their predictions:

    * A: contour moved by (6, 8) = 10 px, brows by 5 px, eyes by 5 px, nose
      and mouth exact;
    * B: every point moved down by 20 px;
    * C: turned by 10 degrees and 1.2 x larger about the centroid, so each
      point moves by |1.2 e^{i 10 deg} - 1| times its distance to the
      centroid.
    """
    g = labels68()
    a = g.copy()
    a[PARTS_68['contour']] += (6., 8.)
    a[PARTS_68['brows']] += (0., 5.)
    a[PARTS_68['eyes']] += (3., -4.)
    b = g + (0., 20.)
    t = np.deg2rad(ROT_DEG)
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    c0 = g.mean(0)
    c = c0 + SCALE * (g - c0) @ rot.T
    return np.stack([a, b, c]), np.stack([g, g, g])


def test_known_nme_fr_auc_parts_and_alignment():
    pred, gt = faces()
    d = keypoint_normaliser(gt, default_norm_indices('300w', 'inter_ocular'))
    np.testing.assert_array_equal(d, [100., 100., 100.])
    out = score_faces(pred, gt, d, thr=0.1)

    move = abs(SCALE * np.exp(1j * np.deg2rad(ROT_DEG)) - 1)
    radius = np.linalg.norm(gt[0] - gt[0].mean(0), axis=1)  # (68, )
    nme_a = (17 * 10 + 10 * 5 + 12 * 5) / 68 / 100
    nme_c = move * radius.mean() / 100
    assert nme_c > 0.1  # C fails at 0.1, as B does; A passes
    np.testing.assert_allclose(out['nmes'], [nme_a, 0.2, nme_c], rtol=1e-12)
    s = out['summary']
    assert s['num'] == 3
    assert s['NME'] == pytest.approx((nme_a + 0.2 + nme_c) / 3, rel=1e-12)
    assert s['FR@0.1'] == pytest.approx(2 / 3)
    # AUC@0.1 of a step-shaped CED: mean(max(0.1 - NME_i, 0)) / 0.1, to
    # within the integration grid (step 1e-4 / thr 0.1)
    assert s['AUC@0.1'] == pytest.approx((0.1 - nme_a) / 0.1 / 3, abs=1e-3)

    part_a = dict(contour=0.1, brows=0.05, nose=0., eyes=0.05, mouth=0.)
    assert set(out['parts']) == set(part_a)
    for part, idx in PARTS_68.items():
        expect = (part_a[part] + 0.2 + move * radius[idx].mean() / 100) / 3
        assert out['parts'][part] == pytest.approx(expect, rel=1e-12), part

    # B is a shift, C a similarity: both align back exactly; the rotation
    # and scale that take C's prediction onto its labels undo C's
    (al_b, rot_b, sc_b), (al_c, rot_c, sc_c) = out['aligned'][1:]
    assert al_b == pytest.approx(0, abs=1e-12) and al_c == pytest.approx(
        0, abs=1e-12)
    assert rot_b == pytest.approx(0, abs=1e-9) and sc_b == pytest.approx(1)
    assert rot_c == pytest.approx(-ROT_DEG) and sc_c == pytest.approx(
        1 / SCALE)
    # A is not a similarity of its labels: what is left equals the
    # residual of the linear least-squares fit x' = a x - b y + t_x,
    # y' = b x + a y + t_y (rotation atan2(b, a), scale hypot(a, b))
    p, g = pred[0], gt[0]
    rows = np.concatenate([
        np.stack([p[:, 0], -p[:, 1], np.ones(68), np.zeros(68)], 1),
        np.stack([p[:, 1], p[:, 0], np.zeros(68), np.ones(68)], 1)])
    (ca, cb, tx, ty), *_ = np.linalg.lstsq(
        rows, np.concatenate([g[:, 0], g[:, 1]]), rcond=None)
    fit = np.stack([ca * p[:, 0] - cb * p[:, 1] + tx,
                    cb * p[:, 0] + ca * p[:, 1] + ty], 1)
    al_a, rot_a, sc_a = out['aligned'][0]
    assert al_a > 0.01
    assert al_a == pytest.approx(
        np.linalg.norm(fit - g, axis=1).mean() / 100, rel=1e-9)
    assert rot_a == pytest.approx(np.degrees(np.arctan2(cb, ca)), abs=1e-9)
    assert sc_a == pytest.approx(np.hypot(ca, cb), rel=1e-9)
    assert out['aligned_nme'] == pytest.approx(al_a / 3)

    # jaw widths: labels per face; A and B move the jaw and each eye
    # rigidly, so their predicted jaws are the labels'
    jaw = jaw_width(gt[:1])[0]
    np.testing.assert_allclose(out['jaws'][:, 0], [jaw] * 3)
    np.testing.assert_allclose(out['jaws'][:2, 1], [jaw] * 2)


def test_98_points_have_no_parts_or_jaws():
    rng = np.random.default_rng(1)
    gt = rng.uniform(0, 100, (2, 98, 2))
    out = score_faces(gt + 1., gt, np.full(2, 50.))
    np.testing.assert_allclose(out['nmes'], np.sqrt(2) / 50)
    assert out['parts'] == {} and out['jaws'] is None


REAL_FACE_RECORDS = sorted(glob.glob(osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'docs',
    'records', 'real_faces', '*.json')))


@pytest.mark.parametrize('path', REAL_FACE_RECORDS,
                         ids=[osp.basename(p) for p in REAL_FACE_RECORDS])
def test_committed_real_face_records_recompute(path):
    """Each figure of a committed eval_real_faces record follows from the
    labels and predictions it stores (inter-ocular normaliser)."""
    with open(path) as f:
        res = json.load(f)['results']
    faces = res['faces']
    gt = np.array([f['labels'] for f in faces])
    pred = np.array([f['predictions'] for f in faces])
    d = keypoint_normaliser(gt, default_norm_indices('300w', 'inter_ocular'))
    out = score_faces(pred, gt, d)
    assert res['num_faces'] == out['summary']['num'] == len(faces)
    for key in ('NME', 'FR@0.1', 'AUC@0.1'):
        assert res[key] == pytest.approx(out['summary'][key], rel=1e-9)
    assert res['aligned_NME'] == pytest.approx(out['aligned_nme'], rel=1e-9)
    assert res['parts_NME'] == pytest.approx(out['parts'], rel=1e-9)
    for face, nme, (al, rot, scale), jaw in zip(faces, out['nmes'],
                                                out['aligned'], out['jaws']):
        assert face['nme'] == pytest.approx(nme, rel=1e-9)
        assert (face['aligned_nme'], face['aligned_rotation_deg'],
                face['aligned_scale']) == pytest.approx((al, rot, scale),
                                                        rel=1e-9, abs=1e-9)
        assert (face['jaw_width_labels'], face['jaw_width_predicted']) == \
            pytest.approx(tuple(jaw), rel=1e-9)
