"""The pretrained model's stage configs form a chain that
tools/train_pretrained.sh drives: each stage loads the previous stage's
checkpoint and trains on its own faces, the script's data table matches the
configs, the shipped config names the stage the script packages, and the
fine-tuning config keeps the shipped augmentation but the random
convolutions."""
import os.path as osp
import re

import pytest
from mmengine.config import Config

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = osp.join(ROOT, 'configs', 'pretrained')
SCRIPT = osp.join(ROOT, 'tools', 'train_pretrained.sh')


def stage_cfg(n):
    return Config.fromfile(osp.join(CFG, f'awing_synthetic_wflw_stage{n}.py'))


def script():
    with open(SCRIPT) as f:
        text = f.read()
    data = dict(
        (int(n), path)
        for n, path in re.findall(r'\[(\d+)\]=(data/\S+?)[\s)]', text))
    ship = int(re.search(r'^SHIP=(\d+)$', text, re.M).group(1))
    return data, ship


def types(pipeline):
    return [step['type'] for step in pipeline]


@pytest.mark.slow
def test_script_table_matches_the_stage_configs():
    data, _ = script()
    assert sorted(data) == list(range(1, len(data) + 1))
    for n, path in data.items():
        cfg = stage_cfg(n)
        for split in ('train', 'val', 'test'):
            root = cfg[f'{split}_dataloader'].dataset.data_root
            assert root.rstrip('/') == path, (n, split)
        expected = (None if n == 1 else
                    f'work_dirs/awing_synthetic_wflw_stage{n - 1}/'
                    f'stage{n - 1}.pth')
        assert cfg.get('load_from') == expected, n
    assert len(set(data.values())) == len(data)  # new faces each stage


def test_shipped_config_is_the_scripts_shipped_stage():
    _, ship = script()
    shipped = Config.fromfile(osp.join(CFG, 'awing_synthetic_wflw.py'))
    assert shipped.load_from == stage_cfg(ship).load_from
    assert (shipped.train_dataloader.dataset.data_root ==
            stage_cfg(ship).train_dataloader.dataset.data_root)


@pytest.mark.parametrize('n', [2, 3, 4, 5])
def test_stages_before_6_share_one_pipeline(n):
    assert (stage_cfg(n).train_dataloader.dataset.pipeline ==
            stage_cfg(1).train_dataloader.dataset.pipeline)


def test_stage6_adds_random_convolution_after_the_colour_jitter():
    before = types(stage_cfg(5).train_dataloader.dataset.pipeline)
    after = stage_cfg(6).train_dataloader.dataset.pipeline
    i = before.index('PhotometricDistortion') + 1
    assert types(after) == (before[:i] + ['awing_mmpose.RandomConvolution'] +
                            before[i:])
    assert after[i]['prob'] == 0.5


def test_finetune_config_drops_only_the_random_convolution():
    # on real faces colours and textures are worth learning
    shipped = Config.fromfile(osp.join(CFG, 'awing_synthetic_wflw.py'))
    finetune = Config.fromfile(
        osp.join(ROOT, 'configs', 'finetune', 'awing_pretrained_wflw.py'))
    assert types(finetune.train_dataloader.dataset.pipeline) == [
        t for t in types(shipped.train_dataloader.dataset.pipeline)
        if t != 'awing_mmpose.RandomConvolution'
    ]
