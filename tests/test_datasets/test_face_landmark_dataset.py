import json

import cv2
import numpy as np
import pytest

from awing_mmpose.datasets import FaceLandmarkDataset


def write_ann(tmp_path, num_kpts=98, nan=False, subsets=('pose', )):
    img = np.full((64, 64, 3), 128, np.uint8)
    cv2.imwrite(str(tmp_path / 'a.jpg'), img)
    kpts = np.random.default_rng(0).uniform(10, 50, (num_kpts, 2))
    if nan:
        kpts[3, 0] = np.nan
    flat = []
    for x, y in kpts.tolist():
        flat += [x, y, 2]
    ann = dict(
        images=[dict(id=1, file_name='a.jpg', width=64, height=64)],
        annotations=[
            dict(id=7, image_id=1, category_id=1, keypoints=flat,
                 num_keypoints=num_kpts, bbox=[8, 8, 48, 48], area=2304,
                 iscrowd=0, center=[32, 32], scale=0.24,
                 subsets=list(subsets))
        ],
        categories=[dict(id=1, name='face')])
    path = tmp_path / 'ann.json'
    path.write_text(json.dumps(ann).replace('NaN', 'NaN'))
    return str(path)


def build(ann_file, tmp_path, **kwargs):
    return FaceLandmarkDataset(
        ann_file=ann_file, data_prefix=dict(img=str(tmp_path) + '/'),
        data_mode='topdown', pipeline=[], **kwargs)


def test_reads_subsets_and_curves(tmp_path):
    ds = build(write_ann(tmp_path), tmp_path)
    item = ds[0]
    assert item['raw_ann_info']['subsets'] == ['pose']
    assert len(item['boundary_curves']) == 13
    assert item['keypoints'].shape == (1, 98, 2)
    assert ds.metainfo['dataset_name'] == 'wflw'
    assert len(ds.metainfo['flip_indices']) == 98


def test_300w_layout(tmp_path):
    ds = build(write_ann(tmp_path, 68), tmp_path, layout='300w')
    assert ds.metainfo['num_keypoints'] == 68
    assert ds[0]['boundary_curves'][0] == list(range(17))


def test_wrong_point_count_names_file(tmp_path):
    path = write_ann(tmp_path, 68)
    with pytest.raises(ValueError, match=r'ann\.json.*id 7.*68 keypoints'):
        build(path, tmp_path)


def test_nan_coordinate_names_file(tmp_path):
    path = write_ann(tmp_path, nan=True)
    with pytest.raises(ValueError, match=r'ann\.json.*NaN'):
        build(path, tmp_path)


def test_unknown_layout(tmp_path):
    with pytest.raises(ValueError, match='layout'):
        build(write_ann(tmp_path), tmp_path, layout='wflw2')


def test_corrupt_image_stops_at_first_read_saying_what_is_wrong(tmp_path):
    path = write_ann(tmp_path)
    (tmp_path / 'a.jpg').write_bytes(b'not a jpeg')
    ds = FaceLandmarkDataset(
        ann_file=path, data_prefix=dict(img=str(tmp_path) + '/'),
        data_mode='topdown', pipeline=[dict(type='LoadImage')])
    with pytest.raises(ValueError,
                       match=r'a\.jpg \(annotation id 7 of .*ann\.json\): '
                       r'the file exists \(10 bytes\) but does not decode'):
        ds[0]


def test_missing_image_stops_at_load(tmp_path):
    path = write_ann(tmp_path)
    (tmp_path / 'a.jpg').unlink()
    with pytest.raises(ValueError, match=r'ann\.json: annotation id 7: '
                       r'image file not found: .*a\.jpg'):
        build(path, tmp_path)


def write_three(tmp_path):
    """Faces 1 (good), 2 (image missing), 3 (NaN point) in one json."""
    ann = json.loads(open(write_ann(tmp_path)).read())
    good = ann['annotations'][0]
    ann['images'] += [
        dict(id=2, file_name='missing.jpg', width=64, height=64),
        dict(id=3, file_name='a.jpg', width=64, height=64)
    ]
    nan = dict(good, id=9, image_id=3)
    nan['keypoints'] = [float('nan')] + good['keypoints'][1:]
    ann['annotations'] += [dict(good, id=8, image_id=2), nan]
    (tmp_path / 'ann.json').write_text(json.dumps(ann))
    return str(tmp_path / 'ann.json')


@pytest.fixture
def logged(monkeypatch):
    """The messages the dataset logs."""
    from awing_mmpose.datasets.face import face_landmark_dataset as module
    messages = []
    monkeypatch.setattr(module, 'print_log',
                        lambda msg, **kw: messages.append(msg))
    return messages


@pytest.mark.slow
def test_skip_invalid_leaves_bad_samples_out_and_logs_them(tmp_path, logged):
    path = write_three(tmp_path)
    with pytest.raises(ValueError, match='annotation id 8: image file not'):
        build(path, tmp_path)
    ds = build(path, tmp_path, skip_invalid=True)
    assert len(ds) == 1 and ds[0]['id'] == 7
    assert [w.rsplit(' ', 1)[-1] for w, _ in ds.skipped] == ['8', '9']
    assert len(logged) == 1
    assert 'skipped 2 invalid annotation(s)' in logged[0]
    assert 'annotation id 8: image file not found' in logged[0]
    assert 'annotation id 9: NaN or infinite' in logged[0]


@pytest.mark.slow
def test_skip_invalid_replaces_undecodable_image_while_training(
        tmp_path, logged):
    path = write_three(tmp_path)
    cv2.imwrite(str(tmp_path / 'missing.jpg'),
                np.zeros((64, 64, 3), np.uint8))
    ann = json.loads(open(path).read())
    ann['annotations'] = ann['annotations'][:2]  # faces 7 (a.jpg), 8
    (tmp_path / 'ann.json').write_text(json.dumps(ann))
    (tmp_path / 'a.jpg').write_bytes(b'broken')
    kwargs = dict(ann_file=path, data_prefix=dict(img=str(tmp_path) + '/'),
                  data_mode='topdown', pipeline=[dict(type='LoadImage')],
                  skip_invalid=True)
    ds = FaceLandmarkDataset(**kwargs)
    assert ds[0]['id'] == 8  # face 7 cannot be read: another sample
    assert any('a.jpg (annotation id 7' in m and 'sample skipped' in m
               for m in logged)
    test_ds = FaceLandmarkDataset(test_mode=True, **kwargs)
    with pytest.raises(ValueError, match='does not decode'):
        test_ds[0]
