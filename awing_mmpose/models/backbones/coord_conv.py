"""CoordConv with boundary coordinates (Wang et al., ICCV 2019, Sec. 4.3).

The paper appends coordinate channels to a convolution's input ("CoordConv",
Liu et al. 2018) and, for every hourglass after the first, two more channels
that hold the coordinates of the pixels that the previous stack marks as
facial boundary ("CoordConv with boundary coordinates").

Channel layout of what :class:`CoordConv2d` feeds to its convolution
(``coord_order='xy'``, this package's default)::

    [features (C), x, y, r, bx, by]      # r only if with_r,
                                         # bx, by only if with_boundary

* ``x`` varies along the width (column index j): ``x = 2 j / (W - 1) - 1``;
  ``y`` along the height (row index i): ``y = 2 i / (H - 1) - 1``; both in
  [-1, 1], equal to -1 at the first pixel centre and 1 at the last.
* ``r = sqrt(x^2 + y^2) / max(sqrt(x^2 + y^2))`` in [0, 1] (the maximum,
  sqrt(2), sits at the corners).
* ``bx = x`` where ``clamp(B, 0, 1) > boundary_threshold`` else 0, and
  likewise ``by``, with ``B`` the previous stack's boundary heatmap (the last
  heatmap channel), shape (N, 1, H, W).

``coord_order='yx'`` (alias ``'official'``) swaps x and y and bx and by:
``[features, y, x, r, by, bx]``. This is the channel order of the authors'
``AddCoordsTh``: its ``xx_channel`` is, after its ``permute(0, 3, 2, 1)``,
constant along each row and varies with the *row* index (it is our ``y``),
and its ``yy_channel`` varies with the column index (our ``x``). Because the
coordinate channels only enter through the convolution's input channels, the
two orders are equivalent up to a permutation of the convolution weight's
input channels, which is what the checkpoint converter does by default
(:mod:`awing_mmpose.models.backbones.official_checkpoint`); ``'yx'`` lets a
converted checkpoint be used with the authors' weight layout unchanged.

Gradients: the boundary mask is a step function of the heatmap, so no
gradient flows from the boundary-coordinate channels into the previous
stack's heatmap (also true of the authors' ``torch.where``; they do not
detach, and neither do we: there is nothing to detach).
"""
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn
from torch import Tensor

COORD_ORDERS = ('xy', 'yx')
_COORD_ORDER_ALIASES = {'xy': 'xy', 'yx': 'yx', 'official': 'yx'}


def canonical_coord_order(coord_order: str) -> str:
    """Return ``'xy'`` or ``'yx'`` for ``coord_order`` (``'official'`` ->
    ``'yx'``); raise ``ValueError`` naming the bad value otherwise."""
    try:
        return _COORD_ORDER_ALIASES[coord_order]
    except (KeyError, TypeError):
        raise ValueError(
            f'CoordConv2d: coord_order must be one of '
            f"{sorted(_COORD_ORDER_ALIASES)}, got {coord_order!r}") from None


def make_coord_channels(height: int,
                        width: int,
                        with_r: bool = True,
                        coord_order: str = 'xy',
                        device=None,
                        dtype=None) -> Tensor:
    """Coordinate channels of a (height, width) grid.

    Args:
        height (int): H. width (int): W.
        with_r (bool): append the normalised radius r.
        coord_order (str): ``'xy'`` -> channels (x, y[, r]); ``'yx'`` /
            ``'official'`` -> (y, x[, r]).

    Returns:
        Tensor: shape (1, 2 or 3, H, W). x = 2 j / (W - 1) - 1 along the
        width, y = 2 i / (H - 1) - 1 along the height (0 where the size is 1),
        r = |(x, y)| / max |(x, y)| (0 everywhere on a 1x1 grid).
    """
    order = canonical_coord_order(coord_order)
    if height < 1 or width < 1:
        raise ValueError('make_coord_channels: grid size must be '
                         f'positive, got {height}x{width}')
    # float32 and the authors' operation order (i / (n - 1) * 2 - 1, then
    # r / max r): bit-identical to their channels, whatever ``dtype``.
    kw = dict(device=device, dtype=torch.float32)
    xs = torch.arange(width, **kw) / max(width - 1, 1) * 2 - 1
    ys = torch.arange(height, **kw) / max(height - 1, 1) * 2 - 1
    if width == 1:
        xs = torch.zeros_like(xs)
    if height == 1:
        ys = torch.zeros_like(ys)
    x = xs.view(1, width).expand(height, width)
    y = ys.view(height, 1).expand(height, width)
    chans = [x, y] if order == 'xy' else [y, x]
    if with_r:
        r = torch.sqrt(torch.pow(x, 2) + torch.pow(y, 2))
        r = r / r.max().clamp_min(torch.finfo(r.dtype).tiny)
        chans.append(r)
    out = torch.stack(chans, 0).unsqueeze(0).contiguous()
    return out.to(dtype=dtype) if dtype is not None else out


