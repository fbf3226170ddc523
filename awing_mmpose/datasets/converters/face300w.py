"""300W (68 points) -> COCO-style json.

Raw format: folders of images with a ``.pts`` file of the same stem beside
each image (``.jpg``, ``.png`` or ``.jpeg``)::

    version: 1
    n_points:  68
    {
    x y          68 lines, 1-based pixel coordinates (1 is subtracted)
    }

Splits under ``root`` (the usual layout of the 300W download):

=========  ==========================================  ===================
split      folders                                     ``subsets``
=========  ==========================================  ===================
train      afw, helen/trainset, lfpw/trainset          (empty)
common     helen/testset, lfpw/testset                 ``['common']``
challenge  ibug                                        ``['challenge']``
full       common + challenge                          as above
private    300W/01_Indoor + 300W/02_Outdoor            ``['private']``
           (or 300W_test/...; only if present)
=========  ==========================================  ===================

Outputs: ``face_landmarks_300w_train.json``, ``face_landmarks_300w_valid.json``
(full), ``face_landmarks_300w_valid_common.json``,
``face_landmarks_300w_valid_challenge.json`` and, when the private set is
present, ``face_landmarks_300w_test.json``. The box is the tight min/max box of
the landmarks, optionally enlarged (``enlarge``) about its centre. All points
are v = 2. ``file_name`` is relative to ``root``
(``data_prefix=dict(img=root)``).
"""
import os
import os.path as osp
from typing import List, Optional, Sequence

import numpy as np

from ..landmark_layouts import NUM_300W_KEYPOINTS
from .common import (CocoBuilder, ConversionError, IssueHandler, Summary,
                     check_box, enlarge_box, make_annotation, parse_floats,
                     progress, read_image_size, write_outputs)

NUM_KEYPOINTS = NUM_300W_KEYPOINTS
IMAGE_EXTS = ('.jpg', '.png', '.jpeg', '.JPG', '.PNG', '.JPEG')
SPLIT_FOLDERS = dict(
    train=('afw', 'helen/trainset', 'lfpw/trainset'),
    common=('helen/testset', 'lfpw/testset'),
    challenge=('ibug', ),
)
PRIVATE_PARENTS = ('300W', '300W_test')
PRIVATE_FOLDERS = ('01_Indoor', '02_Outdoor')


def read_pts(path: str, expected: Optional[int] = NUM_KEYPOINTS
             ) -> np.ndarray:
    """Parse a ``.pts`` file -> (n_points, 2) float64, 0-based pixels.

    Raises:
        ConversionError: naming the file and line on a malformed file.
    """
    try:
        with open(path, encoding='utf-8-sig') as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ConversionError(path, f'cannot read: {e}') from None
    n_points = None
    open_line = None
    points: List[np.ndarray] = []
    closed = False
    for lineno, raw in enumerate(lines, 1):
        text = raw.strip()
        if not text:
            continue
        if closed:
            raise ConversionError(path, f'unexpected content after "}}": '
                                  f'{text[:40]!r}', lineno)
        if open_line is None:
            if text == '{':
                open_line = lineno
                continue
            key, sep, value = text.partition(':')
            if not sep:
                if len(text.split()) == 2:
                    raise ConversionError(path, 'missing "{" before the '
                                          'points', lineno)
                raise ConversionError(path, f'unexpected header line '
                                      f'{text[:40]!r}', lineno)
            key = key.strip().lower()
            if key == 'n_points':
                try:
                    n_points = int(value.strip())
                except ValueError:
                    raise ConversionError(
                        path, f'n_points is not an integer: {value.strip()!r}',
                        lineno) from None
            # other header keys (version, ...) are ignored
            continue
        if text == '}':
            closed = True
            continue
        if text == '{':
            raise ConversionError(path, 'second "{"', lineno)
        tokens = text.split()
        if len(tokens) != 2:
            raise ConversionError(
                path, f'expected 2 values (x y), got {len(tokens)}', lineno)
        points.append(parse_floats(tokens, path, lineno, 'coordinate'))
    if n_points is None:
        raise ConversionError(path, 'missing "n_points:" header')
    if open_line is None:
        raise ConversionError(path, 'missing "{"')
    if not closed:
        raise ConversionError(path, 'missing closing "}"', len(lines))
    if len(points) != n_points:
        raise ConversionError(
            path, f'header says n_points: {n_points} but {len(points)} '
            'points are listed')
    if expected is not None and n_points != expected:
        raise ConversionError(
            path, f'expected {expected} points, the file has {n_points}')
    return np.stack(points) - 1.0 if points else np.zeros((0, 2))


