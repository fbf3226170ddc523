"""NonFiniteLossHook in MMEngine's Runner: a NaN / infinite loss injected at
iteration 3 (through the data) stops training or skips the step, and no
checkpoint with non-finite weights is written."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch import nn
from torch.utils.data import Dataset

from awing_mmpose.engine import NonFiniteLossHook

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


class ToyRegressor(BaseModel):
    """y = w x + b with a squared loss named ``loss_fit``."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        out = self.linear(inputs)  # (B, 1)
        if mode == 'loss':
            return dict(loss_fit=(out - 1).pow(2).mean())
        return out


class Points(Dataset):
    """Item i is the point (1, 2); the items in ``bad`` hold ``value``."""

    def __init__(self, n, bad=(), value=float('nan')):
        self.n, self.bad, self.value = n, set(bad), value

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        x = torch.tensor([1., 2.])
        if i in self.bad:
            x[0] = self.value
        return dict(inputs=x)


def make_runner(work_dir, dataset, hook=None, iters=5):
    torch.manual_seed(0)
    return Runner(
        model=ToyRegressor(),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=dataset,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='default_collate'),
            batch_size=1,
            num_workers=0),
        optim_wrapper=dict(
            optimizer=dict(
                type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-3)),
        train_cfg=dict(by_epoch=False, max_iters=iters),
        default_hooks=dict(
            checkpoint=dict(
                type='CheckpointHook', interval=1, by_epoch=False),
            logger=dict(type='LoggerHook', interval=1)),
        custom_hooks=[hook] if hook else None,
        default_scope='mmpose',
        experiment_name=f'nonfinite_{osp.basename(str(work_dir))}')


def weights(path):
    return torch.load(path, map_location='cpu',
                      weights_only=False)['state_dict']


def all_finite(state):
    return all(torch.isfinite(v).all() for v in state.values())


def test_without_the_hook_nan_reaches_a_checkpoint(tmp_path):
    """What the hook prevents: the NaN step is taken and saved."""
    runner = make_runner(tmp_path, Points(5, bad=[2]))
    runner.train()
    assert not all_finite(weights(tmp_path / 'iter_3.pth'))


def test_stop_names_iteration_and_loss_term(tmp_path):
    runner = make_runner(tmp_path, Points(5, bad=[2]),
                         dict(type='awing_mmpose.NonFiniteLossHook'))
    with pytest.raises(FloatingPointError,
                       match=r'iteration 3: non-finite loss: .*'
                       r'loss_fit = nan.*step was skipped'):
        runner.train()
    assert osp.isfile(tmp_path / 'iter_2.pth')
    assert not osp.isfile(tmp_path / 'iter_3.pth')
    # the weights in memory are still those saved after iteration 2
    now = runner.model.state_dict()
    assert all(torch.equal(now[k], v)
               for k, v in weights(tmp_path / 'iter_2.pth').items())


def test_skip_leaves_weights_and_optimizer_untouched(tmp_path):
    hook = NonFiniteLossHook(action='skip')
    runner = make_runner(tmp_path, Points(5, bad=[2], value=float('inf')),
                         hook)
    runner.train()
    assert hook.skipped_steps == 1
    for i in range(1, 6):
        assert all_finite(weights(tmp_path / f'iter_{i}.pth'))
    before, skipped = (torch.load(tmp_path / f'iter_{i}.pth',
                                  weights_only=False) for i in (2, 3))
    for k, v in before['state_dict'].items():
        assert torch.equal(skipped['state_dict'][k], v)
    mom = [s['momentum_buffer'] for s in
           before['optimizer']['state'].values()]
    mom3 = [s['momentum_buffer'] for s in
            skipped['optimizer']['state'].values()]
    assert all(torch.equal(a, b) for a, b in zip(mom, mom3))
    # iteration 4 trains again
    after = weights(tmp_path / 'iter_4.pth')
    assert not torch.equal(after['linear.weight'],
                           before['state_dict']['linear.weight'])


def test_skip_gives_up_after_consecutive_failures(tmp_path):
    hook = NonFiniteLossHook(action='skip', max_consecutive_skips=2)
    runner = make_runner(tmp_path, Points(5, bad=[1, 2, 3]), hook)
    with pytest.raises(FloatingPointError, match='iteration 3.*2 non-finite'
                       ' steps in a row'):
        runner.train()


@pytest.mark.slow
def test_checkpoint_with_non_finite_weights_is_not_written(tmp_path):
    runner = make_runner(tmp_path, Points(3), NonFiniteLossHook())
    runner.train()
    with torch.no_grad():
        runner.model.linear.bias.fill_(float('nan'))
    with pytest.raises(FloatingPointError, match=r'linear\.bias'):
        runner.save_checkpoint(str(tmp_path), 'bad.pth')
    assert not osp.isfile(tmp_path / 'bad.pth')


def test_bad_arguments():
    with pytest.raises(ValueError, match='action'):
        NonFiniteLossHook(action='ignore')
    with pytest.raises(ValueError, match='max_consecutive_skips'):
        NonFiniteLossHook(max_consecutive_skips=0)


def test_configs_use_the_hook():
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'awing_demo.py'))
    types = [h['type'] for h in cfg.custom_hooks]
    assert 'awing_mmpose.NonFiniteLossHook' in types
    assert 'SyncBuffersHook' in types  # MMPose's default is kept
