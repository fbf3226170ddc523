"""Tests of the WFLW / 300W / COFW converters on tiny raw-format fixtures
written into tmp_path (malformed variants included)."""
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from awing_mmpose.datasets.converters import (ConversionError, convert_300w,
                                              convert_cofw, convert_wflw,
                                              read_pts)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOLS = osp.join(REPO, 'tools', 'dataset_converters')

WFLW_SUBSET_FILES = ('largepose', 'expression', 'illumination', 'makeup',
                     'occlusion', 'blur')


def _load(path):
    with open(path) as f:
        return json.load(f)


def _write_image(path, w, h, seed=0):
    os.makedirs(osp.dirname(path), exist_ok=True)
    rng = np.random.default_rng(seed)
    img = rng.integers(0, 255, (h, w, 3), dtype=np.uint8)
    assert cv2.imwrite(str(path), img)


def _check_common_fields(coco, k):
    assert coco['categories'][0]['id'] == 1
    img_ids = {im['id'] for im in coco['images']}
    for ann in coco['annotations']:
        assert ann['image_id'] in img_ids
        assert len(ann['keypoints']) == 3 * k
        assert ann['iscrowd'] == 0 and ann['category_id'] == 1
        x, y, w, h = ann['bbox']
        assert ann['area'] == pytest.approx(w * h, rel=1e-4)
        assert ann['center'] == pytest.approx([x + w / 2, y + h / 2],
                                              abs=1e-3)
        assert ann['scale'] == pytest.approx(max(w, h) / 200, abs=1e-5)
        assert isinstance(ann['subsets'], list)
        vis = ann['keypoints'][2::3]
        assert set(vis) <= {1, 2}
        assert ann['num_keypoints'] == sum(v > 0 for v in vis)


def _build_mmpose_dataset(cls_name, ann_file, img_root):
    """Build MMPose's own dataset class on our json and read an item."""
    import mmpose.datasets as mds
    from mmpose.datasets.transforms import LoadImage
    cls = getattr(mds, cls_name)
    ds = cls(
        ann_file=str(ann_file),
        data_root='',
        data_prefix=dict(img=str(img_root) + os.sep),
        data_mode='topdown',
        pipeline=[LoadImage()],
        test_mode=True)
    item = ds[0]
    assert item['img'] is not None and item['img'].ndim == 3
    return ds, item


# --------------------------------------------------------------------- WFLW
def _wflw_line(rng, path, w=80, h=60, flags=(0, 0, 0, 0, 0, 0),
               box=(10, 8, 60, 50)):
    pts = np.stack([rng.uniform(5, w - 5, 98), rng.uniform(5, h - 5, 98)], 1)
    vals = [f'{v:.3f}' for v in pts.reshape(-1)]
    vals += [str(v) for v in box] + [str(v) for v in flags] + [path]
    return ' '.join(vals), pts


def _make_wflw(root):
    """train: 2 faces on one image + 1; test: 3 faces with attributes."""
    rng = np.random.default_rng(0)
    img_dir = root / 'WFLW_images'
    for i, rel in enumerate(['0--A/a.jpg', '0--A/b.jpg', '1--B/c.png',
                             '1--B/d.jpg']):
        _write_image(img_dir / rel, 80 + i, 60 + i, seed=i)
    ann_dir = root / 'WFLW_annotations' / 'list_98pt_rect_attr_train_test'
    ann_dir.mkdir(parents=True)
    train = [_wflw_line(rng, '0--A/a.jpg', box=(10, 8, 60, 50))[0],
             _wflw_line(rng, '0--A/a.jpg', box=(20, 10, 40, 30))[0],
             _wflw_line(rng, '0--A/b.jpg')[0]]
    test = [_wflw_line(rng, '1--B/c.png', flags=(1, 0, 0, 0, 1, 0))[0],
            _wflw_line(rng, '1--B/d.jpg', flags=(0, 1, 1, 1, 0, 1))[0],
            _wflw_line(rng, '1--B/d.jpg', flags=(0, 0, 0, 0, 0, 0))[0]]
    (ann_dir / 'list_98pt_rect_attr_train.txt').write_text(
        '\n'.join(train) + '\n')
    (ann_dir / 'list_98pt_rect_attr_test.txt').write_text(
        '\n'.join(test) + '\n')
    return root / 'WFLW_annotations', img_dir, ann_dir


