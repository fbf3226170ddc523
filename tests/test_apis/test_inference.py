"""MMPose's inferencer offline, FaceLandmarkInferencer, the heatmap grid and
tools/demo.py on drawn faces (issue 5). Random weights: only the plumbing,
shapes and files are checked, not landmark accuracy."""
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest

import awing_mmpose  # noqa: F401
from awing_mmpose.apis import (FaceLandmarkInferencer, faces_from_sample,
                               init_face_inferencer)
from awing_mmpose.deployment import draw_face
from awing_mmpose.visualization import draw_heatmap_grid

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = osp.join(ROOT, 'configs', 'awing_demo.py')

K = 98


def face_scene(size=320, face=160, at=(60, 40)):
    img = np.full((size, size, 3), 120, np.uint8)
    x, y = at
    img[y:y + face, x:x + face] = cv2.resize(draw_face(256), (face, face))
    return img


@pytest.fixture(scope='module')
def pictures(tmp_path_factory):
    d = tmp_path_factory.mktemp('pics')
    cv2.imwrite(str(d / 'face.jpg'), face_scene())
    cv2.imwrite(str(d / 'blank.png'), np.full((160, 200, 3), 90, np.uint8))
    folder = d / 'folder'
    folder.mkdir()
    cv2.imwrite(str(folder / 'a.jpg'), face_scene())
    cv2.imwrite(str(folder / 'b.png'), face_scene(at=(100, 120)))
    video = str(d / 'clip.mp4')
    w = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'mp4v'), 10,
                        (320, 320))
    for i in range(3):
        w.write(face_scene(at=(60 + 10 * i, 40)))
    w.release()
    return dict(face=str(d / 'face.jpg'), blank=str(d / 'blank.png'),
                folder=str(folder), video=video)


@pytest.fixture(scope='module')
def inferencer(ckpt):
    return init_face_inferencer(CFG, ckpt, device='cpu')


@pytest.mark.slow
def test_mmpose_inferencer_offline_image_folder_video(ckpt, pictures,
                                                      tmp_path):
    from mmpose.apis import MMPoseInferencer

    from awing_mmpose.apis import MTCNN_FACE_DETECTOR, MTCNNFaceDetector
    from awing_mmpose.utils import checkpoint_loading
    with checkpoint_loading():  # MMEngine checkpoints, torch's safe loader
        inf = MMPoseInferencer(pose2d=CFG, pose2d_weights=ckpt, device='cpu',
                               det_model=MTCNN_FACE_DETECTOR, det_cat_ids=0)
    det = inf.inferencer.detector
    assert det is not None and isinstance(det.model, MTCNNFaceDetector)

    res = next(inf(pictures['face']))
    faces = res['predictions'][0]
    assert len(faces) >= 1
    assert np.asarray(faces[0]['keypoints']).shape == (K, 2)
    x1, y1, x2, y2 = np.asarray(faces[0]['bbox']).reshape(-1)
    assert x2 - x1 < 320 and y2 - y1 < 320  # a detected box, not the image

    results = list(inf(pictures['folder']))
    assert len(results) == 2

    out = tmp_path / 'out'
    results = list(inf(pictures['video'], vis_out_dir=str(out / 'vis'),
                       pred_out_dir=str(out / 'pred')))
    assert len(results) == 3
    assert osp.isfile(out / 'vis' / 'clip.mp4')
    frames = json.load(open(out / 'pred' / 'clip.json'))
    assert len(frames) == 3 and len(frames[0]['instances']) >= 1


def test_no_face_gives_empty_result_and_log(inferencer, pictures,
                                            monkeypatch):
    import awing_mmpose.apis.inference as inf_mod
    logs = []
    monkeypatch.setattr(inf_mod, 'print_log',
                        lambda msg, *a, **k: logs.append(str(msg)))
    res = next(inferencer(pictures['blank'], return_datasamples=True,
                          return_vis=True))
    sample = res['predictions'][0]
    assert faces_from_sample(sample) == []
    assert sample.pred_instances.keypoints.shape == (0, K, 2)
    assert res['visualization'][0].shape[:2] == (160, 200)
    assert any('no face found in' in m and 'blank.png' in m and
               'empty result' in m for m in logs)
    # plain dict output (MMPose's split_instances) is an empty list too
    assert next(inferencer(pictures['blank']))['predictions'][0] == []


