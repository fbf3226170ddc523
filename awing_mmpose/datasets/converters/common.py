"""Shared pieces of the raw-format -> COCO-style json converters.

Every converter builds a COCO-style dict in memory, validating each item as it
goes, and writes all its json files only at the end, each atomically (a temp
file in the same folder, then :func:`os.replace`). A run that stops half-way
therefore leaves every existing output untouched.

Annotation layout (``docs/CONVENTIONS.md``)::

    keypoints      [x, y, v] * K, v = 2 visible / 1 occluded-but-annotated
    num_keypoints  K' (number of annotated points, v > 0)
    bbox           [x, y, w, h]   (pixels, 0-based)
    area           w * h
    iscrowd        0
    center         [cx, cy]       (box centre)
    scale          max(w, h) / 200  (box side over MMPose's pixel_std)
    category_id    1
    subsets        list of subset names the face belongs to
"""
import json
import math
import os
import os.path as osp
import tempfile
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

#: MMPose's ``pixel_std``: ``scale`` = box side / PIXEL_STD.
PIXEL_STD = 200.0


class ConversionError(Exception):
    """An expected problem with the raw input.

    Args:
        source (str): the file (or ``file:index``) the problem is in.
        message (str): what is wrong.
        line (int, optional): 1-based line number in ``source``.
    """

    def __init__(self, source: str, message: str, line: Optional[int] = None):
        self.source = str(source)
        self.line = line
        self.message = message
        super().__init__(str(self))

    @property
    def where(self) -> str:
        if self.line is None:
            return self.source
        return f'{self.source}:{self.line}'

    def __str__(self) -> str:
        return f'{self.where}: {self.message}'


@dataclass
class SplitResult:
    """What one output json holds."""
    name: str
    path: str
    num_images: int = 0
    num_faces: int = 0


@dataclass
class Summary:
    """Outcome of a conversion: outputs written and items skipped."""
    dataset: str
    outputs: List[SplitResult] = field(default_factory=list)
    skipped: List[ConversionError] = field(default_factory=list)
    img_root: Optional[str] = None
    notes: List[str] = field(default_factory=list)

    def format(self) -> str:
        lines = [f'{self.dataset}: wrote {len(self.outputs)} json file(s)']
        for out in self.outputs:
            lines.append(f'  {out.name:<17s} {out.num_faces:6d} faces '
                         f'{out.num_images:6d} images -> {out.path}')
        if self.img_root is not None:
            lines.append(f'  image root (data_prefix img): {self.img_root}')
        lines.extend(f'  note: {n}' for n in self.notes)
        if self.skipped:
            lines.append(f'  skipped {len(self.skipped)} invalid item(s):')
            lines.extend(f'    {e}' for e in self.skipped)
        else:
            lines.append('  skipped 0 items')
        return '\n'.join(lines)


class IssueHandler:
    """Raise on an invalid item, or record it and go on (``skip_invalid``)."""

    def __init__(self, skip_invalid: bool = False):
        self.skip_invalid = skip_invalid
        self.skipped: List[ConversionError] = []

    def __call__(self, err: ConversionError) -> None:
        if not self.skip_invalid:
            raise err
        self.skipped.append(err)


def parse_floats(tokens: Sequence[str], source: str, line: Optional[int],
                 what: str = 'coordinate') -> np.ndarray:
    """Parse tokens to float64, rejecting non-numeric, NaN and inf values."""
    out = np.empty(len(tokens), dtype=np.float64)
    for i, tok in enumerate(tokens):
        try:
            v = float(tok)
        except ValueError:
            raise ConversionError(source, f'non-numeric {what} {tok!r} '
                                  f'(value {i + 1})', line) from None
        if not math.isfinite(v):
            raise ConversionError(source, f'non-finite {what} {tok!r} '
                                  f'(value {i + 1})', line)
        out[i] = v
    return out


def parse_flags(tokens: Sequence[str], source: str, line: Optional[int],
                names: Sequence[str]) -> List[int]:
    """Parse 0/1 flags."""
    flags = []
    for tok, name in zip(tokens, names):
        if tok not in ('0', '1'):
            raise ConversionError(
                source, f'attribute flag {name!r} must be 0 or 1, got {tok!r}',
                line)
        flags.append(int(tok))
    return flags


def enlarge_box(xyxy: Sequence[float], ratio: float) -> np.ndarray:
    """Enlarge a box (x1, y1, x2, y2) by ``ratio`` of its width and height
    about its centre (ratio 0.1 = 10% larger in each dimension)."""
    x1, y1, x2, y2 = [float(v) for v in xyxy]
    if ratio:
        cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
        w, h = (x2 - x1) * (1 + ratio), (y2 - y1) * (1 + ratio)
        x1, x2, y1, y2 = cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2
    return np.array([x1, y1, x2, y2], dtype=np.float64)


def check_box(xyxy: np.ndarray, source: str, line: Optional[int]) -> None:
    if not np.all(np.isfinite(xyxy)):
        raise ConversionError(source, 'non-finite box', line)
    if xyxy[2] <= xyxy[0] or xyxy[3] <= xyxy[1]:
        raise ConversionError(
            source, f'empty box x1={xyxy[0]:g} y1={xyxy[1]:g} '
            f'x2={xyxy[2]:g} y2={xyxy[3]:g}', line)


