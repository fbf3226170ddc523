"""FaceAlignmentMetric on hand-built MMPose top-down data samples."""
import csv
import math

import numpy as np
import pytest

from awing_mmpose.evaluation.metrics import FaceAlignmentMetric
from awing_mmpose.registry import METRICS

K = 98


def _gt(k=K):
    gt = np.zeros((1, k, 2))
    gt[0, :, 0] = np.arange(k) % 20 * 5.0 + 10
    gt[0, :, 1] = np.arange(k) // 20 * 7.0 + 10
    if k == 98:
        gt[0, 60] = [40, 50]
        gt[0, 72] = [70, 50]  # inter-ocular 30
        gt[0, 96] = [50, 52]
        gt[0, 97] = [62, 57]  # inter-pupil 13
    return gt


def _sample(i, offset=(0.0, 0.0), subsets=None, k=K, vis=None, bbox=None,
            gt=None):
    gt = _gt(k) if gt is None else gt
    pred = gt + np.asarray(offset, dtype=np.float64)
    raw = {'id': i}
    if subsets is not None:
        raw['subsets'] = list(subsets)
    return dict(
        id=i,
        img_id=i,
        img_path=f'/data/img_{i}.jpg',
        raw_ann_info=raw,
        pred_instances=dict(keypoints=pred, keypoint_scores=np.ones((1, k))),
        gt_instances=dict(
            keypoints=gt,
            keypoints_visible=np.ones((1, k)) if vis is None else vis,
            bboxes=np.array([[0, 0, 30, 40]], dtype=np.float64)
            if bbox is None else bbox))


def _run(metric, samples, meta=None):
    metric.dataset_meta = meta or dict(dataset_name='wflw')
    metric.process({}, samples)
    return metric.evaluate(len(samples))


def test_build_from_registry():
    m = METRICS.build(dict(type='awing_mmpose.FaceAlignmentMetric'))
    assert isinstance(m, FaceAlignmentMetric)
    from mmpose.registry import METRICS as MMPOSE_METRICS
    m = MMPOSE_METRICS.build(
        dict(type='awing_mmpose.FaceAlignmentMetric', fr_thr=(0.1, 0.08)))
    assert m.fr_thrs == [0.1, 0.08]
    # MMPose's own names are not shadowed
    assert 'FaceAlignmentMetric' not in MMPOSE_METRICS.module_dict


def test_perfect_offset_tie_and_failure():
    m = FaceAlignmentMetric(fr_thr=(0.1, 0.08))
    res = _run(m, [_sample(0)])
    assert res['NME'] == 0.0 and res['FR@0.1'] == 0.0
    assert res['AUC@0.1'] == pytest.approx(1.0)
    assert res['AUC@0.08'] == pytest.approx(1.0)

    m = FaceAlignmentMetric()
    # 3 px (3-4-5) everywhere, inter-ocular 30 -> NME 0.1
    res = _run(m, [_sample(0, (1.8, 2.4))])
    assert res['NME'] == pytest.approx(0.1)
    # exact tie: integer coordinates shifted by exactly 3 px
    m = FaceAlignmentMetric()
    res = _run(m, [_sample(0, (3.0, 0.0)), _sample(1, (0.0, 0.0)),
                   _sample(2, (0.0, 3.3)), _sample(3, (0.0, 1.5))])
    # NMEs 0.1 (tie, passes), 0, 0.11 (fails), 0.05
    assert res['NME'] == pytest.approx((0.1 + 0 + 0.11 + 0.05) / 4)
    assert res['FR@0.1'] == pytest.approx(0.25)
    # AUC closed form mean(max(0.1 - e, 0)) / 0.1 = (0 + .1 + 0 + .05)/4/.1
    assert res['AUC@0.1'] == pytest.approx(0.375, abs=1e-3)
    assert set(res) == {'NME', 'FR@0.1', 'AUC@0.1'}


@pytest.mark.parametrize('mode,kwargs,expected_d', [
    ('inter_ocular', {}, 30.0),
    ('inter_pupil', {}, 13.0),
    ('bbox_diagonal', {}, 50.0),
    ('bbox_size', {}, math.sqrt(1200.0)),
    ('inter_ocular', dict(norm_indices=([60, 96], [72, 97])),
     math.hypot((70 + 62) / 2 - (40 + 50) / 2, (50 + 57) / 2 - (50 + 52) / 2)),
])
def test_norm_modes(mode, kwargs, expected_d):
    m = FaceAlignmentMetric(norm_mode=mode, **kwargs)
    res = _run(m, [_sample(0, (3.0, 0.0))])
    assert res['NME'] == pytest.approx(3.0 / expected_d)


