"""PyTorch's element-wise losses under the ``awing_mmpose`` scope, so that
:class:`WeightedLossMap` can wrap them by config (e.g. the MSE rows of the
paper's ablation with a loss map): ``dict(type='awing_mmpose.MSELoss')``."""
import torch.nn as nn

from awing_mmpose.registry import MODELS

MODELS.register_module(name='MSELoss', module=nn.MSELoss)
MODELS.register_module(name='L1Loss', module=nn.L1Loss)
MODELS.register_module(name='SmoothL1Loss', module=nn.SmoothL1Loss)