def make_annotation(keypoints: np.ndarray, visible: np.ndarray,
                    box_xyxy: Sequence[float],
                    subsets: Iterable[str] = ()) -> dict:
    """One COCO-style face annotation (ids filled in by :class:`CocoBuilder`).

    Args:
        keypoints: (K, 2) pixel coordinates, 0-based.
        visible: (K,) v per point: 2 visible, 1 occluded-but-annotated.
        box_xyxy: face box (x1, y1, x2, y2).
        subsets: names of the subsets the face belongs to.
    """
    kpts = np.asarray(keypoints, dtype=np.float64).reshape(-1, 2)
    vis = np.asarray(visible).reshape(-1)
    assert len(vis) == len(kpts)
    x1, y1, x2, y2 = [float(v) for v in box_xyxy]
    w, h = x2 - x1, y2 - y1
    flat = []
    for (x, y), v in zip(kpts.tolist(), vis.tolist()):
        flat.extend([round(x, 4), round(y, 4), int(v)])
    return dict(
        keypoints=flat,
        num_keypoints=int(np.count_nonzero(vis > 0)),
        bbox=[round(x1, 4), round(y1, 4), round(w, 4), round(h, 4)],
        area=round(w * h, 4),
        iscrowd=0,
        center=[round((x1 + x2) / 2, 4), round((y1 + y2) / 2, 4)],
        scale=round(max(w, h) / PIXEL_STD, 6),
        category_id=1,
        subsets=list(subsets),
    )


class CocoBuilder:
    """Collects images and annotations; several faces of one image share
    one image entry (keyed by ``file_name``). Ids are 1-based."""

    def __init__(self):
        self.images: List[dict] = []
        self.annotations: List[dict] = []
        self._img_ids: Dict[str, int] = {}

    def add(self, file_name: str, width: int, height: int,
            ann: dict) -> dict:
        img_id = self._img_ids.get(file_name)
        if img_id is None:
            img_id = len(self.images) + 1
            self._img_ids[file_name] = img_id
            self.images.append(
                dict(id=img_id, file_name=file_name, width=int(width),
                     height=int(height)))
        ann = dict(ann, id=len(self.annotations) + 1, image_id=img_id)
        self.annotations.append(ann)
        return ann

    def to_dict(self, keep=None) -> dict:
        """The COCO dict; ``keep(ann) -> bool`` selects a subset of faces
        (ids are kept, images without a kept face are dropped)."""
        anns = self.annotations if keep is None else [
            a for a in self.annotations if keep(a)
        ]
        used = {a['image_id'] for a in anns}
        images = [im for im in self.images if im['id'] in used]
        return dict(
            info=dict(description='converted by awing_mmpose'),
            images=images,
            annotations=anns,
            categories=[
                dict(supercategory='face', id=1, name='face',
                     keypoints=[], skeleton=[])
            ])


def atomic_write_bytes(path: str, data: bytes) -> None:
    """Write ``data`` to a temp file beside ``path`` then ``os.replace``."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix='.' + osp.basename(path) + '.', suffix='.tmp', dir=folder)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_json(path: str, obj) -> None:
    atomic_write_bytes(path, json.dumps(obj).encode('utf-8'))


def write_outputs(summary: Summary,
                  outputs: Sequence[Tuple[str, str, dict]]) -> None:
    """Write (name, path, coco_dict) triples atomically, fill the summary."""
    for name, path, coco in outputs:
        atomic_write_json(path, coco)
        summary.outputs.append(
            SplitResult(name, path, len(coco['images']),
                        len(coco['annotations'])))


def read_image_size(path: str, source: str,
                    line: Optional[int] = None) -> Tuple[int, int]:
    """(width, height) of an image file; decodes it with OpenCV so that an
    unreadable or corrupt file is caught here rather than in training."""
    import cv2
    if not osp.isfile(path):
        raise ConversionError(source, f'image not found: {path}', line)
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if img is None or img.size == 0:
        raise ConversionError(source,
                              f'unreadable or corrupt image: {path}', line)
    return int(img.shape[1]), int(img.shape[0])


def progress(iterable, desc: str, enabled: bool = True, total=None):
    """tqdm progress bar (to stderr) or the bare iterable."""
    if not enabled:
        return iterable
    from tqdm import tqdm
    return tqdm(iterable, desc=desc, total=total, unit='face',
                dynamic_ncols=True, leave=False)


def add_common_args(parser, box: str = 'each box') -> None:
    """The options every converter CLI shares."""
    parser.add_argument(
        '--enlarge', type=float, default=0.0,
        help=f'enlarge {box} by this ratio of its width and height about '
        'its centre (the paper enlarges WFLW boxes by 0.1; default 0)')
    parser.add_argument(
        '--skip-invalid', action='store_true',
        help='skip invalid items and list them, instead of stopping')
    parser.add_argument('--no-progress', action='store_true')


def run_cli(func, args) -> int:
    """Call ``func(args)`` -> Summary; print the summary, or a one-line
    error (no traceback) for an expected :class:`ConversionError`.
    Returns the process exit code."""
    import sys
    try:
        summary = func(args)
    except ConversionError as e:
        print(f'error: {e}', file=sys.stderr)
        print('no json written (existing json files untouched); '
              'use --skip-invalid to skip invalid items', file=sys.stderr)
        return 1
    print(summary.format())
    return 0
