"""tools/ablation.py at smoke size: two rows, one seed, one epoch on a
handful of faces; the report, the plots, the skip of finished runs and the
refusal to mix settings in one work dir."""
import json
import os
import os.path as osp

import pytest


@pytest.mark.slow
def test_ablation_smoke(tmp_path, run_tool):
    work = str(tmp_path / 'work')
    args = ['tools/ablation.py', '--work-dir', work, '--rungs', '1_mse',
            '2_awing', '--seeds', '0', '--epochs', '1', '--num-train', '8',
            '--num-test', '6', '--workers', '0', '--channels', '16']
    proc = run_tool(*args)
    out = osp.join(work, 'report')
    rep = json.load(open(osp.join(out, 'ablation.json')))
    assert rep['setup']['size'].endswith(', 16 channels')
    cfg = open(osp.join(out, 'logs', '1_mse_seed0_config.txt')).read()
    assert 'stem_channels=(8, 16, 16), feat_channels=16' in cfg
    # the report's copies are records, never configs to run
    assert not [n for n in os.listdir(osp.join(out, 'logs'))
                if n.endswith('.py')]
    # the Runner built the narrower network: its dumped config says so
    dumped = open(osp.join(work, 'runs', '1_mse', 'seed0',
                           '1_mse_seed0.py')).read()
    assert 'feat_channels=16' in dumped
    assert list(rep['rows']) == ['1_mse', '2_awing']
    for row in rep['rows'].values():
        full = row['groups']['full']
        assert 0 < full['NME']['mean'] < 1000
        assert 0 <= full['AUC@0.1']['mean'] <= 1
        assert set(row['groups']) == {
            'full', 'pose', 'expression', 'illumination', 'makeup',
            'occlusion', 'blur'}
        hm = row['heatmaps']
        assert hm['mean_peak']['mean'] > 0
        assert hm['mean_halfmax_width']['mean'] > 0
    assert rep['effects'][0]['effect'] == 'AWing instead of MSE'
    assert rep['effects'][0]['verdict'] == 'no spread (one seed)'
    md = open(osp.join(out, 'ablation.md')).read()
    assert '| 1 MSE |' in md and '| 2 AWing |' in md
    for name in ('ced.png', 'heatmaps_mse_vs_awing.png',
                 'logs/1_mse_seed0_train.log',
                 'logs/2_awing_seed0_test_table.txt'):
        assert osp.getsize(osp.join(out, name)) > 0, name
    nmes = open(osp.join(work, 'runs', '1_mse', 'seed0',
                         'eval_nme.csv')).read().splitlines()
    assert len(nmes) == 1 + 6

    # the same command again: nothing is retrained
    proc = run_tool(*args)
    assert proc.stdout.count('done, skipped') == 2

    # other settings in the same work dir are refused, naming the file
    proc = run_tool(*[a if a != '8' else '9' for a in args], check=False)
    assert proc.returncode != 0
    assert 'done.json' in proc.stderr and 'num_train' in proc.stderr


def test_ablation_presets():
    import importlib.util
    spec = importlib.util.spec_from_file_location('ablation_tool',
                                                  'tools/ablation.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    default = mod.parse_args([])
    assert (default.num_train, default.epochs, default.seeds,
            default.channels) == (1000, 4, [0, 1, 2], None)
    quick = mod.parse_args(['--quick'])
    assert (quick.num_train, quick.epochs, quick.seeds,
            quick.channels) == (500, 8, [0], 32)
    assert mod.parse_args(['--quick', '--channels', '48']).channels == 48
    assert mod._model_override(default) == ''
    import pytest
    with pytest.raises(SystemExit):
        mod.parse_args(['--channels', '1'])