def test_inter_pupil_68_points():
    gt = np.zeros((1, 68, 2))
    gt[0, :, 0] = np.arange(68) * 2.0
    gt[0, :, 1] = 90.0
    hexagon = np.array([[-10, 0], [-5, -4], [5, -4], [10, 0], [5, 4],
                        [-5, 4]], dtype=np.float64)
    gt[0, 36:42] = hexagon + [10, 20]
    gt[0, 42:48] = hexagon + [50, 20]
    m = FaceAlignmentMetric(norm_mode='inter_pupil')
    res = _run(m, [_sample(0, (4.0, 0.0), k=68, gt=gt)],
               meta=dict(dataset_name='300w'))
    assert res['NME'] == pytest.approx(4.0 / 40.0)
    m = FaceAlignmentMetric(norm_mode='inter_ocular')
    res = _run(m, [_sample(0, (4.0, 0.0), k=68, gt=gt)],
               meta=dict(dataset_name='300w'))
    assert res['NME'] == pytest.approx(4.0 / 60.0)


def test_cofw_inter_pupil():
    gt = _gt(29)
    gt[0, 16] = [40, 40]
    gt[0, 17] = [46, 48]  # 10 px
    m = FaceAlignmentMetric(norm_mode='inter_pupil')
    res = _run(m, [_sample(0, (0.0, 0.5), k=29, gt=gt)],
               meta=dict(dataset_name='cofw'))
    assert res['NME'] == pytest.approx(0.05)


def test_invisible_points_excluded():
    s = _sample(0, (3.0, 0.0))
    pred = s['pred_instances']['keypoints']
    pred[0, 5] += [500, 500]
    vis = np.ones((1, K, 1))
    vis[0, 5] = 0
    s['gt_instances']['keypoints_visible'] = vis
    res = _run(FaceAlignmentMetric(), [s])
    assert res['NME'] == pytest.approx(0.1)


def test_per_subset_grouping_and_order():
    samples = [
        _sample(0, (0.0, 0.0), ['pose', 'blur']),
        _sample(1, (3.0, 0.0), ['blur']),
        _sample(2, (6.0, 0.0), ['pose']),
        _sample(3, (1.5, 0.0), []),
        _sample(4, (1.5, 0.0), None),  # no `subsets` key at all
    ]
    res = _run(FaceAlignmentMetric(), samples)
    keys = list(res)
    assert keys[:3] == ['NME', 'FR@0.1', 'AUC@0.1']
    assert keys[3:] == ['pose/NME', 'pose/FR@0.1', 'pose/AUC@0.1',
                        'blur/NME', 'blur/FR@0.1', 'blur/AUC@0.1']
    assert res['NME'] == pytest.approx((0 + .1 + .2 + .05 + .05) / 5)
    assert res['FR@0.1'] == pytest.approx(1 / 5)
    assert res['pose/NME'] == pytest.approx(0.1)
    assert res['pose/FR@0.1'] == pytest.approx(0.5)
    assert res['pose/AUC@0.1'] == pytest.approx(0.5, abs=1e-3)
    assert res['blur/NME'] == pytest.approx(0.05)
    assert res['blur/FR@0.1'] == 0.0
    assert res['blur/AUC@0.1'] == pytest.approx(0.5, abs=1e-3)

    # configured subsets: order kept, unseen subset reported as NaN
    m = FaceAlignmentMetric(subsets=['blur', 'makeup'])
    res = _run(m, [_sample(i, (0.0, 0.0), ['pose', 'blur']) for i in range(2)])
    assert 'pose/NME' not in res
    assert res['blur/NME'] == 0.0
    assert math.isnan(res['makeup/NME'])


