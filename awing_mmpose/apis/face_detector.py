"""An offline face detector for MMPose's top-down inferencer.

:class:`OpenCVFaceDetector` wraps OpenCV's Viola-Jones Haar cascade
(``cv2.data.haarcascades``, shipped inside the ``opencv-python`` wheel up to
4.x) as an MMDetection model: it needs no weights and no download. It is
registered in :data:`DET_MODELS` (= the package's model registry, scope
``awing_mmpose``, a child of MMEngine's root), so an MMDetection config (or
``DetInferencer``) builds it with ``type='awing_mmpose.OpenCVFaceDetector'``
(``configs/detectors/opencv_haar_face.py``); nothing is registered into
MMDetection's own registry.

Default face detector (a deliberate, documented change of a default)
--------------------------------------------------------------------
MMPose's inferencer takes the detector of a top-down model from
``mmpose.apis.inferencers.utils.default_det_models[object_type]``, where
``object_type`` is ``'face'`` for MMPose's face datasets (WFLW, 300W, COFW,
...). MMPose's entry is a YOLOX-s face detector whose weights are downloaded
on first use, which fails offline. Importing :mod:`awing_mmpose.apis`
replaces *only that dict entry* with :data:`OPENCV_FACE_DETECTOR_CFG` (no
weights), via :func:`use_offline_face_detector`. No class is patched. Effects
and opt-outs:

* it applies to every face model run through ``MMPoseInferencer`` in the
  process (also MMPose's own RTMPose-face models);
* ``det_model=..., det_weights=...`` still selects any MMDetection detector
  (e.g. MMPose's YOLOX face config with local weights), and
  ``det_model='whole_image'`` skips detection (input = an already cropped
  face);
* ``AWING_FACE_DETECTOR=mmpose`` in the environment before the import, or
  :func:`restore_mmpose_face_detector`, keeps / restores MMPose's entry.

No face
-------
When the cascade finds no face the detector returns an empty
``pred_instances`` and logs ``no face found in <image>`` (WARNING).
MMPose's own ``Pose2DInferencer`` then falls back to the whole image as one
box (MMPose's behaviour, left unchanged); :class:`awing_mmpose.apis.
FaceLandmarkInferencer` and ``tools/demo.py`` instead return an empty result
for that image (see :mod:`awing_mmpose.apis.inference`).
"""
import copy
import logging
import os
import os.path as osp
from typing import List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np
import torch
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.model import BaseModel
from mmengine.structures import InstanceData

from awing_mmpose.registry import MODELS

#: The package's one model registry (scope ``awing_mmpose``). MMDetection
#: resolves ``type='awing_mmpose.OpenCVFaceDetector'`` from its own scope by
#: searching the registry tree, so nothing goes into MMDetection's registry.
#: (A second ``awing_mmpose`` child under MMDetection's registry would make
#: that search ambiguous and hide the pose components while mmdet is the
#: default scope.)
DET_MODELS = MODELS

#: The MMDetection config of the default offline face detector. Kept in sync
#: with ``configs/detectors/opencv_haar_face.py`` (a test checks it).
OPENCV_FACE_DETECTOR_CFG = dict(
    default_scope='mmdet',
    model=dict(
        type='awing_mmpose.OpenCVFaceDetector',
        cascade='haarcascade_frontalface_default.xml',
        scale_factor=1.1,
        min_neighbors=5,
        min_size=20,
        max_side=640,
        box_scale=1.0,
        box_shift_y=0.0),
    test_dataloader=dict(
        batch_size=1,
        num_workers=0,
        dataset=dict(
            type='CocoDataset',
            test_mode=True,
            pipeline=[
                dict(type='LoadImageFromFile'),
                dict(
                    type='PackDetInputs',
                    meta_keys=('img_id', 'img_path', 'ori_shape',
                               'img_shape')),
            ])),
    # DetInferencer (used by MMPose's inferencer) needs a visualizer
    visualizer=dict(
        type='mmdet.DetLocalVisualizer', name='opencv_face_det_vis'),
)