def test_wflw_convert(tmp_path):
    ann_root, img_dir, ann_dir = _make_wflw(tmp_path)
    out = tmp_path / 'out'
    summary = convert_wflw(str(ann_root), str(img_dir), str(out),
                           show_progress=False)
    assert not summary.skipped
    train = _load(out / 'face_landmarks_wflw_train.json')
    test = _load(out / 'face_landmarks_wflw_test.json')
    _check_common_fields(train, 98)
    _check_common_fields(test, 98)
    # two faces on a.jpg share one image entry
    assert len(train['images']) == 2 and len(train['annotations']) == 3
    assert [a['image_id'] for a in train['annotations']] == [1, 1, 2]
    im = train['images'][0]
    assert (im['file_name'], im['width'], im['height']) == ('0--A/a.jpg', 80,
                                                            60)
    a = train['annotations'][0]
    assert a['bbox'] == [10, 8, 50, 42]
    assert a['center'] == [35, 29] and a['scale'] == pytest.approx(0.25)
    # keypoints as in the file
    first = ann_dir.joinpath('list_98pt_rect_attr_train.txt').read_text()
    xy = [float(v) for v in first.split()[:4]]
    assert a['keypoints'][:2] == pytest.approx(xy[:2])
    assert a['keypoints'][3:5] == pytest.approx(xy[2:4])
    assert set(a['keypoints'][2::3]) == {2}
    # subsets
    assert test['annotations'][0]['subsets'] == ['pose', 'occlusion']
    assert test['annotations'][1]['subsets'] == [
        'expression', 'illumination', 'makeup', 'blur'
    ]
    expect = dict(largepose=1, expression=1, illumination=1, makeup=1,
                  occlusion=1, blur=1)
    for tag in WFLW_SUBSET_FILES:
        sub = _load(out / f'face_landmarks_wflw_test_{tag}.json')
        assert len(sub['annotations']) == expect[tag]
        assert len(sub['images']) == 1
        _check_common_fields(sub, 98)
    assert {o.name for o in summary.outputs} >= {'train', 'test'}
    assert 'face_landmarks_wflw_train.json' in summary.format()


def test_wflw_enlarge(tmp_path):
    ann_root, img_dir, _ = _make_wflw(tmp_path)
    convert_wflw(str(ann_root), str(img_dir), str(tmp_path / 'o'),
                 enlarge=0.1, show_progress=False)
    a = _load(tmp_path / 'o/face_landmarks_wflw_train.json')['annotations'][0]
    # box 10,8 - 60,50 (50 x 42) enlarged 10% about (35, 29)
    assert a['bbox'] == pytest.approx([7.5, 5.9, 55, 46.2])
    assert a['center'] == pytest.approx([35, 29])
    assert a['scale'] == pytest.approx(55 / 200)


def test_wflw_loads_in_mmpose(tmp_path):
    ann_root, img_dir, _ = _make_wflw(tmp_path)
    out = tmp_path / 'out'
    convert_wflw(str(ann_root), str(img_dir), str(out), show_progress=False)
    ds, item = _build_mmpose_dataset('WFLWDataset',
                                     out / 'face_landmarks_wflw_train.json',
                                     img_dir)
    assert len(ds) == 3
    assert item['keypoints'].shape == (1, 98, 2)
    assert item['img'].shape == (60, 80, 3)
    np.testing.assert_allclose(item['bbox_center'], [[35, 29]])
    np.testing.assert_allclose(item['bbox_scale'], [[50, 50]])


def _corrupt_line(kind, text):
    tokens = text.split()
    if kind == 'count':
        return ' '.join(tokens[:10] + tokens[11:])
    if kind == 'nonnumeric':
        tokens[5] = 'abc'
    elif kind == 'nan':
        tokens[7] = 'nan'
    elif kind == 'inf':
        tokens[8] = '-inf'
    elif kind == 'flag':
        tokens[201] = '2'
    elif kind == 'box':
        tokens[198] = tokens[196]  # x_max = x_min
    elif kind == 'missing_image':
        tokens[206] = '0--A/nope.jpg'
    elif kind == 'corrupt_image':
        tokens[206] = '0--A/corrupt.jpg'
    return ' '.join(tokens)


