"""Tests of the deterministic synthetic face generator (fast: ~30 faces)."""
import glob
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from awing_mmpose.datasets.converters.face300w import read_pts
from awing_mmpose.datasets.landmark_layouts import (ATTRIBUTE_NAMES,
                                                    WFLW_TO_300W)
from awing_mmpose.synthetic import (
    Expression, FaceModel3D, FaceShape, Pose, face_rng, flip_permutation,
    generate_synthetic_wflw, make_face, project_landmarks, projected_outline,
    render_face, sample_face_params, with_attributes)

S = 256
LIST_DIR = osp.join('WFLW_annotations', 'list_98pt_rect_attr_train_test')


def _read_lines(root, split):
    path = osp.join(root, LIST_DIR, f'list_98pt_rect_attr_{split}.txt')
    with open(path) as f:
        return [ln.rstrip('\n') for ln in f]


def _parse(line):
    f = line.split(' ')
    lm = np.array([float(v) for v in f[:196]]).reshape(98, 2)
    box = np.array([float(v) for v in f[196:200]])
    flags = dict(zip(ATTRIBUTE_NAMES, (int(v) for v in f[200:206])))
    return lm, box, flags, f[206]


@pytest.fixture(scope='module')
def dataset(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synthetic'))
    summary = generate_synthetic_wflw(root, num_train=14, num_test=10,
                                      seed=7, image_size=S)
    return root, summary


# --------------------------------------------------------------------------
# landmark model
# --------------------------------------------------------------------------
def _symmetric_model(expression=None):
    e = expression or Expression()
    e.gaze = np.zeros(2)
    return FaceModel3D(FaceShape(), e)


@pytest.mark.parametrize('expr', [
    Expression(),
    Expression(mouth_open=0.8, smile=0.6, brow_raise=0.7, eye_open=1.2)
])
def test_frontal_face_is_mirror_symmetric_under_flip_pairs(expr):
    model = _symmetric_model(expr)
    lm = project_landmarks(model, Pose(scale=60, tx=128, ty=128))
    mirrored = lm.copy()
    mirrored[:, 0] = 2 * 128 - mirrored[:, 0]
    perm = flip_permutation()
    np.testing.assert_allclose(mirrored[perm], lm, atol=1e-6)


def test_mirrored_pose_is_flipped_face():
    """A face at (yaw, pitch, roll) mirrored is the face at (-yaw, pitch,
    -roll), self-occluded jaw points included."""
    model = _symmetric_model()
    a = project_landmarks(model, Pose(50, 8, 12, 60, 128, 128))
    b = project_landmarks(model, Pose(-50, 8, -12, 60, 128, 128))
    a[:, 0] = 256 - a[:, 0]
    np.testing.assert_allclose(a[flip_permutation()], b, atol=1e-6)


def test_wflw_semantics():
    lm = project_landmarks(FaceModel3D(FaceShape(), Expression()),
                           Pose(scale=60))
    x, y = lm[:, 0], lm[:, 1]
    assert np.argmax(y[:33]) == 16  # chin lowest
    assert np.all(np.diff(x[:33]) > 0)  # jaw left to right
    assert x[33] < x[37] < x[42] < x[46]  # brows outer->inner, inner->outer
    assert x[38] > x[41] and x[47] > x[50]  # lower arcs
    assert np.all(np.diff(y[51:55]) > 0)  # bridge top to tip
    assert np.all(np.diff(x[55:60]) > 0)
    assert x[60] < x[64] < x[68] < x[72]  # eye corners
    assert np.all(y[61:64] < y[60]) and np.all(y[65:68] > y[64])
    assert x[65] > x[66] > x[67]  # lower lid inner -> outer
    assert x[73] > x[74] > x[75]
    assert x[76] < x[79] < x[82] and x[83] > x[85] > x[87]
    assert y[79] < y[90] <= y[94] < y[85]  # lips top to bottom
    assert np.all(y[33:51].max() < y[60:76].min())  # brows above eyes
    for ring, pupil in ((list(range(60, 68)), 96), (list(range(68, 76)),
                                                    97)):
        poly = lm[ring].astype(np.float32).reshape(-1, 1, 2)
        assert cv2.pointPolygonTest(poly, tuple(map(float, lm[pupil])),
                                    False) > 0
    assert list(WFLW_TO_300W[:17]) == list(range(0, 33, 2))


def test_far_jaw_moves_to_the_silhouette():
    model = FaceModel3D(FaceShape(), Expression())
    pose = Pose(yaw=55, scale=60, tx=128, ty=128)
    lm = project_landmarks(model, pose)
    naive, _ = pose.project(model.landmarks)
    _, phi = projected_outline(model, pose)
    jaw_phi = phi[model.jaw_index]
    far = jaw_phi < np.pi / 2 - 1e-6
    # positive yaw turns the front to the image right: the far side is the
    # image-right half of the jaw
    assert far[20:].sum() >= 8 and not far[:14].any()
    np.testing.assert_allclose(lm[:33][~far], naive[:33][~far], atol=1e-6)
    # on the far side the visible outline is further out than the hidden
    # true jaw points
    assert np.all(lm[:33][far, 0] > naive[:33][far, 0])


# --------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------
def test_wflw_lines(dataset):
    root, summary = dataset
    for split, n in (('train', 14), ('test', 10)):
        lines = _read_lines(root, split)
        assert len(lines) == n
        for line in lines:
            f = line.split(' ')
            assert len(f) == 196 + 4 + 6 + 1
            assert all(len(v.split('.')[1]) == 6 for v in f[:196])
            lm, box, flags, rel = _parse(line)
            assert set(flags.values()) <= {0, 1}
            assert np.all(lm >= 0) and np.all(lm <= S - 1)
            inside = ((lm[:, 0] >= box[0]) & (lm[:, 0] <= box[2]) &
                      (lm[:, 1] >= box[1]) & (lm[:, 1] <= box[3]))
            assert inside.mean() >= 0.9
            side = max(box[2] - box[0], box[3] - box[1])
            assert 0.3 * S < side < 0.9 * S
            assert rel.startswith('synthetic_') and rel.endswith('.jpg')
            img = cv2.imread(osp.join(root, 'WFLW_images', rel))
            assert img is not None and img.shape == (S, S, 3)
    counts = summary['attribute_counts']
    assert sum(counts['train'].values()) > 0


def test_300w_files(dataset):
    root, summary = dataset
    lines = {s: [_parse(ln) for ln in _read_lines(root, s)]
             for s in ('train', 'test')}
    by_name = {}
    for split, rows in lines.items():
        for lm, _, flags, rel in rows:
            by_name[osp.splitext(osp.basename(rel))[0]] = (lm, flags)
    pts_files = glob.glob(osp.join(root, '300W', '**', '*.pts'),
                          recursive=True)
    assert len(pts_files) == 24
    sub_count = {'train': 0, 'common': 0, 'challenge': 0}
    for path in pts_files:
        name = osp.splitext(osp.basename(path))[0]
        lm, flags = by_name[name]
        pts = read_pts(path)  # the converter's reader: 0-based pixels
        np.testing.assert_allclose(pts, lm[WFLW_TO_300W], atol=1e-5)
        assert osp.isfile(path[:-4] + '.jpg')
        rel = osp.relpath(path, osp.join(root, '300W')).replace(os.sep, '/')
        hard = flags['pose'] or flags['occlusion'] or flags['expression']
        if name.startswith('train'):
            assert rel.split('/')[0] in ('afw', 'helen', 'lfpw')
            assert '/testset/' not in rel
            sub_count['train'] += 1
        elif rel.startswith('ibug/'):
            assert hard
            sub_count['challenge'] += 1
        else:
            assert not hard and '/testset/' in rel
            sub_count['common'] += 1
    assert sub_count == summary['300w_counts']
    with open(pts_files[0]) as f:
        head = f.read().split('\n')[:3]
    assert head == ['version: 1', 'n_points:  68', '{']


def test_deterministic_and_order_independent(dataset, tmp_path):
    root, _ = dataset
    a = str(tmp_path / 'a')
    generate_synthetic_wflw(a, num_train=3, num_test=2, seed=7,
                            with_300w=False)
    # the first faces of a larger run are byte-identical
    assert _read_lines(a, 'train') == _read_lines(root, 'train')[:3]
    assert _read_lines(a, 'test') == _read_lines(root, 'test')[:2]
    rel = _parse(_read_lines(a, 'train')[2])[3]
    with open(osp.join(a, 'WFLW_images', rel), 'rb') as f1, open(
            osp.join(root, 'WFLW_images', rel), 'rb') as f2:
        assert f1.read() == f2.read()
    f_a = make_face(7, 'test', 1)
    f_b = make_face(7, 'test', 1)
    assert np.array_equal(f_a.image, f_b.image)
    assert not np.array_equal(make_face(8, 'test', 1).image, f_a.image)
    assert not os.path.exists(osp.join(a, '300W'))


# --------------------------------------------------------------------------
# attributes change the picture
# --------------------------------------------------------------------------
def _params(i, **flags):
    base = {k: False for k in ATTRIBUTE_NAMES}
    base.update(flags)
    return sample_face_params(face_rng(123, 'train', i), S, attributes=base)


def _face_crop(face, img=None):
    lo = np.floor(face.landmarks.min(0)).astype(int)
    hi = np.ceil(face.landmarks.max(0)).astype(int)
    img = face.image if img is None else img
    return img[lo[1]:hi[1], lo[0]:hi[0]]


def _lap_var(img):
    g = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).astype(np.float64)
    return cv2.Laplacian(g, cv2.CV_64F).var()


