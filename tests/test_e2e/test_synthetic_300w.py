"""The synthetic faces' 300W copy goes through the 300W converter, trains
with the 300W config (68 landmarks + boundary, no validation loop, as the
paper) and its last checkpoint is tested on common / challenge."""
import json
import os.path as osp

import pytest

from awing_mmpose.datasets.converters.face300w import convert_300w
from awing_mmpose.synthetic import generate_synthetic_wflw

#: slow tier: converts and trains in subprocesses
pytestmark = pytest.mark.slow

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_synthetic_300w_converts_and_trains(tmp_path, run_tool):
    run = run_tool
    root = tmp_path / 'synthetic'
    generate_synthetic_wflw(str(root), num_train=6, num_test=4, seed=5,
                            image_size=128, with_300w=True)
    data = root / '300W'
    convert_300w(str(data), str(data / 'annotations'), show_progress=False)
    with open(data / 'annotations' / 'face_landmarks_300w_valid.json') as f:
        valid = json.load(f)
    assert len(valid['annotations']) == 4
    assert {s for a in valid['annotations'] for s in a['subsets']} <= {
        'common', 'challenge'}

    work = str(tmp_path / 'work')
    opts = [
        'train_cfg.max_epochs=1',
        'model.backbone.feat_channels=16', 'model.backbone.hg_depth=2',
        'model.backbone.stem_channels=(8,16,16)',
        'model.backbone.num_stacks=2', 'model.test_cfg.flip_test=False'
    ]
    for loader in ('train_dataloader', 'test_dataloader'):
        opts += [
            f'{loader}.dataset.data_root={data}/', f'{loader}.batch_size=2',
            f'{loader}.num_workers=0', f'{loader}.persistent_workers=False'
        ]
    config = osp.join(ROOT, 'configs', 'awing_300w.py')
    proc = run('tools/train.py', config, '--work-dir', work, '--cfg-options',
               *opts)
    assert osp.isfile(osp.join(work, 'epoch_1.pth'))
    assert 'common/NME' not in proc.stdout + proc.stderr  # no validation
    proc = run('tools/test.py', config, osp.join(work, 'epoch_1.pth'),
               '--work-dir', work, '--cfg-options', *opts)
    log = proc.stdout + proc.stderr
    assert 'common/NME' in log and 'challenge/NME' in log