WFLW_BAD = {
    'count': 'expected 207 values',
    'nonnumeric': "non-numeric coordinate 'abc'",
    'nan': 'non-finite coordinate',
    'inf': 'non-finite coordinate',
    'flag': 'must be 0 or 1',
    'box': 'empty box',
    'missing_image': 'image not found',
    'corrupt_image': 'unreadable or corrupt image',
}


@pytest.mark.parametrize('kind', sorted(WFLW_BAD))
def test_wflw_malformed(tmp_path, kind, capsys, wflw2coco):
    ann_root, img_dir, ann_dir = _make_wflw(tmp_path)
    (img_dir / '0--A' / 'corrupt.jpg').write_bytes(b'\xff\xd8 not a jpeg')
    lst = ann_dir / 'list_98pt_rect_attr_test.txt'
    lines = lst.read_text().splitlines()
    lines[1] = _corrupt_line(kind, lines[1])
    lst.write_text('\n'.join(lines) + '\n')
    out = tmp_path / 'out'
    with pytest.raises(ConversionError) as exc:
        convert_wflw(str(ann_root), str(img_dir), str(out),
                     show_progress=False)
    msg = str(exc.value)
    assert msg.startswith(f'{lst}:2: ') and WFLW_BAD[kind] in msg
    assert not out.exists()  # nothing written

    # CLI: non-zero exit, a clear message, no traceback
    rc = wflw2coco.main([
        '--ann-dir', str(ann_root), '--img-dir', str(img_dir), '--out-dir',
        str(out), '--no-progress'
    ])
    err = capsys.readouterr().err
    assert rc == 1 and f'{lst}:2:' in err and 'Traceback' not in err

    # --skip-invalid: skipped and listed
    rc = wflw2coco.main([
        '--ann-dir', str(ann_root), '--img-dir', str(img_dir), '--out-dir',
        str(out), '--no-progress', '--skip-invalid'
    ])
    stdout = capsys.readouterr().out
    assert rc == 0 and 'skipped 1 invalid item' in stdout
    assert f'{lst}:2:' in stdout
    test = _load(out / 'face_landmarks_wflw_test.json')
    assert len(test['annotations']) == 2


def test_wflw_atomic(tmp_path):
    """A failing run leaves an existing output untouched."""
    ann_root, img_dir, ann_dir = _make_wflw(tmp_path)
    out = tmp_path / 'out'
    convert_wflw(str(ann_root), str(img_dir), str(out), show_progress=False)
    before = {p: (out / p).read_bytes() for p in os.listdir(out)}
    lst = ann_dir / 'list_98pt_rect_attr_test.txt'
    lst.write_text(lst.read_text() + '1 2 3\n')
    with pytest.raises(ConversionError, match=':4: expected 207'):
        convert_wflw(str(ann_root), str(img_dir), str(out), enlarge=0.1,
                     show_progress=False)
    after = {p: (out / p).read_bytes() for p in os.listdir(out)}
    assert after == before  # same files, same bytes, no temp files left


def test_wflw_missing_list(tmp_path):
    _, img_dir, _ = _make_wflw(tmp_path)
    with pytest.raises(ConversionError, match='list_98pt_rect_attr_train'):
        convert_wflw(str(tmp_path), str(img_dir), str(tmp_path / 'o'),
                     show_progress=False)


@pytest.mark.slow
def test_cli_subprocess_exit_code(tmp_path, run_tool):
    """The real process: exit code 1 and no traceback on bad input."""
    ann_root, img_dir, ann_dir = _make_wflw(tmp_path)
    lst = ann_dir / 'list_98pt_rect_attr_train.txt'
    lst.write_text('1 2 3\n')
    proc = run_tool(osp.join(TOOLS, 'wflw2coco.py'), '--ann-dir',
                    str(ann_root), '--img-dir', str(img_dir), '--out-dir',
                    str(tmp_path / 'out'), check=False)
    assert proc.returncode == 1, proc.stderr
    assert 'Traceback' not in proc.stderr
    assert f'{lst}:1: expected 207 values' in proc.stderr


# --------------------------------------------------------------------- 300W
def _pts_text(pts, n_points=None):
    n = len(pts) if n_points is None else n_points
    body = '\n'.join(f'{x:.3f} {y:.3f}' for x, y in pts)
    return f'version: 1\nn_points:  {n}\n{{\n{body}\n}}\n'


