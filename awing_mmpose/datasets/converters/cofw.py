"""COFW (29 points) -> COCO-style json plus PNG images.

Raw format: ``COFW_train_color.mat`` / ``COFW_test_color.mat``, MATLAB v7.3
(= HDF5, read with h5py). h5py shows every array transposed with respect to
MATLAB:

============  ===================  =================  ======================
MATLAB name   MATLAB shape         h5py shape         content
============  ===================  =================  ======================
IsTr / IsT    N x 1 cell           (1, N) refs        images, each H x W x 3
                                                      (h5py (3, W, H)) or
                                                      grey H x W ((W, H))
phisTr/phisT  N x 87               (87, N)            29 x, 29 y, 29 occlusion
                                                      flags (1 = occluded)
bboxesTr/T    N x 4                (4, N)             x y w h
============  ===================  =================  ======================

MATLAB coordinates are 1-based; 1 is subtracted from landmarks and box
corners. Occluded points get v = 1, visible v = 2.

The keypoint order is the .mat order, which is also the order of MMPose's
``configs/_base_/datasets/cofw.py`` metainfo (its flip pairs 0-1, 2-3, 4-6,
5-7, 8-9, 10-11, 12-14, 13-15, 16-17, 18-19, 22-23 match). In that order
the pupils are :data:`PUPIL_INDICES` = (16, 17) (the paper's inter-pupil
normaliser); (8, 9) are the outer eye corners, which MMPose's NME metric
uses for ``cofw``.

Outputs in ``out_dir``: ``images/{train,test}/NNNNNN.png`` (1-based index in
the .mat; an existing identical image is not rewritten), ``cofw_train.json``
and ``cofw_test.json`` with ``file_name`` = ``{train,test}/NNNNNN.png``
relative to ``out_dir/images`` (``data_prefix=dict(img=out_dir/images)``).
``subsets`` is empty.
"""
import os.path as osp
from contextlib import ExitStack
from typing import List, Optional, Tuple

import numpy as np

from ..landmark_layouts import COFW_PUPILS, NUM_COFW_KEYPOINTS
from .common import (CocoBuilder, ConversionError, IssueHandler, Summary,
                     atomic_write_bytes, check_box, enlarge_box,
                     make_annotation, progress, write_outputs)

NUM_KEYPOINTS = NUM_COFW_KEYPOINTS
#: pupils in the .mat (= MMPose metainfo) order
PUPIL_INDICES = COFW_PUPILS
#: split -> (.mat file name, images field, landmarks field, boxes field)
SPLITS = dict(
    train=('COFW_train_color.mat', 'IsTr', 'phisTr', 'bboxesTr'),
    test=('COFW_test_color.mat', 'IsT', 'phisT', 'bboxesT'),
)


def _as_rows(arr: np.ndarray, width: int, path: str, name: str,
             n: Optional[int] = None) -> np.ndarray:
    """MATLAB N x width matrix seen by h5py as (width, N) -> (N, width)."""
    if arr.ndim != 2:
        raise ConversionError(path, f'field {name!r} has shape {arr.shape}, '
                              f'expected MATLAB N x {width}')
    if arr.shape[0] == width and (n is None or arr.shape[1] == n):
        arr = arr.T
    elif not (arr.shape[1] == width and (n is None or arr.shape[0] == n)):
        want = f'{n}' if n is not None else 'N'
        raise ConversionError(
            path, f'field {name!r} has h5py shape {arr.shape}, expected '
            f'({width}, {want}) (MATLAB {want} x {width})')
    return np.asarray(arr, dtype=np.float64)


def _image_refs(f, path: str, name: str) -> list:
    import h5py
    ds = f[name]
    if not isinstance(ds, h5py.Dataset) or h5py.check_ref_dtype(
            ds.dtype) is not h5py.Reference:
        raise ConversionError(path, f'field {name!r} is not a MATLAB cell of '
                              'images (object references)')
    refs = ds[()]
    if refs.ndim != 2 or min(refs.shape) != 1:
        raise ConversionError(path, f'field {name!r} has shape {refs.shape}, '
                              'expected an N x 1 cell')
    return list(refs.reshape(-1))


