import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData, PixelData
from mmpose.structures import PoseDataSample

from awing_mmpose.codecs import BoundaryHeatmap
from awing_mmpose.models.heads import AWingHead

K = 98
CODEC = dict(type='awing_mmpose.BoundaryHeatmap', input_size=(64, 64),
             heatmap_size=(16, 16), sigma=1.,
             boundary_curves='wflw')


def make_samples(codec, n=2, seed=0):
    rng = np.random.default_rng(seed)
    samples = []
    for _ in range(n):
        kpts = rng.uniform(8, 56, (1, K, 2)).astype(np.float32)
        enc = codec.encode(kpts, np.ones((1, K)))
        ds = PoseDataSample()
        ds.gt_fields = PixelData(
            heatmaps=torch.from_numpy(enc['heatmaps']),
            foreground_mask=torch.from_numpy(enc['foreground_mask']))
        ds.gt_instance_labels = InstanceData(
            keypoint_weights=torch.from_numpy(enc['keypoint_weights']))
        flip = list(range(K))
        flip[60], flip[72] = 72, 60
        ds.set_metainfo(dict(flip_indices=flip, input_size=(64, 64)))
        samples.append(ds)
    return samples


def test_loss_sums_stacks():
    head = AWingHead(decoder=CODEC)
    codec = BoundaryHeatmap(**{k: v for k, v in CODEC.items() if k != 'type'})
    samples = make_samples(codec)
    one = torch.rand(2, K + 1, 16, 16)
    l1 = head.loss((one, ), samples)['loss_kpt']
    l3 = head.loss((one, one, one), samples)['loss_kpt']
    assert l3.item() == pytest.approx(3 * l1.item(), rel=1e-5)
    assert 'acc_pose' in head.loss((one, ), samples)
    # the codec's mask is the loss's own M: same value either way
    head_nomask = AWingHead(decoder=dict(CODEC, mask_kernel=0))
    assert head_nomask.loss((one, ), samples)['loss_kpt'].item() == \
        pytest.approx(l1.item(), rel=1e-5)


def test_mismatched_mask_settings_rejected():
    with pytest.raises(ValueError, match='foreground_mask'):
        AWingHead(decoder=dict(CODEC, mask_kernel=1))


def test_predict_decodes_last_stack_landmarks_only():
    codec = BoundaryHeatmap(**{k: v for k, v in CODEC.items() if k != 'type'})
    samples = make_samples(codec, n=1)
    target = samples[0].gt_fields.heatmaps[None]
    head = AWingHead(decoder=CODEC)
    noise = torch.rand_like(target)
    preds, fields = head.predict((noise, target), samples,
                                 dict(output_heatmaps=True))
    assert preds[0].keypoints.shape == (1, K, 2)
    expect, _ = codec.decode(target[0].numpy())
    assert np.allclose(preds[0].keypoints, expect)
    assert fields[0].heatmaps.shape == (K + 1, 16, 16)


def test_flip_test_boundary_flips_whole_landmarks_follow_pairs():
    codec = BoundaryHeatmap(**{k: v for k, v in CODEC.items() if k != 'type'})
    samples = make_samples(codec, n=1)
    hm = samples[0].gt_fields.heatmaps[None]
    flip_indices = samples[0].metainfo['flip_indices']
    # what the network would output for the mirrored image
    mirrored = hm.flip(-1)[:, flip_indices + [K]]
    head = AWingHead(decoder=CODEC)
    preds, fields = head.predict([(hm, ), (mirrored, )], samples,
                                 dict(flip_test=True, output_heatmaps=True))
    assert torch.allclose(fields[0].heatmaps, hm[0], atol=1e-6)
