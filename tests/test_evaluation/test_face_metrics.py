"""Hand-computed cases for awing_mmpose.evaluation.functional.face_metrics."""
import numpy as np
import pytest

from awing_mmpose.evaluation.functional import (
    auc_from_ced, bbox_normaliser, ced_auc, ced_curve, default_norm_indices,
    failure_rate, format_table, keypoint_normaliser, per_image_nme,
    summarise_nmes)


def _wflw_gt(n=1):
    """(n, 98, 2) integer coordinates; eye corners 60/72 are 30 px apart,
    pupils 96/97 are 25 px apart."""
    rng = np.random.default_rng(0)
    gt = rng.integers(0, 200, size=(n, 98, 2)).astype(np.float64)
    gt[:, 60] = [50, 80]
    gt[:, 72] = [80, 80]
    gt[:, 96] = [55, 90]
    gt[:, 97] = [70, 110]  # (15, 20) -> 25
    return gt


def _ibug68_gt():
    """68 points: eye contours centred at (10, 20) and (50, 20), outer
    corners 36 at (0, 20) and 45 at (60, 20)."""
    gt = np.zeros((1, 68, 2))
    gt[0, :, 0] = np.arange(68) * 3.0
    gt[0, :, 1] = 100.0
    hexagon = np.array([[-10, 0], [-5, -4], [5, -4], [10, 0], [5, 4],
                        [-5, 4]], dtype=np.float64)  # centroid (0, 0)
    gt[0, 36:42] = hexagon + [10, 20]  # 36 = (0, 20), 39 = (20, 20)
    # right eye listed from its inner corner 42 to its outer corner 45
    gt[0, 42:48] = hexagon + [50, 20]  # 42 = (40, 20), 45 = (60, 20)
    return gt


def test_perfect_prediction():
    gt = _wflw_gt(3)
    d = keypoint_normaliser(gt, default_norm_indices('wflw', 'inter_ocular'))
    np.testing.assert_allclose(d, 30.0)
    nmes = per_image_nme(gt.copy(), gt, None, d)
    np.testing.assert_array_equal(nmes, 0.0)
    assert failure_rate(nmes, 0.1) == 0.0
    assert ced_auc(nmes, 0.1) == pytest.approx(1.0, abs=1e-12)
    s = summarise_nmes(nmes)
    assert s == {'NME': 0.0, 'FR@0.1': 0.0, 'AUC@0.1': pytest.approx(1.0),
                 'num': 3}


def test_known_offset_and_tie_at_threshold():
    gt = _wflw_gt(1)
    d = keypoint_normaliser(gt, ([60], [72]))
    # every point 3 px off (3-4-5 triangle scaled: (1.8, 2.4)) -> 3 / 30
    nme = per_image_nme(gt + [1.8, 2.4], gt, np.ones((1, 98)), d)
    np.testing.assert_allclose(nme, [0.1], rtol=1e-12)
    # exactly (3, 0) on integer coordinates: NME == 0.1 bit for bit: a tie,
    # which is not a failure
    nme = per_image_nme(gt + [3.0, 0.0], gt, None, d)
    assert nme[0] == 0.1
    assert failure_rate(nme, 0.1) == 0.0
    # a hair more is a failure
    nme = per_image_nme(gt + [3.0 + 1e-9, 0.0], gt, None, d)
    assert failure_rate(nme, 0.1) == 1.0


def test_failure_rate_counts():
    nmes = np.array([0.01, 0.1, 0.1000001, 0.5, 0.08])
    assert failure_rate(nmes, 0.1) == pytest.approx(2 / 5)
    assert failure_rate(nmes, 0.08) == pytest.approx(3 / 5)
    assert np.isnan(failure_rate(np.array([]), 0.1))


def test_auc_hand_built_ced():
    # CED 0 at x=0, 1 from x=0.05 on, linear in between on this coarse grid
    assert auc_from_ced([0.0, 0.05, 0.1], [0.0, 1.0, 1.0], 0.1) == \
        pytest.approx(0.75)
    # everybody exactly at thr / 2 -> AUC 0.5 (to the grid step)
    assert ced_auc(np.full(7, 0.05), 0.1) == pytest.approx(0.5, abs=1e-3)
    # closed form for a step CED: mean(max(t - e, 0)) / t
    nmes = np.array([0.0, 0.02, 0.05, 0.2])
    exact = (0.1 + 0.08 + 0.05 + 0.0) / 4 / 0.1  # 0.575
    assert ced_auc(nmes, 0.1, 1e-4) == pytest.approx(exact, abs=1e-3)
    rng = np.random.default_rng(1)
    nmes = rng.uniform(0, 0.15, size=500)
    exact = np.maximum(0.1 - nmes, 0).mean() / 0.1
    assert ced_auc(nmes, 0.1) == pytest.approx(exact, abs=1e-3)
    # all failures -> 0
    assert ced_auc(np.array([0.3, 0.2]), 0.1) == 0.0


def test_ced_curve_grid():
    xs, ys = ced_curve(np.array([0.0, 0.05]), 0.1, 1e-4)
    assert xs.shape == ys.shape == (1001, )
    assert xs[0] == 0.0 and xs[-1] == pytest.approx(0.1)
    assert ys[0] == 0.5 and ys[-1] == 1.0
    assert np.all(np.diff(ys) >= 0)
    # "<=": the curve includes an image at its own NME
    assert ys[500] == 1.0  # x = 0.05


