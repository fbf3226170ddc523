"""The MMDetection face of this package's offline face detectors.

:class:`BaseFaceDetector` turns a ``detect(img) -> (bboxes, scores)``
function into an MMDetection model: ``DetInferencer`` (and so MMPose's
top-down inferencer) builds it from a config, feeds it images and reads
``pred_instances``. Two detectors derive from it:

* :class:`~awing_mmpose.apis.mtcnn_face_detector.MTCNNFaceDetector`, a CNN
  cascade whose weights install with ``facenet-pytorch`` (the default of this
  package's entry points);
* :class:`~awing_mmpose.apis.opencv_face_detector.OpenCVFaceDetector`,
  OpenCV's Haar cascade (no weights beyond ``opencv-python``; the fallback).

Both are registered in :data:`DET_MODELS` (= the package's model registry,
scope ``awing_mmpose``), so ``type='awing_mmpose.MTCNNFaceDetector'`` builds
from MMDetection's scope; nothing goes into MMDetection's own registry, and
nothing of MMPose's is changed (see :mod:`awing_mmpose.apis.detector_configs`
for how to hand them to ``MMPoseInferencer``).
"""
import logging
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmdet.structures import DetDataSample
from mmengine.logging import print_log
from mmengine.model import BaseModel
from mmengine.structures import InstanceData

from awing_mmpose.registry import MODELS

#: The package's one model registry (scope ``awing_mmpose``). MMDetection
#: resolves ``type='awing_mmpose.MTCNNFaceDetector'`` from its own scope by
#: searching the registry tree, so nothing goes into MMDetection's registry.
#: (A second ``awing_mmpose`` child under MMDetection's registry would make
#: that search ambiguous and hide the pose components while mmdet is the
#: default scope.)
DET_MODELS = MODELS


class BaseFaceDetector(BaseModel):
    """An MMDetection model around a classical or CNN face detector.

    Subclasses implement :meth:`detect`. The box a detector returns is then
    scaled by ``box_scale`` around its centre and moved down by
    ``box_shift_y`` of its height (detectors disagree on how much of the
    face a box covers), and clipped to the image.

    Args:
        box_scale (float): factor on the box side around its centre.
        box_shift_y (float): downward shift of the box centre, as a fraction
            of the box height.
        log_empty (bool): log a WARNING when an image has no face.
        data_preprocessor (dict, optional): defaults to MMEngine's
            ``BaseDataPreprocessor`` (moves uint8 images, no normalisation).

    ``forward(inputs, data_samples, mode='predict')`` takes ``inputs``, a list
    of (3, H, W) uint8 tensors in BGR order (or an (N, 3, H, W) tensor) and
    returns one :class:`DetDataSample` per image with ``pred_instances``:
    ``bboxes`` (n, 4) float32 x1 y1 x2 y2 in input-image pixels, ``scores``
    (n,) in [0, 1], ``labels`` (n,) int64 = 0 (class ``face``), sorted by
    decreasing score.
    """

    def __init__(self,
                 box_scale: float = 1.0,
                 box_shift_y: float = 0.0,
                 log_empty: bool = True,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if box_scale <= 0:
            raise ValueError(f'{type(self).__name__}: box_scale must be > 0,'
                             f' got {box_scale}')
        self.box_scale = float(box_scale)
        self.box_shift_y = float(box_shift_y)
        self.log_empty = log_empty
        self.dataset_meta = dict(classes=('face', ))

    @property
    def dataset_meta(self) -> dict:
        """MMDetection's class metadata; ``classes`` is always
        ``('face', )``. (``DetInferencer`` without weights assigns the 80
        COCO classes, which would label the boxes ``person``; a palette or
        other keys it sets are kept.)"""
        return self._dataset_meta

    @dataset_meta.setter
    def dataset_meta(self, meta: Optional[dict]) -> None:
        meta = dict(meta or {})
        meta['classes'] = ('face', )
        self._dataset_meta = meta

    # -- to implement -----------------------------------------------------
    def detect(self, img: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Detect faces in one image.

        Args:
            img (np.ndarray): (H, W, 3) BGR or (H, W) grey, uint8.

        Returns:
            tuple: ``bboxes`` (n, 4) float32 x1 y1 x2 y2 (after
            :meth:`adjust_boxes`) and ``scores`` (n,) float32, by
            decreasing score.
        """
        raise NotImplementedError

    # -- shared -----------------------------------------------------------
    def adjust_boxes(self, bboxes: np.ndarray, scores: np.ndarray,
                     shape: Tuple[int, int]
                     ) -> Tuple[np.ndarray, np.ndarray]:
        """Apply ``box_scale`` / ``box_shift_y``, clip to ``shape`` (H, W),
        sort by decreasing score.

        Args:
            bboxes (np.ndarray): (n, 4) x1 y1 x2 y2.
            scores (np.ndarray): (n,).
        """
        if len(bboxes) == 0:
            return (np.zeros((0, 4), np.float32), np.zeros((0, ),
                                                           np.float32))
        bboxes = np.asarray(bboxes, np.float32).reshape(-1, 4)
        scores = np.asarray(scores, np.float32).reshape(-1)
        h, w = shape[:2]
        bw = bboxes[:, 2] - bboxes[:, 0]
        bh = bboxes[:, 3] - bboxes[:, 1]
        cx = bboxes[:, 0] + bw / 2
        cy = bboxes[:, 1] + bh / 2 + self.box_shift_y * bh
        bw, bh = bw * self.box_scale, bh * self.box_scale
        out = np.stack([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2],
                       axis=1)
        out[:, 0::2] = out[:, 0::2].clip(0, w - 1)
        out[:, 1::2] = out[:, 1::2].clip(0, h - 1)
        order = np.argsort(-scores, kind='stable')
        return out[order].astype(np.float32), scores[order]

    def forward(self,
                inputs: Union[torch.Tensor, Sequence[torch.Tensor]],
                data_samples: Optional[List[DetDataSample]] = None,
                mode: str = 'predict') -> List[DetDataSample]:
        if mode not in ('predict', 'tensor'):
            raise RuntimeError(
                f'{type(self).__name__} is used for inference only; mode '
                f'"{mode}" is not supported (use "predict").')
        if isinstance(inputs, torch.Tensor) and inputs.dim() == 3:
            inputs = [inputs]
        if data_samples is None:
            data_samples = [DetDataSample() for _ in range(len(inputs))]
        results = []
        for img, sample in zip(inputs, data_samples):
            arr = img.detach().cpu().numpy()
            if arr.ndim == 3 and arr.shape[0] in (1, 3):
                arr = arr.transpose(1, 2, 0)
            if arr.ndim == 3 and arr.shape[2] == 1:
                arr = arr[..., 0]
            bboxes, scores = self.detect(arr)
            sf = sample.metainfo.get('scale_factor')
            if sf is not None:  # a Resize in the pipeline: back to original
                bboxes = bboxes / np.tile(np.asarray(sf, np.float32), 2)
            if len(bboxes) == 0 and self.log_empty:
                where = sample.metainfo.get('img_path') or (
                    f'an image of {arr.shape[1]}x{arr.shape[0]} px')
                print_log(
                    f'{type(self).__name__}: no face found in {where}.',
                    logger='current',
                    level=logging.WARNING)
            pred = InstanceData()
            pred.bboxes = torch.from_numpy(np.ascontiguousarray(bboxes))
            pred.scores = torch.from_numpy(np.ascontiguousarray(scores))
            pred.labels = torch.zeros(len(scores), dtype=torch.long)
            sample.pred_instances = pred
            results.append(sample)
        return results
