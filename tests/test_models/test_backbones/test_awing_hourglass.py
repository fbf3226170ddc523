"""AWingHourglass, its CoordConv and its residual block (tiny, CPU)."""
import pytest
import torch

from awing_mmpose.models.backbones import (AWingHourglass,
                                           AWingHourglassModule, CoordConv2d,
                                           PreActResidualBlock)
from awing_mmpose.models.backbones.coord_conv import (boundary_coord_channels,
                                                      make_coord_channels)
from awing_mmpose.registry import MODELS

TINY = dict(num_stacks=2, num_heatmaps=5, feat_channels=16,
            stem_channels=(8, 16, 16), hg_depth=2)


def _n_params(m):
    return sum(p.numel() for p in m.parameters())


def test_forward_shapes_tuple():
    m = AWingHourglass(**TINY)
    outs = m(torch.rand(2, 3, 64, 64))
    assert isinstance(outs, tuple) and len(outs) == 2
    for o in outs:
        assert o.shape == (2, 5, 16, 16)


@pytest.mark.parametrize('size', [(40, 32), (44, 44), (36, 50)])
def test_any_input_size(size):
    m = AWingHourglass(**dict(TINY, hg_depth=3)).eval()
    with torch.no_grad():
        outs = m(torch.rand(1, 3, *size))
    h, w = (size[0] + 1) // 2 // 2, (size[1] + 1) // 2 // 2
    assert all(o.shape == (1, 5, h, w) for o in outs)


def test_build_from_registry():
    cfg = dict(type='awing_mmpose.AWingHourglass', **TINY)
    m = MODELS.build(cfg)
    assert isinstance(m, AWingHourglass)
    from mmpose.registry import MODELS as MMPOSE_MODELS
    assert isinstance(MMPOSE_MODELS.build(cfg), AWingHourglass)


def test_parameter_count_paper_config():
    """S = 4, K = 98 (+1 boundary), F = 256, D = 4: the authors' FAN(4) has
    24,153,036 parameters too (checked key by key in
    test_official_checkpoint.py)."""
    with torch.device('meta'):
        m = AWingHourglass(num_stacks=4, num_heatmaps=99)
    assert _n_params(m) == 24_153_036
    # the first stack's CoordConv has no boundary channels (first_one)
    assert m.stacks[0].coord_conv.conv.in_channels == 256 + 3
    assert m.stacks[1].coord_conv.conv.in_channels == 256 + 5
    assert m.stem_conv.conv.weight.shape == (64, 6, 7, 7)
    assert m.stacks[3].feat_remap is None


def test_gradients_reach_every_parameter():
    m = AWingHourglass(**TINY)
    outs = m(torch.rand(2, 3, 16, 16))
    sum(o.square().mean() for o in outs).backward()
    missing = [n for n, p in m.named_parameters() if p.grad is None]
    assert not missing, missing


def test_variants_and_norm_eval():
    m = AWingHourglass(**TINY, with_coord=False, with_radius=False,
                       boundary_coords=False)
    assert [o.shape for o in m(torch.rand(1, 3, 32, 32))] == \
        [(1, 5, 8, 8)] * 2
    m = AWingHourglass(**TINY, with_radius=False, boundary_coords=False)
    assert m.stacks[1].coord_conv.conv.in_channels == 16 + 2
    m = AWingHourglass(**TINY, norm_eval=True)
    m.train()
    assert not m.stem_norm.training and m.stem_conv.training
    with pytest.raises(ValueError, match='boundary_coords'):
        AWingHourglass(**TINY, with_coord=False, with_radius=False)
    with pytest.raises(ValueError, match='coord_order'):
        AWingHourglass(**TINY, coord_order='zz')
    with pytest.raises(ValueError, match='too small'):
        AWingHourglass(**TINY)(torch.rand(1, 3, 8, 8))
    with pytest.raises(ValueError, match=r'expects \(N, 3'):
        AWingHourglass(**TINY)(torch.rand(1, 1, 32, 32))


