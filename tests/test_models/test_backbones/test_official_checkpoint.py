"""The converter of the authors' FAN checkpoint.

No real checkpoint can be downloaded here, so the authors' key layout is
rebuilt synthetically (random tensors with their module names and shapes,
from core/models.py and core/coord_conv.py of protossw512/AdaptiveWingLoss),
converted, loaded strictly into AWingHourglass, and the outputs are compared
with an independent functional re-computation of their forward pass (their
AddCoordsTh reproduced step by step: matmul, permute(0, 3, 2, 1)).
"""
import importlib.util
from collections import OrderedDict
from pathlib import Path

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from awing_mmpose.models.backbones import AWingHourglass
from awing_mmpose.models.backbones.official_checkpoint import (
    OfficialCheckpointError, convert_official_state_dict,
    infer_official_config, official_key_to_ours)

TINY = dict(num_stacks=3, num_landmarks=4, feat=16, stem=(8, 16, 16), depth=2)


# ---------------------------------------------------------------- their keys
def _bn(sd, name, c, g, zero):
    if zero:
        sd[f'{name}.weight'] = torch.ones(c)
        sd[f'{name}.bias'] = torch.zeros(c)
        sd[f'{name}.running_mean'] = torch.zeros(c)
        sd[f'{name}.running_var'] = torch.ones(c)
    else:
        sd[f'{name}.weight'] = 0.5 + torch.rand(c, generator=g)
        sd[f'{name}.bias'] = 0.1 * torch.randn(c, generator=g)
        sd[f'{name}.running_mean'] = 0.1 * torch.randn(c, generator=g)
        sd[f'{name}.running_var'] = 0.5 + torch.rand(c, generator=g)
    sd[f'{name}.num_batches_tracked'] = torch.tensor(7)


def _conv(sd, name, cout, cin, k, bias, g, zero):
    fan_in = cin * k * k
    sd[f'{name}.weight'] = (torch.zeros(cout, cin, k, k) if zero else
                            torch.randn(cout, cin, k, k, generator=g) /
                            fan_in ** 0.5)
    if bias:
        sd[f'{name}.bias'] = (torch.zeros(cout) if zero else
                              0.1 * torch.randn(cout, generator=g))