def boundary_coord_channels(heatmap: Tensor,
                            coords: Tensor,
                            threshold: float = 0.05) -> Tensor:
    """Boundary-coordinate channels (paper: "CoordConv with boundary
    coordinates").

    Args:
        heatmap (Tensor): the previous stack's heatmaps (N, K+1, H, W); the
            LAST channel is the boundary heatmap B.
        coords (Tensor): (1, >=2, H, W) coordinate channels whose first two
            channels are the two coordinates in the wanted order
            (from :func:`make_coord_channels`).
        threshold (float): a pixel is boundary where clamp(B, 0, 1) > it.

    Returns:
        Tensor: (N, 2, H, W): the two coordinates where B is boundary, else 0.
        Carries no gradient to ``heatmap`` (the mask is a step function).
    """
    boundary = heatmap[:, -1:].clamp(0.0, 1.0)
    mask = boundary > threshold
    xy = coords[:, :2].to(dtype=heatmap.dtype)
    return torch.where(mask, xy, torch.zeros((), dtype=xy.dtype,
                                             device=xy.device))


class CoordConv2d(nn.Module):
    """CoordConv (optionally with boundary coordinates) followed by a conv.

    Args:
        in_channels (int): C, channels of the feature input.
        out_channels (int): channels of the output.
        kernel_size, stride, padding, bias: of the ``nn.Conv2d`` (attribute
            ``conv``, input channels C + 2 [+1 if with_r] [+2 if
            with_boundary]).
        with_r (bool): add the radius channel r.
        with_boundary (bool): add the 2 boundary-coordinate channels; then
            ``forward`` needs the previous stack's heatmaps.
        boundary_threshold (float): threshold on the boundary heatmap.
        coord_order (str): ``'xy'`` (default) or ``'yx'``/``'official'``
            (the authors' order), see the module docstring.

    Shapes:
        x: (N, C, H, W); heatmap: (N, K+1, H, W) -> (N, out_channels, H', W').
    """

    _CACHE_SIZE = 8

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 kernel_size: int = 1,
                 stride: int = 1,
                 padding: int = 0,
                 bias: bool = True,
                 with_r: bool = True,
                 with_boundary: bool = False,
                 boundary_threshold: float = 0.05,
                 coord_order: str = 'xy'):
        super().__init__()
        self.in_channels = in_channels
        self.with_r = with_r
        self.with_boundary = with_boundary
        self.boundary_threshold = float(boundary_threshold)
        self.coord_order = canonical_coord_order(coord_order)
        self.num_extra_channels = 2 + int(with_r) + 2 * int(with_boundary)
        self.conv = nn.Conv2d(
            in_channels + self.num_extra_channels,
            out_channels,
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
            bias=bias)
        self._coord_cache: Dict[Tuple, Tensor] = {}

    def coord_channels(self, x: Tensor) -> Tensor:
        """(1, 2 or 3, H, W) coordinate channels for ``x``'s size, device and
        dtype (cached per key, at most ``_CACHE_SIZE`` entries)."""
        h, w = x.shape[-2:]
        key = (h, w, x.device, x.dtype)
        coords = self._coord_cache.get(key)
        if coords is None:
            coords = make_coord_channels(h, w, self.with_r, self.coord_order,
                                         x.device, x.dtype)
            if len(self._coord_cache) >= self._CACHE_SIZE:
                self._coord_cache.clear()
            self._coord_cache[key] = coords
        return coords

    def add_coords(self, x: Tensor, heatmap: Optional[Tensor] = None
                   ) -> Tensor:
        """Concatenate the coordinate channels to ``x``: (N, C, H, W) ->
        (N, C + num_extra_channels, H, W)."""
        if x.dim() != 4 or x.shape[1] != self.in_channels:
            raise ValueError(
                f'CoordConv2d expects (N, {self.in_channels}, H, '
                f'W) input, got shape {tuple(x.shape)}')
        n = x.shape[0]
        coords = self.coord_channels(x)
        parts = [x, coords.expand(n, -1, -1, -1)]
        if self.with_boundary:
            if heatmap is None:
                raise ValueError(
                    'CoordConv2d(with_boundary=True) needs the '
                    'previous stack\'s heatmaps')
            if heatmap.shape[0] != n or heatmap.shape[-2:] != x.shape[-2:]:
                raise ValueError(
                    f'CoordConv2d: heatmap shape {tuple(heatmap.shape)} does '
                    f'not match features {tuple(x.shape)}')
            parts.append(
                boundary_coord_channels(heatmap, coords,
                                        self.boundary_threshold).to(x.dtype))
        return torch.cat(parts, dim=1)

    def forward(self, x: Tensor, heatmap: Optional[Tensor] = None) -> Tensor:
        return self.conv(self.add_coords(x, heatmap))

    def extra_repr(self) -> str:
        return (f'with_r={self.with_r}, with_boundary={self.with_boundary}, '
                f'boundary_threshold={self.boundary_threshold}, '
                f'coord_order={self.coord_order!r}')
