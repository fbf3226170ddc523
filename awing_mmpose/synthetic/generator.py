"""Writing synthetic data sets in the raw WFLW (and 300W) layouts.

``generate_synthetic_wflw`` writes::

    OUT/WFLW_images/synthetic_XXX/<split>_<index>.jpg
    OUT/WFLW_annotations/list_98pt_rect_attr_train_test/
        list_98pt_rect_attr_train.txt, list_98pt_rect_attr_test.txt,
        list_98pt_rect_attr_val.txt (with ``num_val`` > 0)
    OUT/300W/{afw,helen/trainset,lfpw/trainset}/<name>.jpg|.pts   (train)
    OUT/300W/{helen/testset,lfpw/testset}/<name>.jpg|.pts          (common)
    OUT/300W/ibug/<name>.jpg|.pts                                   (challenge)

One annotation line: 196 coordinates ``x0 y0 ... x97 y97`` (0-based pixels,
6 decimals), the box ``x_min y_min x_max y_max``, the six flags (pose,
expression, illumination, make-up, occlusion, blur) and the image path
relative to ``WFLW_images``, separated by spaces. ``.pts`` files hold the 68
points of :data:`~awing_mmpose.datasets.landmark_layouts.WFLW_TO_300W` in
1-based coordinates.

The validation split is a third, independent set of faces (WFLW itself has
none): a model is selected on it and reported on the test split. It is not
written in the 300W layout.

Every face is drawn from its own generator seeded with ``(seed, split,
index)``, so a face does not depend on the generation order or on the
number of workers, and the same seed gives byte-identical files.
"""
import functools
import os
import os.path as osp
import time

import cv2
import numpy as np

from awing_mmpose.datasets.converters.face300w import SPLIT_FOLDERS
from awing_mmpose.datasets.converters.wflw import LIST_DIR, LIST_NAME
from awing_mmpose.datasets.landmark_layouts import (ATTRIBUTE_NAMES,
                                                    WFLW_TO_300W)
from .eyeglasses import sample_eyeglasses
from .facial_hair import sample_facial_hair
from .head_look import sample_head_look
from .relief import sample_relief
from .renderer import render_face, sample_face_params

WFLW_LIST_DIR = osp.join('WFLW_annotations', LIST_DIR)
SPLIT_IDS = {'train': 1, 'test': 2, 'val': 3}
FACES_PER_GROUP = 500
JPEG_QUALITY = 95
#: the folders of the 300W splits, as the 300W converter reads them
TRAIN_300W_DIRS = SPLIT_FOLDERS['train']
COMMON_300W_DIRS = SPLIT_FOLDERS['common']
CHALLENGE_300W_DIR, = SPLIT_FOLDERS['challenge']


def _keep_freed_memory():
    """Ask glibc's malloc to keep freed blocks instead of returning them to
    the kernel (process-wide, glibc only, best effort).

    Every face allocates and frees a few dozen picture-sized float arrays;
    by default each is a fresh ``mmap`` whose page faults cost as much
    kernel time as the drawing itself (measured 18 -> 14 ms/face).
    """
    try:
        import ctypes
        libc = ctypes.CDLL('libc.so.6')
        # M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3
        libc.mallopt(-3, 16 << 20)
        libc.mallopt(-1, 128 << 20)
        libc.mallopt(-2, 16 << 20)
    except (OSError, AttributeError):
        pass


def face_rng(seed, split, index):
    """The generator of face ``index`` of ``split`` ('train', 'test' or
    'val')."""
    if split not in SPLIT_IDS:
        raise ValueError(f'split must be one of {sorted(SPLIT_IDS)}, '
                         f'got {split!r}')
    return np.random.default_rng([int(seed), SPLIT_IDS[split], int(index)])