def test_norm_modes_wflw_and_bbox():
    gt = _wflw_gt(1)
    io = keypoint_normaliser(gt, default_norm_indices('WFLW', 'inter_ocular'))
    ip = keypoint_normaliser(gt, default_norm_indices('wflw', 'inter_pupil'))
    np.testing.assert_allclose(io, [30.0])
    np.testing.assert_allclose(ip, [25.0])
    boxes = np.array([[10, 20, 40, 60], [0, 0, 20, 80]], dtype=np.float64)
    np.testing.assert_allclose(bbox_normaliser(boxes, 'bbox_diagonal'),
                               [50.0, np.hypot(20, 80)])
    np.testing.assert_allclose(bbox_normaliser(boxes, 'bbox_size'),
                               [np.sqrt(1200.0), 40.0])
    with pytest.raises(ValueError, match='bbox'):
        bbox_normaliser(boxes, 'bbox_max')


def test_norm_modes_68_points():
    gt = _ibug68_gt()
    io = keypoint_normaliser(gt, default_norm_indices('300w', 'inter_ocular'))
    ip = keypoint_normaliser(gt, default_norm_indices('300w', 'inter_pupil'))
    np.testing.assert_allclose(io, [60.0])
    # distance of the eye-contour centres (10, 20) and (50, 20)
    np.testing.assert_allclose(ip, [40.0])
    # same layout under MMPose's other 68-point names
    assert default_norm_indices('coco_wholebody_face', 'inter_pupil') == \
        default_norm_indices('300w', 'inter_pupil')


def test_norm_modes_cofw_and_override():
    assert default_norm_indices('cofw', 'inter_pupil') == ([16], [17])
    assert default_norm_indices('cofw', 'inter_ocular') == ([8], [9])
    gt = np.zeros((2, 29, 2))
    gt[:, 16] = [0, 0]
    gt[:, 17] = [6, 8]
    np.testing.assert_allclose(
        keypoint_normaliser(gt, default_norm_indices('cofw', 'inter_pupil')),
        [10.0, 10.0])
    # explicit groups: mean of {0, 1} vs mean of {2}
    gt[:, 0] = [0, 0]
    gt[:, 1] = [2, 0]
    gt[:, 2] = [1, 7]
    np.testing.assert_allclose(keypoint_normaliser(gt, ([0, 1], [2])),
                               [7.0, 7.0])
    with pytest.raises(IndexError, match='out of range'):
        keypoint_normaliser(gt, ([0], [29]))


def test_unknown_dataset_names_it():
    with pytest.raises(KeyError, match='ap10k'):
        default_norm_indices('ap10k', 'inter_ocular')
    with pytest.raises(KeyError, match='None'):
        default_norm_indices(None, 'inter_pupil')


def test_invisible_points_excluded():
    gt = np.zeros((1, 3, 2))
    gt[0, 1] = [30, 0]
    pred = gt.copy()
    pred[0, 0] += [3, 0]
    pred[0, 1] += [0, 3]
    pred[0, 2] += [100, 100]  # invisible: ignored
    vis = np.array([[1.0, 2.0, 0.0]])[..., None]  # (N, K, 1) accepted too
    nme = per_image_nme(pred, gt, vis, np.array([30.0]))
    np.testing.assert_allclose(nme, [0.1])
    # an invisible NaN ground truth (e.g. unannotated) is fine too
    gt2 = gt.copy()
    gt2[0, 2] = np.nan
    np.testing.assert_allclose(
        per_image_nme(pred, gt2, vis, np.array([30.0])), [0.1])


def test_errors_name_the_image():
    gt = np.zeros((2, 3, 2))
    gt[:, 1] = [30, 0]
    d = np.array([30.0, 0.0])
    with pytest.raises(ValueError, match='b.jpg.*finite and > 0'):
        per_image_nme(gt, gt, None, d, names=['a.jpg', 'b.jpg'])
    pred = gt.copy()
    pred[1, 2, 0] = np.nan
    with pytest.raises(ValueError, match=r'NaN.*b\.jpg.*\[2\]'):
        per_image_nme(pred, gt, None, np.array([30.0, 30.0]),
                      names=['a.jpg', 'b.jpg'])
    with pytest.raises(ValueError, match='a.jpg.*no visible'):
        per_image_nme(gt, gt, np.zeros((2, 3)), np.array([30.0, 30.0]),
                      names=['a.jpg', 'b.jpg'])
    with pytest.raises(ValueError, match='normaliser of image #0'):
        per_image_nme(gt, gt, None, np.array([np.inf, 1.0]))


def test_format_table_parses():
    summ = {
        'full': summarise_nmes(np.array([0.0436, 0.2]), (0.1, 0.08)),
        'pose': summarise_nmes(np.array([0.2]), (0.1, 0.08)),
        'blur': summarise_nmes(np.array([]), (0.1, 0.08)),
    }
    text = format_table(summ, (0.1, 0.08), title='t')
    lines = text.splitlines()
    assert lines[0] == 't'
    rows = {ln.split()[0]: ln.split()[1:] for ln in lines[1:]}
    assert rows['metric'] == ['full', 'pose', 'blur']
    assert rows['NME(%)'] == ['12.18', '20.00', 'nan']
    assert rows['FR@0.1(%)'] == ['50.00', '100.00', 'nan']
    assert rows['FR@0.08(%)'][0] == '50.00'
    assert float(rows['AUC@0.1'][0]) == pytest.approx(
        (0.1 - 0.0436) / 2 / 0.1, abs=1e-3)
    assert rows['AUC@0.1'][1] == '0.0000'
    assert rows['#images'] == ['2', '1', '0']
