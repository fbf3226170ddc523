"""Face-landmark dataset in MMPose's COCO-style json, with subset tags."""
import os.path as osp
from typing import Optional

import numpy as np
from mmpose.datasets.datasets.base import BaseCocoStyleDataset

from awing_mmpose.codecs.utils import load_boundary_curves, metainfo_file
from awing_mmpose.registry import DATASETS


@DATASETS.register_module()
class FaceLandmarkDataset(BaseCocoStyleDataset):
    """Top-down face landmarks (WFLW 98, 300W 68, COFW 29 points, ...).

    Reads the json written by this package's converters (and MMPose's own
    face jsons): the crop comes from ``bbox`` (x, y, w, h), each annotation's
    ``subsets`` list (e.g. ``['pose', 'blur']``) travels to the metric in
    ``raw_ann_info``, and the metainfo's ``boundary_curves`` travel to the
    pipeline (for ``BoundaryHeatmap(boundary_curves='auto')``). Each annotation is checked: a wrong number of points or
    a NaN / infinite coordinate raises an error naming the file and the
    annotation.

    Args:
        layout (str): built-in metainfo (``'wflw'``, ``'300w'``, ``'cofw'``:
            MMPose's keypoint info, flip pairs and sigmas plus the boundary
            curves), used unless ``metainfo`` is given. Defaults to 'wflw'.
        **kwargs: as :class:`mmpose.datasets.BaseCocoStyleDataset`.
    """

    METAINFO: dict = dict(from_file=metainfo_file('wflw'))

    def __init__(self, *args, layout: str = 'wflw',
                 metainfo: Optional[dict] = None, **kwargs):
        if metainfo is None:
            path = metainfo_file(layout)
            if not osp.isfile(path):
                raise ValueError(f'FaceLandmarkDataset: unknown layout '
                                 f'{layout!r} (no {path})')
            metainfo = dict(from_file=path)
        super().__init__(*args, metainfo=metainfo, **kwargs)

    @classmethod
    def _load_metainfo(cls, metainfo: dict = None) -> dict:
        # MMPose's parser keeps only the keys it knows: add the curves
        parsed = super()._load_metainfo(metainfo)
        from_file = (metainfo or {}).get('from_file')
        curves = metainfo.get('boundary_curves') if metainfo else None
        if curves is None and from_file:
            try:
                curves = load_boundary_curves(from_file)
            except KeyError:
                curves = None  # a metainfo file without curves
        parsed['boundary_curves'] = curves
        return parsed

    def get_data_info(self, idx: int) -> dict:
        data_info = super().get_data_info(idx)
        data_info['boundary_curves'] = self._metainfo['boundary_curves']
        return data_info

    def parse_data_info(self, raw_data_info: dict) -> Optional[dict]:
        ann = raw_data_info['raw_ann_info']
        where = f'{self.ann_file}: annotation id {ann.get("id")}'
        num_kpts = self.metainfo['num_keypoints']
        if len(ann.get('keypoints', [])) != num_kpts * 3:
            raise ValueError(
                f'{where}: {len(ann.get("keypoints", [])) // 3} keypoints, '
                f'the {self.metainfo["dataset_name"]} layout has {num_kpts}')
        coords = np.asarray(ann['keypoints'], np.float64)
        if not np.isfinite(coords).all():
            raise ValueError(f'{where}: NaN or infinite keypoint coordinate')
        if 'bbox' not in ann or len(ann['bbox']) != 4 or not np.isfinite(
                ann['bbox']).all() or min(ann['bbox'][2:]) <= 0:
            raise ValueError(f'{where}: missing or invalid bbox '
                             f'{ann.get("bbox")} (need x, y, w > 0, h > 0)')
        return super().parse_data_info(raw_data_info)
