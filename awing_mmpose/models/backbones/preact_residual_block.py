"""Pre-activation multi-scale residual block of the AWing hourglass.

The block of the authors' FAN (their ``ConvBlock``, after Bulat &
Tzimiropoulos' hierarchical, parallel and multi-scale block)::

    out1 = conv1(relu(norm1(x)))        # 3x3, C_in  -> C/2
    out2 = conv2(relu(norm2(out1)))     # 3x3, C/2   -> C/4
    out3 = conv3(relu(norm3(out2)))     # 3x3, C/4   -> C/4
    y = cat(out1, out2, out3) + shortcut(x)

``shortcut`` is the identity when C_in == C (= out_channels), else
norm-ReLU-1x1 conv (no bias). All 3x3 convs have no bias and padding 1.
"""
import torch
import torch.nn as nn
from mmcv.cnn import build_norm_layer
from torch import Tensor


class PreActResidualBlock(nn.Module):
    """Pre-activation residual block with three chained 3x3 branches.

    Args:
        in_channels (int): C_in.
        out_channels (int): C, must be a multiple of 4.
        norm_cfg (dict): normalisation layer config, default BN.

    Shapes:
        (N, C_in, H, W) -> (N, C, H, W).

    Parameter names: ``norm1 conv1 norm2 conv2 norm3 conv3`` and, when
    C_in != C, ``shortcut.0`` (norm), ``shortcut.2`` (1x1 conv).
    """

    def __init__(self, in_channels: int, out_channels: int,
                 norm_cfg: dict = dict(type='BN')):
        super().__init__()
        if out_channels % 4 != 0:
            raise ValueError(
                'PreActResidualBlock: out_channels must be a multiple of 4, '
                f'got {out_channels}')
        half, quarter = out_channels // 2, out_channels // 4
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.norm1 = build_norm_layer(norm_cfg, in_channels)[1]
        self.conv1 = nn.Conv2d(in_channels, half, 3, 1, 1, bias=False)
        self.norm2 = build_norm_layer(norm_cfg, half)[1]
        self.conv2 = nn.Conv2d(half, quarter, 3, 1, 1, bias=False)
        self.norm3 = build_norm_layer(norm_cfg, quarter)[1]
        self.conv3 = nn.Conv2d(quarter, quarter, 3, 1, 1, bias=False)
        self.relu = nn.ReLU(inplace=False)
        if in_channels != out_channels:
            self.shortcut = nn.Sequential(
                build_norm_layer(norm_cfg, in_channels)[1],
                nn.ReLU(inplace=True),
                nn.Conv2d(in_channels, out_channels, 1, 1, 0, bias=False))
        else:
            self.shortcut = None

    def forward(self, x: Tensor) -> Tensor:
        out1 = self.conv1(self.relu(self.norm1(x)))
        out2 = self.conv2(self.relu(self.norm2(out1)))
        out3 = self.conv3(self.relu(self.norm3(out2)))
        residual = x if self.shortcut is None else self.shortcut(x)
        return torch.cat((out1, out2, out3), dim=1) + residual
