"""Multi-stack supervision head of the Adaptive Wing network."""
from typing import Optional, Sequence, Tuple

import numpy as np
import torch
from mmengine.structures import PixelData
from mmpose.evaluation.functional import keypoint_pck_accuracy
from mmpose.models.heads.base_head import BaseHead
from mmpose.models.utils.tta import flip_heatmaps
from mmpose.utils.tensor_utils import to_numpy
from mmpose.utils.typing import (ConfigType, OptConfigType, OptSampleList,
                                 Predictions)
from torch import Tensor

from awing_mmpose.registry import KEYPOINT_CODECS, MODELS
from ..losses import WeightedLossMap


@MODELS.register_module()
class AWingHead(BaseHead):
    """Supervises every stack of a stacked network on all its channels and
    decodes the landmark channels of the last stack.

    The backbone (:class:`AWingHourglass`) already ends each stack with its
    heatmap convolutions, because the heatmaps feed the next stack; this head
    has no parameters of its own. The loss of all stacks is summed
    (intermediate supervision).

    Args:
        loss (dict): loss config, called as ``loss(pred, target, weights)``
            for each stack; a :class:`WeightedLossMap` also receives the
            codec's ``foreground_mask`` so :math:`M` is not recomputed.
        decoder (dict): the codec, usually ``awing_mmpose.BoundaryHeatmap``.
        stack_weights (list[float], optional): weight of each stack's loss;
            all 1 by default.
    """

    _version = 2

    def __init__(self,
                 loss: ConfigType = dict(type='awing_mmpose.WeightedLossMap'),
                 decoder: OptConfigType = None,
                 stack_weights: Optional[Sequence[float]] = None,
                 init_cfg: OptConfigType = None):
        super().__init__(init_cfg)
        self.loss_module = MODELS.build(loss)
        self.decoder = KEYPOINT_CODECS.build(decoder) if decoder else None
        self.stack_weights = stack_weights
        self.use_codec_mask = False
        if isinstance(self.loss_module, WeightedLossMap) and getattr(
                self.decoder, 'mask_kernel', 0):
            if (self.decoder.mask_kernel, self.decoder.mask_threshold) != (
                    self.loss_module.kernel_size, self.loss_module.threshold):
                raise ValueError(
                    'AWingHead: the codec builds foreground_mask with '
                    f'kernel {self.decoder.mask_kernel} / threshold '
                    f'{self.decoder.mask_threshold} but the WeightedLossMap '
                    f'uses {self.loss_module.kernel_size} / '
                    f'{self.loss_module.threshold}; make them equal (or set '
                    'the codec mask_kernel=0 to compute M in the loss)')
            self.use_codec_mask = True

    def forward(self, feats: Tuple[Tensor]) -> Tuple[Tensor]:
        """Args:
            feats (tuple[Tensor]): per-stack heatmaps, each (B, C, h, w),
                C = K (+1 boundary channel, last).

        Returns:
            tuple[Tensor]: the same per-stack heatmaps.
        """
        if isinstance(feats, Tensor):
            feats = (feats, )
        return tuple(feats)

    def predict(self,
                feats,
                batch_data_samples: OptSampleList,
                test_cfg: ConfigType = {}) -> Predictions:
        """Decode the last stack. With ``test_cfg['flip_test']`` the feats
        are ``[feats, feats_of_flipped_input]``: landmark channels follow the
        dataset's flip pairs, the boundary channel flips as a whole."""
        if test_cfg.get('flip_test', False):
            assert isinstance(feats, list) and len(feats) == 2
            heatmaps = self.forward(feats[0])[-1]
            flipped = self.forward(feats[1])[-1]
            flip_indices = list(batch_data_samples[0].metainfo['flip_indices'])
            if flipped.shape[1] == len(flip_indices) + 1:
                flip_indices.append(len(flip_indices))  # boundary channel
            flipped = flip_heatmaps(
                flipped,
                flip_mode='heatmap',
                flip_indices=flip_indices,
                shift_heatmap=test_cfg.get('shift_heatmap', False))
            heatmaps = (heatmaps + flipped) * 0.5
        else:
            heatmaps = self.forward(feats)[-1]

        preds = self.decode(heatmaps)
        if test_cfg.get('output_heatmaps', False):
            return preds, [PixelData(heatmaps=hm) for hm in heatmaps.detach()]
        return preds

    def loss(self,
             feats: Tuple[Tensor],
             batch_data_samples: OptSampleList,
             train_cfg: ConfigType = {}) -> dict:
        """Sum of the per-stack losses against the same target.

        Returns:
            dict: ``loss_kpt`` and, unless ``train_cfg['compute_acc']`` is
            False, ``acc_pose`` (PCK of the last stack's landmarks).
        """
        stacks = self.forward(feats)
        gt = torch.stack([d.gt_fields.heatmaps for d in batch_data_samples])
        weights = torch.cat([
            d.gt_instance_labels.keypoint_weights for d in batch_data_samples
        ])
        kwargs = {}
        if self.use_codec_mask:
            kwargs['mask'] = torch.stack(
                [d.gt_fields.foreground_mask for d in batch_data_samples])
        stack_weights = self.stack_weights or [1.] * len(stacks)
        if len(stack_weights) != len(stacks):
            raise ValueError(f'AWingHead: {len(stack_weights)} stack_weights '
                             f'for {len(stacks)} stacks')
        loss = sum(w * self.loss_module(pred, gt, weights, **kwargs)
                   for w, pred in zip(stack_weights, stacks))
        losses = dict(loss_kpt=loss)
        if train_cfg.get('compute_acc', True):
            num_kpts = stacks[-1].shape[1] - int(
                getattr(self.decoder, 'with_boundary', False))
            # MMPose's pose_pck_accuracy with the maxima found on the
            # device: only (B, K, 2) coordinates leave it, not the heatmaps
            h, w = gt.shape[-2:]
            _, avg_acc, _ = keypoint_pck_accuracy(
                _maxima(stacks[-1][:, :num_kpts]), _maxima(gt[:, :num_kpts]),
                to_numpy(weights[:, :num_kpts]) > 0, 0.05,
                np.tile(np.array([[h, w]]), (gt.shape[0], 1)))
            losses['acc_pose'] = torch.tensor(avg_acc, device=gt.device)
        return losses


def _maxima(heatmaps: Tensor) -> np.ndarray:
    """(x, y) of each heatmap's maximum, -1 where it is <= 0, as MMPose's
    ``get_heatmap_maximum``; (B, K, H, W) -> (B, K, 2) float32."""
    vals, idx = heatmaps.detach().flatten(2).max(-1)
    w = heatmaps.shape[-1]
    locs = torch.stack([idx % w, idx // w], -1).float()
    locs[vals <= 0] = -1
    return locs.cpu().numpy()
