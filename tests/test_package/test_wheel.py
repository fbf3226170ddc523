"""The package installs the ordinary way: build a wheel, install it without
dependencies into a temporary folder and use it from there (not from the
checkout): the codec with the WFLW, 300W and COFW curves and each face data
set's metainfo."""
import glob
import os
import os.path as osp
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile

import pytest

#: slow tier: builds a wheel and installs it in a fresh environment
pytestmark = pytest.mark.slow

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

# Runs in a fresh interpreter whose cwd is outside the checkout and whose
# PYTHONPATH is the install folder. An editable install of the checkout (a
# meta-path finder of setuptools) would win over PYTHONPATH: drop it first.
_CHECK = textwrap.dedent('''
    import os.path as osp
    import sys
    sys.meta_path[:] = [f for f in sys.meta_path
                        if 'editable' not in type(f).__module__]
    target = sys.argv[1]
    import awing_mmpose
    assert awing_mmpose.__file__.startswith(target), awing_mmpose.__file__
    import numpy as np
    from mmpose.datasets.datasets.utils import parse_pose_metainfo
    from awing_mmpose.codecs import BoundaryHeatmap
    from awing_mmpose.codecs.utils import load_boundary_curves, metainfo_file
    from awing_mmpose.datasets import FaceLandmarkDataset
    expect = dict(wflw=98, cofw=29)
    expect['300w'] = 68
    for name, k in sorted(expect.items()):
        path = metainfo_file(name)
        assert path.startswith(target) and osp.isfile(path), path
        meta = parse_pose_metainfo(dict(from_file=path))
        assert meta['num_keypoints'] == k, (name, meta['num_keypoints'])
        assert len(meta['flip_indices']) == k
        ds_meta = FaceLandmarkDataset._load_metainfo(dict(from_file=path))
        curves = load_boundary_curves(name)
        assert ds_meta['boundary_curves'] == curves and len(curves) == 13
        codec = BoundaryHeatmap(boundary_curves=name)
        rng = np.random.default_rng(0)
        kpts = rng.uniform(64, 192, (1, k, 2)).astype(np.float32)
        enc = codec.encode(kpts, np.ones((1, k), np.float32))
        hm = enc['heatmaps']
        assert hm.shape == (k + 1, 64, 64), hm.shape
        assert 0.9 < hm[-1].max() <= 1.0, hm[-1].max()  # the boundary map
        print(name, k, len(curves), 'ok')
    # the shipped pretrained model: its config and weights from the wheel
    import torch
    from mmengine.config import Config
    from awing_mmpose.pretrained import pretrained_files
    cfg, ckpt = pretrained_files()
    assert cfg.startswith(target) and ckpt.startswith(target), (cfg, ckpt)
    state = torch.load(ckpt, map_location='cpu', weights_only=True)
    assert Config.fromfile(cfg).model.backbone.num_heatmaps == 99
    print('pretrained', len(state['state_dict']) > 100)
''')


def _run(cmd, **kw):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert proc.returncode == 0, (
        f'{cmd[:4]} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n'
        f'{proc.stderr[-3000:]}')
    return proc


@pytest.fixture(scope='module')
def wheel(tmp_path_factory):
    """Build the wheel from a copy of the sources (keeps build/ and
    *.egg-info out of the checkout), offline and without isolation."""
    src = tmp_path_factory.mktemp('src')
    for name in ('setup.py', 'LICENSE', 'README.md'):
        shutil.copy(osp.join(ROOT, name), src)
    shutil.copytree(osp.join(ROOT, 'awing_mmpose'), src / 'awing_mmpose',
                    ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))
    dist = tmp_path_factory.mktemp('dist')
    env = dict(os.environ, PIP_NO_INDEX='1', PIP_DISABLE_PIP_VERSION_CHECK='1')
    _run([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps',
          '--no-build-isolation', '-w', str(dist), str(src)], env=env)
    wheels = glob.glob(str(dist / 'awing_mmpose-*.whl'))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_declares_its_licence(wheel):
    zf = zipfile.ZipFile(wheel)
    names = zf.namelist()
    info = next(n.split('/')[0] for n in names if '.dist-info/' in n)
    assert [n for n in names if n.startswith(info + '/') and
            n.endswith('/LICENSE')], names
    meta = zf.read(f'{info}/METADATA').decode()
    assert re.search(r'^License(-Expression)?: Apache-2.0$', meta, re.M), \
        meta[:2000]
    assert 'Adaptive Wing Loss' in meta  # the README as long description


def test_wheel_holds_the_metainfo(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for name in ('wflw', '300w', 'cofw'):
        assert f'awing_mmpose/datasets/metainfo/{name}.py' in names
    from awing_mmpose.pretrained import PRETRAINED_MODELS
    for cfg, ckpt in PRETRAINED_MODELS.values():
        assert f'awing_mmpose/pretrained/{cfg}' in names
        assert f'awing_mmpose/pretrained/{ckpt}' in names
    sources = {n for n in names if n.endswith('.py')}
    in_checkout = {
        osp.relpath(p, ROOT).replace(os.sep, '/')
        for p in glob.glob(osp.join(ROOT, 'awing_mmpose', '**', '*.py'),
                           recursive=True)
    }
    assert in_checkout <= sources, sorted(in_checkout - sources)


def test_installed_wheel_builds_codec_and_metainfo(wheel, tmp_path):
    target = tmp_path / 'site'
    env = dict(os.environ, PIP_NO_INDEX='1', PIP_DISABLE_PIP_VERSION_CHECK='1')
    _run([sys.executable, '-m', 'pip', 'install', '-q', '--no-deps',
          '--target', str(target), wheel], env=env)
    work = tmp_path / 'elsewhere'
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    env['PYTHONPATH'] = str(target)
    out = _run([sys.executable, '-c', _CHECK, str(target)], cwd=str(work),
               env=env).stdout
    assert out.split() == ['300w', '68', '13', 'ok', 'cofw', '29', '13', 'ok',
                           'wflw', '98', '13', 'ok', 'pretrained',
                           'True'], out
