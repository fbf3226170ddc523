"""Face-landmark dataset in MMPose's COCO-style json, with subset tags."""
import logging
import os.path as osp
from typing import Any, List, Optional, Tuple

import mmcv
import numpy as np
from mmengine.logging import print_log
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
    pipeline (for ``BoundaryHeatmap(boundary_curves='auto')``).

    Bad data stops the run when the data set is loaded, not at iteration N:
    every annotation is checked for the number of points, NaN / infinite
    coordinates, a missing or zero-size box and a missing image file (local
    files), and the error names the annotation file, the annotation id and
    the problem. An image file that exists but does not decode stops the run
    at its first read, with its path. With ``skip_invalid=True`` such samples
    are left out instead and listed in the log (an undecodable image is then
    replaced by another sample when it is read during training).

    Args:
        layout (str): built-in metainfo (``'wflw'``, ``'300w'``, ``'cofw'``:
            MMPose's keypoint info, flip pairs and sigmas plus the boundary
            curves), used unless ``metainfo`` is given. Defaults to 'wflw'.
        skip_invalid (bool): skip bad samples (and log them) instead of
            raising. Defaults to False.
        **kwargs: as :class:`mmpose.datasets.BaseCocoStyleDataset`.
    """

    METAINFO: dict = dict(from_file=metainfo_file('wflw'))

    def __init__(self, *args, layout: str = 'wflw',
                 metainfo: Optional[dict] = None, skip_invalid: bool = False,
                 **kwargs):
        self.skip_invalid = skip_invalid
        #: (where, problem) of every sample left out by ``skip_invalid``
        self.skipped: List[Tuple[str, str]] = []
        self._image_exists = {}
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

    @staticmethod
    def _is_local(path: str) -> bool:
        """A local file (not ``s3://...``, ``http://...``)."""
        return '://' not in path

    def _annotation_problem(self, ann: dict, img_path: str) -> Optional[str]:
        """What is wrong with one annotation (None: nothing)."""
        num_kpts = self.metainfo['num_keypoints']
        if len(ann.get('keypoints', [])) != num_kpts * 3:
            return (f'{len(ann.get("keypoints", [])) // 3} keypoints, the '
                    f'{self.metainfo["dataset_name"]} layout has {num_kpts}')
        if not np.isfinite(np.asarray(ann['keypoints'], np.float64)).all():
            return 'NaN or infinite keypoint coordinate'
        bbox = ann.get('bbox')
        if bbox is None or len(bbox) != 4 or not np.isfinite(
                np.asarray(bbox, np.float64)).all() or min(bbox[2:]) <= 0:
            return (f'missing or invalid bbox {bbox} (need x, y, w > 0, '
                    'h > 0)')
        if self._is_local(img_path):
            if img_path not in self._image_exists:
                self._image_exists[img_path] = osp.isfile(img_path)
            if not self._image_exists[img_path]:
                return f'image file not found: {img_path}'
        return None

    def parse_data_info(self, raw_data_info: dict) -> Optional[dict]:
        ann = raw_data_info['raw_ann_info']
        img_path = raw_data_info['raw_img_info']['img_path']
        problem = self._annotation_problem(ann, img_path)
        if problem is not None:
            where = f'{self.ann_file}: annotation id {ann.get("id")}'
            if not self.skip_invalid:
                raise ValueError(f'{where}: {problem}')
            self.skipped.append((where, problem))
            return None
        return super().parse_data_info(raw_data_info)

    def load_data_list(self) -> List[dict]:
        self.skipped = []
        data_list = super().load_data_list()
        if self.skipped:
            lines = '\n'.join(f'  {w}: {p}' for w, p in self.skipped)
            print_log(
                f'{self.ann_file}: skipped {len(self.skipped)} invalid '
                f'annotation(s) (skip_invalid=True):\n{lines}',
                logger='current',
                level=logging.WARNING)
        return data_list

    def prepare_data(self, idx: int) -> Any:
        """Run the pipeline; an image that does not read stops with its path
        (or, with ``skip_invalid`` while training, is logged and replaced by
        another sample)."""
        try:
            return super().prepare_data(idx)
        except Exception as error:
            info = self.get_data_info(idx)
            problem = self._read_problem(info.get('img_path'))
            if problem is None:
                raise
            where = (f'{info.get("img_path")} (annotation id '
                     f'{info.get("id")} of {self.ann_file})')
            if self.skip_invalid and not self.test_mode:
                print_log(f'{where}: {problem}; sample skipped '
                          '(skip_invalid=True)', logger='current',
                          level=logging.WARNING)
                return None  # MMEngine's BaseDataset draws another sample
            if self.skip_invalid:  # test_mode
                problem += (' (skip_invalid does not apply to a test set: '
                            'every test sample is scored)')
            raise ValueError(f'{where}: {problem}') from error

    def _read_problem(self, img_path: Optional[str]) -> Optional[str]:
        """Why ``img_path`` cannot be read (None: it reads fine or is not a
        local file)."""
        if not img_path or not self._is_local(img_path):
            return None
        if not osp.isfile(img_path):
            return 'image file not found'
        try:
            img = mmcv.imread(img_path)
        except Exception as e:  # noqa: BLE001
            return (f'the file exists ({osp.getsize(img_path)} bytes) but '
                    f'does not decode as an image ({e})')
        if img is None:
            return (f'the file exists ({osp.getsize(img_path)} bytes) but '
                    'does not decode as an image')
        return None