def test_coord_channels_values():
    c = make_coord_channels(3, 5)
    assert c.shape == (1, 3, 3, 5)
    x, y, r = c[0]
    torch.testing.assert_close(x[1], torch.tensor([-1., -.5, 0., .5, 1.]))
    torch.testing.assert_close(y[:, 2], torch.tensor([-1., 0., 1.]))
    assert (x == x[0:1]).all() and (y == y[:, 0:1]).all()
    assert r.max() == 1 and r[1, 2] == 0
    yx = make_coord_channels(3, 5, coord_order='official')
    torch.testing.assert_close(yx[0, 0], y)
    torch.testing.assert_close(yx[0, 1], x)
    assert make_coord_channels(4, 4, with_r=False).shape == (1, 2, 4, 4)
    one = make_coord_channels(1, 1, dtype=torch.float16)
    assert one.dtype == torch.float16 and not one.isnan().any()


def test_boundary_coord_channels():
    coords = make_coord_channels(4, 4)
    hm = torch.zeros(2, 3, 4, 4)
    hm[0, -1, 1, 2] = 0.06     # boundary (> 0.05)
    hm[0, -1, 3, 0] = 0.05     # not (> is strict)
    hm[1, -1] = 5.0            # clamped to 1, all boundary
    hm[0, 0] = 1.0             # landmark channels are ignored
    b = boundary_coord_channels(hm, coords, 0.05)
    assert b.shape == (2, 2, 4, 4)
    assert b[0].count_nonzero() == 2
    torch.testing.assert_close(b[0, :, 1, 2], coords[0, :2, 1, 2])
    torch.testing.assert_close(b[1], coords[0, :2])
    hm.requires_grad_(True)
    assert not boundary_coord_channels(hm, coords).requires_grad


def test_coord_conv_orders_equivalent_by_weight_permutation():
    torch.manual_seed(0)
    a = CoordConv2d(4, 6, 3, padding=1, with_boundary=True)
    b = CoordConv2d(4, 6, 3, padding=1, with_boundary=True,
                    coord_order='yx')
    perm = [0, 1, 2, 3, 5, 4, 6, 8, 7]
    b.conv.weight.data = a.conv.weight.data[:, perm]
    b.conv.bias.data = a.conv.bias.data
    x, hm = torch.randn(2, 4, 8, 8), torch.rand(2, 3, 8, 8)
    torch.testing.assert_close(a(x, hm), b(x, hm))
    with pytest.raises(ValueError, match='heatmaps'):
        a(x)
    # cached per size / dtype
    a(torch.randn(1, 4, 5, 7), torch.rand(1, 3, 5, 7))
    assert len(a._coord_cache) == 2


def test_residual_block_and_hourglass():
    blk = PreActResidualBlock(8, 16)
    assert blk(torch.rand(2, 8, 6, 6)).shape == (2, 16, 6, 6)
    assert blk.shortcut is not None
    assert PreActResidualBlock(16, 16).shortcut is None
    with pytest.raises(ValueError, match='multiple of 4'):
        PreActResidualBlock(8, 10)
    hg = AWingHourglassModule(3, 8)
    assert hg(torch.rand(1, 8, 16, 16)).shape == (1, 8, 16, 16)
    assert isinstance(hg.low2.low2.low2, PreActResidualBlock)


@pytest.mark.parametrize('build,cls,value', [
    (lambda: AWingHourglass(**dict(TINY, num_stacks=0)), 'AWingHourglass',
     '0'),
    (lambda: AWingHourglass(**dict(TINY, stem_channels=(8, 16))),
     'AWingHourglass', '(8, 16)'),
    (lambda: AWingHourglass(**TINY, coord_order='zz'), 'CoordConv2d',
     "'zz'"),
    (lambda: AWingHourglass(**TINY)(torch.rand(1, 1, 32, 32)),
     'AWingHourglass', '(1, 1, 32, 32)'),
    (lambda: AWingHourglassModule(0, 8), 'AWingHourglassModule', '0'),
    (lambda: PreActResidualBlock(8, 10), 'PreActResidualBlock', '10'),
    (lambda: make_coord_channels(0, 4), 'make_coord_channels', '0x4'),
])
def test_errors_name_the_class_and_value_not_a_path(build, cls, value):
    with pytest.raises(ValueError) as e:
        build()
    msg = str(e.value)
    assert msg.startswith(cls), msg
    assert value in msg, msg
    assert '.py' not in msg and '/' not in msg, msg
