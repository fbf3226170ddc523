"""The offline face detectors (MTCNN, Haar), their configs, and MMPose's
defaults left alone (issues 5, 12, 13)."""
import json
import os.path as osp

import cv2
import numpy as np
import pytest
import torch

import awing_mmpose  # noqa: F401
from awing_mmpose.apis import face_detector as fd
from awing_mmpose.apis import (HAAR_FACE_DETECTOR, MTCNN_FACE_DETECTOR,
                               MTCNNFaceDetector, OpenCVFaceDetector,
                               face_detector_config)
from awing_mmpose.deployment import draw_face

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

#: a real photograph: the face of scikit-image's "astronaut" (NASA, public
#: domain), 212 x 212 px; the face box below was checked by eye.
ASTRONAUT = osp.join(ROOT, 'tests', 'data', 'astronaut_face.jpg')
ASTRONAUT_BOX = np.array([60., 52., 152., 162.])


def face_scene(size=320, face=160, at=(60, 40)):
    """A grey picture with one drawn face of side ``face`` at ``at``."""
    img = np.full((size, size, 3), 120, np.uint8)
    x, y = at
    img[y:y + face, x:x + face] = cv2.resize(draw_face(256), (face, face))
    return img


def iou(a, b):
    from awing_mmpose.apis.face_tracker import box_iou
    return float(box_iou(np.asarray(a)[None], np.asarray(b)[None])[0, 0])


@pytest.fixture
def logs(monkeypatch):
    got = []
    monkeypatch.setattr(fd, 'print_log',
                        lambda msg, *a, **k: got.append(str(msg)))
    return got


@pytest.fixture(scope='module')
def mtcnn():
    return MTCNNFaceDetector()


@pytest.mark.parametrize('name', ['MTCNNFaceDetector', 'OpenCVFaceDetector'])
def test_built_by_mmdet_from_the_package_scope(name):
    from mmdet.registry import MODELS as MMDET_MODELS
    from mmengine.registry import DefaultScope
    from mmpose.registry import MODELS as MMPOSE_MODELS

    from awing_mmpose.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmdet'):
        det = MMDET_MODELS.build(dict(type=f'awing_mmpose.{name}'))
        # the pose components stay reachable while mmdet is the scope
        loss = MMDET_MODELS.build(dict(type='awing_mmpose.AdaptiveWingLoss'))
    with DefaultScope.overwrite_default_scope('mmpose'):
        MMPOSE_MODELS.build(dict(type=f'awing_mmpose.{name}'))
    assert type(det).__name__ == name
    assert type(loss).__module__.startswith('awing_mmpose')
    assert name not in MMDET_MODELS.module_dict
    assert fd.DET_MODELS is MODELS


@pytest.mark.parametrize('name,cls', [('mtcnn', MTCNNFaceDetector),
                                      ('haar', OpenCVFaceDetector)])
def test_settings_live_once_in_the_package(name, cls):
    """configs/detectors/*.py inherit the package's config (one place) and
    the package's config builds the detector."""
    from mmengine.config import Config
    pkg = Config.fromfile(face_detector_config(name))
    repo_file = osp.join(ROOT, 'configs', 'detectors',
                         osp.basename(face_detector_config(name)))
    repo = Config.fromfile(repo_file)
    assert repo.to_dict() == pkg.to_dict()
    with open(repo_file) as f:  # no settings copied into the repo's file
        assert 'model' not in f.read().split('_base_')[1]
    assert pkg.model.type == f'awing_mmpose.{cls.__name__}'
    assert pkg.default_scope == 'mmdet' and pkg.visualizer is not None
    assert osp.dirname(face_detector_config(name)).startswith(
        osp.dirname(fd.__file__))
    assert face_detector_config('my/cfg.py') == 'my/cfg.py'


def test_import_leaves_mmpose_face_default_alone():
    from mmpose.apis.inferencers.utils import default_det_models
    entry = default_det_models['face']
    assert isinstance(entry['model'], str)  # MMPose's own YOLOX config
    assert entry['weights'].startswith('https://')


def test_mtcnn_finds_a_real_face(mtcnn, logs):
    img = cv2.imread(ASTRONAUT)
    boxes, scores = mtcnn.detect(img)
    assert len(boxes) == 1 and scores[0] > 0.9
    assert iou(boxes[0], ASTRONAUT_BOX) > 0.6
    lms = mtcnn.last_landmarks[0]  # eyes, nose, mouth corners
    assert lms.shape == (5, 2)
    x1, y1, x2, y2 = boxes[0]
    assert ((lms[:, 0] > x1) & (lms[:, 0] < x2) & (lms[:, 1] > y1) &
            (lms[:, 1] < y2)).all()
    assert lms[0, 0] < lms[1, 0] and lms[0, 1] < lms[3, 1]  # eyes above
    # tilted by 25 degrees and at 3x size (downscaled to max_side and back)
    m = cv2.getRotationMatrix2D((106, 106), 25, 1.0)
    tilted = cv2.warpAffine(img, m, (212, 212),
                            borderMode=cv2.BORDER_REPLICATE)
    assert len(mtcnn.detect(tilted)[0]) == 1
    big = cv2.resize(img, None, fx=3, fy=3)
    det_small = MTCNNFaceDetector(max_side=300)
    b3, _ = det_small.detect(big)
    assert len(b3) == 1 and iou(b3[0] / 3, boxes[0]) > 0.8
    # box_scale / box_shift_y move the box as documented
    wide = MTCNNFaceDetector(box_scale=1.2, box_shift_y=0.1)
    bw, _ = wide.detect(img)
    side0, side1 = boxes[0, 2] - boxes[0, 0], bw[0, 2] - bw[0, 0]
    assert side1 == pytest.approx(1.2 * side0, rel=0.02)
    assert (bw[0, 1] + bw[0, 3]) / 2 > (boxes[0, 1] + boxes[0, 3]) / 2