def _conv_block(sd, name, cin, cout, g, zero):
    """Their ConvBlock(in_planes, out_planes)."""
    _bn(sd, f'{name}.bn1', cin, g, zero)
    _conv(sd, f'{name}.conv1', cout // 2, cin, 3, False, g, zero)
    _bn(sd, f'{name}.bn2', cout // 2, g, zero)
    _conv(sd, f'{name}.conv2', cout // 4, cout // 2, 3, False, g, zero)
    _bn(sd, f'{name}.bn3', cout // 4, g, zero)
    _conv(sd, f'{name}.conv3', cout // 4, cout // 4, 3, False, g, zero)
    if cin != cout:
        _bn(sd, f'{name}.downsample.0', cin, g, zero)
        _conv(sd, f'{name}.downsample.2', cout, cin, 1, False, g, zero)


def official_fan_state_dict(num_stacks=4, num_landmarks=98, feat=256,
                            stem=(64, 128, 128), depth=4, seed=0,
                            zero=False):
    """The key layout of their FAN(num_modules=num_stacks, end_relu=False,
    gray_scale=False, num_landmarks) (their code fixes feat=256,
    stem=(64, 128, 128), depth=4; smaller values keep the tests tiny)."""
    g = torch.Generator().manual_seed(seed)
    sd = OrderedDict()
    _conv(sd, 'conv1.conv', stem[0], 3 + 3, 7, True, g, zero)  # x, y, r
    _bn(sd, 'bn1', stem[0], g, zero)
    _conv_block(sd, 'conv2', stem[0], stem[1], g, zero)
    _conv_block(sd, 'conv3', stem[1], stem[2], g, zero)
    _conv_block(sd, 'conv4', stem[2], feat, g, zero)
    for i in range(num_stacks):
        extra = 3 if i == 0 else 5  # first_one: no boundary channels
        _conv(sd, f'm{i}.coordconv.conv', feat, feat + extra, 1, True, g,
              zero)

        def hg(level):
            _conv_block(sd, f'm{i}.b1_{level}', feat, feat, g, zero)
            _conv_block(sd, f'm{i}.b2_{level}', feat, feat, g, zero)
            if level > 1:
                hg(level - 1)
            else:
                _conv_block(sd, f'm{i}.b2_plus_{level}', feat, feat, g, zero)
            _conv_block(sd, f'm{i}.b3_{level}', feat, feat, g, zero)

        hg(depth)
        _conv_block(sd, f'top_m_{i}', feat, feat, g, zero)
        _conv(sd, f'conv_last{i}', feat, feat, 1, True, g, zero)
        _bn(sd, f'bn_end{i}', feat, g, zero)
        _conv(sd, f'l{i}', num_landmarks + 1, feat, 1, True, g, zero)
        if i < num_stacks - 1:
            _conv(sd, f'bl{i}', feat, feat, 1, True, g, zero)
            _conv(sd, f'al{i}', feat, num_landmarks + 1, 1, True, g, zero)
    return sd


# ------------------------------------------------- their forward, functional
def their_add_coords(x, heatmap=None, with_boundary=False):
    """AddCoordsTh.forward, step by step (x_dim = H, y_dim = W, square)."""
    n, _, x_dim, y_dim = x.shape
    xx_ones = torch.ones([1, y_dim], dtype=torch.int32).unsqueeze(-1)
    xx_range = torch.arange(x_dim, dtype=torch.int32).unsqueeze(0)
    xx_range = xx_range.unsqueeze(1)
    xx_channel = torch.matmul(xx_ones.float(), xx_range.float())
    xx_channel = xx_channel.unsqueeze(-1)
    yy_ones = torch.ones([1, x_dim], dtype=torch.int32).unsqueeze(1)
    yy_range = torch.arange(y_dim, dtype=torch.int32).unsqueeze(0)
    yy_range = yy_range.unsqueeze(-1)
    yy_channel = torch.matmul(yy_range.float(), yy_ones.float())
    yy_channel = yy_channel.unsqueeze(-1)
    xx_channel = xx_channel.permute(0, 3, 2, 1)
    yy_channel = yy_channel.permute(0, 3, 2, 1)
    xx_channel = xx_channel / (x_dim - 1) * 2 - 1
    yy_channel = yy_channel / (y_dim - 1) * 2 - 1
    xx_channel = xx_channel.repeat(n, 1, 1, 1)
    yy_channel = yy_channel.repeat(n, 1, 1, 1)
    ret = torch.cat([x, xx_channel, yy_channel], 1)
    rr = torch.sqrt(xx_channel ** 2 + yy_channel ** 2)
    ret = torch.cat([ret, rr / torch.max(rr)], 1)
    if with_boundary and heatmap is not None:
        b = torch.clamp(heatmap[:, -1:], 0.0, 1.0)
        zero = torch.zeros_like(xx_channel)
        ret = torch.cat([ret, torch.where(b > 0.05, xx_channel, zero),
                         torch.where(b > 0.05, yy_channel, zero)], 1)
    return ret


def _f_bn(sd, name, x):
    return F.batch_norm(x, sd[f'{name}.running_mean'],
                        sd[f'{name}.running_var'], sd[f'{name}.weight'],
                        sd[f'{name}.bias'], False, 0.0, 1e-5)


def _f_conv(sd, name, x, padding=0, stride=1):
    return F.conv2d(x, sd[f'{name}.weight'], sd.get(f'{name}.bias'),
                    stride=stride, padding=padding)


def _f_block(sd, name, x):
    out1 = _f_conv(sd, f'{name}.conv1', F.relu(_f_bn(sd, f'{name}.bn1', x)),
                   1)
    out2 = _f_conv(sd, f'{name}.conv2',
                   F.relu(_f_bn(sd, f'{name}.bn2', out1)), 1)
    out3 = _f_conv(sd, f'{name}.conv3',
                   F.relu(_f_bn(sd, f'{name}.bn3', out2)), 1)
    res = x
    if f'{name}.downsample.2.weight' in sd:
        res = _f_conv(sd, f'{name}.downsample.2',
                      F.relu(_f_bn(sd, f'{name}.downsample.0', x)))
    return torch.cat((out1, out2, out3), 1) + res


def their_stem(sd, x):
    x = _f_conv(sd, 'conv1.conv', their_add_coords(x), padding=3, stride=2)
    x = F.relu(_f_bn(sd, 'bn1', x))
    x = F.avg_pool2d(_f_block(sd, 'conv2', x), 2, stride=2)
    return _f_block(sd, 'conv4', _f_block(sd, 'conv3', x))


def their_forward(sd, x, num_stacks, depth, calibrate=False):
    """FAN.forward (end_relu=False): list of per-stack outputs and the
    boundary-mask fractions seen by stacks 1.. . ``calibrate`` shifts the
    boundary channel's bias of ``l{i}`` in ``sd`` so that about half of the
    pixels pass the 0.05 threshold (the test then exercises the mask)."""
    previous = their_stem(sd, x)
    outputs, fractions, tmp_out = [], [], None
    for i in range(num_stacks):
        inp = their_add_coords(previous, tmp_out, with_boundary=True)
        if tmp_out is not None:
            fractions.append(float((tmp_out[:, -1] > 0.05).float().mean()))
        h = _f_conv(sd, f'm{i}.coordconv.conv', inp)

        def hg(level, inp):
            up1 = _f_block(sd, f'm{i}.b1_{level}', inp)
            low1 = _f_block(sd, f'm{i}.b2_{level}',
                            F.avg_pool2d(inp, 2, stride=2))
            low2 = (hg(level - 1, low1) if level > 1 else
                    _f_block(sd, f'm{i}.b2_plus_{level}', low1))
            low3 = _f_block(sd, f'm{i}.b3_{level}', low2)
            return up1 + F.interpolate(low3, scale_factor=2, mode='nearest')

        ll = _f_block(sd, f'top_m_{i}', hg(depth, h))
        ll = F.relu(_f_bn(sd, f'bn_end{i}', _f_conv(sd, f'conv_last{i}', ll)))
        tmp_out = _f_conv(sd, f'l{i}', ll)
        if calibrate:  # put 0.05 mid-way between two values near the median
            v = tmp_out[:, -1].flatten().sort().values
            m = v.numel() // 2
            sd[f'l{i}.bias'][-1] += 0.05 - (v[m - 1] + v[m]) / 2
            tmp_out = _f_conv(sd, f'l{i}', ll)
        outputs.append(tmp_out)
        if i < num_stacks - 1:
            previous = (previous + _f_conv(sd, f'bl{i}', ll) +
                        _f_conv(sd, f'al{i}', tmp_out))
    return outputs, fractions


def _load_cli():
    path = (Path(__file__).resolve().parents[3] / 'tools' /
            'model_converters' / 'awing_official_to_mmpose.py')
    spec = importlib.util.spec_from_file_location('awing_official_cli', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Wrapper(nn.Module):

    def __init__(self, backbone):
        super().__init__()
        self.backbone = backbone


def _tiny_backbone(coord_order='xy'):
    return AWingHourglass(num_stacks=TINY['num_stacks'],
                          num_heatmaps=TINY['num_landmarks'] + 1,
                          feat_channels=TINY['feat'],
                          stem_channels=TINY['stem'], hg_depth=TINY['depth'],
                          coord_order=coord_order).eval()


def _tiny_sd(seed=0):
    return official_fan_state_dict(TINY['num_stacks'], TINY['num_landmarks'],
                                   TINY['feat'], TINY['stem'], TINY['depth'],
                                   seed=seed)


# ---------------------------------------------------------------------- tests
def test_key_mapping_examples():
    assert official_key_to_ours('conv1.conv.weight') == \
        'stem_conv.conv.weight'
    assert official_key_to_ours('conv4.downsample.2.weight') == \
        'stem_block3.shortcut.2.weight'
    assert official_key_to_ours('m2.b1_4.bn1.running_var') == \
        'stacks.2.hourglass.up1.norm1.running_var'
    assert official_key_to_ours('m0.b3_2.conv3.weight') == \
        'stacks.0.hourglass.low2.low2.low3.conv3.weight'
    assert official_key_to_ours('m1.b2_plus_1.conv1.weight') == \
        'stacks.1.hourglass.low2.low2.low2.low2.conv1.weight'
    assert official_key_to_ours('bn_end3.num_batches_tracked') == \
        'stacks.3.out_conv.norm.num_batches_tracked'
    assert official_key_to_ours('al0.weight') == \
        'stacks.0.heatmap_remap.weight'
    assert official_key_to_ours('l3.bias') == 'stacks.3.heatmap_conv.bias'
    assert official_key_to_ours('m0.b1_5.conv1.weight') is None
    assert official_key_to_ours('fc.weight') is None


@pytest.mark.parametrize('coord_order', ['xy', 'yx'])
def test_convert_tiny_matches_functional_forward(coord_order):
    # float64 throughout: the comparison is then exact to ~1e-12
    sd = OrderedDict((k, v.double() if v.is_floating_point() else v)
                     for k, v in _tiny_sd().items())
    x = torch.rand(2, 3, 64, 64, generator=torch.Generator().manual_seed(1),
                   dtype=torch.float64)
    with torch.no_grad():
        their_forward(sd, x, TINY['num_stacks'], TINY['depth'],
                      calibrate=True)
    new_sd, cfg = convert_official_state_dict(sd, coord_order=coord_order)
    assert cfg['num_stacks'] == 3 and cfg['hg_depth'] == 2
    assert cfg['boundary_coords'] and cfg['num_heatmaps'] == 5
    model = _Wrapper(_tiny_backbone(coord_order)).double()
    model.load_state_dict(new_sd, strict=True)
    model.eval()
    with torch.no_grad():
        ref_stem = their_stem(sd, x)
        ref, fractions = their_forward(sd, x, TINY['num_stacks'],
                                       TINY['depth'])
        ours_stem = model.backbone.stem(x)
        ours = model.backbone(x)
    torch.testing.assert_close(ours_stem, ref_stem, rtol=1e-9, atol=1e-9)
    # the boundary-coordinate channels must have been exercised
    assert all(0.3 < f < 0.7 for f in fractions), fractions
    assert len(ours) == len(ref) == 3
    for o, r in zip(ours, ref):
        assert o.shape == (2, 5, 16, 16)
        torch.testing.assert_close(o, r, rtol=1e-9, atol=1e-9)


def test_wrong_coord_order_is_detected():
    """Loading unpermuted weights into an 'xy' backbone changes the output
    (so the test above is sensitive to the coordinate convention)."""
    sd = _tiny_sd()
    new_sd, _ = convert_official_state_dict(sd, coord_order='yx')
    model = _Wrapper(_tiny_backbone('xy'))
    model.load_state_dict(new_sd, strict=True)
    x = torch.rand(1, 3, 64, 64, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        ref = their_stem(sd, x)
        assert not torch.allclose(model.eval().backbone.stem(x), ref,
                                  atol=1e-3)


def test_full_size_layout_and_parameter_count():
    """FAN(4, end_relu=False, gray_scale=False, num_landmarks=98)."""
    sd = official_fan_state_dict(zero=True)
    n_theirs = sum(v.numel() for k, v in sd.items()
                   if not k.endswith(('running_mean', 'running_var',
                                      'num_batches_tracked')))
    new_sd, cfg = convert_official_state_dict(sd)
    assert cfg == dict(in_channels=3, num_stacks=4, num_heatmaps=99,
                       feat_channels=256, stem_channels=(64, 128, 128),
                       hg_depth=4, boundary_coords=True, coord_order='xy',
                       filled_num_batches_tracked=0)
    with torch.device('meta'):  # no 24 M random init: fast
        backbone = AWingHourglass()
    n_ours = sum(p.numel() for p in backbone.parameters())
    print('parameters: ours', n_ours, 'theirs', n_theirs)
    assert n_ours == n_theirs == 24_153_036
    _Wrapper(backbone).load_state_dict(new_sd, strict=True, assign=True)
    assert len(new_sd) == len(sd) == len(backbone.state_dict())


def test_module_prefix_state_dict_key_and_old_bn():
    sd = _tiny_sd()
    wrapped = {'state_dict': OrderedDict(
        ('module.' + k, v) for k, v in sd.items()
        if not k.endswith('num_batches_tracked'))}
    new_sd, cfg = convert_official_state_dict(wrapped, prefix='')
    assert cfg['filled_num_batches_tracked'] > 0
    _tiny_backbone().load_state_dict(new_sd, strict=True)


def test_unmatched_missing_and_mismatched_keys_are_listed():
    sd = _tiny_sd()
    sd['fc.weight'] = torch.zeros(3)
    del sd['m1.b3_1.conv2.weight']
    sd['l2.bias'] = torch.zeros(7)
    with pytest.raises(OfficialCheckpointError) as e:
        convert_official_state_dict(sd)
    msg = str(e.value)
    assert 'fc.weight' in msg
    assert 'stacks.1.hourglass.low2.low3.conv2.weight' in msg
    assert 'l2.bias' in msg and 'shape' in msg
    with pytest.raises(OfficialCheckpointError, match='coordconv'):
        infer_official_config({'conv1.conv.weight': torch.zeros(1)})


def test_cli(tmp_path):
    main = _load_cli().main
    src, dst = tmp_path / 'fan.pth', tmp_path / 'out' / 'awing.pth'
    sd = _tiny_sd()
    torch.save(sd, src)
    assert main([str(src), str(dst)]) == 0
    ckpt = torch.load(dst, map_location='cpu', weights_only=True)
    assert set(ckpt) == {'state_dict', 'meta'}
    assert all(k.startswith('backbone.') for k in ckpt['state_dict'])
    bb = ckpt['meta']['backbone']
    assert bb['type'] == 'awing_mmpose.AWingHourglass'
    assert bb['coord_order'] == 'xy' and bb['num_stacks'] == 3
    kwargs = {k: v for k, v in bb.items() if k != 'type'}
    model = _Wrapper(AWingHourglass(**kwargs))
    model.load_state_dict(ckpt['state_dict'], strict=True)
    bad = tmp_path / 'bad.pth'
    torch.save({'fc.weight': torch.zeros(2)}, bad)
    assert main([str(bad), str(tmp_path / 'x.pth')]) == 1
    assert main([str(tmp_path / 'missing.pth'), str(dst)]) == 1
