"""The offline face detector and MMPose's face default (issue 5)."""
import json
import os.path as osp
import sys

import cv2
import numpy as np
import pytest
import torch

import awing_mmpose  # noqa: F401
from awing_mmpose.apis import face_detector as fd
from awing_mmpose.apis import (OPENCV_FACE_DETECTOR_CFG, OpenCVFaceDetector,
                               restore_mmpose_face_detector,
                               use_offline_face_detector)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(ROOT, 'tools', 'deployment'))
from export_onnx import draw_face  # noqa: E402

DET_CFG = osp.join(ROOT, 'configs', 'detectors', 'opencv_haar_face.py')


def face_scene(size=320, face=160, at=(60, 40)):
    """A grey picture with one drawn face of side ``face`` at ``at``."""
    img = np.full((size, size, 3), 120, np.uint8)
    x, y = at
    img[y:y + face, x:x + face] = cv2.resize(draw_face(256), (face, face))
    return img


@pytest.fixture
def logs(monkeypatch):
    got = []
    monkeypatch.setattr(fd, 'print_log',
                        lambda msg, *a, **k: got.append(str(msg)))
    return got


def test_built_by_mmdet_from_the_package_scope():
    from mmdet.registry import MODELS as MMDET_MODELS
    from mmengine.registry import DefaultScope
    from mmpose.registry import MODELS as MMPOSE_MODELS

    from awing_mmpose.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmdet'):
        det = MMDET_MODELS.build(dict(type='awing_mmpose.OpenCVFaceDetector'))
        # the pose components stay reachable while mmdet is the scope
        loss = MMDET_MODELS.build(dict(type='awing_mmpose.AdaptiveWingLoss'))
    with DefaultScope.overwrite_default_scope('mmpose'):
        MMPOSE_MODELS.build(dict(type='awing_mmpose.OpenCVFaceDetector'))
    assert isinstance(det, OpenCVFaceDetector)
    assert type(loss).__module__.startswith('awing_mmpose')
    assert 'OpenCVFaceDetector' not in MMDET_MODELS.module_dict
    assert fd.DET_MODELS is MODELS


def test_config_file_matches_package_default():
    from mmengine.config import Config
    def plain(x):  # tuples vs lists do not matter
        return json.loads(json.dumps(x))

    cfg = Config.fromfile(DET_CFG)
    assert cfg.default_scope == OPENCV_FACE_DETECTOR_CFG['default_scope']
    assert plain(cfg.model.to_dict()) == \
        plain(OPENCV_FACE_DETECTOR_CFG['model'])
    assert plain(cfg.test_dataloader.to_dict()) == \
        plain(OPENCV_FACE_DETECTOR_CFG['test_dataloader'])
    # DetInferencer needs a visualizer (None -> AttributeError)
    assert plain(cfg.visualizer.to_dict()) == \
        plain(OPENCV_FACE_DETECTOR_CFG['visualizer'])


def test_mmpose_face_default_is_offline_and_restorable():
    from mmpose.apis.inferencers.utils import default_det_models
    entry = default_det_models['face']
    assert entry['model']['model']['type'] == \
        'awing_mmpose.OpenCVFaceDetector'
    assert entry['weights'] is None and tuple(entry['cat_ids']) == (0, )
    restore_mmpose_face_detector()
    try:
        assert 'download.openmmlab.com' in default_det_models['face'][
            'weights']
    finally:
        assert use_offline_face_detector()
    assert default_det_models['face']['weights'] is None
    # other object types untouched
    assert default_det_models['hand']['weights'].startswith('https://')


def test_detects_drawn_face_and_maps_boxes_back(logs):
    det = OpenCVFaceDetector()
    img = face_scene()
    bboxes, scores = det.detect(img)
    assert len(bboxes) >= 1, 'no face found on the drawn face'
    x1, y1, x2, y2 = bboxes[0]
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    assert 60 < cx < 220 and 40 < cy < 200
    assert 0.5 <= scores[0] < 1
    # the same picture 3x larger, detected at <= 400 px and mapped back
    big = cv2.resize(img, None, fx=3, fy=3)
    det_small = OpenCVFaceDetector(max_side=400)
    bb3, _ = det_small.detect(big)
    assert len(bb3) >= 1
    c3 = (bb3[0, :2] + bb3[0, 2:]) / 2
    assert np.allclose(c3 / 3, [cx, cy], atol=12)


def test_forward_returns_det_data_samples(logs):
    from mmdet.structures import DetDataSample
    det = OpenCVFaceDetector()
    face = torch.from_numpy(face_scene().transpose(2, 0, 1).copy())
    blank = torch.full((3, 200, 300), 128, dtype=torch.uint8)
    out = det.test_step(
        dict(inputs=[face, blank],
             data_samples=[DetDataSample(metainfo=dict(img_path='a.jpg')),
                           DetDataSample(metainfo=dict(img_path='b.jpg'))]))
    assert len(out) == 2
    p = out[0].pred_instances
    assert p.bboxes.shape[1] == 4 and p.bboxes.dtype == torch.float32
    assert len(p.bboxes) == len(p.scores) == len(p.labels) >= 1
    assert (p.labels == 0).all()
    assert len(out[1].pred_instances.bboxes) == 0
    assert out[1].pred_instances.bboxes.shape == (0, 4)
    assert any('no face found in b.jpg' in m for m in logs)


def test_det_inferencer_offline(logs):
    from mmdet.apis import DetInferencer
    inf = DetInferencer(model=DET_CFG, weights=None, device='cpu',
                        show_progress=False)
    assert inf.model.dataset_meta['classes'] == ('face', )
    assert inf.visualizer is not None
    res = inf(face_scene(), return_datasamples=True)['predictions'][0]
    assert len(res.pred_instances.bboxes) >= 1
    # drawing works and labels the box 'face'
    vis = inf(face_scene(), return_vis=True,
              no_save_vis=True)['visualization'][0]
    assert vis.shape == (320, 320, 3)


def test_missing_cascade_is_a_clear_error():
    with pytest.raises(FileNotFoundError, match='no_such_cascade.xml'):
        OpenCVFaceDetector(cascade='no_such_cascade.xml')
    with pytest.raises(ValueError, match='scale_factor'):
        OpenCVFaceDetector(scale_factor=1.0)
