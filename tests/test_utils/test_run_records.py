"""awing_mmpose.utils.run_records: what a tool's --json record holds."""
import json
import os.path as osp
import subprocess

import numpy as np

from awing_mmpose.utils import repo_relative, run_record, write_record
from awing_mmpose.utils.run_records import REPO_ROOT

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_record_fields_and_paths(tmp_path):
    tool = osp.join(ROOT, 'tools', 'analysis', 'eval_real_faces.py')
    rec = run_record(tool, ['--data-dir', osp.join(ROOT, 'data', 'x'),
                            '--thr', '0.1', 'a b'],
                     settings=dict(flip_test=True),
                     results=dict(nmes=np.array([0.1, 0.2]),
                                  num=np.int64(2)))
    assert REPO_ROOT == ROOT
    assert rec['tool'] == 'tools/analysis/eval_real_faces.py'
    # repository paths relative, arguments quoted as a shell reads them
    assert rec['command'] == ('python tools/analysis/eval_real_faces.py '
                              "--data-dir data/x --thr 0.1 'a b'")
    assert {'torch', 'mmpose', 'mmengine', 'numpy', 'python'} <= set(
        rec['versions'])
    assert rec['versions']['torch'] and rec['versions']['mmpose']
    assert rec['date'].endswith('+00:00')
    head = subprocess.run(['git', '-C', ROOT, 'rev-parse', 'HEAD'],
                          capture_output=True, text=True)
    if head.returncode == 0:  # a git checkout
        assert rec['git']['commit'] == head.stdout.strip()
        assert rec['git']['dirty'] in (True, False)
    path = str(tmp_path / 'sub' / 'r.json')
    write_record(path, rec)
    back = json.load(open(path))
    assert back['results'] == dict(nmes=[0.1, 0.2], num=2)
    assert back['settings'] == dict(flip_test=True)
    assert not osp.exists(path + '.tmp')


def test_repo_relative_only_rewrites_absolute_paths_inside():
    assert repo_relative(osp.join(ROOT, 'docs', 'a.json')) == osp.join(
        'docs', 'a.json')
    assert repo_relative('data/syn256/') == 'data/syn256/'
    assert repo_relative('/elsewhere/x') == '/elsewhere/x'
    assert repo_relative(None) is None and repo_relative(3) == 3
