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


def test_corrupt_image_error_names_the_file(tmp_path):
    path = write_ann(tmp_path)
    (tmp_path / 'a.jpg').write_bytes(b'not a jpeg')
    ds = FaceLandmarkDataset(
        ann_file=path, data_prefix=dict(img=str(tmp_path) + '/'),
        data_mode='topdown', pipeline=[dict(type='LoadImage')])
    with pytest.raises(Exception, match=r'a\.jpg'):
        ds[0]
