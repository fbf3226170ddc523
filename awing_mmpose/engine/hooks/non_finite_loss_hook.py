"""Stop (or skip the step) when a loss turns NaN or infinite."""
import logging
from typing import Dict, List, Optional

import torch
from mmengine.hooks import Hook
from mmengine.logging import print_log

from awing_mmpose.registry import HOOKS


def _non_finite_terms(outputs: Optional[dict]) -> Dict[str, float]:
    """The loss terms of ``outputs`` (MMEngine's ``log_vars``: ``loss``,
    ``loss_kpt``, ...) that are NaN or infinite, with their values."""
    bad = {}
    for name, value in (outputs or {}).items():
        if 'loss' not in name:
            continue
        value = torch.as_tensor(value).detach().float()
        if not torch.isfinite(value).all():
            bad[name] = float(value.flatten()[0]) if value.numel() == 1 \
                else float('nan')
    return bad


def _optimizers(optim_wrapper) -> List[torch.optim.Optimizer]:
    """The torch optimisers of an ``OptimWrapper`` or ``OptimWrapperDict``."""
    if hasattr(optim_wrapper, 'optim_wrappers'):
        return [w.optimizer for w in optim_wrapper.optim_wrappers.values()]
    return [optim_wrapper.optimizer]


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Guard training against NaN / infinite losses.

    * Before every optimiser step (a ``register_step_pre_hook`` on each
      torch optimiser) the gradients are checked; when one is NaN or
      infinite, all gradients are dropped (set to ``None``), so the optimiser
      leaves the weights and its state (momenta, RMS averages) untouched:
      a non-finite loss never reaches the weights.
    * After the iteration, a loss term of the model's output (``loss``,
      ``loss_kpt``, ...) that is NaN or infinite, or a dropped step, either
      stops training with a :class:`FloatingPointError` naming the iteration
      and the loss term (``action='stop'``, the default; the last checkpoint
      on disk is the one to resume from), or is logged as a skipped step
      (``action='skip'``; the non-finite values are then left out of the
      logged losses); ``max_consecutive_skips`` skipped steps in a row stop
      training anyway.
    * Before a checkpoint is written its ``state_dict`` is checked: a NaN or
      infinite weight stops training instead of writing the file.

    Args:
        action (str): ``'stop'`` or ``'skip'``. Defaults to ``'stop'``.
        max_consecutive_skips (int): with ``action='skip'``, stop after this
            many skipped steps in a row. Defaults to 10.
    """

    # after_train_iter before MMEngine's RuntimeInfoHook (which puts the
    # losses into the message hub for logging) and before checkpoints
    priority = 'HIGHEST'

    def __init__(self, action: str = 'stop', max_consecutive_skips: int = 10):
        if action not in ('stop', 'skip'):
            raise ValueError(f'NonFiniteLossHook: action must be "stop" or '
                             f'"skip", got {action!r}')
        if max_consecutive_skips < 1:
            raise ValueError('NonFiniteLossHook: max_consecutive_skips must '
                             f'be >= 1, got {max_consecutive_skips}')
        self.action = action
        self.max_consecutive_skips = max_consecutive_skips
        self.skipped_steps = 0  # in total
        self._consecutive = 0
        self._step_dropped = False
        self._handles = []

    # -- before each optimiser step -----------------------------------------
    def _drop_non_finite_step(self, optimizer, args, kwargs):
        grads = [
            p.grad for group in optimizer.param_groups
            for p in group['params'] if p.grad is not None
        ]
        if grads and not torch.stack(
                [torch.isfinite(g).all() for g in grads]).all():
            for group in optimizer.param_groups:
                for p in group['params']:
                    p.grad = None  # optimisers skip parameters without grad
            self._step_dropped = True

    def before_train(self, runner) -> None:
        self._handles = [
            opt.register_step_pre_hook(self._drop_non_finite_step)
            for opt in _optimizers(runner.optim_wrapper)
        ]

    def after_train(self, runner) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []

    # -- after each iteration ----------------------------------------------
    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        bad = _non_finite_terms(outputs)
        dropped, self._step_dropped = self._step_dropped, False
        if not bad and not dropped:
            self._consecutive = 0
            return
        where = f'iteration {runner.iter + 1}'
        if runner.train_loop.__class__.__name__.startswith('EpochBased'):
            where += f' (epoch {runner.epoch + 1}, batch {batch_idx + 1})'
        if bad:
            terms = ', '.join(f'{k} = {v}' for k, v in bad.items())
            what = f'non-finite loss: {terms}'
        else:
            what = 'non-finite gradient (every loss term is finite)'
        step = ('the optimiser step was skipped, the weights are unchanged'
                if dropped else 'the gradients were finite, the step was '
                'taken')
        self._consecutive += 1
        self.skipped_steps += int(dropped)
        if self.action == 'stop':
            raise FloatingPointError(
                f'{where}: {what}; {step}. Training stopped by '
                'NonFiniteLossHook (no checkpoint is written for this '
                'iteration); resume from the last checkpoint with a lower '
                'learning rate, or set the hook\'s action="skip" to skip '
                'such steps.')
        if self._consecutive >= self.max_consecutive_skips:
            raise FloatingPointError(
                f'{where}: {what}; {self._consecutive} non-finite steps in a '
                'row (max_consecutive_skips='
                f'{self.max_consecutive_skips}). Training stopped by '
                'NonFiniteLossHook.')
        print_log(f'{where}: {what}; {step} (NonFiniteLossHook, '
                  f'action="skip").', logger='current', level=logging.WARNING)
        for name in bad:  # keep NaN out of the smoothed losses in the log
            outputs.pop(name)

    # -- before a checkpoint is written -------------------------------------
    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        bad = [
            name for name, value in checkpoint.get('state_dict', {}).items()
            if torch.is_tensor(value) and value.is_floating_point()
            and not torch.isfinite(value).all()
        ]
        if bad:
            iteration = checkpoint.get('meta', {}).get('iter', runner.iter)
            shown = ', '.join(bad[:5]) + (' ...' if len(bad) > 5 else '')
            raise FloatingPointError(
                f'checkpoint of iteration {iteration}: {len(bad)} weight '
                f'tensor(s) hold '
                f'NaN or infinite values ({shown}); the checkpoint is not '
                'written (NonFiniteLossHook).')
