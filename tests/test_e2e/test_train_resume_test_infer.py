"""End to end on the CPU: synthetic faces -> WFLW converter -> train a few
iterations -> resume -> test (metrics, dump, pictures) -> MMPoseInferencer.

Each tool runs as its own process, as a user runs it."""
import json
import os
import os.path as osp
import pickle

import pytest

#: slow tier: trains, resumes, tests and infers in subprocesses
pytestmark = pytest.mark.slow


ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = osp.join(ROOT, 'configs', 'awing_demo.py')


@pytest.fixture(scope='module')
def data(tmp_path_factory, wflw_faces):
    return wflw_faces(tmp_path_factory.mktemp('synthetic'), num_train=8,
                      num_test=4, seed=3, num_val=4)


def options(data, epochs):
    opts = [
        f'train_cfg.max_epochs={epochs}', 'train_cfg.val_interval=1',
        'model.backbone.feat_channels=16',
        'model.backbone.stem_channels=(8,16,16)',
        'model.backbone.hg_depth=2', 'default_hooks.logger.interval=1'
    ]
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [
            f'{loader}.dataset.data_root={data}/',
            f'{loader}.batch_size=4', f'{loader}.num_workers=0',
            f'{loader}.persistent_workers=False'
        ]
    return ['--cfg-options', *opts]


def test_train_resume_test_and_infer(data, tmp_path, run_tool):
    run = run_tool
    work = str(tmp_path / 'work')
    run('tools/train.py', CFG, '--work-dir', work, *options(data, 1))
    assert osp.isfile(osp.join(work, 'epoch_1.pth'))
    assert any(f.startswith('best_NME') for f in os.listdir(work))

    # resume from the latest checkpoint of the work dir, then train on
    proc = run('tools/train.py', CFG, '--work-dir', work, '--resume',
               *options(data, 2))
    log = proc.stdout + proc.stderr
    assert 'resumed epoch: 1' in log or 'Resumed' in log or \
        'resume' in log.lower()
    assert osp.isfile(osp.join(work, 'epoch_2.pth'))

    # resume from an explicit path
    run('tools/train.py', CFG, '--work-dir', work, '--resume',
        osp.join(work, 'epoch_2.pth'), *options(data, 3))
    assert osp.isfile(osp.join(work, 'epoch_3.pth'))

    ckpt = osp.join(work, 'epoch_3.pth')
    out = str(tmp_path / 'metrics.json')
    dump = str(tmp_path / 'preds.pkl')
    show = str(tmp_path / 'vis')
    run('tools/test.py', CFG, ckpt, '--work-dir', str(tmp_path / 'test'),
        '--out', out, '--dump', dump, '--show-dir', show,
        *options(data, 3))
    with open(out) as f:
        metrics = json.load(f)
    for key in ('NME', 'FR@0.1', 'AUC@0.1'):
        assert key in metrics and metrics[key] == metrics[key]  # not NaN
    with open(dump, 'rb') as f:
        preds = pickle.load(f)
    assert len(preds) == 4
    assert preds[0]['pred_instances']['keypoints'].shape == (1, 98, 2)
    pictures = [f for _, _, fs in os.walk(show) for f in fs]
    assert len(pictures) == 4

    # MMPose's own inferencer, offline, on one image with a given face box
    with open(osp.join(data, 'annotations',
                       'face_landmarks_wflw_test.json')) as f:
        ann = json.load(f)
    img = osp.join(data, 'WFLW_images', ann['images'][0]['file_name'])
    code = (
        'import sys, json\n'
        'from awing_mmpose.utils import checkpoint_loading\n'
        'from mmpose.apis import MMPoseInferencer\n'
        'with checkpoint_loading():\n'
        f'    inf = MMPoseInferencer(pose2d={CFG!r}, '
        f"pose2d_weights={ckpt!r}, device='cpu', det_model='whole_image')\n"
        f'res = next(inf({img!r}))\n'
        "kp = res['predictions'][0][0]['keypoints']\n"
        'print(json.dumps([len(kp), len(kp[0])]))\n')
    proc = run('-c', code)
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == [98, 2]


def test_train_rejects_unknown_config_key(tmp_path, run_tool):
    run = run_tool
    proc = run('tools/train.py', CFG, '--work-dir', str(tmp_path),
               '--cfg-options', 'train_cfg.max_epoch=1', check=False)
    assert proc.returncode != 0
    assert "max_epoch" in proc.stderr and 'max_epochs' in proc.stderr
    proc = run('tools/train.py', 'configs/missing.py', check=False)
    assert proc.returncode != 0 and 'configs/missing.py' in proc.stderr


def test_torchrun_two_processes_on_cpu(data, tmp_path, run_tool):
    """torchrun + --launcher pytorch on a machine without CUDA: gloo, DDP
    on CPU modules, metrics gathered from both ranks."""
    work = str(tmp_path / 'dist')
    proc = run_tool('-m', 'torch.distributed.run', '--nproc_per_node=2',
                    '--master_port=29561', 'tools/train.py', CFG,
                    '--launcher', 'pytorch', '--work-dir', work,
                    *options(data, 1))
    log = proc.stdout + proc.stderr
    assert 'Distributed training: True' in log
    assert osp.isfile(osp.join(work, 'epoch_1.pth'))
    # the 4 test faces are split over 2 ranks and gathered for the metric
    assert '#images         4' in log