@pytest.mark.parametrize('i', range(3))
def test_blur_reduces_sharpness(i):
    p = _params(i)
    sharp = render_face(p)
    blurred = render_face(with_attributes(p, blur=True))
    np.testing.assert_array_equal(sharp.landmarks, blurred.landmarks)
    assert _lap_var(_face_crop(blurred)) < 0.5 * _lap_var(_face_crop(sharp))


@pytest.mark.parametrize('i', range(3))
def test_occlusion_paints_over_the_face(i):
    p = _params(i)
    clean = render_face(p)
    occ = render_face(with_attributes(p, occlusion=True))
    np.testing.assert_array_equal(clean.landmarks, occ.landmarks)
    diff = np.abs(clean.image.astype(int) - occ.image.astype(int)).max(-1)
    assert (diff[clean.face_mask] > 30).mean() > 0.05


def test_illumination_and_makeup_change_the_face():
    changed_light, changed_lips = 0, 0
    for i in range(4):
        p = _params(i)
        base = render_face(p)
        lit = render_face(with_attributes(p, illumination=True))
        d = np.abs(base.image.astype(int) - lit.image.astype(int))
        changed_light += d[base.face_mask].mean() > 15
        mk = render_face(with_attributes(p, makeup=True))
        lips = np.zeros((S, S), np.uint8)
        cv2.fillPoly(lips, [np.round(base.landmarks[76:88]).astype(
            np.int32)], 1)
        d = np.abs(base.image.astype(int) - mk.image.astype(int)).sum(-1)
        changed_lips += d[lips > 0].mean() > 30
    assert changed_light == 4 and changed_lips >= 3


def test_expression_and_pose_flags_move_landmarks():
    opening, yaws = [], []
    for i in range(12):
        for flag in (False, True):
            p = _params(i, expression=flag)
            lm = render_face(p).landmarks if i < 4 else None
            e = p.expression
            opening.append((flag, e.mouth_open + abs(e.smile) +
                            abs(e.brow_raise)))
            q = _params(i, pose=flag)
            yaws.append((flag, max(abs(q.pose.yaw) / 35,
                                   abs(q.pose.pitch) / 20,
                                   abs(q.pose.roll) / 25)))
            if lm is not None:
                assert np.all(lm >= 0) and np.all(lm < S)
    neutral = [v for f, v in opening if not f]
    strong = [v for f, v in opening if f]
    assert max(neutral) < 0.5 < min(strong)
    assert max(v for f, v in yaws if not f) < 1.0
    assert min(v for f, v in yaws if f) >= 1.0
    # an open mouth separates the inner lips in the picture
    p = _params(0, expression=False)
    p.expression = Expression(mouth_open=0.9)
    lm = render_face(p).landmarks
    assert lm[94, 1] - lm[90, 1] > 0.08 * (lm[16, 1] - lm[51, 1])
