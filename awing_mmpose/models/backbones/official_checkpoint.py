"""Convert the authors' FAN state dict (github.com/protossw512/
AdaptiveWingLoss, ``core/models.py``) to :class:`AWingHourglass` keys.

Their network, ``FAN(num_modules=S, end_relu=False, gray_scale=False,
num_landmarks=K)``, has no separate head, so every tensor maps into our
backbone (prefix ``backbone.``). Key correspondence (i = stack, l = hourglass
level, D = depth = 4, block = their ``ConvBlock`` -> our
:class:`PreActResidualBlock`)::

    conv1.conv.*            -> stem_conv.conv.*        (CoordConvTh, 7x7 s2)
    bn1.*                   -> stem_norm.*
    conv2.* / conv3.* / conv4.*  -> stem_block1/2/3.*
    m{i}.coordconv.conv.*   -> stacks.{i}.coord_conv.conv.*
    m{i}.b1_{l}.*           -> stacks.{i}.hourglass{.low2 x (D-l)}.up1.*
    m{i}.b2_{l}.*           -> stacks.{i}.hourglass{.low2 x (D-l)}.low1.*
    m{i}.b2_plus_1.*        -> stacks.{i}.hourglass{.low2 x D}.*
    m{i}.b3_{l}.*           -> stacks.{i}.hourglass{.low2 x (D-l)}.low3.*
    top_m_{i}.*             -> stacks.{i}.block.*
    conv_last{i}.* / bn_end{i}.*  -> stacks.{i}.out_conv.conv.* / .norm.*
    l{i}.* / bl{i}.* / al{i}.*    -> stacks.{i}.heatmap_conv / feat_remap /
                                     heatmap_remap.*
    inside a block: bn1/bn2/bn3 -> norm1/norm2/norm3, conv1..3 unchanged,
                    downsample.0 / downsample.2 -> shortcut.0 / shortcut.2

Conventions that differ from ours (see also docs/official_checkpoint.md):

* Coordinate channels. Their ``AddCoordsTh`` builds ``xx_channel`` and then
  ``permute(0, 3, 2, 1)``s it, so ``xx_channel[..., i, j] = 2 i / (H-1) - 1``
  varies with the ROW index i (it is the vertical coordinate y), and
  ``yy_channel`` varies with the column j (horizontal x). Their conv input is
  ``[feat, xx(=y), yy(=x), r]`` (+ ``[xx_b(=y_b), yy_b(=x_b)]`` for
  hourglasses after the first), ours (``coord_order='xy'``) is
  ``[feat, x, y, r, x_b, y_b]``. A conv is linear in its input channels, so
  swapping the weight's input channels C <-> C+1 and C+3 <-> C+4 is exact;
  :func:`convert_official_state_dict` does that for ``coord_order='xy'``.
  With ``coord_order='yx'`` the weights are copied unchanged and the
  backbone must be built with ``coord_order='yx'`` (or ``'official'``).
  Their r is ``sqrt(xx^2 + yy^2) / max`` (symmetric: no change), and their
  coordinates are normalised by (dim - 1) exactly as ours.
* Input: their loader feeds RGB (PIL) ``image / 255`` with no mean/std, so
  an MMPose data preprocessor must use ``mean=[0, 0, 0], std=[255, 255,
  255], bgr_to_rgb=True`` (MMPose loads BGR). Their crop is 256x256.
* Output: heatmaps (N, K+1, 64, 64), boundary LAST; they decode
  ``outputs[-1][:, :-1]``. Their ``get_preds_fromhm`` returns
  ``argmax + 1 +- 0.25 - 0.5`` = ``idx + 0.5 +- 0.25`` in heatmap pixels,
  times 4 -> ``4 idx + 2 +- 1`` input pixels (their targets are drawn at
  ``landmark / 4 + 1`` in 1-based = ``landmark / 4`` 0-based, floored);
  MMPose's MSRA decoding maps the same argmax to ``4 idx +- 1``: a 2-pixel
  shift at 256 input to keep in mind when comparing NMEs.
* ``end_relu=True`` models applied ReLU to each output; that has no weights
  and is not part of this backbone (the released WFLW model uses False).
"""
import re
from collections import OrderedDict
from typing import Dict, List, Mapping, Optional, Tuple

import torch
from torch import Tensor


class OfficialCheckpointError(ValueError):
    """The state dict does not match the authors' FAN layout."""


_BLOCK_RENAMES = {
    'bn1': 'norm1', 'bn2': 'norm2', 'bn3': 'norm3',
    'conv1': 'conv1', 'conv2': 'conv2', 'conv3': 'conv3',
    'downsample.0': 'shortcut.0', 'downsample.2': 'shortcut.2',
}
_BLOCK_KEY = re.compile(
    r'^(bn[123]|conv[123]|downsample\.[02])\.'
    r'(weight|bias|running_mean|running_var|num_batches_tracked)$')