def make_face(seed, split, index, image_size=256, attributes=None,
              photo_backgrounds=0.0, open_heads=0.0, eyeglasses=0.0,
              relief=0.0, facial_hair=0.0):
    """Sample and draw one face. Returns a :class:`RenderedFace`.

    Each of the optional looks is drawn with its probability:
    ``photo_backgrounds``, the background is a view of a photograph
    (:class:`~awing_mmpose.datasets.photo_bank.PhotoBank`) instead of
    drawn clutter;
    ``open_heads``, the head around the face is open
    (:class:`~.head_look.HeadLook`: skin temples and neck) instead of
    framed by hair; ``eyeglasses``, the face wears clear glasses
    (:class:`~.eyeglasses.Eyeglasses`); ``relief``, folds, cheekbones and
    creases are drawn inside the face (:class:`~.relief.Relief`);
    ``facial_hair``, stubble, a moustache, a goatee or a beard
    (:class:`~.facial_hair.FacialHair`). Each choice comes from a
    generator of its own: the face's parameters and landmarks do not
    depend on them, and every face drawn with all of them at 0 is the same
    as before (its skin texture and noise may differ with a look).
    """
    params = sample_face_params(face_rng(seed, split, index), image_size,
                                attributes=attributes)

    def maybe(fraction, stream, draw):
        if fraction <= 0:
            return None
        rng = _stream(seed, split, index, stream)
        return draw(rng) if rng.random() < fraction else None

    background = maybe(photo_backgrounds, _PHOTO_STREAM,
                       lambda rng: _photo_bank().view(
                           rng, (image_size, image_size)))
    return render_face(params, background,
                       look=maybe(open_heads, _HEAD_STREAM, sample_head_look),
                       glasses=maybe(eyeglasses, _GLASSES_STREAM,
                                     sample_eyeglasses),
                       relief=maybe(relief, _RELIEF_STREAM, sample_relief),
                       facial_hair=maybe(facial_hair, _FACIAL_HAIR_STREAM,
                                         sample_facial_hair))


#: stream ids of the generators of a face's optional looks
_PHOTO_STREAM = 7
_HEAD_STREAM = 8
_GLASSES_STREAM = 9
_RELIEF_STREAM = 10
_FACIAL_HAIR_STREAM = 11


def _stream(seed, split, index, stream):
    return np.random.default_rng(
        [int(seed), SPLIT_IDS[split], int(index), stream])


@functools.lru_cache(maxsize=1)
def _photo_bank():
    from awing_mmpose.datasets.photo_bank import PhotoBank
    return PhotoBank()


def format_wflw_line(landmarks, bbox, flags, rel_path):
    """One line of ``list_98pt_rect_attr_*.txt`` (without newline)."""
    lm = np.asarray(landmarks, np.float64).reshape(-1)
    if lm.shape != (196, ):
        raise ValueError(f'expected 98 landmarks, got shape '
                         f'{np.shape(landmarks)}')
    fields = [f'{v:.6f}' for v in lm]
    fields += [str(int(round(v))) for v in bbox]
    fields += [str(int(bool(flags[k]))) for k in ATTRIBUTE_NAMES]
    fields.append(rel_path)
    return ' '.join(fields)


def format_pts(points68):
    """Text of a 300W ``.pts`` file for (68, 2) 0-based points (1-based in
    the file); :func:`awing_mmpose.datasets.converters.face300w.read_pts`
    reads it back."""
    pts = np.asarray(points68, np.float64)
    lines = ['version: 1', 'n_points:  68', '{']
    lines += [f'{x + 1:.6f} {y + 1:.6f}' for x, y in pts]
    lines.append('}')
    return '\n'.join(lines) + '\n'


