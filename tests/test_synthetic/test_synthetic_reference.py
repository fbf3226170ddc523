"""The synthetic faces of a seed do not change (regression references).

The references in ``synthetic_reference.json`` (next to this file) were
recorded from the renderer *before* it was split into modules; every
refactoring of
``awing_mmpose/synthetic`` must reproduce them. The cases cover
every branch of the drawing: each occluder kind, blur kind and light mode
(forced through the stored draws), make-up, every hair style and two image
sizes.

Per face the file holds the SHA-256 of the image bytes, of the face mask and
of the landmarks rounded to 1e-4 px, the box and the flags. Images are
compared by hash; OpenCV picks SIMD kernels per CPU, so on a machine whose
float rounding differs the image may differ in a few grey levels: then the
test compares the mean of each channel over a 4 x 4 grid of blocks to the
recorded ones instead (a change of the drawing or of the random stream
moves these by far more than the 0.5 grey levels allowed).

Regenerate (only when a change of the pictures is intended)::

    python tests/test_synthetic/test_synthetic_reference.py --record
"""
import hashlib
import json
import os.path as osp
import sys
from dataclasses import replace

import numpy as np
import pytest

from awing_mmpose.synthetic import face_rng, render_face, sample_face_params

REFERENCE = osp.join(osp.dirname(__file__), 'synthetic_reference.json')
BLOCKS = 4
BLOCK_TOLERANCE = 0.5  # grey levels


def _forced(draws, index, choice, num_choices):
    """A copy of ``draws`` whose entry ``index`` selects option ``choice``
    of ``num_choices`` (the renderer picks ``int(u * n) % n``)."""
    out = np.array(draws, np.float64)
    out[index] = (choice + 0.5) / num_choices
    return out


def _cases():
    """(name, FaceParams) of every reference face."""
    cases = []
    # plain faces: no forced flags (mostly frontal, no attributes)
    for seed in (0, 1, 2, 3):
        cases.append((f'plain_{seed}',
                      sample_face_params(face_rng(seed, 'train', 0), 128)))
    # every occluder kind (5), blur kind (3) and light mode (4)
    everything = dict(pose=False, expression=True, illumination=True,
                      makeup=True, occlusion=True, blur=True)
    for k in range(5):
        p = sample_face_params(face_rng(10 + k, 'test', 1), 128, everything)
        p = replace(p, occluder_u=_forced(p.occluder_u, 0, k, 5),
                    blur_u=_forced(p.blur_u, 0, k % 3, 3),
                    light_u=_forced(p.light_u, 1, k % 4, 4))
        cases.append((f'occluder{k}_blur{k % 3}_light{k % 4}', p))
    # large pose with make-up and the fourth light mode, at full size
    p = sample_face_params(face_rng(20, 'train', 5), 256,
                           dict(pose=True, makeup=True, illumination=True))
    cases.append(('pose_makeup_256', replace(
        p, light_u=_forced(p.light_u, 1, 3, 4))))
    # the three hair styles (drawn from a[6]: short < 0.5 <= long < 0.93)
    for seed in range(30, 80):
        p = sample_face_params(face_rng(seed, 'test', 0), 96)
        names = [n for n, _ in cases]
        if f'hair_{p.hair_style}' not in names:
            cases.append((f'hair_{p.hair_style}', p))
        if all(f'hair_{h}' in [n for n, _ in cases]
               for h in ('short', 'long', 'bald')):
            break
    return cases


def _sha(arr):
    return hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest()


def _block_means(image):
    s = image.shape[0] // BLOCKS * BLOCKS
    im = image[:s, :s].astype(np.float64)
    im = im.reshape(BLOCKS, s // BLOCKS, BLOCKS, s // BLOCKS, 3)
    return np.round(im.mean(axis=(1, 3)), 3).reshape(-1).tolist()


def _signature(face):
    return dict(
        image_sha256=_sha(face.image),
        image_block_means=_block_means(face.image),
        mask_sha256=_sha(np.packbits(face.face_mask)),
        landmarks_sha256=_sha(np.round(face.landmarks, 4) + 0.0),
        bbox=[float(v) for v in face.bbox],
        attributes=dict(face.attributes))


def _record():
    ref = {name: _signature(render_face(p)) for name, p in _cases()}
    with open(REFERENCE, 'w') as f:
        json.dump(ref, f, indent=1, sort_keys=True)
        f.write('\n')
    print(f'wrote {len(ref)} references to {REFERENCE}')


@pytest.fixture(scope='module')
def reference():
    with open(REFERENCE) as f:
        return json.load(f)


def test_cases_cover_every_branch(reference):
    names = [n for n, _ in _cases()]
    assert sorted(names) == sorted(reference)
    assert {'hair_short', 'hair_long', 'hair_bald'} <= set(names)


@pytest.mark.parametrize('name,params', _cases(), ids=lambda v: v
                         if isinstance(v, str) else '')
def test_rendered_face_matches_reference(reference, name, params):
    want = reference[name]
    got = _signature(render_face(params))
    assert got['attributes'] == want['attributes']
    assert got['bbox'] == want['bbox']
    assert got['landmarks_sha256'] == want['landmarks_sha256']
    assert got['mask_sha256'] == want['mask_sha256']
    if got['image_sha256'] != want['image_sha256']:
        diff = np.abs(np.subtract(got['image_block_means'],
                                  want['image_block_means']))
        assert diff.max() <= BLOCK_TOLERANCE, (
            f'{name}: image differs from the reference (block means '
            f'differ by up to {diff.max():.2f} grey levels)')


if __name__ == '__main__' and '--record' in sys.argv:
    _record()
