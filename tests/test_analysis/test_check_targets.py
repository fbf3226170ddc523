"""tools/analysis/check_targets.py on the paper and demo configs: no
landmark leaves the crop and no empty target carries weight."""
import json
import os.path as osp

import pytest

#: slow tier: runs tools/analysis/check_targets.py in a subprocess
pytestmark = pytest.mark.slow

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.fixture(scope='module')
def data(tmp_path_factory, wflw_faces):
    return wflw_faces(tmp_path_factory.mktemp('faces'), num_train=24,
                      num_test=2, seed=1)


@pytest.mark.parametrize('config', ['awing_wflw.py', 'awing_demo.py'])
def test_paper_and_demo_targets_are_clean(config, data, tmp_path, run_tool):
    out = str(tmp_path / 'stats.json')
    proc = run_tool('tools/analysis/check_targets.py',
                    osp.join('configs', config), '--num-samples', '24',
                    '--json', out, '--cfg-options',
                    f'train_dataloader.dataset.data_root={data}/')
    assert 'landmarks outside the crop' in proc.stdout
    with open(out) as f:
        record = json.load(f)
    stats = record['results']
    assert record['settings']['config'] == osp.join('configs', config)
    assert record['settings']['plain_crop'] is False
    assert stats['samples'] == 24 and stats['loss_uses_target_weight']
    assert stats['samples_with_landmark_outside'] == 0
    assert stats['samples_with_empty_weighted_target'] == 0


def test_the_check_sees_landmarks_cut_by_a_plain_random_crop(
        data, tmp_path, run_tool):
    """Without KeepLandmarksInCrop (its inner transform alone) and without
    target weights the same check reports the problem."""
    cfg = tmp_path / 'plain.py'
    cfg.write_text(
        f"_base_ = [{osp.join(ROOT, 'configs', 'awing_wflw.py')!r}]\n"
        "train_pipeline = [\n"
        "    dict(s['transform'], rotate_factor=80., scale_factor=(.6, .9))\n"
        "    if s['type'] == 'awing_mmpose.KeepLandmarksInCrop' else s\n"
        "    for s in _base_.train_pipeline]\n"
        "train_dataloader = dict(dataset=dict(pipeline=train_pipeline))\n"
        "model = dict(head=dict(loss=dict(use_target_weight=False)))\n")
    out = str(tmp_path / 'stats.json')
    run_tool('tools/analysis/check_targets.py', str(cfg), '--num-samples',
             '24', '--json', out, '--cfg-options',
             f'train_dataloader.dataset.data_root={data}/')
    with open(out) as f:
        stats = json.load(f)['results']
    assert not stats['loss_uses_target_weight']
    assert stats['samples_with_landmark_outside'] > 0
    assert stats['samples_with_empty_weighted_target'] > 0


def test_plain_crop_option_unwraps_the_guard(data, tmp_path, run_tool):
    """``--plain-crop``: the config's own crop without KeepLandmarksInCrop
    and the loss without target weights (the README's "before" column)."""
    out = str(tmp_path / 'plain.json')
    run_tool('tools/analysis/check_targets.py', 'configs/awing_wflw.py',
             '--num-samples', '24', '--plain-crop', '--json', out,
             '--cfg-options', f'train_dataloader.dataset.data_root={data}/')
    with open(out) as f:
        record = json.load(f)
    stats = record['results']
    assert record['settings']['plain_crop'] is True
    assert not stats['loss_uses_target_weight']
    assert stats['mean_crop_tries'] is None  # no guard, no re-draws