def _check_image(f, ref, path: str, where: str) -> Tuple[int, int]:
    """Validate one referenced image dataset -> (width, height)."""
    import h5py
    if not ref:
        raise ConversionError(path, f'{where}: null image reference')
    try:
        ds = f[ref]
    except (KeyError, ValueError, RuntimeError) as e:
        raise ConversionError(path, f'{where}: broken image reference '
                              f'({e})') from None
    if not isinstance(ds, h5py.Dataset):
        raise ConversionError(path, f'{where}: image reference does not '
                              'point to an array')
    if ds.dtype != np.uint8:
        raise ConversionError(path, f'{where}: image dtype {ds.dtype}, '
                              'expected uint8')
    shape = ds.shape
    if len(shape) == 2:
        w, h = shape
    elif len(shape) == 3 and shape[0] in (1, 3):
        w, h = shape[1:]
    else:
        raise ConversionError(path, f'{where}: image h5py shape {shape}, '
                              'expected (3, W, H) or (W, H)')
    if w < 1 or h < 1:
        raise ConversionError(path, f'{where}: empty image {shape}')
    return int(w), int(h)


def _load_image(f, ref) -> np.ndarray:
    """h5py (3, W, H) RGB / (W, H) grey -> H x W x 3 BGR / H x W (for cv2)."""
    arr = f[ref][()]
    if arr.ndim == 2:
        return np.ascontiguousarray(arr.T)
    img = np.ascontiguousarray(np.transpose(arr, (2, 1, 0)))
    if img.shape[2] == 1:
        return img[..., 0]
    return np.ascontiguousarray(img[..., ::-1])  # RGB -> BGR


def _write_png(img: np.ndarray, path: str) -> bool:
    """Write ``img`` unless an identical image is there; True if written."""
    import cv2
    ok, buf = cv2.imencode('.png', img)
    if not ok:
        raise ConversionError(path, 'PNG encoding failed')
    data = buf.tobytes()
    if osp.isfile(path):
        with open(path, 'rb') as fh:
            old = fh.read()
        if old == data:
            return False
        prev = cv2.imdecode(np.frombuffer(old, np.uint8),
                            cv2.IMREAD_UNCHANGED)
        if prev is not None and prev.shape == img.shape and np.array_equal(
                prev, img):
            return False
    atomic_write_bytes(path, data)
    return True


def open_mat(mat_path: str):
    """Open a MATLAB v7.3 file with h5py (a clear error otherwise)."""
    import h5py
    if not osp.isfile(mat_path):
        raise ConversionError(mat_path, 'file not found')
    try:
        return h5py.File(mat_path, 'r')
    except OSError as e:
        raise ConversionError(
            mat_path, 'not a MATLAB v7.3 (HDF5) file, or corrupt '
            f'({e})') from None