FOLDERS_300W = ('afw', 'helen/trainset', 'lfpw/trainset', 'helen/testset',
                'lfpw/testset', 'ibug', '300W/01_Indoor', '300W/02_Outdoor')


def _make_300w(root, private=True):
    rng = np.random.default_rng(1)
    exts = ['.jpg', '.png', '.jpeg']
    pts_of = {}
    for i, folder in enumerate(FOLDERS_300W):
        if folder.startswith('300W') and not private:
            continue
        for j in range(2 if folder == 'afw' else 1):
            stem = root / folder / f'img_{i}_{j}'
            w, h = 70 + i, 50 + j
            _write_image(str(stem) + exts[(i + j) % 3], w, h, seed=i)
            pts = np.stack([rng.uniform(3, w - 3, 68),
                            rng.uniform(3, h - 3, 68)], 1)
            (stem.parent / (stem.name + '.pts')).write_text(_pts_text(pts))
            pts_of[f'{folder}/{stem.name}'] = pts
    return pts_of


def test_300w_convert(tmp_path):
    root = tmp_path / 'raw'
    pts_of = _make_300w(root)
    out = tmp_path / 'out'
    summary = convert_300w(str(root), str(out), show_progress=False)
    assert not summary.skipped
    files = {
        'train': 4,
        'valid': 3,
        'valid_common': 2,
        'valid_challenge': 1,
        'test': 2
    }
    for name, n in files.items():
        coco = _load(out / f'face_landmarks_300w_{name}.json')
        _check_common_fields(coco, 68)
        assert len(coco['annotations']) == n == len(coco['images'])
    full = _load(out / 'face_landmarks_300w_valid.json')
    assert [a['subsets'] for a in full['annotations']
            ] == [['common'], ['common'], ['challenge']]
    test = _load(out / 'face_landmarks_300w_test.json')
    assert all(a['subsets'] == ['private'] for a in test['annotations'])
    train = _load(out / 'face_landmarks_300w_train.json')
    im, a = train['images'][0], train['annotations'][0]
    assert im['file_name'] == 'afw/img_0_0.jpg'
    assert (im['width'], im['height']) == (70, 50)
    assert osp.isfile(root / im['file_name'])
    pts = pts_of['afw/img_0_0'] - 1  # 1-based -> 0-based
    kp = np.array(a['keypoints']).reshape(-1, 3)
    np.testing.assert_allclose(kp[:, :2], pts, atol=1e-3)
    x, y, w, h = a['bbox']
    np.testing.assert_allclose(
        [x, y, x + w, y + h],
        [*pts.min(0), *pts.max(0)], atol=2e-3)
    # image extensions beside the .pts
    names = [i['file_name'] for i in train['images']]
    assert any(n.endswith('.png') for n in names)
    assert any(n.endswith('.jpeg') for n in names)


def test_300w_no_private_and_enlarge(tmp_path):
    root = tmp_path / 'raw'
    _make_300w(root, private=False)
    out = tmp_path / 'out'
    summary = convert_300w(str(root), str(out), enlarge=0.2,
                           show_progress=False)
    assert not (out / 'face_landmarks_300w_test.json').exists()
    assert 'private test set' in summary.format()
    a = _load(out / 'face_landmarks_300w_train.json')['annotations'][0]
    kp = np.array(a['keypoints']).reshape(-1, 3)[:, :2]
    tight = kp.max(0) - kp.min(0)
    assert a['bbox'][2:] == pytest.approx(tight * 1.2, abs=1e-3)


def test_300w_alt_private_folder(tmp_path):
    root = tmp_path / 'raw'
    _make_300w(root)
    os.rename(root / '300W', root / '300W_test')
    convert_300w(str(root), str(tmp_path / 'o'), show_progress=False)
    test = _load(tmp_path / 'o/face_landmarks_300w_test.json')
    assert test['images'][0]['file_name'].startswith('300W_test/01_Indoor/')


def test_300w_loads_in_mmpose(tmp_path):
    root = tmp_path / 'raw'
    _make_300w(root)
    out = tmp_path / 'out'
    convert_300w(str(root), str(out), show_progress=False)
    ds, item = _build_mmpose_dataset('Face300WDataset',
                                     out / 'face_landmarks_300w_valid.json',
                                     root)
    assert len(ds) == 3 and item['keypoints'].shape == (1, 68, 2)


