"""Random crop augmentation that never pushes a landmark out of the crop."""
import copy
from typing import Dict, Optional, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmpose.datasets.transforms import TopdownAffine
from mmpose.registry import TRANSFORMS as MMPOSE_TRANSFORMS
from mmpose.structures.bbox import get_udp_warp_matrix, get_warp_matrix

from awing_mmpose.registry import TRANSFORMS

#: the crop fields a bbox transform changes and this wrapper restores
BBOX_KEYS = ('bbox_center', 'bbox_scale', 'bbox_rotation')


@TRANSFORMS.register_module()
class KeepLandmarksInCrop(BaseTransform):
    """Run a random bbox transform until every visible landmark lands inside
    the crop, then fall back to a deterministic crop that holds them all.

    A landmark pushed out of the crop by rotation, shift or zoom leaves an
    empty target channel. The authors' loader re-draws such crops (up to 5
    tries, then a safe enlarged crop) so that every landmark stays inside
    [15, 240] of the 256 crop; this does the same for any MMPose bbox
    transform. Put it where the bbox transform was, before ``TopdownAffine``
    (``input_size`` and ``use_udp`` must match it)::

        dict(type='awing_mmpose.KeepLandmarksInCrop',
             transform=dict(type='RandomBBoxTransform', rotate_factor=50.),
             input_size=(256, 256), margin=15.)

    Each try restores the crop fields (``bbox_center``, ``bbox_scale``,
    ``bbox_rotation``) and draws new random parameters. After ``max_tries``
    failures the safe crop keeps the un-augmented centre and the last draw's
    rotation (so rotation augmentation survives) and grows the un-augmented
    scale just enough to hold every visible landmark ``margin`` pixels
    inside. Invisible landmarks are not checked; a landmark that still falls
    outside (none, in exact arithmetic) gets weight 0 from the codec.

    Required keys: ``bbox_center``, ``bbox_scale``, ``keypoints``,
    ``keypoints_visible`` (without keypoints the transform runs once).
    Modified keys: ``bbox_center``, ``bbox_scale``, ``bbox_rotation``.
    Added keys: ``crop_tries`` (int, 0 = the fallback crop).

    Args:
        transform (dict): the random bbox transform, e.g. MMPose's
            ``RandomBBoxTransform``.
        input_size (tuple): (w, h) of the ``TopdownAffine`` that follows.
        margin (float): least distance of a landmark from the crop edge, in
            input pixels. Defaults to 0.
        max_tries (int): random draws before the fallback. Defaults to 5.
        use_udp (bool): as the ``TopdownAffine`` that follows.
    """

    def __init__(self,
                 transform: dict,
                 input_size: Tuple[int, int] = (256, 256),
                 margin: float = 0.,
                 max_tries: int = 5,
                 use_udp: bool = False) -> None:
        super().__init__()
        w, h = input_size
        if not 0 <= margin < min(w, h) / 2 - 1:
            raise ValueError(
                f'KeepLandmarksInCrop: margin must be in [0, '
                f'{min(w, h) / 2 - 1:g}) for input_size {tuple(input_size)},'
                f' got {margin}')
        if max_tries < 1:
            raise ValueError(f'KeepLandmarksInCrop: max_tries must be >= 1, '
                             f'got {max_tries}')
        self.transform_cfg = copy.deepcopy(transform)
        self.bbox_transform = MMPOSE_TRANSFORMS.build(transform)
        self.input_size = (int(w), int(h))
        self.margin = float(margin)
        self.max_tries = int(max_tries)
        self.use_udp = use_udp

    def transform(self, results: Dict) -> Dict:
        points = self._visible_points(results)
        if points is None:
            return self.bbox_transform(results)
        original = {k: copy.deepcopy(results[k]) for k in BBOX_KEYS
                    if k in results}
        for attempt in range(1, self.max_tries + 1):
            results.update(copy.deepcopy(original))
            results = self.bbox_transform(results)
            if self.inside(points, results):
                results['crop_tries'] = attempt
                return results
        rotation = float(np.ravel(results.get('bbox_rotation', [0.]))[0])
        results.update(copy.deepcopy(original))
        results.update(self.fallback(points, results, rotation))
        results['crop_tries'] = 0
        return results

    @staticmethod
    def _visible_points(results: Dict) -> Optional[np.ndarray]:
        """(N, 2) visible landmarks of the one instance, or None."""
        kpts = results.get('keypoints')
        if kpts is None or np.size(kpts) == 0:
            return None
        if kpts.shape[0] != 1:
            raise ValueError('KeepLandmarksInCrop: top-down data holds one '
                             f'instance, got keypoints of shape {kpts.shape}')
        visible = results.get('keypoints_visible')
        keep = (np.ones(kpts.shape[1], bool) if visible is None else
                np.asarray(visible).reshape(kpts.shape[:2])[0] > 0)
        return kpts[0, keep, :2].astype(np.float32)

    def warp_matrix(self, results: Dict) -> np.ndarray:
        """The 2x3 matrix ``TopdownAffine`` will build from ``results``."""
        w, h = self.input_size
        scale = TopdownAffine._fix_aspect_ratio(
            np.asarray(results['bbox_scale'], np.float32), aspect_ratio=w / h)
        rotation = results.get('bbox_rotation')
        rot = 0. if rotation is None else float(np.ravel(rotation)[0])
        warp = get_udp_warp_matrix if self.use_udp else get_warp_matrix
        return warp(results['bbox_center'][0], scale[0], rot,
                    output_size=(w, h))

    def inside(self, points: np.ndarray, results: Dict) -> bool:
        """Whether all ``points`` (N, 2) land ``margin`` inside the crop."""
        if not len(points):
            return True
        moved = cv2.transform(points[None], self.warp_matrix(results))[0]
        w, h = self.input_size
        m = self.margin
        return bool(((moved >= m) & (moved <= np.array([w - 1 - m,
                                                         h - 1 - m]))).all())

    def fallback(self, points: np.ndarray, results: Dict,
                 rotation: float) -> Dict:
        """Crop fields of the safe crop: the un-augmented centre, the last
        draw's ``rotation``, the scale grown just enough to hold ``points``
        ``margin`` pixels inside (never shrunk)."""
        w, h = self.input_size
        center = np.asarray(results['bbox_center'], np.float32)
        scale = TopdownAffine._fix_aspect_ratio(
            np.asarray(results['bbox_scale'], np.float32), aspect_ratio=w / h)
        rot = np.full(len(center), rotation, np.float32)
        trial = dict(bbox_center=center, bbox_scale=scale, bbox_rotation=rot)
        # offsets from the crop centre in output pixels at this scale
        moved = cv2.transform(points[None], self.warp_matrix(trial))[0]
        reach = np.abs(moved - np.array([w / 2, h / 2])).max(axis=0)
        # (u - w / 2) * s0 / s must stay within w / 2 - 1 - margin
        half = np.array([w / 2 - 1 - self.margin, h / 2 - 1 - self.margin])
        grow = (reach / half).max()
        # a hair more than needed, so float32 warps keep the points inside
        scale = scale * max(1., grow * (1 + 1e-4))
        return dict(bbox_center=center, bbox_scale=scale.astype(np.float32),
                    bbox_rotation=rot)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(transform={self.transform_cfg}, '
                f'input_size={self.input_size}, margin={self.margin}, '
                f'max_tries={self.max_tries}, use_udp={self.use_udp})')