_HG_BRANCH = {'1': 'up1', '2': 'low1', '3': 'low3'}


def _block(rest: str) -> Optional[str]:
    m = _BLOCK_KEY.match(rest)
    if m is None:
        return None
    return f'{_BLOCK_RENAMES[m.group(1)]}.{m.group(2)}'


def _join(head: str, rest: Optional[str]) -> Optional[str]:
    return None if rest is None else f'{head}.{rest}'


def official_key_to_ours(key: str, hg_depth: int = 4) -> Optional[str]:
    """Our backbone key (without prefix) for one key of the authors' FAN,
    or None when ``key`` is not part of their layout."""
    m = re.match(r'^conv1\.conv\.(weight|bias)$', key)
    if m:
        return f'stem_conv.conv.{m.group(1)}'
    m = re.match(r'^bn1\.(.+)$', key)
    if m:
        return f'stem_norm.{m.group(1)}'
    m = re.match(r'^conv([234])\.(.+)$', key)
    if m:
        return _join(f'stem_block{int(m.group(1)) - 1}', _block(m.group(2)))
    m = re.match(r'^m(\d+)\.coordconv\.conv\.(weight|bias)$', key)
    if m:
        return f'stacks.{m.group(1)}.coord_conv.conv.{m.group(2)}'
    m = re.match(r'^m(\d+)\.b([123])_(\d+)\.(.+)$', key)
    if m:
        level = int(m.group(3))
        if not 1 <= level <= hg_depth:
            return None
        head = (f'stacks.{m.group(1)}.hourglass' + '.low2' *
                (hg_depth - level) + '.' + _HG_BRANCH[m.group(2)])
        return _join(head, _block(m.group(4)))
    m = re.match(r'^m(\d+)\.b2_plus_1\.(.+)$', key)
    if m:
        head = f'stacks.{m.group(1)}.hourglass' + '.low2' * hg_depth
        return _join(head, _block(m.group(2)))
    m = re.match(r'^top_m_(\d+)\.(.+)$', key)
    if m:
        return _join(f'stacks.{m.group(1)}.block', _block(m.group(2)))
    m = re.match(r'^conv_last(\d+)\.(weight|bias)$', key)
    if m:
        return f'stacks.{m.group(1)}.out_conv.conv.{m.group(2)}'
    m = re.match(r'^bn_end(\d+)\.(.+)$', key)
    if m:
        return f'stacks.{m.group(1)}.out_conv.norm.{m.group(2)}'
    for theirs, ours in (('l', 'heatmap_conv'), ('bl', 'feat_remap'),
                         ('al', 'heatmap_remap')):
        m = re.match(rf'^{theirs}(\d+)\.(weight|bias)$', key)
        if m:
            return f'stacks.{m.group(1)}.{ours}.{m.group(2)}'
    return None


def unwrap_state_dict(checkpoint: Mapping) -> 'OrderedDict[str, Tensor]':
    """Take ``checkpoint['state_dict']`` if present and drop a leading
    ``module.`` (DataParallel) from every key."""
    sd = checkpoint.get('state_dict', checkpoint) \
        if isinstance(checkpoint, Mapping) else checkpoint
    if not isinstance(sd, Mapping):
        raise OfficialCheckpointError(
            'unwrap_state_dict: expected a state dict (mapping of tensors), '
            f'got {type(sd).__name__}')
    out = OrderedDict()
    for k, v in sd.items():
        out[k[len('module.'):] if k.startswith('module.') else k] = v
    return out


def infer_official_config(state_dict: Mapping[str, Tensor]) -> Dict:
    """:class:`AWingHourglass` arguments matching the authors' state dict:
    ``in_channels, num_stacks, num_heatmaps, feat_channels, stem_channels,
    hg_depth, boundary_coords`` (their ``with_r`` is always True)."""
    def shape(k):
        if k not in state_dict:
            raise OfficialCheckpointError(
                'infer_official_config: not the authors\' FAN state dict: '
                f'key {k!r} missing (first keys: {list(state_dict)[:5]})')
        return tuple(state_dict[k].shape)

    stacks = sorted(int(m.group(1)) for m in (
        re.match(r'^m(\d+)\.coordconv\.conv\.weight$', k)
        for k in state_dict) if m)
    if not stacks or stacks != list(range(len(stacks))):
        raise OfficialCheckpointError(
            'infer_official_config: hourglass keys '
            'm{i}.coordconv.conv.weight missing or not consecutive from m0: '
            f'found {stacks}')
    levels = [int(m.group(1)) for m in (
        re.match(r'^m0\.b1_(\d+)\.', k) for k in state_dict) if m]
    if not levels:
        raise OfficialCheckpointError(
            'infer_official_config: no m0.b1_* keys (not the authors\' FAN '
            'state dict)')
    feat = shape('m0.coordconv.conv.weight')[0]
    in_ch = shape('conv1.conv.weight')[1] - 3
    boundary = (len(stacks) > 1 and
                shape('m1.coordconv.conv.weight')[1] == feat + 5)
    return dict(
        in_channels=in_ch,
        num_stacks=len(stacks),
        num_heatmaps=shape('l0.weight')[0],
        feat_channels=feat,
        stem_channels=(shape('conv1.conv.weight')[0],
                       2 * shape('conv2.conv1.weight')[0],
                       2 * shape('conv3.conv1.weight')[0]),
        hg_depth=max(levels),
        boundary_coords=boundary)