def _bad_pts(kind, pts):
    text = _pts_text(pts)
    lines = text.splitlines()
    if kind == 'n_points':
        return _pts_text(pts, n_points=67), None
    if kind == 'open_brace':
        return '\n'.join(lines[:2] + lines[3:]) + '\n', 3
    if kind == 'close_brace':
        return '\n'.join(lines[:-1]) + '\n', None
    if kind == 'three_values':
        lines[10] += ' 5'
        return '\n'.join(lines) + '\n', 11
    if kind == 'nonnumeric':
        lines[10] = '1.0 x2'
        return '\n'.join(lines) + '\n', 11
    if kind == 'nan':
        lines[12] = 'nan 3'
        return '\n'.join(lines) + '\n', 13
    if kind == 'wrong_count':
        return _pts_text(pts[:67]), None
    if kind == 'no_header':
        return '\n'.join(lines[2:]) + '\n', None
    raise ValueError(kind)


PTS_BAD = {
    'n_points': 'n_points: 67 but 68 points',
    'open_brace': 'missing "{"',
    'close_brace': 'missing closing "}"',
    'three_values': 'expected 2 values (x y), got 3',
    'nonnumeric': "non-numeric coordinate 'x2'",
    'nan': 'non-finite coordinate',
    'wrong_count': 'expected 68 points, the file has 67',
    'no_header': 'missing "n_points:" header',
}


@pytest.mark.parametrize('kind', sorted(PTS_BAD))
def test_300w_malformed_pts(tmp_path, kind, capsys, face300w2coco):
    root = tmp_path / 'raw'
    pts_of = _make_300w(root)
    bad = root / 'ibug' / 'img_5_0.pts'
    text, line = _bad_pts(kind, pts_of['ibug/img_5_0'])
    bad.write_text(text)
    with pytest.raises(ConversionError) as exc:
        read_pts(str(bad))
    msg = str(exc.value)
    where = f'{bad}:{line}: ' if line else f'{bad}'
    assert msg.startswith(where) and PTS_BAD[kind] in msg, msg
    out = tmp_path / 'out'
    rc = face300w2coco.main(
        ['--root', str(root), '--out-dir', str(out), '--no-progress'])
    err = capsys.readouterr().err
    assert rc == 1 and PTS_BAD[kind] in err and 'Traceback' not in err
    assert not out.exists()
    rc = face300w2coco.main([
        '--root',
        str(root), '--out-dir',
        str(out), '--no-progress', '--skip-invalid'
    ])
    stdout = capsys.readouterr().out
    assert rc == 0 and 'skipped 1 invalid item' in stdout and str(
        bad) in stdout
    assert _load(out / 'face_landmarks_300w_valid_challenge.json'
                 )['annotations'] == []
    assert len(_load(out / 'face_landmarks_300w_valid.json')
               ['annotations']) == 2


@pytest.mark.parametrize('kind', ['missing', 'corrupt'])
def test_300w_bad_image(tmp_path, kind):
    root = tmp_path / 'raw'
    _make_300w(root)
    img = root / 'lfpw' / 'testset' / 'img_4_0.png'
    if kind == 'missing':
        img.unlink()
        match = 'no image beside it'
    else:
        img.write_bytes(b'\x89PNG\r\n\x1a\n broken')
        match = 'unreadable or corrupt image'
    with pytest.raises(ConversionError, match=match) as exc:
        convert_300w(str(root), str(tmp_path / 'o'), show_progress=False)
    assert 'img_4_0' in str(exc.value)
    s = convert_300w(str(root), str(tmp_path / 'o'), skip_invalid=True,
                     show_progress=False)
    assert len(s.skipped) == 1


def test_300w_missing_folder_and_atomic(tmp_path):
    root = tmp_path / 'raw'
    _make_300w(root)
    out = tmp_path / 'out'
    convert_300w(str(root), str(out), show_progress=False)
    before = {p: (out / p).read_bytes() for p in os.listdir(out)}
    # a bad file late in the run (private test set) -> nothing rewritten
    (root / '300W' / '02_Outdoor' / 'img_7_0.pts').write_text('garbage\n')
    with pytest.raises(ConversionError, match='img_7_0.pts:1:'):
        convert_300w(str(root), str(out), enlarge=0.3, show_progress=False)
    assert {p: (out / p).read_bytes() for p in os.listdir(out)} == before
    import shutil
    shutil.rmtree(root / 'ibug')
    with pytest.raises(ConversionError, match='ibug: folder not found'):
        convert_300w(str(root), str(out), show_progress=False)