def validate_split(f, mat_path: str, split: str, issues: IssueHandler,
                   enlarge: float = 0.0, show_progress: bool = True
                   ) -> Tuple[CocoBuilder, List[Tuple[int, object, str]]]:
    """Check one opened .mat and build its annotations (reads no pixels)
    -> (builder, [(index, image reference, file_name)] to write)."""
    _, img_field, phis_field, box_field = SPLITS[split]
    missing = [k for k in (img_field, phis_field, box_field) if k not in f]
    if missing:
        present = sorted(k for k in f.keys() if not k.startswith('#'))
        raise ConversionError(
            mat_path, f'missing field(s) {missing} for the {split} '
            f'split (fields present: {present})')
    refs = _image_refs(f, mat_path, img_field)
    n = len(refs)
    phis = _as_rows(f[phis_field][()], 3 * NUM_KEYPOINTS, mat_path,
                    phis_field, n)
    boxes = _as_rows(f[box_field][()], 4, mat_path, box_field, n)

    builder = CocoBuilder()
    todo: List[Tuple[int, object, str]] = []
    for i in progress(range(n), f'check {split}', show_progress):
        where = f'item {i + 1} of {n} (0-based index {i})'
        try:
            w, h = _check_image(f, refs[i], mat_path, where)
            phi = phis[i]
            if not np.all(np.isfinite(phi)):
                raise ConversionError(
                    mat_path, f'{where}: non-finite value in {phis_field}')
            occl = phi[2 * NUM_KEYPOINTS:]
            if not np.all((occl == 0) | (occl == 1)):
                raise ConversionError(
                    mat_path, f'{where}: occlusion flags in {phis_field} '
                    'must be 0 or 1')
            kpts = np.stack([phi[:NUM_KEYPOINTS],
                             phi[NUM_KEYPOINTS:2 * NUM_KEYPOINTS]],
                            axis=1) - 1.0
            bx, by, bw, bh = boxes[i]
            box = np.array([bx - 1, by - 1, bx - 1 + bw, by - 1 + bh])
            try:
                check_box(box, mat_path, None)
            except ConversionError as e:
                raise ConversionError(
                    mat_path, f'{where}: {box_field}: {e.message}') from None
            box = enlarge_box(box, enlarge)
            vis = np.where(occl > 0, 1, 2)
            file_name = f'{split}/{i + 1:06d}.png'
            builder.add(file_name, w, h, make_annotation(kpts, vis, box, ()))
            todo.append((i, refs[i], file_name))
        except ConversionError as e:
            issues(e)
    return builder, todo


def write_images(f, mat_path: str, todo, out_dir: str, split: str,
                 show_progress: bool = True) -> int:
    """Write the validated images -> how many were (re)written."""
    written = 0
    for i, ref, file_name in progress(todo, f'write {split}', show_progress):
        try:
            img = _load_image(f, ref)
        except (OSError, KeyError, ValueError) as e:
            raise ConversionError(
                mat_path, f'item {i + 1}: cannot read the image ({e})'
            ) from None
        written += _write_png(img, osp.join(out_dir, 'images', file_name))
    return written


def convert_cofw(mat_dir: str,
                 out_dir: str,
                 enlarge: float = 0.0,
                 skip_invalid: bool = False,
                 show_progress: bool = True,
                 train_mat: Optional[str] = None,
                 test_mat: Optional[str] = None) -> Summary:
    """Convert COFW's two .mat files (see the module docstring).

    Args:
        mat_dir: folder holding ``COFW_train_color.mat`` and
            ``COFW_test_color.mat`` (``train_mat`` / ``test_mat`` override).
        out_dir: where ``images/`` and the json files go.

    Raises:
        ConversionError: on the first invalid item unless ``skip_invalid``;
            nothing is written then (both files are validated before the
            first image is written; the json files are written last).
    """
    if enlarge < 0:
        raise ConversionError('--enlarge', f'must be >= 0, got {enlarge}')
    paths = dict(
        train=train_mat or osp.join(mat_dir, SPLITS['train'][0]),
        test=test_mat or osp.join(mat_dir, SPLITS['test'][0]))
    issues = IssueHandler(skip_invalid)
    outputs = []
    summary = Summary('COFW', img_root=osp.join(out_dir, 'images'))
    with ExitStack() as stack:
        files = {
            split: stack.enter_context(open_mat(paths[split]))
            for split in ('train', 'test')
        }
        # validate both files before any image is written
        checked = {
            split: validate_split(files[split], paths[split], split, issues,
                                  enlarge, show_progress)
            for split in ('train', 'test')
        }
        for split in ('train', 'test'):
            builder, todo = checked[split]
            written = write_images(files[split], paths[split], todo, out_dir,
                                   split, show_progress)
            outputs.append((split, osp.join(out_dir, f'cofw_{split}.json'),
                            builder.to_dict()))
            summary.notes.append(
                f'{split}: {written} image(s) written, '
                f'{len(todo) - written} identical one(s) kept')
    summary.notes.append(f'pupils are keypoints {PUPIL_INDICES} '
                         '(0-based, .mat = MMPose metainfo order)')
    if enlarge:
        summary.notes.append(f'boxes enlarged by {enlarge:g} about the centre')
    write_outputs(summary, outputs)
    summary.skipped = issues.skipped
    return summary