def find_image(pts_path: str) -> str:
    stem = osp.splitext(pts_path)[0]
    for ext in IMAGE_EXTS:
        if osp.isfile(stem + ext):
            return stem + ext
    raise ConversionError(pts_path, 'no image beside it (looked for ' +
                          ', '.join(IMAGE_EXTS[:3]) + ')')


def list_pts(root: str, folders: Sequence[str]) -> List[str]:
    """Sorted ``.pts`` paths (relative to root) of the given folders."""
    out = []
    for folder in folders:
        full = osp.join(root, folder)
        if not osp.isdir(full):
            raise ConversionError(full, 'folder not found (expected the 300W '
                                  'layout: afw, helen/{trainset,testset}, '
                                  'lfpw/{trainset,testset}, ibug)')
        names = sorted(n for n in os.listdir(full) if n.endswith('.pts'))
        if not names:
            raise ConversionError(full, 'no .pts files in the folder')
        out.extend(f'{folder}/{n}' for n in names)
    return out


def find_private_folders(root: str) -> Optional[List[str]]:
    for parent in PRIVATE_PARENTS:
        folders = [f'{parent}/{f}' for f in PRIVATE_FOLDERS]
        if any(osp.isdir(osp.join(root, f)) for f in folders):
            return folders
    return None


def convert_files(root: str, rel_pts: Sequence[str], subsets: Sequence[str],
                  issues: IssueHandler, builder: CocoBuilder,
                  enlarge: float = 0.0, desc: str = '',
                  show_progress: bool = True) -> None:
    for rel in progress(rel_pts, desc, show_progress):
        pts_path = osp.join(root, rel)
        try:
            kpts = read_pts(pts_path)
            img_path = find_image(pts_path)
            w, h = read_image_size(img_path, pts_path)
            box = np.array([kpts[:, 0].min(), kpts[:, 1].min(),
                            kpts[:, 0].max(), kpts[:, 1].max()])
            check_box(box, pts_path, None)
            box = enlarge_box(box, enlarge)
            ann = make_annotation(kpts, np.full(NUM_KEYPOINTS, 2), box,
                                  subsets)
            file_name = osp.relpath(img_path, root).replace(os.sep, '/')
            builder.add(file_name, w, h, ann)
        except ConversionError as e:
            issues(e)


def convert_300w(root: str,
                 out_dir: str,
                 enlarge: float = 0.0,
                 skip_invalid: bool = False,
                 show_progress: bool = True) -> Summary:
    """Convert the 300W folders under ``root`` (see the module docstring).

    Raises:
        ConversionError: on the first invalid item unless ``skip_invalid``
            (a missing split folder always stops the run); nothing is
            written then.
    """
    if not osp.isdir(root):
        raise ConversionError(root, '300W root folder not found')
    if enlarge < 0:
        raise ConversionError('--enlarge', f'must be >= 0, got {enlarge}')
    issues = IssueHandler(skip_invalid)
    listed = {k: list_pts(root, v) for k, v in SPLIT_FOLDERS.items()}
    private = find_private_folders(root)
    if private is not None:
        listed['private'] = list_pts(root, private)

    train = CocoBuilder()
    convert_files(root, listed['train'], [], issues, train, enlarge, 'train',
                  show_progress)
    full = CocoBuilder()  # common first, then challenge
    convert_files(root, listed['common'], ['common'], issues, full, enlarge,
                  'common', show_progress)
    convert_files(root, listed['challenge'], ['challenge'], issues, full,
                  enlarge, 'challenge', show_progress)
    outputs = [
        ('train', osp.join(out_dir, 'face_landmarks_300w_train.json'),
         train.to_dict()),
        ('valid (full)', osp.join(out_dir, 'face_landmarks_300w_valid.json'),
         full.to_dict()),
        ('valid_common',
         osp.join(out_dir, 'face_landmarks_300w_valid_common.json'),
         full.to_dict(keep=lambda a: 'common' in a['subsets'])),
        ('valid_challenge',
         osp.join(out_dir, 'face_landmarks_300w_valid_challenge.json'),
         full.to_dict(keep=lambda a: 'challenge' in a['subsets'])),
    ]
    summary = Summary('300W', img_root=root)
    if private is not None:
        test = CocoBuilder()
        convert_files(root, listed['private'], ['private'], issues, test,
                      enlarge, 'private', show_progress)
        outputs.append(('test (private)',
                        osp.join(out_dir, 'face_landmarks_300w_test.json'),
                        test.to_dict()))
    else:
        summary.notes.append('private test set (300W/01_Indoor, 02_Outdoor) '
                             'not found: face_landmarks_300w_test.json not '
                             'written')
    if enlarge:
        summary.notes.append(f'boxes enlarged by {enlarge:g} about the centre')
    write_outputs(summary, outputs)
    summary.skipped = issues.skipped
    return summary