def _coord_permutation(num_feat: int, with_boundary: bool) -> List[int]:
    """Input-channel index map official -> ours ('xy'): ours[c] =
    theirs[perm[c]]; theirs [feat, y, x, r, y_b, x_b]."""
    c = num_feat
    perm = list(range(c)) + [c + 1, c, c + 2]
    if with_boundary:
        perm += [c + 4, c + 3]
    return perm


def convert_official_state_dict(
        checkpoint: Mapping,
        coord_order: str = 'xy',
        prefix: str = 'backbone.',
        expected: Optional[Mapping[str, Tensor]] = None
) -> Tuple['OrderedDict[str, Tensor]', Dict]:
    """Map the authors' FAN state dict onto :class:`AWingHourglass`.

    Args:
        checkpoint (Mapping): their state dict (or a dict holding it under
            ``'state_dict'``; ``module.`` prefixes are removed).
        coord_order (str): ``'xy'`` (default): permute the CoordConv weights'
            coordinate input channels to our x, y order; ``'yx'`` /
            ``'official'``: copy them unchanged (build the backbone with the
            same ``coord_order``).
        prefix (str): prepended to every output key.
        expected (Mapping, optional): the target backbone's state dict (keys
            without prefix). Default: that of an ``AWingHourglass`` built
            from :func:`infer_official_config`.

    Returns:
        tuple: (state dict with ``prefix`` keys, the inferred backbone
        config incl. ``coord_order``).

    Raises:
        OfficialCheckpointError: listing source keys without a counterpart,
        target keys left unfilled and shape mismatches.
    """
    from .awing_hourglass import AWingHourglass
    from .coord_conv import canonical_coord_order

    order = canonical_coord_order(coord_order)
    sd = unwrap_state_dict(checkpoint)
    cfg = infer_official_config(sd)
    cfg['coord_order'] = order
    if expected is None:
        with torch.device('meta'):
            expected = AWingHourglass(**cfg).state_dict()
    feat, depth = cfg['feat_channels'], cfg['hg_depth']

    out: 'OrderedDict[str, Tensor]' = OrderedDict()
    unmatched, mismatched = [], []
    for key, value in sd.items():
        ours = official_key_to_ours(key, depth)
        if ours is None or ours not in expected:
            unmatched.append(key)
            continue
        if tuple(value.shape) != tuple(expected[ours].shape):
            mismatched.append(f'{key} {tuple(value.shape)} -> {ours} '
                              f'{tuple(expected[ours].shape)}')
            continue
        if order == 'xy' and ours.endswith('conv.weight') and (
                ours.startswith('stem_conv.') or '.coord_conv.' in ours):
            num_in = cfg['in_channels'] if ours.startswith('stem_') else feat
            perm = _coord_permutation(num_in, value.shape[1] == num_in + 5)
            value = value[:, perm]
        out[ours] = value.detach().clone()

    filled = []
    for key in expected:
        if key not in out and key.endswith('num_batches_tracked'):
            out[key] = torch.zeros((), dtype=torch.long)  # pre-0.4.1 BN
            filled.append(key)
    missing = [k for k in expected if k not in out]
    if unmatched or missing or mismatched:
        lines = ['convert_official_state_dict: the state dict does not '
                 f'match the authors\' FAN layout for AWingHourglass({cfg}):']
        if unmatched:
            lines.append(f'  {len(unmatched)} source keys without a '
                         f'counterpart: {unmatched}')
        if missing:
            lines.append(f'  {len(missing)} backbone keys not filled: '
                         f'{missing}')
        if mismatched:
            lines.append(f'  {len(mismatched)} shape mismatches: '
                         f'{mismatched}')
        raise OfficialCheckpointError('\n'.join(lines))
    result = OrderedDict((prefix + k, out[k]) for k in expected)
    cfg['filled_num_batches_tracked'] = len(filled)
    return result, cfg
