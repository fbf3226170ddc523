"""Face tracking between frames (IoU, persistent ids, smoothing)."""
import numpy as np
import pytest

from awing_mmpose.apis import FaceTracker
from awing_mmpose.apis.face_tracker import box_iou, frame_time


def face(x, y, side=100, kpt=None):
    kpts = kpt if kpt is not None else [[x + 30., y + 40.], [x + 70., y + 40.]]
    return dict(bbox=[x, y, x + side, y + side], keypoints=kpts)


def test_box_iou():
    a = np.array([[0, 0, 10, 10]])
    b = np.array([[0, 0, 10, 10], [5, 0, 15, 10], [20, 20, 30, 30]])
    assert np.allclose(box_iou(a, b), [[1.0, 50 / 150, 0.0]])
    assert box_iou(np.zeros((0, 4)), b).shape == (0, 3)


def test_ids_persist_while_faces_move_and_new_faces_get_new_ids():
    tr = FaceTracker(smooth=False)
    ids = []
    for i in range(5):  # two faces moving right 5 px per frame
        faces = tr.update([face(300 + 5 * i, 0), face(5 * i, 0)],
                          frame_time(i, 25))
        ids.append([f['track_id'] for f in faces])
    assert ids == [[0, 1]] * 5
    faces = tr.update([face(25, 0), face(600, 300)], frame_time(5, 25))
    assert [f['track_id'] for f in faces] == [1, 2]  # left face kept, new 2
    assert tr.num_tracks == 3


def test_lost_track_survives_max_missed_frames_then_ends():
    tr = FaceTracker(max_missed=2, smooth=False)
    tr.update([face(0, 0)], 0.0)
    for i in range(1, 3):
        tr.update([], i / 25)
    assert tr.update([face(2, 0)], 3 / 25)[0]['track_id'] == 0
    for i in range(4, 7):
        tr.update([], i / 25)
    assert tr.num_tracks == 0
    assert tr.update([face(2, 0)], 7 / 25)[0]['track_id'] == 1


def test_smoothing_per_track_keeps_raw_landmarks():
    tr = FaceTracker(smooth=True, min_cutoff=0.5, beta=0.0)
    rng = np.random.default_rng(0)
    raw, smooth = [], []
    for i in range(30):
        k = (np.array([[30., 40.], [70., 40.]]) +
             rng.normal(0, 1, (2, 2))).tolist()
        f = tr.update([face(0, 0, kpt=k)], frame_time(i, 25))[0]
        assert f['keypoints_raw'] == k
        raw.append(f['keypoints_raw'])
        smooth.append(f['keypoints'])

    def jit(p):
        return np.linalg.norm(np.diff(p, axis=0), axis=2).mean()

    assert jit(np.array(smooth)) < 0.5 * jit(np.array(raw))
    with pytest.raises(ValueError, match='min_cutoff'):
        FaceTracker(min_cutoff=-1)
