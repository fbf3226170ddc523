"""WFLW (98 points) -> COCO-style json.

Raw format (``list_98pt_rect_attr_{train,test}.txt``), one face a line,
whitespace separated, 207 values::

    x0 y0 ... x97 y97     196 landmark coordinates (pixels)
    x_min y_min x_max y_max   face box
    pose expression illumination make-up occlusion blur   0/1 flags
    image path relative to the WFLW_images folder

Outputs in ``out_dir``: ``face_landmarks_wflw_train.json``,
``face_landmarks_wflw_test.json``, ``face_landmarks_wflw_val.json`` when a
``list_98pt_rect_attr_val.txt`` is present (WFLW has none; the synthetic
generator writes one) and the six attribute subsets of the test
set ``face_landmarks_wflw_test_{largepose,expression,illumination,makeup,
occlusion,blur}.json``. Each annotation's ``subsets`` lists its attributes
(``pose``, ``expression``, ``illumination``, ``makeup``, ``occlusion``,
``blur``). All points are annotated and visible (v = 2). ``enlarge`` = 0.1
is the paper's recipe (box 10% larger in each dimension about its centre).
``file_name`` is the path as listed, relative to ``img_dir`` (use
``data_prefix=dict(img=img_dir)``).
"""
import os.path as osp
from typing import Dict, Optional, Tuple

import numpy as np

from ..landmark_layouts import ATTRIBUTE_NAMES, NUM_WFLW_KEYPOINTS
from .common import (CocoBuilder, ConversionError, IssueHandler, Summary,
                     check_box, enlarge_box, make_annotation, parse_flags,
                     parse_floats, progress, read_image_size, write_outputs)

NUM_KEYPOINTS = NUM_WFLW_KEYPOINTS
#: file-name tag of each attribute's test subset json
SUBSET_FILE_TAGS = dict(
    pose='largepose',
    expression='expression',
    illumination='illumination',
    makeup='makeup',
    occlusion='occlusion',
    blur='blur')
LIST_NAME = 'list_98pt_rect_attr_{}.txt'
#: the sub-folder of the annotation folder that holds the lists (archive)
LIST_DIR = 'list_98pt_rect_attr_train_test'
NUM_VALUES = 2 * NUM_KEYPOINTS + 4 + len(ATTRIBUTE_NAMES) + 1  # 207


def find_list_file(ann_dir: str, split: str) -> str:
    """Locate ``list_98pt_rect_attr_<split>.txt`` in ``ann_dir`` or its
    ``list_98pt_rect_attr_train_test`` sub-folder (the archive's layout)."""
    name = LIST_NAME.format(split)
    for cand in (osp.join(ann_dir, name), osp.join(ann_dir, LIST_DIR, name)):
        if osp.isfile(cand):
            return cand
    raise ConversionError(ann_dir, f'{name} not found (looked in the folder '
                          f'and in {LIST_DIR}/)')


def parse_line(text: str, source: str, lineno: int):
    """Parse one line -> (keypoints (98, 2), box xyxy (4,), flags, path)."""
    tokens = text.split()
    if len(tokens) != NUM_VALUES:
        raise ConversionError(
            source, f'expected {NUM_VALUES} values (196 coordinates, 4 box '
            f'values, 6 attribute flags, image path), got {len(tokens)}',
            lineno)
    coords = parse_floats(tokens[:196], source, lineno, 'coordinate')
    box = parse_floats(tokens[196:200], source, lineno, 'box value')
    check_box(box, source, lineno)
    flags = parse_flags(tokens[200:206], source, lineno, ATTRIBUTE_NAMES)
    path = tokens[206]
    return coords.reshape(NUM_KEYPOINTS, 2), box, flags, path


def convert_split(list_file: str,
                  img_dir: str,
                  issues: IssueHandler,
                  enlarge: float = 0.0,
                  show_progress: bool = True,
                  size_cache: Optional[Dict[str, Tuple]] = None
                  ) -> CocoBuilder:
    """Read one list file into a :class:`CocoBuilder`."""
    builder = CocoBuilder()
    size_cache = {} if size_cache is None else size_cache
    try:
        with open(list_file, encoding='utf-8-sig') as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ConversionError(list_file, f'cannot read: {e}') from None
    desc = osp.basename(list_file)
    for lineno, text in progress(
            enumerate(lines, 1), desc, show_progress, total=len(lines)):
        if not text.strip():
            continue
        try:
            kpts, box, flags, rel = parse_line(text, list_file, lineno)
            rel = rel.replace('\\', '/')
            if rel not in size_cache:
                try:
                    size_cache[rel] = read_image_size(
                        osp.join(img_dir, rel), list_file, lineno)
                except ConversionError as e:
                    size_cache[rel] = e
            size = size_cache[rel]
            if isinstance(size, ConversionError):
                # same message, this line's number
                raise ConversionError(list_file, size.message, lineno)
            box = enlarge_box(box, enlarge)
            subsets = [a for a, v in zip(ATTRIBUTE_NAMES, flags) if v]
            ann = make_annotation(kpts, np.full(NUM_KEYPOINTS, 2), box,
                                  subsets)
            builder.add(rel, size[0], size[1], ann)
        except ConversionError as e:
            issues(e)
    return builder


def convert_wflw(ann_dir: str,
                 img_dir: str,
                 out_dir: str,
                 enlarge: float = 0.0,
                 skip_invalid: bool = False,
                 show_progress: bool = True) -> Summary:
    """Convert WFLW's train, test (and val) lists (see the module
    docstring).

    Raises:
        ConversionError: on the first invalid item unless ``skip_invalid``;
            nothing is written then.
    """
    if not osp.isdir(img_dir):
        raise ConversionError(img_dir, 'image folder not found')
    if enlarge < 0:
        raise ConversionError('--enlarge', f'must be >= 0, got {enlarge}')
    issues = IssueHandler(skip_invalid)
    builders = {}
    lists = {s: find_list_file(ann_dir, s) for s in ('train', 'test')}
    try:
        lists['val'] = find_list_file(ann_dir, 'val')
    except ConversionError:
        pass  # optional
    sizes: Dict[str, Tuple] = {}  # image sizes, shared by the splits
    for split, list_file in lists.items():
        builders[split] = convert_split(list_file, img_dir, issues,
                                        enlarge, show_progress, sizes)
    outputs = []
    for split in builders:
        outputs.append((split,
                        osp.join(out_dir,
                                 f'face_landmarks_wflw_{split}.json'),
                        builders[split].to_dict()))
    for attr in ATTRIBUTE_NAMES:
        tag = SUBSET_FILE_TAGS[attr]
        outputs.append(
            (f'test_{tag}',
             osp.join(out_dir, f'face_landmarks_wflw_test_{tag}.json'),
             builders['test'].to_dict(
                 keep=lambda a, attr=attr: attr in a['subsets'])))
    summary = Summary('WFLW', img_root=img_dir)
    if enlarge:
        summary.notes.append(f'boxes enlarged by {enlarge:g} about the centre')
    write_outputs(summary, outputs)
    summary.skipped = issues.skipped
    return summary