def test_face_and_given_boxes_and_whole_image(inferencer, ckpt, pictures):
    sample = next(inferencer(pictures['face'],
                             return_datasamples=True))['predictions'][0]
    faces = faces_from_sample(sample)
    assert len(faces) >= 1 and len(faces[0]['keypoints']) == K
    assert len(faces[0]['keypoint_scores']) == K

    box = [50., 30., 230., 210.]
    sample = next(inferencer(pictures['blank'], bboxes=[[box]],
                             return_datasamples=True))['predictions'][0]
    faces = faces_from_sample(sample)
    assert len(faces) == 1 and np.allclose(faces[0]['bbox'], box)

    whole = FaceLandmarkInferencer(CFG, ckpt, device='cpu',
                                   det_model='whole_image')
    assert whole.detector is None
    faces = faces_from_sample(next(whole(
        pictures['blank'], return_datasamples=True))['predictions'][0])
    assert len(faces) == 1 and np.allclose(faces[0]['bbox'], [0, 0, 200, 160])


def test_keep_heatmaps_and_grid(ckpt, pictures):
    inf = FaceLandmarkInferencer(CFG, ckpt, device='cpu',
                                 det_model='whole_image')
    inf.keep_heatmaps = True
    sample = next(inf(pictures['face'],
                      return_datasamples=True))['predictions'][0]
    recs = sample.metainfo['face_heatmaps']
    assert len(recs) == 1
    hm = recs[0]['heatmaps']
    assert hm.shape == (K + 1, 32, 32)
    grid = draw_heatmap_grid(hm, image=np.zeros((128, 128, 3), np.uint8))
    assert grid.dtype == np.uint8 and grid.shape[1] == 10 * 64
    assert grid.shape[0] == 10 * 64 + 640 // 4 + 18


def test_heatmap_grid_layout_and_errors():
    hm = np.zeros((5, 8, 8), np.float32)
    hm[4, 2:6, 2:6] = 1.0  # boundary map (last)
    hm[0, 3, 3] = 1.0
    g = draw_heatmap_grid(hm, tile=16)  # K=4 -> 2 cols; panels: B, max
    assert g.shape == (2 * 16 + 16 + 18, 32, 3)
    g = draw_heatmap_grid(hm, num_keypoints=5, tile=16, cols=5)
    assert g.shape == (16 + 80 + 18, 80, 3)  # no boundary: one top panel
    with pytest.raises(ValueError, match='shape'):
        draw_heatmap_grid(np.zeros((8, 8)))
    with pytest.raises(ValueError, match='landmarks'):
        draw_heatmap_grid(hm, num_keypoints=2)


@pytest.mark.slow
def test_demo_cli_image_folder_video(ckpt, pictures, tmp_path, monkeypatch,
                                    demo):
    out = tmp_path / 'demo'
    common = ['--config', CFG, '--checkpoint', ckpt, '--device', 'cpu',
              '--out-dir', str(out), '--kpt-thr', '-1']
    assert demo.main([pictures['face'], '--show-heatmaps'] + common) == 0
    assert osp.isfile(out / 'vis' / 'face.jpg')
    pred = json.load(open(out / 'predictions' / 'face.json'))
    assert pred['input'] == pictures['face'] and len(pred['faces']) >= 1
    f0 = pred['faces'][0]
    assert set(f0) == {'bbox', 'bbox_score', 'keypoints', 'keypoint_scores',
                       'flags'}
    assert len(f0['keypoints']) == K and len(f0['bbox']) == 4
    assert osp.isfile(out / 'heatmaps' / 'face_face0.png')

    import awing_mmpose.apis.inference as inf_mod
    logs = []
    monkeypatch.setattr(inf_mod, 'print_log',
                        lambda msg, *a, **k: logs.append(str(msg)))
    assert demo.main([pictures['blank']] + common) == 0
    assert json.load(open(out / 'predictions' / 'blank.json'))['faces'] == []
    assert osp.isfile(out / 'vis' / 'blank.png')  # written, unannotated
    assert any('no face found in' in m and 'blank.png' in m for m in logs)

    assert demo.main([pictures['folder'], '--det-model', 'whole_image'] +
                     common) == 0
    for stem in ('a', 'b'):
        faces = json.load(open(out / 'predictions' / f'{stem}.json'))['faces']
        assert len(faces) == 1
    assert osp.isfile(out / 'vis' / 'b.png')

    assert demo.main([pictures['video'], '--show-heatmaps'] + common) == 0
    video = json.load(open(out / 'predictions' / 'clip.json'))
    assert [f['frame'] for f in video['frames']] == [0, 1, 2]
    assert len(video['frames'][0]['faces']) >= 1
    cap = cv2.VideoCapture(str(out / 'vis' / 'clip.mp4'))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 3
    cap.release()
    assert len(os.listdir(out / 'heatmaps' / 'clip')) >= 3

    with pytest.raises(FileNotFoundError, match='does not exist'):
        demo.main(['no/such/file.jpg'] + common)
    with pytest.raises(ValueError, match='webcam'):
        demo.main(['webcam:x'] + common)
