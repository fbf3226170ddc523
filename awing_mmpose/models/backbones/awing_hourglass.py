"""The stacked hourglass of "Adaptive Wing Loss for Robust Face Alignment"
(Wang, Bo, Fuxin, ICCV 2019), as an MMPose backbone.

Network (``docs/method.md`` section 5; the authors' ``FAN(num_modules=4,
end_relu=False)``), for an (N, 3, H, W) image (256x256 in the paper):

* Stem: CoordConv (image + x, y [+ r]) -> 7x7 stride-2 conv to 64 (with
  bias) -> norm -> ReLU -> block 64->128 -> 2x2 avg pool -> block 128->128
  -> block 128->F: features (N, F, H/4, W/4), F = ``feat_channels``.
* Stack s = 0..S-1 (S = ``num_stacks``):
  ``h = coord_conv(features[, boundary coords of H_{s-1}])`` (1x1 conv with
  bias to F; stacks after the first also get the 2 boundary-coordinate
  channels), ``h = hourglass(h)`` (depth D = ``hg_depth``),
  ``ll = relu(norm(conv1x1(block(h))))``, heatmaps
  ``H_s = heatmap_conv(ll)`` (1x1 to ``num_heatmaps`` = K + 1, the boundary
  heatmap LAST). Between stacks:
  ``features = features + feat_remap(ll) + heatmap_remap(H_s)``.
* Hourglass of depth d on x: ``up1(x) + upsample_nearest(low3(low2(low1(
  avgpool2(x)))))`` where ``low2`` is the hourglass of depth d-1, or a block
  at d = 1; every ``up1/low1/low3`` (and the innermost ``low2``) is a
  :class:`PreActResidualBlock` F->F.

The output is the tuple (H_0, ..., H_{S-1}), each (N, K+1, H/4, W/4), for
intermediate supervision by the head. With S = 4, K = 98, F = 256, D = 4 the
backbone has exactly as many parameters as the authors' network (see
``tests/test_models/test_backbones/test_awing_hourglass.py``).
"""
from collections import OrderedDict
from typing import Optional, Sequence, Tuple

import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_norm_layer
from mmpose.models.backbones.base_backbone import BaseBackbone
from torch import Tensor
from torch.nn.modules.batchnorm import _BatchNorm

from awing_mmpose.registry import MODELS
from .coord_conv import CoordConv2d, canonical_coord_order
from .preact_residual_block import PreActResidualBlock


class AWingHourglassModule(nn.Module):
    """One hourglass of depth ``depth`` (average-pool down, nearest up).

    Args:
        depth (int): D >= 1, number of down-samplings.
        channels (int): F, kept through the whole hourglass.
        norm_cfg (dict): normalisation config of the blocks.

    Shapes:
        (N, F, H, W) -> (N, F, H, W); H and W need not be multiples of 2^D
        (up-sampling goes to the skip branch's size).
    """

    def __init__(self, depth: int, channels: int,
                 norm_cfg: dict = dict(type='BN')):
        super().__init__()
        if depth < 1:
            raise ValueError(f'AWingHourglassModule: depth must be >= 1, got '
                             f'{depth}')
        self.depth = depth
        self.up1 = PreActResidualBlock(channels, channels, norm_cfg)
        self.low1 = PreActResidualBlock(channels, channels, norm_cfg)
        if depth > 1:
            self.low2 = AWingHourglassModule(depth - 1, channels, norm_cfg)
        else:
            self.low2 = PreActResidualBlock(channels, channels, norm_cfg)
        self.low3 = PreActResidualBlock(channels, channels, norm_cfg)

    def forward(self, x: Tensor) -> Tensor:
        up1 = self.up1(x)
        low = self.low3(self.low2(self.low1(F.avg_pool2d(x, 2, stride=2))))
        up2 = F.interpolate(low, size=up1.shape[-2:], mode='nearest')
        return up1 + up2


