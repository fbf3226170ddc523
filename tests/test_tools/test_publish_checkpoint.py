"""tools/misc/publish_checkpoint.py packages weights, config and model card,
and writes the run record named by stage and kind (never by timestamp);
the card states the weights' licence and the training images' licences."""
import json
import os
import os.path as osp
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(ROOT, 'tools', 'misc'))

import publish_checkpoint  # noqa: E402


def _run(work, name, log_lines, scalars):
    run = work / name
    (run / 'vis_data').mkdir(parents=True)
    (run / f'{name}.log').write_text(''.join(log_lines))
    (run / 'vis_data' / 'scalars.json').write_text(
        ''.join(json.dumps(s) + '\n' for s in scalars))


def test_records_are_named_by_stage_and_kind(tmp_path):
    from awing_mmpose.pretrained import MODEL_LICENSES, pretrained_files
    work = tmp_path / 'work'
    # a training that was resumed once: two timestamped runs
    _run(work, '20260101_000000', [f'first run in {ROOT}/work_dirs\n'],
         [dict(step=1, loss=1.0)])
    _run(work, '20260101_010000', ['second run\n'], [dict(step=2, loss=0.5)])
    metrics = tmp_path / 'test_metrics.json'
    metrics.write_text(json.dumps({'NME': 0.02}))
    out, rec = tmp_path / 'out', tmp_path / 'records'
    cfg = osp.join(ROOT, 'configs', 'pretrained', 'awing_synthetic_wflw.py')
    assert publish_checkpoint.main([
        cfg, pretrained_files()[1], '--stage', '6', '--work-dir', str(work),
        '--test-metrics', str(metrics), '--out-dir', str(out),
        '--log-dir', str(rec)]) == 0

    assert sorted(os.listdir(rec)) == [
        'stage6_scalars.json', 'stage6_test_metrics_own_split.json',
        'stage6_train.log']
    # the runs joined in time order, machine paths made repository-relative
    assert (rec / 'stage6_train.log').read_text() == (
        'first run in work_dirs\nsecond run\n')
    steps = [json.loads(line)['step'] for line in
             (rec / 'stage6_scalars.json').read_text().splitlines()]
    assert steps == [1, 2]
    assert json.loads(
        (rec / 'stage6_test_metrics_own_split.json').read_text()) == {
            'NME': 0.02}

    card = json.loads((out / 'synthetic_wflw.json').read_text())
    assert card['stage'] == 6
    assert card['license'] == 'Apache-2.0'
    assert card['training_images'] == \
        MODEL_LICENSES['synthetic_wflw']['training_images']
    assert card['synthetic_test_metrics'] == {'NME': 0.02}
    assert [osp.basename(r) for r in card['records']] == sorted(
        os.listdir(rec))


def test_stage_is_required():
    import pytest
    with pytest.raises(SystemExit):
        publish_checkpoint.parse_args(['cfg.py', 'ckpt.pth'])