# --------------------------------------------------------------------- COFW
def _write_mat(path, split, images, phis, boxes, drop=None, phis_T=True):
    """A MATLAB v7.3-like file: the cell of images as object references
    into '#refs#', every array stored transposed (h5py sees MATLAB's
    N x 87 as (87, N))."""
    import h5py
    names = dict(train=('IsTr', 'phisTr', 'bboxesTr'),
                 test=('IsT', 'phisT', 'bboxesT'))[split]
    with h5py.File(path, 'w') as f:
        refs_grp = f.create_group('#refs#')
        refs = np.empty((1, len(images)), dtype=h5py.ref_dtype)
        for i, img in enumerate(images):
            if img.ndim == 3:  # MATLAB H x W x 3 -> h5py (3, W, H)
                stored = np.transpose(img, (2, 1, 0))
            else:  # MATLAB H x W -> h5py (W, H)
                stored = img.T
            ds = refs_grp.create_dataset(f'img{i}', data=stored)
            ds.attrs['MATLAB_class'] = np.bytes_('uint8')
            refs[0, i] = ds.ref
        fields = dict(zip(names, (refs, phis.T if phis_T else phis,
                                  boxes.T)))
        for name, data in fields.items():
            if name == drop:
                continue
            f.create_dataset(name, data=data)
            f[name].attrs['MATLAB_class'] = np.bytes_(
                'cell' if name.startswith('Is') else 'double')


def _cofw_data(n, seed, grey_at=None):
    rng = np.random.default_rng(seed)
    images, phis, boxes = [], [], []
    for i in range(n):
        h, w = 40 + i, 56 + 2 * i  # H != W to catch transposes
        img = rng.integers(0, 255, (h, w, 3), dtype=np.uint8)
        if i == grey_at:
            img = img[..., 0]
        images.append(img)
        xs, ys = rng.uniform(6, w - 6, 29), rng.uniform(6, h - 6, 29)
        occ = (rng.uniform(size=29) < 0.3).astype(float)
        phis.append(np.concatenate([xs + 1, ys + 1, occ]))  # 1-based
        boxes.append([3 + 1, 2 + 1, w - 8, h - 6])  # x y w h, 1-based
    return images, np.array(phis), np.array(boxes, dtype=float)


def _make_cofw(root):
    root.mkdir(parents=True, exist_ok=True)
    data = dict(train=_cofw_data(3, 0, grey_at=1), test=_cofw_data(2, 1))
    for split, name in (('train', 'COFW_train_color.mat'),
                        ('test', 'COFW_test_color.mat')):
        _write_mat(root / name, split, *data[split])
    return data


def test_cofw_convert(tmp_path):
    raw = tmp_path / 'raw'
    data = _make_cofw(raw)
    out = tmp_path / 'out'
    summary = convert_cofw(str(raw), str(out), show_progress=False)
    assert not summary.skipped
    for split, n in (('train', 3), ('test', 2)):
        coco = _load(out / f'cofw_{split}.json')
        _check_common_fields(coco, 29)
        assert len(coco['images']) == n == len(coco['annotations'])
        images, phis, boxes = data[split]
        for i, (im, a) in enumerate(zip(coco['images'],
                                        coco['annotations'])):
            assert im['file_name'] == f'{split}/{i + 1:06d}.png'
            src = images[i]
            assert (im['height'], im['width']) == src.shape[:2]
            png = cv2.imread(str(out / 'images' / im['file_name']),
                             cv2.IMREAD_UNCHANGED)
            if src.ndim == 3:
                np.testing.assert_array_equal(png, src[..., ::-1])  # RGB
            else:
                np.testing.assert_array_equal(png, src)
            kp = np.array(a['keypoints']).reshape(-1, 3)
            np.testing.assert_allclose(kp[:, 0], phis[i, :29] - 1, atol=1e-3)
            np.testing.assert_allclose(kp[:, 1], phis[i, 29:58] - 1,
                                       atol=1e-3)
            np.testing.assert_array_equal(kp[:, 2],
                                          np.where(phis[i, 58:] > 0, 1, 2))
            x, y, w, h = boxes[i]
            assert a['bbox'] == pytest.approx([x - 1, y - 1, w, h])
    assert 'pupils are keypoints (16, 17)' in summary.format()

    # second run: identical images are kept, not rewritten
    mtimes = {p: os.stat(p).st_mtime_ns
              for p in (out / 'images' / 'train').iterdir()}
    summary = convert_cofw(str(raw), str(out), show_progress=False)
    assert 'train: 0 image(s) written, 3 identical' in summary.format()
    assert {p: os.stat(p).st_mtime_ns for p in mtimes} == mtimes