def _face_job(args):
    seed, split, index, image_size, looks = args
    face = make_face(seed, split, index, image_size, **looks)
    ok, buf = cv2.imencode('.jpg', face.image,
                           [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise RuntimeError(f'JPEG encoding failed for {split} {index}')
    return (split, index, buf.tobytes(), face.landmarks, face.bbox,
            face.attributes)


def _write(path, data, made_dirs):
    d = osp.dirname(path)
    if d not in made_dirs:  # one makedirs per folder and run
        os.makedirs(d, exist_ok=True)
        made_dirs.add(d)
    with open(path, 'wb') as f:
        f.write(data)


def generate_synthetic_wflw(out_dir, num_train=1000, num_test=300, seed=0,
                            image_size=256, with_300w=True, workers=1,
                            num_val=0, photo_backgrounds=0.0,
                            open_heads=0.0, eyeglasses=0.0, relief=0.0,
                            facial_hair=0.0):
    """Write a synthetic WFLW (and 300W) data set into ``out_dir``.

    Args:
        out_dir (str): output root (created).
        num_train (int): number of training faces.
        num_test (int): number of test faces.
        seed (int): global seed; the same seed gives identical files.
        image_size (int): side of the square pictures.
        with_300w (bool): also write the 68-point 300W layout.
        workers (int): processes (1 = in this process).
        num_val (int): number of validation faces (0: no val list).
        photo_backgrounds (float): fraction of faces drawn in front of a
            photograph instead of drawn clutter (see :func:`make_face`;
            needs scikit-image).
        open_heads (float): fraction of faces whose head is open (skin
            temples and neck, see :func:`make_face`).
        eyeglasses (float): fraction of faces that wear clear glasses
            (see :func:`make_face`).
        relief (float): fraction of faces with folds, cheekbones and
            creases drawn inside (see :func:`make_face`).
        facial_hair (float): fraction of faces with stubble, a moustache,
            a goatee or a beard (see :func:`make_face`).

    Returns:
        dict: summary with ``num_train``, ``num_test``, ``num_val``,
        ``attribute_counts``
        (per split, per attribute), ``300w_counts``, ``paths`` and
        ``seconds``.
    """
    if min(num_train, num_test, num_val) < 0:
        raise ValueError('num_train, num_test and num_val must be >= 0')
    if image_size < 64:
        raise ValueError(f'image_size must be >= 64, got {image_size}')
    t0 = time.perf_counter()
    _keep_freed_memory()
    out_dir = osp.abspath(out_dir)
    img_root = osp.join(out_dir, 'WFLW_images')
    list_dir = osp.join(out_dir, WFLW_LIST_DIR)
    os.makedirs(list_dir, exist_ok=True)
    os.makedirs(img_root, exist_ok=True)
    w300 = osp.join(out_dir, '300W')

    looks = dict(photo_backgrounds=photo_backgrounds, open_heads=open_heads,
                 eyeglasses=eyeglasses, relief=relief,
                 facial_hair=facial_hair)
    for name, frac in looks.items():
        if not 0 <= frac <= 1:
            raise ValueError(f'{name} must be in [0, 1], got {frac}')
    jobs = [(seed, split, i, image_size, looks)
            for split, n in (('train', num_train), ('test', num_test),
                             ('val', num_val)) for i in range(n)]
    if workers > 1 and len(jobs) > 1:
        import multiprocessing as mp
        with mp.get_context('spawn' if os.name == 'nt' else 'fork').Pool(
                workers) as pool:
            results = pool.imap(_face_job, jobs, chunksize=16)
            summary = _write_all(results, out_dir, img_root, list_dir, w300,
                                 with_300w)
    else:
        summary = _write_all(map(_face_job, jobs), out_dir, img_root,
                             list_dir, w300, with_300w)
    summary.update(num_train=num_train, num_test=num_test, num_val=num_val,
                   seed=seed, image_size=image_size, **looks,
                   seconds=round(time.perf_counter() - t0, 3))
    return summary


def _write_all(results, out_dir, img_root, list_dir, w300, with_300w):
    lines = {'train': [], 'test': [], 'val': []}
    counts = {s: {k: 0 for k in ATTRIBUTE_NAMES} for s in lines}
    c300 = {'train': 0, 'common': 0, 'challenge': 0}
    made = set()
    for split, index, jpg, lm, box, flags in results:
        group = f'synthetic_{index // FACES_PER_GROUP:03d}'
        name = f'{split}_{index:05d}'
        rel = f'{group}/{name}.jpg'
        _write(osp.join(img_root, group, name + '.jpg'), jpg, made)
        lines[split].append(format_wflw_line(lm, box, flags, rel))
        for k in ATTRIBUTE_NAMES:
            counts[split][k] += int(flags[k])
        if with_300w and split != 'val':
            if split == 'train':
                sub = TRAIN_300W_DIRS[index % len(TRAIN_300W_DIRS)]
                c300['train'] += 1
            elif not (flags['pose'] or flags['occlusion'] or
                      flags['expression']):
                sub = COMMON_300W_DIRS[index % len(COMMON_300W_DIRS)]
                c300['common'] += 1
            else:
                sub = CHALLENGE_300W_DIR
                c300['challenge'] += 1
            d = osp.join(w300, sub)
            _write(osp.join(d, name + '.jpg'), jpg, made)
            _write(osp.join(d, name + '.pts'),
                   format_pts(lm[WFLW_TO_300W]).encode(), made)
    paths = dict(out_dir=out_dir, wflw_images=img_root)
    for split in ('train', 'test', 'val'):
        if split == 'val' and not lines['val']:
            continue
        path = osp.join(list_dir, LIST_NAME.format(split))
        text = ''.join(ln + '\n' for ln in lines[split])
        _write(path, text.encode(), made)
        paths[f'wflw_{split}_list'] = path
    if with_300w:
        paths['300w'] = w300
    return dict(attribute_counts=counts,
                **({'300w_counts': c300} if with_300w else {}), paths=paths)
