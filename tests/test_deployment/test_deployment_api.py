"""awing_mmpose.deployment from Python: the example of its docstring runs as
written on the shipped model, its steps give PyTorch's landmarks, the
session's arguments and errors, and the torch-free imports."""
import copy
import os
import os.path as osp
import re
import shutil
import subprocess
import sys
import textwrap

import cv2
import numpy as np
import pytest
import torch

import awing_mmpose.deployment as deployment
from awing_mmpose.deployment import (OnnxHeatmapSession, check_export,
                                     export_onnx, init_onnx_session,
                                     predict_landmarks, use_onnxruntime)
from awing_mmpose.pretrained import pretrained_files

pytest.importorskip('onnxruntime')
pytest.importorskip('onnx')
ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: a real photograph (tests/data, public domain) and its face box
ASTRONAUT = osp.join(ROOT, 'tests', 'data', 'astronaut_face.jpg')
BOX = [60., 52., 152., 162.]


def docstring_example() -> str:
    """The code block after 'Example' in the package's docstring."""
    doc = deployment.__doc__
    block = doc[doc.index('::', doc.index('Example')) + 2:]
    return textwrap.dedent(block)


@pytest.fixture(scope='module')
def shipped(tmp_path_factory):
    """The shipped model loaded, and exported to ONNX."""
    from mmpose.apis import init_model

    from awing_mmpose.utils import checkpoint_loading
    config, checkpoint = pretrained_files()
    with checkpoint_loading():
        model = init_model(config, checkpoint, device='cpu')
    path = str(tmp_path_factory.mktemp('onnx') / 'awing.onnx')
    meta = export_onnx(model, path)
    return dict(config=config, checkpoint=checkpoint, model=model, path=path,
                meta=meta)


@pytest.mark.slow
def test_docstring_example_runs(tmp_path, monkeypatch):
    code = docstring_example()
    assert "export_onnx(model, 'awing.onnx')" in code
    shutil.copy(ASTRONAUT, tmp_path / 'face.jpg')
    monkeypatch.chdir(tmp_path)
    scope = dict(box=BOX)
    exec(compile(code, 'awing_mmpose.deployment example', 'exec'), scope)
    k = scope['meta']['num_keypoints']
    assert k == 98 and osp.isfile(tmp_path / 'awing.onnx')
    assert scope['keypoints'].shape == (k, 2)
    assert scope['scores'].shape == (k, )
    assert scope['heatmaps'].shape[0] == k + 1
    faces = scope['result']['predictions'][0]
    assert len(faces) == 1 and np.asarray(faces[0]['keypoints']).shape == (
        k, 2)
    assert isinstance(scope['session'], OnnxHeatmapSession)


def test_export_metadata_and_session(shipped):
    from awing_mmpose.deployment.onnx_export import METADATA_KEYS
    meta = shipped['meta']
    assert tuple(meta) == METADATA_KEYS
    sess = OnnxHeatmapSession(shipped['path'], threads=1,
                              optimization='basic')
    assert sess.meta == meta
    w, h = sess.input_size
    assert (w, h) == tuple(meta['input_size'])
    assert sess.num_keypoints == 98 and len(sess.flip_indices) == 98
    assert sess.mean.shape == sess.std.shape == (3, )
    assert sess.bgr_to_rgb is True
    batch = np.random.default_rng(0).standard_normal(
        (3, 3, h, w)).astype(np.float32)
    out = sess.run(batch)
    hw, hh = meta['heatmap_size']
    assert out.shape == (3, 99, hh, hw) and out.dtype == np.float32
    # each optimisation level computes the same network
    for level in ('disable', 'extended', 'all'):
        other = OnnxHeatmapSession(shipped['path'], optimization=level)
        assert np.abs(other.run(batch) - out).max() < 1e-4, level


def test_check_export_measures_the_difference(shipped):
    """check_export: no difference for the exported network, a large one
    once the PyTorch weights have changed."""
    img = cv2.imread(ASTRONAUT)
    same = check_export(shipped['model'], shipped['path'], img, BOX)
    assert set(same) == {'random', 'face'} and max(same.values()) < 1e-4
    changed = copy.deepcopy(shipped['model'])
    with torch.no_grad():
        for p in changed.parameters():
            p.mul_(1.5)
    other = check_export(changed, shipped['path'], img, BOX)
    assert min(other.values()) > 1e-2, other


