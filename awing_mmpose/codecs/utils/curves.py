"""Boundary-curve definitions, read from the dataset metainfo files in
``awing_mmpose/datasets/metainfo`` (or any metainfo file with
``dataset_info['boundary_curves']``).

The metainfo files are MMEngine config files (they inherit MMPose's with
``_base_``), read by path: they ship as package data next to the modules
(``setup.py``), so the same path works in a checkout, an editable install
and an installed wheel.
"""
import glob
import os.path as osp
from typing import List, Optional, Sequence, Union

from mmengine.config import Config

METAINFO_DIR = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'datasets',
    'metainfo')


def builtin_metainfo_names() -> List[str]:
    """Names of the built-in metainfo files (``['300w', 'cofw', 'wflw']``)."""
    return sorted(
        osp.splitext(osp.basename(p))[0]
        for p in glob.glob(osp.join(METAINFO_DIR, '*.py')))


def metainfo_file(name: str) -> str:
    """Path of the built-in metainfo file ``name`` ('wflw', '300w',
    'cofw'); callers check that it exists (:func:`builtin_metainfo_names`
    lists the names)."""
    return osp.join(METAINFO_DIR, f'{str(name).lower()}.py')


def load_boundary_curves(
    curves: Union[str, Sequence[Sequence[int]], None]
) -> Optional[List[List[int]]]:
    """Resolve a curve spec: None, a list of index lists, a built-in dataset
    name or the path of a metainfo file holding
    ``dataset_info['boundary_curves']``."""
    if curves is None:
        return None
    if isinstance(curves, str):
        if osp.isfile(curves):
            path = curves
        elif curves.lower() in builtin_metainfo_names():
            path = metainfo_file(curves)
        else:
            raise FileNotFoundError(
                f'boundary curves {curves!r}: neither a metainfo file nor a '
                f'built-in name {builtin_metainfo_names()}')
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