def resolve_cascade(cascade: str) -> str:
    """Return the path of a Haar cascade: ``cascade`` itself when it is a
    file, else the file of that name in ``cv2.data.haarcascades``.

    Raises:
        FileNotFoundError: naming both places looked at (opencv-python 5.x
            no longer ships the cascade files; use opencv-python 4.x or give
            a path).
    """
    if osp.isfile(cascade):
        return cascade
    data_dir = getattr(getattr(cv2, 'data', None), 'haarcascades', '')
    path = osp.join(data_dir, cascade)
    if data_dir and osp.isfile(path):
        return path
    raise FileNotFoundError(
        f'Haar cascade "{cascade}" not found (looked at it as a path and in '
        f'cv2.data.haarcascades = "{data_dir}"). opencv-python {cv2.__version__}'
        ' may not ship the cascade files (5.x does not): install '
        'opencv-python 4.x or pass cascade=<path to the .xml>.')


@DET_MODELS.register_module()
class OpenCVFaceDetector(BaseModel):
    """OpenCV Haar-cascade face detector as an MMDetection model.

    Args:
        cascade (str): cascade file name in ``cv2.data.haarcascades`` or a
            path. Defaults to the frontal-face cascade.
        scale_factor (float): pyramid step of ``detectMultiScale``.
        min_neighbors (int): neighbours a candidate needs to be kept.
        min_size (int): smallest face side in pixels (at the detection
            resolution, see ``max_side``).
        max_side (int, optional): images whose longer side exceeds it are
            downscaled for detection (boxes are mapped back). ``None``: never.
        box_scale (float): factor applied to the box side around its centre
            (the Haar box covers brows to mouth; >1 reaches the jaw).
        box_shift_y (float): downward shift of the box centre, as a fraction
            of the box height.
        log_empty (bool): log a WARNING when an image has no face.
        data_preprocessor (dict, optional): defaults to MMEngine's
            ``BaseDataPreprocessor`` (moves uint8 images, no normalisation).

    ``forward(inputs, data_samples, mode='predict')`` takes ``inputs``, a list
    of (3, H, W) uint8 tensors in BGR order (or an (N, 3, H, W) tensor) and
    returns one :class:`DetDataSample` per image with ``pred_instances``:
    ``bboxes`` (n, 4) float32 x1 y1 x2 y2 in input-image pixels, ``scores``
    (n,) = m / (m + min_neighbors) for a box supported by m neighbouring
    detections (so >= 0.5 when m >= min_neighbors), ``labels`` (n,) int64 = 0
    (class ``face``).
    """

    def __init__(self,
                 cascade: str = 'haarcascade_frontalface_default.xml',
                 scale_factor: float = 1.1,
                 min_neighbors: int = 5,
                 min_size: int = 20,
                 max_side: Optional[int] = 640,
                 box_scale: float = 1.0,
                 box_shift_y: float = 0.0,
                 log_empty: bool = True,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if scale_factor <= 1.0:
            raise ValueError(
                f'OpenCVFaceDetector: scale_factor must be > 1, got '
                f'{scale_factor}')
        self.cascade_path = resolve_cascade(cascade)
        self.classifier = cv2.CascadeClassifier(self.cascade_path)
        if self.classifier.empty():
            raise IOError(f'OpenCVFaceDetector: cannot load the cascade '
                          f'{self.cascade_path}')
        self.scale_factor = float(scale_factor)
        self.min_neighbors = int(min_neighbors)
        self.min_size = int(min_size)
        self.max_side = max_side
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

    # -- core -------------------------------------------------------------
    def detect(self, img: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Detect faces in one image.

        Args:
            img (np.ndarray): (H, W, 3) BGR or (H, W) grey, uint8.

        Returns:
            tuple: ``bboxes`` (n, 4) float32 x1 y1 x2 y2 and ``scores`` (n,)
            float32, sorted by decreasing score.
        """
        if img.ndim == 3:
            grey = cv2.cvtColor(np.ascontiguousarray(img), cv2.COLOR_BGR2GRAY)
        else:
            grey = np.ascontiguousarray(img)
        if grey.dtype != np.uint8:
            grey = np.clip(grey, 0, 255).astype(np.uint8)
        h, w = grey.shape[:2]
        ratio = 1.0
        if self.max_side and max(h, w) > self.max_side:
            ratio = self.max_side / max(h, w)
            grey = cv2.resize(grey, (max(1, round(w * ratio)),
                                     max(1, round(h * ratio))),
                              interpolation=cv2.INTER_AREA)
        grey = cv2.equalizeHist(grey)
        rects, neighbours = self.classifier.detectMultiScale2(
            grey,
            scaleFactor=self.scale_factor,
            minNeighbors=self.min_neighbors,
            minSize=(self.min_size, self.min_size))
        if len(rects) == 0:
            return (np.zeros((0, 4), np.float32), np.zeros((0, ),
                                                           np.float32))
        rects = np.asarray(rects, np.float32).reshape(-1, 4) / ratio
        m = np.asarray(neighbours, np.float32).reshape(-1)
        scores = m / (m + max(self.min_neighbors, 1))
        cx = rects[:, 0] + rects[:, 2] / 2
        cy = rects[:, 1] + rects[:, 3] / 2 + self.box_shift_y * rects[:, 3]
        bw = rects[:, 2] * self.box_scale
        bh = rects[:, 3] * self.box_scale
        bboxes = np.stack(
            [cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], axis=1)
        bboxes[:, 0::2] = bboxes[:, 0::2].clip(0, w - 1)
        bboxes[:, 1::2] = bboxes[:, 1::2].clip(0, h - 1)
        order = np.argsort(-scores, kind='stable')
        return bboxes[order].astype(np.float32), scores[order].astype(
            np.float32)

    def forward(self,
                inputs: Union[torch.Tensor, Sequence[torch.Tensor]],
                data_samples: Optional[List[DetDataSample]] = None,
                mode: str = 'predict') -> List[DetDataSample]:
        if mode not in ('predict', 'tensor'):
            raise RuntimeError(
                f'OpenCVFaceDetector has no trainable parameters; mode '
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
                    f'OpenCVFaceDetector: no face found in {where}.',
                    logger='current',
                    level=logging.WARNING)
            pred = InstanceData()
            pred.bboxes = torch.from_numpy(bboxes)
            pred.scores = torch.from_numpy(scores)
            pred.labels = torch.zeros(len(scores), dtype=torch.long)
            sample.pred_instances = pred
            results.append(sample)
        return results


# -- the default of MMPose's inferencer -----------------------------------
_MMPOSE_FACE_ENTRY: Optional[dict] = None


def offline_face_detector_entry() -> dict:
    """The ``default_det_models['face']`` entry of the offline detector:
    a fresh :class:`~mmengine.config.Config`, no weights, category 0."""
    return dict(
        model=Config(copy.deepcopy(OPENCV_FACE_DETECTOR_CFG)),
        weights=None,
        cat_ids=(0, ))


def use_offline_face_detector() -> bool:
    """Point MMPose's ``default_det_models['face']`` at
    :class:`OpenCVFaceDetector`, unless ``AWING_FACE_DETECTOR=mmpose``.

    Returns whether the offline detector is now the default.
    """
    global _MMPOSE_FACE_ENTRY
    if os.environ.get('AWING_FACE_DETECTOR', '').lower() == 'mmpose':
        return False
    from mmpose.apis.inferencers.utils import default_det_models
    current = default_det_models.get('face')
    if _MMPOSE_FACE_ENTRY is None and not _is_offline_entry(current):
        _MMPOSE_FACE_ENTRY = current
    default_det_models['face'] = offline_face_detector_entry()
    return True


def restore_mmpose_face_detector() -> None:
    """Put back MMPose's own ``default_det_models['face']`` (YOLOX, needs a
    download) if :func:`use_offline_face_detector` replaced it."""
    from mmpose.apis.inferencers.utils import default_det_models
    if _MMPOSE_FACE_ENTRY is not None:
        default_det_models['face'] = _MMPOSE_FACE_ENTRY


def _is_offline_entry(entry) -> bool:
    try:
        return entry['model']['model']['type'] == \
            'awing_mmpose.OpenCVFaceDetector'
    except (TypeError, KeyError):
        return False
