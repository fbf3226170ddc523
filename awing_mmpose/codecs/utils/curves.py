"""Boundary-curve definitions, read from the dataset metainfo files in
``awing_mmpose/datasets/metainfo`` (or any metainfo file with
``dataset_info['boundary_curves']``)."""
import os.path as osp
from typing import List, Optional, Sequence, Union

from mmengine.config import Config

METAINFO_DIR = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'datasets',
    'metainfo')


def metainfo_file(name: str) -> str:
    """Path of the built-in metainfo file ``name`` ('wflw', '300w', ...)."""
    return osp.join(METAINFO_DIR, f'{name.lower()}.py')


def load_boundary_curves(
    curves: Union[str, Sequence[Sequence[int]], None]
) -> Optional[List[List[int]]]:
    """Resolve a curve spec: None, a list of index lists, a built-in dataset
    name or the path of a metainfo file holding
    ``dataset_info['boundary_curves']``."""
    if curves is None:
        return None
    if isinstance(curves, str):
        path = curves if osp.isfile(curves) else metainfo_file(curves)
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'boundary curves {curves!r}: neither a metainfo file nor a '
                f'built-in name (files in {METAINFO_DIR})')
        info = Config.fromfile(path).get('dataset_info', {})
        if 'boundary_curves' not in info:
            raise KeyError(f'{path}: dataset_info has no boundary_curves')
        curves = info['boundary_curves']
    curves = [[int(i) for i in c] for c in curves]
    if not curves or any(len(c) < 2 for c in curves) or any(
            i < 0 for c in curves for i in c):
        raise ValueError('boundary curves must be lists of at least two '
                         f'non-negative landmark indices, got {curves}')
    return curves