def test_prefix_and_data_elements():
    """Real PoseDataSample -> to_dict(), as MMEngine's Evaluator passes."""
    from mmengine.structures import InstanceData
    from mmpose.structures import PoseDataSample
    s = _sample(7, (3.0, 0.0), ['common'])
    ds = PoseDataSample(metainfo=dict(
        id=7, img_path=s['img_path'], raw_ann_info=s['raw_ann_info']))
    ds.gt_instances = InstanceData(**s['gt_instances'])
    ds.pred_instances = InstanceData(**s['pred_instances'])
    m = FaceAlignmentMetric(prefix='face')
    res = _run(m, [ds.to_dict()])
    assert res['face/NME'] == pytest.approx(0.1)
    assert res['face/common/NME'] == pytest.approx(0.1)
    # the kept per-sample record is small
    m2 = FaceAlignmentMetric()
    m2.dataset_meta = dict(dataset_name='wflw')
    m2.process({}, [ds.to_dict()])
    assert m2.results == [dict(id=7, img_path='/data/img_7.jpg',
                               subsets=['common'], nme=pytest.approx(0.1))]


def test_saved_outputs(tmp_path):
    prefix = str(tmp_path / 'sub' / 'wflw_test')
    samples = [
        _sample(0, (0.0, 0.0), ['pose']),
        _sample(1, (3.0, 0.0), ['pose', 'blur']),
        _sample(2, (6.0, 0.0), []),
    ]
    res = _run(FaceAlignmentMetric(outfile_prefix=prefix), samples)

    with open(prefix + '_nme.csv', newline='') as f:
        rows = list(csv.DictReader(f))
    assert [r['id'] for r in rows] == ['0', '1', '2']
    assert rows[1]['img_path'] == '/data/img_1.jpg'
    assert rows[1]['subsets'] == 'pose;blur'
    np.testing.assert_allclose([float(r['nme']) for r in rows],
                               [0.0, 0.1, 0.2])

    with open(prefix + '_table.txt') as f:
        lines = f.read().splitlines()
    table = {ln.split()[0]: ln.split()[1:] for ln in lines[1:]}
    assert table['metric'] == ['full', 'pose', 'blur']
    assert float(table['NME(%)'][0]) == pytest.approx(res['NME'] * 100,
                                                      abs=5e-3)
    assert table['FR@0.1(%)'] == ['33.33', '0.00', '0.00']
    assert float(table['AUC@0.1'][1]) == pytest.approx(res['pose/AUC@0.1'],
                                                       abs=1e-4)

    with open(prefix + '_ced.png', 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'
    import matplotlib.image as mpimg
    img = mpimg.imread(prefix + '_ced.png')
    assert img.ndim == 3 and img.shape[0] > 100

    # out_dir form
    m = FaceAlignmentMetric(out_dir=str(tmp_path / 'o'))
    _run(m, samples[:1])
    assert (tmp_path / 'o' / 'face_alignment_nme.csv').is_file()
    assert (tmp_path / 'o' / 'face_alignment_ced.png').is_file()
    assert (tmp_path / 'o' / 'face_alignment_table.txt').is_file()


def test_table_is_logged():
    import io
    import logging

    from mmengine.logging import MMLogger
    logger = MMLogger.get_current_instance()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        _run(FaceAlignmentMetric(), [_sample(0, (3.0, 0.0), ['pose'])])
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    text = stream.getvalue()
    assert 'NME(%)' in text and '10.00' in text and 'pose' in text


def test_errors():
    with pytest.raises(KeyError, match='ap10k'):
        _run(FaceAlignmentMetric(), [_sample(0)],
             meta=dict(dataset_name='ap10k'))
    # zero normaliser: both eye corners on the same spot
    s = _sample(3)
    s['gt_instances']['keypoints'][0, 72] = [40, 50]
    with pytest.raises(ValueError, match='img_3.jpg.*normaliser|normaliser'
                       '.*img_3.jpg'):
        _run(FaceAlignmentMetric(), [s])
    # degenerate box
    with pytest.raises(ValueError, match='img_4.jpg'):
        _run(FaceAlignmentMetric(norm_mode='bbox_size'),
             [_sample(4, bbox=np.array([[5., 5., 5., 30.]]))])
    # NaN prediction
    s = _sample(5)
    s['pred_instances']['keypoints'][0, 10, 1] = np.nan
    with pytest.raises(ValueError, match=r'NaN.*img_5\.jpg'):
        _run(FaceAlignmentMetric(), [s])
    with pytest.raises(ValueError, match='norm_mode'):
        FaceAlignmentMetric(norm_mode='inter_eye')
    with pytest.raises(ValueError, match='norm_indices'):
        FaceAlignmentMetric(norm_mode='bbox_size', norm_indices=([0], [1]))
    with pytest.raises(IndexError, match='img_6.jpg.*out of range'):
        _run(FaceAlignmentMetric(norm_indices=([0], [120])), [_sample(6)])