class AWingStack(nn.Module):
    """One stack: CoordConv -> hourglass -> block -> 1x1 conv-norm-ReLU ->
    1x1 heatmap conv, plus the remaps that feed the next stack.

    Args:
        feat_channels (int): F.
        num_heatmaps (int): K + 1 (boundary heatmap last).
        hg_depth (int): D.
        with_boundary (bool): CoordConv with boundary coordinates (all
            stacks but the first).
        with_remap (bool): build ``feat_remap``/``heatmap_remap`` (all stacks
            but the last).
        with_r, boundary_threshold, coord_order: of :class:`CoordConv2d`.
        norm_cfg (dict): normalisation config.

    Parameter names (the authors' in brackets, i = stack index):
    ``coord_conv.conv`` [m{i}.coordconv.conv], ``hourglass`` [m{i}.b*],
    ``block`` [top_m_{i}], ``out_conv.conv`` [conv_last{i}],
    ``out_conv.norm`` [bn_end{i}], ``heatmap_conv`` [l{i}],
    ``feat_remap`` [bl{i}], ``heatmap_remap`` [al{i}].
    """

    def __init__(self, feat_channels: int, num_heatmaps: int, hg_depth: int,
                 with_boundary: bool, with_remap: bool, with_r: bool = True,
                 boundary_threshold: float = 0.05, coord_order: str = 'xy',
                 norm_cfg: dict = dict(type='BN')):
        super().__init__()
        self.coord_conv = CoordConv2d(
            feat_channels, feat_channels, kernel_size=1, bias=True,
            with_r=with_r, with_boundary=with_boundary,
            boundary_threshold=boundary_threshold, coord_order=coord_order)
        self.hourglass = AWingHourglassModule(hg_depth, feat_channels,
                                              norm_cfg)
        self.block = PreActResidualBlock(feat_channels, feat_channels,
                                         norm_cfg)
        self.out_conv = nn.Sequential(OrderedDict(
            conv=nn.Conv2d(feat_channels, feat_channels, 1, bias=True),
            norm=build_norm_layer(norm_cfg, feat_channels)[1],
            act=nn.ReLU(inplace=True)))
        self.heatmap_conv = nn.Conv2d(feat_channels, num_heatmaps, 1)
        if with_remap:
            self.feat_remap = nn.Conv2d(feat_channels, feat_channels, 1)
            self.heatmap_remap = nn.Conv2d(num_heatmaps, feat_channels, 1)
        else:
            self.feat_remap = None
            self.heatmap_remap = None

    def forward(self, feats: Tensor, prev_heatmaps: Optional[Tensor]
                ) -> Tuple[Tensor, Tensor]:
        """(N, F, h, w), (N, K+1, h, w) or None -> heatmaps (N, K+1, h, w)
        and ``ll`` (N, F, h, w), the features before the heatmap conv."""
        x = self.coord_conv(feats, prev_heatmaps)
        x = self.hourglass(x)
        ll = self.out_conv(self.block(x))
        return self.heatmap_conv(ll), ll

    def next_features(self, feats: Tensor, ll: Tensor, heatmaps: Tensor
                      ) -> Tensor:
        """features + feat_remap(ll) + heatmap_remap(heatmaps)."""
        return feats + self.feat_remap(ll) + self.heatmap_remap(heatmaps)


