"""ONNX export of the demo network (tools/deployment/export_onnx.py) and
the numpy/OpenCV/onnxruntime runner (awing_mmpose.deployment.onnx_runner,
tools/deployment/onnx_runner.py) (issue 5)."""
import json
import os
import os.path as osp
import re
import subprocess
import sys

import cv2
import numpy as np
import pytest

from awing_mmpose.deployment import OnnxHeatmapSession, draw_face
from awing_mmpose.deployment import onnx_runner

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = osp.join(ROOT, 'configs', 'awing_demo.py')

pytest.importorskip('onnxruntime')
pytest.importorskip('onnx')
K = 98


@pytest.fixture(scope='module')
def exported(ckpt, tmp_path_factory, export_onnx):
    d = tmp_path_factory.mktemp('onnx')
    plain, baked = str(d / 'demo.onnx'), str(d / 'demo_baked.onnx')
    assert export_onnx.main([CFG, ckpt, '--out', plain]) == 0
    assert export_onnx.main(
        [CFG, ckpt, '--out', baked, '--bake-normalization']) == 0
    return dict(plain=plain, baked=baked, dir=d)


@pytest.mark.slow
def test_export_reports_small_difference(exported, capsys, ckpt,
                                         export_onnx):
    assert export_onnx.main([CFG, ckpt, '--out', exported['plain']]) == 0
    out = capsys.readouterr().out
    diffs = [
        float(v) for v in re.findall(
            r'([0-9.]+e[-+][0-9]+) \((?:random input|face crop)', out)
    ]
    assert len(diffs) >= 2 and max(diffs) < 1e-4, out


@pytest.mark.slow
def test_metadata(exported):
    sess = OnnxHeatmapSession(exported['plain'])
    meta = sess.meta
    assert meta['num_keypoints'] == K
    assert meta['input_size'] == [128, 128]
    assert meta['heatmap_size'] == [32, 32]
    assert meta['normalization'] == 'external'
    assert meta['mean'] == [0, 0, 0] and meta['std'] == [255, 255, 255]
    assert meta['bgr_to_rgb'] is True
    assert meta['bbox_padding'] == pytest.approx(1.1)
    assert meta['boundary_channel'] == 'last'
    assert meta['pixel_convention'] == 'center'
    assert len(meta['flip_indices']) == K
    out = sess.session.get_outputs()[0]
    assert out.shape[1:] == [K + 1, 32, 32]
    assert OnnxHeatmapSession(exported['baked']).meta['normalization'] == \
        'baked'


def test_decode_quarter_shift_convention_and_boundary_ignored():
    hm = np.zeros((3, 16, 16), np.float32)
    hm[0, 5, 7] = 1.0
    hm[0, 5, 8] = 0.5   # higher right neighbour -> +0.25 in x
    hm[0, 4, 7] = 0.3   # higher upper neighbour -> -0.25 in y
    hm[1, 0, 15] = 0.8  # border: no shift
    hm[2] = 9.0         # boundary channel, larger everywhere: ignored
    kpts, scores = onnx_runner.decode_heatmaps(hm, (64, 64))
    assert kpts.shape == (2, 2) and np.allclose(scores, [1.0, 0.8])
    # centre convention, stride 4: (i + 0.5) * 4 - 0.5
    assert np.allclose(kpts[0], [(7.25 + 0.5) * 4 - 0.5, (4.75 + 0.5) * 4 -
                                 0.5])
    assert np.allclose(kpts[1], [(15 + 0.5) * 4 - 0.5, 1.5])
    kc, _ = onnx_runner.decode_heatmaps(hm, (64, 64),
                                        pixel_convention='corner')
    assert np.allclose(kc[0], [7.25 * 4, 4.75 * 4])
    # agrees with the project's codec
    from awing_mmpose.codecs.utils.refinement import refine_quarter
    raw = np.array([[7., 5.], [15., 0.]], np.float32)
    assert np.allclose(
        (refine_quarter(raw, hm[:2]) + 0.5) * 4 - 0.5, kpts)


def test_warp_matches_mmpose():
    from mmpose.structures.bbox import get_warp_matrix
    c, s = onnx_runner.bbox_to_center_scale([10, 20, 110, 180], 1.1, 1.0)
    assert np.allclose(s, [176, 176])
    ours = onnx_runner.get_warp_matrix(c, s, (128, 128))
    ref = get_warp_matrix(c, s, 0, (128, 128))
    assert np.allclose(ours, ref, atol=1e-5)


@pytest.mark.slow
def test_runner_matches_pytorch_pipeline(exported, ckpt):
    from awing_mmpose.apis import faces_from_sample, init_face_inferencer
    img = np.full((300, 280, 3), 100, np.uint8)
    img[40:200, 50:210] = cv2.resize(draw_face(256), (160, 160))
    box = [50., 40., 210., 200.]
    inf = init_face_inferencer(CFG, ckpt, device='cpu')
    ref = faces_from_sample(next(inf(img, bboxes=[[box]],
                                     return_datasamples=True))
                            ['predictions'][0])[0]
    ref_k = np.asarray(ref['keypoints'])
    for key in ('plain', 'baked'):
        kpts, scores, hms = onnx_runner.predict_landmarks(
            OnnxHeatmapSession(exported[key]), img, box)
        assert hms.shape == (K + 1, 32, 32)
        assert np.allclose(scores, ref['keypoint_scores'], atol=1e-4)
        # random weights give flat heatmaps: allow an argmax tie to flip
        close = np.linalg.norm(kpts - ref_k, axis=1) < 1e-3
        assert close.mean() >= 0.95, (key, close.mean())


@pytest.mark.slow
def test_runner_cli_without_torch_or_mmpose(exported, tmp_path):
    """The command line runs as a script (``__main__``) in a fresh
    interpreter that never imports torch, MMPose, MMCV or MMEngine."""
    img = str(tmp_path / 'face.jpg')
    cv2.imwrite(img, draw_face(200))
    out, js = str(tmp_path / 'out.jpg'), str(tmp_path / 'out.json')
    argv = [osp.join(ROOT, 'tools', 'deployment', 'onnx_runner.py'),
            exported['plain'], img, '--bbox', '20', '20', '180', '190',
            '--out', out, '--json', js]
    code = (
        'import runpy, sys\n'
        'sys.argv = {a!r}\n'
        'try:\n'
        '    runpy.run_path(sys.argv[0], run_name="__main__")\n'
        'except SystemExit as e:\n'
        '    rc = e.code\n'
        'bad = [m for m in ("torch", "mmpose", "mmcv", "mmengine") '
        'if m in sys.modules]\n'
        'assert not bad, bad\n'
        'sys.exit(rc)\n').format(a=argv)
    env = dict(os.environ, PYTHONPATH=ROOT)
    subprocess.run([sys.executable, '-c', code], check=True, timeout=120,
                   env=env)
    assert cv2.imread(out).shape == (200, 200, 3)
    res = json.load(open(js))
    assert len(res['keypoints']) == K and len(res['keypoint_scores']) == K