def test_onnx_runtime_gives_pytorch_landmarks(shipped):
    """Step 2 (the runner) and step 3 (the inferencer switched to ONNX
    Runtime) against the PyTorch inferencer, on a real face."""
    from awing_mmpose.apis import faces_from_sample, init_face_inferencer
    img = cv2.imread(ASTRONAUT)
    inf = init_face_inferencer(shipped['config'], shipped['checkpoint'],
                               device='cpu')

    def landmarks(flip):
        inf.model.test_cfg['flip_test'] = flip
        sample = next(inf(img, bboxes=[[BOX]], return_datasamples=True))
        return np.asarray(faces_from_sample(sample['predictions'][0])[0]
                          ['keypoints'])

    ref_plain, ref_flip = landmarks(False), landmarks(True)
    kpts, _, _ = predict_landmarks(OnnxHeatmapSession(shipped['path']), img,
                                   BOX)
    assert np.abs(kpts - ref_plain).max() < 1e-3
    session = use_onnxruntime(inf.model, shipped['path'], threads=1)
    assert isinstance(session, OnnxHeatmapSession)
    assert np.abs(landmarks(False) - ref_plain).max() < 1e-3
    assert np.abs(landmarks(True) - ref_flip).max() < 1e-3


@pytest.mark.slow
def test_init_onnx_session_exports_or_reuses(shipped, tmp_path):
    w, h = shipped['meta']['input_size']
    batch = np.random.default_rng(1).standard_normal(
        (2, 3, h, w)).astype(np.float32)
    ref = OnnxHeatmapSession(shipped['path']).run(batch)
    # no model named: the shipped one, exported to a temporary file
    tmp = init_onnx_session(threads=1, optimization='extended')
    assert not osp.exists(tmp.path)  # read, then deleted
    assert np.abs(tmp.run(batch) - ref).max() < 1e-4
    kept = str(tmp_path / 'kept.onnx')
    sess = init_onnx_session(shipped['config'], shipped['checkpoint'],
                             export_to=kept)
    assert osp.isfile(kept) and sess.meta == shipped['meta']
    reused = init_onnx_session('no/such/config.py', onnx_file=kept)
    assert reused.path == kept
    assert np.abs(reused.run(batch) - ref).max() < 1e-4


def test_session_errors_name_the_file(shipped, tmp_path):
    with pytest.raises(FileNotFoundError, match='no ONNX file'):
        OnnxHeatmapSession(str(tmp_path / 'missing.onnx'))
    with pytest.raises(ValueError, match='unknown optimization'):
        OnnxHeatmapSession(shipped['path'], optimization='fast')
    with pytest.raises(ValueError, match='threads must be >= 0'):
        OnnxHeatmapSession(shipped['path'], threads=-1)
    bad = tmp_path / 'bad.onnx'
    bad.write_text('not a model')
    with pytest.raises(ValueError, match=re.escape(f'{bad}: ONNX Runtime')):
        OnnxHeatmapSession(str(bad))
    sess = OnnxHeatmapSession(shipped['path'])
    w, h = sess.input_size
    with pytest.raises(ValueError, match=r'expects a \(N, 3, '):
        sess.run(np.zeros((1, 3, h + 1, w), np.float32))
    with pytest.raises(ValueError, match='awing.onnx: expects'):
        sess.run(np.zeros((3, h, w), np.float32))


@pytest.mark.slow
def test_use_onnxruntime_refusals(shipped, tmp_path):
    from types import SimpleNamespace
    baked = str(tmp_path / 'baked.onnx')
    export_onnx(shipped['model'], baked, bake_normalization=True)
    with pytest.raises(ValueError, match='bake_normalization'):
        use_onnxruntime(shipped['model'], baked)
    # a head with layers of its own would be run twice
    conv_head = SimpleNamespace(forward=lambda feats: feats[-1] * 2)
    model = SimpleNamespace(head=conv_head)
    with pytest.raises(ValueError, match='passes .*through'):
        use_onnxruntime(model, shipped['path'])
    assert not hasattr(model, 'extract_feat')


@pytest.mark.slow
def test_session_and_runner_import_no_torch(shipped):
    """A session of an exported file and the runner need neither torch
    nor the OpenMMLab packages."""
    code = textwrap.dedent(f'''
        import sys
        import numpy as np
        import awing_mmpose
        from awing_mmpose.deployment import (
            OnnxHeatmapSession, draw_face, init_onnx_session,
            predict_landmarks)
        sess = init_onnx_session(onnx_file={shipped["path"]!r}, threads=1)
        kpts, scores, _ = predict_landmarks(sess, draw_face(200),
                                            [20, 20, 180, 190])
        assert kpts.shape == (98, 2), kpts.shape
        print(sorted(m for m in sys.modules if m.split('.')[0] in
                     ('torch', 'mmpose', 'mmcv', 'mmengine', 'mmdet')))
    ''')
    proc = subprocess.run([sys.executable, '-c', code], cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=ROOT),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == '[]', proc.stdout