def test_cofw_loads_in_mmpose(tmp_path):
    raw = tmp_path / 'raw'
    _make_cofw(raw)
    out = tmp_path / 'out'
    convert_cofw(str(raw), str(out), show_progress=False)
    ds, item = _build_mmpose_dataset('COFWDataset', out / 'cofw_train.json',
                                     out / 'images')
    assert len(ds) == 3 and item['keypoints'].shape == (1, 29, 2)
    assert item['img'].shape == (40, 56, 3)
    assert set(np.unique(item['keypoints_visible'])) <= {1.0}


@pytest.mark.parametrize('kind', [
    'missing_field', 'phis_shape', 'phis_nan', 'occ_flag', 'bad_box',
    'not_hdf5', 'bad_image_dtype'
])
def test_cofw_malformed(tmp_path, kind, capsys, cofw2coco):
    raw = tmp_path / 'raw'
    data = _make_cofw(raw)
    images, phis, boxes = data['test']
    path = raw / 'COFW_test_color.mat'
    drop = None
    match = None
    if kind == 'missing_field':
        drop, match = 'phisT', "missing field(s) ['phisT']"
    elif kind == 'phis_shape':
        phis, match = phis[:, :80], "field 'phisT' has h5py shape (80, 2)"
    elif kind == 'phis_nan':
        phis[1, 3], match = np.nan, 'item 2 of 2 (0-based index 1): non-fin'
    elif kind == 'occ_flag':
        phis[0, 60], match = 0.5, 'item 1 of 2 (0-based index 0): occlusion'
    elif kind == 'bad_box':
        boxes[1, 2], match = -3, 'bboxesT: empty box'
    elif kind == 'bad_image_dtype':
        images[0] = images[0].astype(np.float64)
        match = 'image dtype float64'
    if kind == 'not_hdf5':
        path.write_bytes(b'MATLAB 5.0 MAT-file, not v7.3')
        match = 'not a MATLAB v7.3 (HDF5) file'
    else:
        path.unlink()
        _write_mat(path, 'test', images, phis, boxes, drop=drop)
    out = tmp_path / 'out'
    with pytest.raises(ConversionError) as exc:
        convert_cofw(str(raw), str(out), show_progress=False)
    assert str(exc.value).startswith(str(path)) and match in str(exc.value)
    assert not out.exists()  # validated before any image is written
    rc = cofw2coco.main(
        ['--mat-dir', str(raw), '--out-dir', str(out), '--no-progress'])
    err = capsys.readouterr().err
    assert rc == 1 and match in err and 'Traceback' not in err
    if kind in ('phis_nan', 'occ_flag', 'bad_box', 'bad_image_dtype'):
        s = convert_cofw(str(raw), str(out), skip_invalid=True,
                         show_progress=False)
        assert len(s.skipped) == 1 and match in str(s.skipped[0])
        assert len(_load(out / 'cofw_test.json')['annotations']) == 1


def test_cofw_atomic(tmp_path):
    raw = tmp_path / 'raw'
    data = _make_cofw(raw)
    out = tmp_path / 'out'
    convert_cofw(str(raw), str(out), show_progress=False)
    before = (out / 'cofw_train.json').read_bytes()
    images, phis, boxes = data['test']
    phis[0, 0] = np.inf
    (raw / 'COFW_test_color.mat').unlink()
    _write_mat(raw / 'COFW_test_color.mat', 'test', images, phis, boxes)
    with pytest.raises(ConversionError, match='non-finite'):
        convert_cofw(str(raw), str(out), enlarge=0.5, show_progress=False)
    assert (out / 'cofw_train.json').read_bytes() == before
    assert sorted(os.listdir(out)) == ['cofw_test.json', 'cofw_train.json',
                                       'images']
