"""The pretrained model shipped inside the package (awing://synthetic_wflw):
small, safe to load, the default of the inferencer and of tools/demo.py, and
trained (it finds landmarks on synthetic faces it never saw and puts a real
face's features in their order)."""
import hashlib
import json
import os.path as osp

import numpy as np
import pytest
import torch

from awing_mmpose.pretrained import (DEFAULT_MODEL, PRETRAINED_MODELS,
                                     pretrained_files, resolve_checkpoint)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
ASTRONAUT = osp.join(ROOT, 'tests', 'data', 'astronaut_face.jpg')


@pytest.fixture(scope='module')
def inferencer():
    from awing_mmpose.apis import FaceLandmarkInferencer
    return FaceLandmarkInferencer(device='cpu')  # nothing named: shipped


def test_files_size_and_plain_safe_load():
    cfg, ckpt = pretrained_files()
    assert osp.getsize(ckpt) <= 25 * 2**20
    # torch's safe loader with no allow-list at all
    state = torch.load(ckpt, map_location='cpu', weights_only=True)
    assert set(state) == {'state_dict', 'meta'}
    assert 'synthetic' in state['meta']['trained_on']
    with open(osp.join(osp.dirname(ckpt), DEFAULT_MODEL + '.json')) as f:
        card = json.load(f)
    with open(ckpt, 'rb') as f:
        assert hashlib.sha256(f.read()).hexdigest() == card['sha256']
    assert card['config'] == osp.basename(cfg)


def test_model_card_states_licences_and_its_records():
    """The card names the weights' licence and the licence of every
    photograph the training drew backgrounds and occluders from; its
    records exist and its metrics are the record's."""
    from awing_mmpose.datasets.photo_bank import DEFAULT_PHOTOS
    from awing_mmpose.pretrained import MODEL_LICENSES
    ckpt = pretrained_files()[1]
    with open(osp.join(osp.dirname(ckpt), DEFAULT_MODEL + '.json')) as f:
        card = json.load(f)
    assert card['license'] == 'Apache-2.0'
    images = card['training_images']
    assert images == MODEL_LICENSES[DEFAULT_MODEL]['training_images']
    assert set(images['photographs']) == set(DEFAULT_PHOTOS)
    assert all(images['photographs'].values())
    with open(osp.join(ROOT, 'LICENSE')) as f:
        assert 'Apache License' in f.read(200)
    for rec in card['records']:
        assert osp.isfile(osp.join(ROOT, rec)), rec
        assert osp.basename(rec).startswith(f"stage{card['stage']}_"), rec
    own = osp.join(ROOT, 'docs', 'records', 'pretrained',
                   f"stage{card['stage']}_test_metrics_own_split.json")
    with open(own) as f:
        assert json.load(f) == card['synthetic_test_metrics']


def test_config_and_weights_match_exactly():
    from mmengine.config import Config
    from mmpose.apis import init_model
    cfg, ckpt = pretrained_files()
    model = init_model(Config.fromfile(cfg), None, device='cpu')
    state = torch.load(ckpt, map_location='cpu', weights_only=True)
    model.load_state_dict(state['state_dict'], strict=True)


def test_shipped_config_flip_tests_as_its_training_config():
    """The packaged config is the training config's dump: both average in
    the mirrored face's heatmaps at test time."""
    from mmengine.config import Config
    shipped = Config.fromfile(pretrained_files()[0])
    train = Config.fromfile(
        osp.join(ROOT, 'configs', 'pretrained', 'awing_synthetic_wflw.py'))
    assert shipped.model.test_cfg.flip_test is True
    assert train.model.test_cfg == shipped.model.test_cfg


def test_scheme_only_inside_checkpoint_loading():
    from mmengine.runner import CheckpointLoader

    from awing_mmpose.utils import checkpoint_loading
    with checkpoint_loading():
        ckpt = CheckpointLoader.load_checkpoint('awing://synthetic_wflw')
    assert 'state_dict' in ckpt
    assert 'awing://' not in CheckpointLoader._schemes
    assert resolve_checkpoint('x.pth') == 'x.pth'
    with pytest.raises(KeyError, match='unknown pretrained model'):
        pretrained_files('awing://nope')
    assert set(PRETRAINED_MODELS) == {DEFAULT_MODEL}


def test_a_checkpoint_without_its_config_is_refused():
    from awing_mmpose.apis import resolve_pose_model
    with pytest.raises(ValueError, match='needs its config'):
        resolve_pose_model(None, 'epoch_3.pth')
    assert resolve_pose_model(None, None) == (
        pretrained_files()[0], 'awing://synthetic_wflw')


@pytest.mark.slow
def test_default_model_on_unseen_synthetic_faces(inferencer):
    """NME < 8 % on 12 synthetic faces of a seed never used for training;
    the untrained network is at about 30 %."""
    from awing_mmpose.synthetic import make_face
    from awing_mmpose.evaluation.functional import (default_norm_indices,
                                                    keypoint_normaliser)
    preds, gts = [], []
    for i in range(12):
        face = make_face(12345, 'test', i, 256)
        res = next(inferencer(face.image, bboxes=[face.bbox[None]],
                              return_datasamples=True))
        preds.append(np.asarray(res['predictions'][0].pred_instances
                                .keypoints)[0])
        gts.append(face.landmarks)
    pred, gt = np.stack(preds), np.stack(gts)
    d = keypoint_normaliser(gt, default_norm_indices('wflw', 'inter_ocular'))
    nme = (np.linalg.norm(pred - gt, axis=-1).mean(-1) / d).mean()
    assert nme < 0.08, nme


def test_default_model_and_detector_on_a_real_photo(inferencer):
    """The astronaut photo (public domain): one face; the eyes, nose tip and
    mouth come out in their order inside the face box."""
    res = next(inferencer(ASTRONAUT, return_datasamples=True))
    inst = res['predictions'][0].pred_instances
    assert len(inst) == 1
    k = np.asarray(inst.keypoints)[0]
    x1, y1, x2, y2 = np.asarray(inst.bboxes)[0]
    assert k.shape == (98, 2)
    pad = 0.15 * (x2 - x1)
    assert (k[:, 0] > x1 - pad).all() and (k[:, 0] < x2 + pad).all()
    eyes_y = k[60:76, 1].mean()
    nose_y, mouth_y = k[54, 1], k[76:96, 1].mean()
    assert eyes_y < nose_y < mouth_y
    right_eye_x, left_eye_x = k[60:68, 0].mean(), k[68:76, 0].mean()
    assert right_eye_x < k[54, 0] < left_eye_x


def test_demo_without_a_model_uses_the_shipped_one(tmp_path, monkeypatch,
                                                   demo):
    monkeypatch.chdir(tmp_path)
    assert demo.main([ASTRONAUT, '--out-dir', str(tmp_path)]) in (0, None)
    with open(tmp_path / 'predictions' / 'astronaut_face.json') as f:
        faces = json.load(f)['faces']
    assert len(faces) == 1 and len(faces[0]['keypoints']) == 98