def test_mtcnn_forward_and_no_face(mtcnn, logs):
    from mmdet.structures import DetDataSample
    face = torch.from_numpy(cv2.imread(ASTRONAUT).transpose(2, 0, 1).copy())
    blank = torch.full((3, 200, 300), 128, dtype=torch.uint8)
    out = mtcnn.test_step(
        dict(inputs=[face, blank],
             data_samples=[DetDataSample(metainfo=dict(img_path='a.jpg')),
                           DetDataSample(metainfo=dict(img_path='b.jpg'))]))
    p = out[0].pred_instances
    assert p.bboxes.shape == (1, 4) and p.bboxes.dtype == torch.float32
    assert (p.labels == 0).all() and p.scores.shape == (1, )
    assert out[1].pred_instances.bboxes.shape == (0, 4)
    assert any('MTCNNFaceDetector: no face found in b.jpg' in m
               for m in logs)
    with pytest.raises(RuntimeError, match='inference only'):
        mtcnn(face[None], mode='loss')


def test_mtcnn_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='pnet.pt'):
        MTCNNFaceDetector(weights_dir=str(tmp_path))
    for name in ('pnet.pt', 'rnet.pt', 'onet.pt'):
        (tmp_path / name).write_bytes(b'not a state dict')
    with pytest.raises(IOError, match='cannot load .*pnet.pt'):
        MTCNNFaceDetector(weights_dir=str(tmp_path))
    with pytest.raises(ValueError, match='factor'):
        MTCNNFaceDetector(factor=1.0)
    with pytest.raises(ValueError, match='min_size'):
        MTCNNFaceDetector(min_size=8)
    with pytest.raises(ValueError, match='thresholds'):
        MTCNNFaceDetector(thresholds=(0.5, 0.5))


def test_det_inferencer_offline_with_package_config(logs):
    from mmdet.apis import DetInferencer
    inf = DetInferencer(model=MTCNN_FACE_DETECTOR, weights=None,
                        device='cpu', show_progress=False)
    assert inf.model.dataset_meta['classes'] == ('face', )
    res = inf(cv2.imread(ASTRONAUT),
              return_datasamples=True)['predictions'][0]
    assert len(res.pred_instances.bboxes) == 1
    vis = inf(cv2.imread(ASTRONAUT), return_vis=True,
              no_save_vis=True)['visualization'][0]
    assert vis.shape == (212, 212, 3)


def test_haar_detects_drawn_face_and_maps_boxes_back(logs):
    det = OpenCVFaceDetector()
    img = face_scene()
    bboxes, scores = det.detect(img)
    assert len(bboxes) >= 1, 'no face found on the drawn face'
    x1, y1, x2, y2 = bboxes[0]
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    assert 60 < cx < 220 and 40 < cy < 200
    assert 0.5 <= scores[0] < 1
    big = cv2.resize(img, None, fx=3, fy=3)
    det_small = OpenCVFaceDetector(max_side=400)
    bb3, _ = det_small.detect(big)
    assert len(bb3) >= 1
    c3 = (bb3[0, :2] + bb3[0, 2:]) / 2
    assert np.allclose(c3 / 3, [cx, cy], atol=12)


def test_haar_forward_and_config_file(logs):
    from mmdet.apis import DetInferencer
    det = OpenCVFaceDetector()
    blank = torch.full((3, 200, 300), 128, dtype=torch.uint8)
    out = det.test_step(dict(inputs=[blank]))
    assert out[0].pred_instances.bboxes.shape == (0, 4)
    inf = DetInferencer(model=osp.join(ROOT, 'configs', 'detectors',
                                       'opencv_haar_face.py'),
                        weights=None, device='cpu', show_progress=False)
    res = inf(face_scene(), return_datasamples=True)['predictions'][0]
    assert len(res.pred_instances.bboxes) >= 1
    assert HAAR_FACE_DETECTOR.endswith('opencv_haar_face.py')


def test_missing_cascade_is_a_clear_error():
    with pytest.raises(FileNotFoundError, match='no_such_cascade.xml'):
        OpenCVFaceDetector(cascade='no_such_cascade.xml')
    with pytest.raises(ValueError, match='scale_factor'):
        OpenCVFaceDetector(scale_factor=1.0)
    with pytest.raises(ValueError, match='box_scale'):
        OpenCVFaceDetector(box_scale=0)


def test_real_face_list_is_consistent():
    """tools/misc/real_faces.json: every image names a known source, a
    sha256 and boxes with x1 < x2, y1 < y2."""
    with open(osp.join(ROOT, 'tools', 'misc', 'real_faces.json')) as f:
        listing = json.load(f)
    n = 0
    for item in listing['images']:
        assert item['source'] in listing['sources']
        assert len(item['sha256']) == 64
        for x1, y1, x2, y2 in item['faces']:
            assert x1 < x2 and y1 < y2
            n += 1
    assert n >= 15
