"""The spread and the verdicts of tools/ablation.py
(awing_mmpose/evaluation/functional/ablation_stats.py) on known values,
each verdict branch, and the committed ablation records recomputed."""
import glob
import json
import math
import os.path as osp

import numpy as np
import pytest

from awing_mmpose.evaluation.functional import (VERDICTS, compare_means,
                                                mean_std)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: the committed reports of tools/ablation.py
RECORDS = sorted(glob.glob(osp.join(ROOT, 'docs', 'records', 'ablation', '*',
                                    'ablation.json')))


def test_the_ablation_records_are_found():
    assert len(RECORDS) >= 3, RECORDS


def row(values):
    m, s = mean_std(values)
    return dict(mean=m, std=s, values=list(values))


def test_mean_and_sample_std():
    assert mean_std([1., 2., 3., 4.]) == pytest.approx((2.5,
                                                        math.sqrt(5 / 3)))
    m, s = mean_std([5.])
    assert m == 5. and math.isnan(s)
    assert mean_std([float('nan'), 1., 3.]) == pytest.approx(
        (2., math.sqrt(2.)))
    assert all(math.isnan(v) for v in mean_std([]))


def test_each_verdict_on_known_rows():
    # lower is better (NME): 11 -> 7 gains 4; SE = sqrt(2/2 + 2/2)
    a, b = row([10., 12.]), row([6., 8.])
    e = compare_means(a, b)
    assert e['gain'] == pytest.approx(4.) and e['se'] == pytest.approx(
        math.sqrt(2.))
    assert e['verdict'] == 'yes'
    e = compare_means(b, a)
    assert e['gain'] == pytest.approx(-4.) and e['verdict'] == 'opposite'
    e = compare_means(a, row([9., 11.]))
    assert e['gain'] == pytest.approx(1.) and e['verdict'] == \
        'no (within spread)'
    # exactly 2 SE is not beyond the spread (SE = sqrt(1/2 + 1/2) = 1)
    two = dict(mean=10., std=1., values=[0., 0.])
    assert compare_means(two, dict(two, mean=8.))['verdict'] == \
        'no (within spread)'
    assert compare_means(two, dict(two, mean=7.999))['verdict'] == 'yes'
    # higher is better (heatmap peak): sign +1
    e = compare_means(row([.40, .42]), row([.49, .50]), sign=1.)
    assert e['gain'] == pytest.approx(.085) and e['verdict'] == 'yes'
    # one seed: no spread to compare with
    e = compare_means(row([10.]), row([5., 6.]))
    assert math.isnan(e['se']) and e['verdict'] == 'no spread (one seed)'
    assert {compare_means(a, b)['verdict'], compare_means(b, a)['verdict'],
            'no (within spread)', 'no spread (one seed)'} == set(VERDICTS)


#: effect unit -> (where the row's figure lives, sign)
UNITS = {'NME points': (('groups', 'full', 'NME'), -1.),
         'peak value': (('heatmaps', 'mean_peak'), 1.),
         'heatmap px': (('heatmaps', 'mean_halfmax_width'), -1.)}


def _get(d, path):
    for k in path:
        d = d[k]
    return d


@pytest.mark.parametrize('path', RECORDS,
                         ids=[osp.basename(osp.dirname(p)) for p in RECORDS])
def test_committed_ablation_records_recompute(path):
    """Every mean ± std in a committed report is its seeds' values', and
    every effect's gain, SE and verdict follow from its two rows."""
    with open(path) as f:
        rep = json.load(f)
    for name, r in rep['rows'].items():
        cells = [g for grp in r['groups'].values() for g in grp.values()]
        for cell in cells + list(r['heatmaps'].values()):
            m, s = mean_std(cell['values'])
            np.testing.assert_allclose([m, s], [cell['mean'], cell['std']],
                                       rtol=1e-12, equal_nan=True)
    for e in rep['effects']:
        where, sign = UNITS[e['unit']]
        a, b = (_get(rep['rows'][k], where) for k in e['rows'])
        got = compare_means(a, b, sign)
        np.testing.assert_allclose([got['gain'], got['se']],
                                   [e['gain'], e['se']], rtol=1e-12,
                                   equal_nan=True)
        assert got['verdict'] == e['verdict'], e['effect']


def test_the_headline_effects():
    """The effects that the README quotes, from their records."""
    def effects(folder):
        with open(osp.join(ROOT, 'docs', 'records', 'ablation', folder,
                           'ablation.json')) as f:
            return {e['effect']: e for e in json.load(f)['effects']}
    long = effects('cpu_long_mse_awing')['AWing instead of MSE']
    assert (round(long['gain'], 2), round(long['se'], 2),
            long['verdict']) == (0.79, 0.22, 'yes')
    n1000 = effects('cpu_n1000')
    e = n1000['AWing instead of MSE']
    assert (round(e['gain'], 1), round(e['se'], 1), e['verdict']) == (
        -18.3, 6.3, 'opposite')
    e = n1000['boundary channel + CoordConv boundary coordinates']
    assert (round(e['gain'], 2), round(e['se'], 2), e['verdict']) == (
        2.33, 0.88, 'yes')
