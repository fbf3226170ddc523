import importlib.util
import os
import os.path as osp
import subprocess
import sys

import pytest
from mmengine.registry import DefaultScope, init_default_scope


@pytest.fixture(autouse=True)
def mmpose_default_scope():
    """Each test runs under MMPose's default scope, as every config here
    does, whatever an earlier test (an inferencer, say) left behind."""
    init_default_scope('mmpose')
    with DefaultScope.overwrite_default_scope('mmpose'):
        yield


ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def _run_tool(*args, check=True):
    """Run ``python ARGS`` in the repository root, as a user runs a tool,
    importing this checkout's ``awing_mmpose`` (first on ``PYTHONPATH``)."""
    path = os.pathsep.join(p for p in (ROOT, os.environ.get('PYTHONPATH'))
                           if p)
    env = dict(os.environ, PYTHONUNBUFFERED='1', OMP_NUM_THREADS='2',
               PYTHONPATH=path)
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f'{args[0]} failed ({proc.returncode}):\n'
                             f'{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}')
    return proc


@pytest.fixture
def run_tool():
    return _run_tool


def _load_tool(path):
    """The command-line file ``path`` (relative to the repository root,
    e.g. ``'tools/demo.py'``) as a module, loaded from its path (no change
    of ``sys.path``; once per session, as ``tools_<path>``)."""
    name = 'tools_' + osp.splitext(path)[0].replace('/', '_').replace(
        'tools_', '', 1)
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name,
                                                      osp.join(ROOT, path))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
    return sys.modules[name]


#: the command-line files that tests call into: fixture name -> file; each
#: fixture gives the file's module (:func:`_load_tool`), e.g. ``demo.main``
TOOL_MODULES = dict(
    demo='tools/demo.py',
    test_tool='tools/test.py',
    export_onnx='tools/deployment/export_onnx.py',
    eval_face_detector='tools/analysis/eval_face_detector.py',
    eval_real_faces='tools/analysis/eval_real_faces.py',
    measure_jitter='tools/analysis/measure_jitter.py',
    real_face_gallery='tools/analysis/real_face_gallery.py',
    cofw2coco='tools/dataset_converters/cofw2coco.py',
    face300w2coco='tools/dataset_converters/face300w2coco.py',
    wflw2coco='tools/dataset_converters/wflw2coco.py')


def _tool_fixture(path):
    @pytest.fixture(scope='session')
    def tool_module():
        return _load_tool(path)

    tool_module.__doc__ = f'{path} as a module'
    return tool_module


for _name, _path in TOOL_MODULES.items():
    globals()[_name] = _tool_fixture(_path)


def make_wflw_faces(root, num_train, num_test, seed, num_val=0):
    """Synthetic 128 px faces in WFLW's raw layout under ``root``, converted
    to ``root/annotations`` with the WFLW converter; returns ``root``."""
    from awing_mmpose.datasets.converters.wflw import convert_wflw
    from awing_mmpose.synthetic import generate_synthetic_wflw
    root = str(root)
    generate_synthetic_wflw(root, num_train=num_train, num_test=num_test,
                            seed=seed, image_size=128, with_300w=False,
                            num_val=num_val)
    convert_wflw(osp.join(root, 'WFLW_annotations'),
                 osp.join(root, 'WFLW_images'),
                 osp.join(root, 'annotations'), show_progress=False)
    return root


@pytest.fixture(scope='session')
def wflw_faces():
    """:func:`make_wflw_faces` as a fixture."""
    return make_wflw_faces


@pytest.fixture(scope='session')
def ckpt(tmp_path_factory):
    """Random-weight checkpoint of configs/awing_demo.py with dataset_meta
    (for tests of the inference plumbing, not of accuracy)."""
    import torch
    from mmengine.config import Config
    from mmpose.apis import init_model
    torch.manual_seed(0)
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'awing_demo.py'))
    model = init_model(cfg, None, device='cpu')
    path = str(tmp_path_factory.mktemp('ckpt') / 'demo_random.pth')
    torch.save(
        dict(state_dict=model.state_dict(),
             meta=dict(dataset_meta=model.dataset_meta)), path)
    return path
