"""``tools/demo.py --backend onnxruntime`` gives the landmarks of the
PyTorch backend."""
import json
import os.path as osp

import cv2
import numpy as np
import pytest

from awing_mmpose.deployment import draw_face

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
pytest.importorskip('onnxruntime')
pytest.importorskip('onnx')
CFG = osp.join(ROOT, 'configs', 'awing_demo.py')


def landmarks(out_dir, stem):
    with open(osp.join(out_dir, 'predictions', stem + '.json')) as f:
        faces = json.load(f)['faces']
    return np.array([f['keypoints'] for f in faces], np.float64)


@pytest.mark.slow
def test_onnxruntime_backend_gives_pytorch_landmarks(ckpt, tmp_path, demo):
    img = str(tmp_path / 'face.png')
    cv2.imwrite(img, draw_face(200, seed=3))
    common = [img, '--config', CFG, '--checkpoint', ckpt, '--det-model',
              'whole_image']
    torch_dir, ort_dir = str(tmp_path / 'pt'), str(tmp_path / 'ort')
    assert demo.main(common + ['--out-dir', torch_dir]) == 0
    assert demo.main(common + ['--out-dir', ort_dir, '--backend',
                               'onnxruntime']) == 0
    assert osp.isfile(osp.join(ort_dir, 'model.onnx'))
    ref, got = landmarks(torch_dir, 'face'), landmarks(ort_dir, 'face')
    assert ref.shape == got.shape == (1, 98, 2)
    assert np.abs(ref - got).max() <= 1e-3
    # an exported file can be given; a baked one is refused by name
    again = str(tmp_path / 'again')
    assert demo.main(common + ['--out-dir', again, '--backend',
                               'onnxruntime', '--onnx',
                               osp.join(ort_dir, 'model.onnx')]) == 0
    assert np.abs(landmarks(again, 'face') - ref).max() <= 1e-3
    with pytest.raises(FileNotFoundError, match='no ONNX file'):
        demo.main(common + ['--out-dir', again, '--backend', 'onnxruntime',
                            '--onnx', str(tmp_path / 'missing.onnx')])
