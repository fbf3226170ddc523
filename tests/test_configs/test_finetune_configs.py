"""Fine-tuning configs start from the shipped pretrained model: the WFLW one
loads every weight and trains; the 300W / COFW ones load every weight whose
shape does not depend on the number of landmarks."""
import os.path as osp

import pytest
import torch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
FT = osp.join(ROOT, 'configs', 'finetune')


@pytest.mark.slow
def test_wflw_finetune_loads_pretrained_weights_and_trains(
        tmp_path_factory, wflw_faces, run_tool):
    from awing_mmpose.pretrained import pretrained_files
    data = wflw_faces(tmp_path_factory.mktemp('ft'), num_train=8,
                      num_test=2, seed=5)
    work = str(tmp_path_factory.mktemp('ft_work'))
    opts = [f'train_dataloader.dataset.data_root={data}/',
            f'test_dataloader.dataset.data_root={data}/',
            'train_dataloader.batch_size=4', 'train_dataloader.num_workers=0',
            'train_dataloader.persistent_workers=False',
            'train_cfg.max_epochs=1', 'default_hooks.logger.interval=1']
    proc = run_tool('tools/train.py',
                    osp.join(FT, 'awing_pretrained_wflw.py'), '--work-dir',
                    work, '--cfg-options', *opts)
    log = proc.stdout + proc.stderr
    assert 'Load checkpoint from awing://synthetic_wflw' in log
    assert 'size mismatch' not in log and 'missing keys' not in log
    pre = torch.load(pretrained_files()[1], weights_only=True)['state_dict']
    ckpt = torch.load(osp.join(work, 'epoch_1.pth'), weights_only=False)
    post = ckpt['state_dict']
    assert set(pre) == set(post)
    # two Adam steps at a small learning rate: moved, but still near the
    # pretrained weights (a fresh initialisation would be far)
    moved = [float((post[k] - pre[k]).abs().max()) for k in pre
             if pre[k].ndim == 4]
    assert max(moved) > 0
    assert max(moved) < 0.05


@pytest.mark.parametrize('name,k', [('300w', 68), ('cofw', 29)])
def test_other_layouts_load_all_but_the_heatmap_layers(name, k):
    from mmengine.config import Config
    from mmengine.runner import load_checkpoint
    from mmpose.apis import init_model

    from awing_mmpose.utils import checkpoint_loading
    cfg = Config.fromfile(osp.join(FT, f'awing_pretrained_{name}.py'))
    assert cfg.load_from == 'awing://synthetic_wflw'
    model = init_model(cfg, None, device='cpu')
    with checkpoint_loading():
        ckpt = load_checkpoint(model, cfg.load_from, strict=False,
                               logger='silent')
    own = model.state_dict()
    skipped = [n for n, v in ckpt['state_dict'].items()
               if n in own and own[n].shape != v.shape]
    loaded = [n for n, v in ckpt['state_dict'].items()
              if n in own and own[n].shape == v.shape]
    assert skipped and all(k + 1 in own[n].shape for n in skipped)
    assert len(loaded) > 4 * len(skipped)
    for n in loaded:
        torch.testing.assert_close(own[n], ckpt['state_dict'][n])