@MODELS.register_module()
class AWingHourglass(BaseBackbone):
    """Stacked hourglass with CoordConv and boundary coordinates (AWing).

    Args:
        in_channels (int): image channels. Default 3 (RGB, the authors feed
            ``image / 255`` without mean/std).
        num_stacks (int): S, hourglass stacks. Default 4.
        num_heatmaps (int): K + 1 output channels per stack: K landmark
            heatmaps, then the boundary heatmap (LAST channel). Default 99
            (WFLW, K = 98).
        feat_channels (int): F, features of the hourglasses (multiple of 4).
            Default 256.
        stem_channels (Sequence[int]): channels after the 7x7 conv and the
            first two stem blocks. Default (64, 128, 128).
        hg_depth (int): D, down-samplings per hourglass. Default 4.
        with_coord (bool): CoordConv x, y channels (on the image and before
            every hourglass). Default True.
        with_radius (bool): also the radius channel r. Default True.
        boundary_coords (bool): stacks after the first get the 2
            boundary-coordinate channels computed from the previous stack's
            LAST heatmap channel. Default True.
        boundary_threshold (float): boundary pixels are where
            clamp(B, 0, 1) > threshold. Default 0.05.
        coord_order (str): ``'xy'`` (default) or ``'yx'``/``'official'``, the
            order of the coordinate channels (see
            :mod:`awing_mmpose.models.backbones.coord_conv`).
        norm_cfg (dict): normalisation. Default ``dict(type='BN')``.
        norm_eval (bool): keep norm layers in eval mode while training.
        init_cfg (dict | list[dict], optional): MMEngine init config; None
            keeps PyTorch's default initialisation, as the authors.

    Shapes:
        ``forward``: (N, in_channels, H, W) -> tuple of S tensors
        (N, num_heatmaps, H/4, W/4) (floor division by 2 twice).

    Example:
        >>> m = AWingHourglass(num_stacks=2, num_heatmaps=5, feat_channels=16,
        ...                    hg_depth=2)
        >>> [tuple(o.shape) for o in m(torch.rand(1, 3, 64, 64))]
        [(1, 5, 16, 16), (1, 5, 16, 16)]
    """

    def __init__(self,
                 in_channels: int = 3,
                 num_stacks: int = 4,
                 num_heatmaps: int = 99,
                 feat_channels: int = 256,
                 stem_channels: Sequence[int] = (64, 128, 128),
                 hg_depth: int = 4,
                 with_coord: bool = True,
                 with_radius: bool = True,
                 boundary_coords: bool = True,
                 boundary_threshold: float = 0.05,
                 coord_order: str = 'xy',
                 norm_cfg: dict = dict(type='BN'),
                 norm_eval: bool = False,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if num_stacks < 1:
            raise ValueError(f'AWingHourglass: num_stacks must be >= 1, got '
                             f'{num_stacks}')
        if num_heatmaps < 1:
            raise ValueError(f'AWingHourglass: num_heatmaps must be >= 1, got '
                             f'{num_heatmaps}')
        if len(stem_channels) != 3:
            raise ValueError('AWingHourglass: stem_channels needs 3 values, '
                             f'got {stem_channels}')
        if boundary_coords and not with_coord:
            raise ValueError('AWingHourglass: boundary_coords=True needs '
                             'with_coord=True (CoordConv with boundary '
                             'coordinates)')
        if with_radius and not with_coord:
            raise ValueError('AWingHourglass: with_radius=True needs '
                             'with_coord=True')
        self.in_channels = in_channels
        self.num_stacks = num_stacks
        self.num_heatmaps = num_heatmaps
        self.feat_channels = feat_channels
        self.hg_depth = hg_depth
        self.with_coord = with_coord
        self.boundary_coords = boundary_coords
        self.coord_order = canonical_coord_order(coord_order)
        self.norm_eval = norm_eval
        c0, c1, c2 = stem_channels

        if with_coord:
            self.stem_conv = CoordConv2d(
                in_channels, c0, kernel_size=7, stride=2, padding=3,
                bias=True, with_r=with_radius, coord_order=coord_order)
        else:
            self.stem_conv = nn.Conv2d(in_channels, c0, 7, 2, 3, bias=True)
        self.stem_norm = build_norm_layer(norm_cfg, c0)[1]
        self.stem_block1 = PreActResidualBlock(c0, c1, norm_cfg)
        self.stem_block2 = PreActResidualBlock(c1, c2, norm_cfg)
        self.stem_block3 = PreActResidualBlock(c2, feat_channels, norm_cfg)

        stacks = []
        for i in range(num_stacks):
            stack = AWingStack(
                feat_channels, num_heatmaps, hg_depth,
                with_boundary=boundary_coords and i > 0,
                with_remap=i < num_stacks - 1,
                with_r=with_radius,
                boundary_threshold=boundary_threshold,
                coord_order=coord_order, norm_cfg=norm_cfg)
            if not with_coord:  # plain 1x1 conv instead of the CoordConv
                stack.coord_conv = _PlainConv(feat_channels)
            stacks.append(stack)
        self.stacks = nn.ModuleList(stacks)

    def stem(self, x: Tensor) -> Tensor:
        """(N, C, H, W) image -> (N, F, H/4, W/4) features."""
        if x.dim() != 4 or x.shape[1] != self.in_channels:
            raise ValueError(
                f'AWingHourglass expects (N, {self.in_channels}, '
                f'H, W) input, got shape {tuple(x.shape)}')
        x = F.relu(self.stem_norm(self.stem_conv(x)))
        x = F.avg_pool2d(self.stem_block1(x), 2, stride=2)
        return self.stem_block3(self.stem_block2(x))

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """(N, C, H, W) -> tuple of S heatmaps, each (N, K+1, H/4, W/4)."""
        feats = self.stem(x)
        if min(feats.shape[-2:]) < 2 ** self.hg_depth:
            raise ValueError(
                f'AWingHourglass: input {tuple(x.shape[-2:])} too small: the '
                f'features (H/4, W/4) = {tuple(feats.shape[-2:])} must be at '
                f'least 2^hg_depth = {2 ** self.hg_depth} on each side')
        outs = []
        heatmaps = None
        for i, stack in enumerate(self.stacks):
            heatmaps, ll = stack(feats, heatmaps)
            outs.append(heatmaps)
            if i < self.num_stacks - 1:
                feats = stack.next_features(feats, ll, heatmaps)
        return tuple(outs)

    def train(self, mode: bool = True):
        super().train(mode)
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
        return self


class _PlainConv(nn.Module):
    """1x1 conv F->F with bias, used instead of the CoordConv when
    ``with_coord=False`` (ablation); ignores the heatmaps."""

    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 1, bias=True)

    def forward(self, x: Tensor, heatmap: Optional[Tensor] = None) -> Tensor:
        return self.conv(x)
