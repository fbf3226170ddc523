"""The video path: batched landmarks equal the inferencer's, the streaming
entry point carries tracks between calls, run_video writes complete JSON
(also when stopped), the clip of tests and benchmarks."""
import json
import os.path as osp

import cv2
import numpy as np
import pytest

import awing_mmpose  # noqa: F401

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = osp.join(ROOT, 'configs', 'awing_demo.py')
ASTRONAUT = osp.join(ROOT, 'tests', 'data', 'astronaut_face.jpg')


@pytest.fixture(scope='module')
def inferencer(ckpt):
    from awing_mmpose.apis import init_face_inferencer
    return init_face_inferencer(CFG, ckpt, device='cpu')


@pytest.mark.parametrize('flip', [False, True])
def test_predict_faces_equals_the_inferencer(inferencer, flip):
    img = cv2.imread(ASTRONAUT)
    boxes = np.array([[30, 40, 170, 190], [60, 50, 150, 160]], np.float32)
    inferencer.model.test_cfg['flip_test'] = flip
    try:
        kpts, scores = inferencer.predict_faces(img, boxes)
        ref = next(inferencer(img, bboxes=[boxes], return_datasamples=True))
    finally:
        inferencer.model.test_cfg['flip_test'] = False
    inst = ref['predictions'][0].pred_instances
    assert kpts.shape == (2, 98, 2) and scores.shape == (2, 98)
    assert np.allclose(kpts, inst.keypoints, atol=1e-4)
    assert np.allclose(scores, inst.keypoint_scores, atol=1e-6)
    none_k, none_s = inferencer.predict_faces(img, np.zeros((0, 4)))
    assert none_k.shape == (0, 98, 2) and none_s.shape == (0, 98)


def test_detect_faces_direct_path_equals_mmdetection_path(inferencer):
    img = cv2.imread(ASTRONAUT)
    direct = inferencer.detect_faces(img)  # MTCNN called on the array
    through = inferencer.detect_faces(ASTRONAUT)  # DetInferencer, a path
    assert len(direct) == 1
    assert np.allclose(direct, through, atol=1e-3)


def test_stream_carries_tracks_between_calls(inferencer):
    from awing_mmpose.apis import StageTimer
    img = cv2.imread(ASTRONAUT)
    frames = [np.roll(img, i, axis=1) for i in range(4)]
    # random weights: low landmark scores; track_score 0 follows them anyway
    tracker = inferencer.tracker(det_interval=3, min_score=0.0,
                                 track_score=0.0)
    timer = StageTimer()
    first = list(inferencer.stream(frames[:2], tracker=tracker, timer=timer))
    second = list(inferencer.stream(frames[2:], tracker=tracker, timer=timer))
    ids = [[f['track_id'] for f in faces] for faces in first + second]
    assert ids == [[0]] * 4
    # the detector ran on frames 0 and 3 only
    assert tracker.detections == 2
    assert [faces[0]['detected'] for faces in first + second] == [
        True, False, False, True]
    assert {'detect', 'crop', 'network', 'decode heatmaps',
            'smooth'} <= set(timer.seconds)


@pytest.mark.slow
def test_run_video_writes_complete_json_even_when_stopped(
        inferencer, tmp_path):
    from awing_mmpose.apis import run_video
    img = cv2.imread(ASTRONAUT)
    frames = (np.roll(img, i, axis=0) for i in range(5))
    tracker = inferencer.tracker(det_interval=10, min_score=0.0)
    out = tmp_path / 'pred.json'

    def stop_at_3(idx, vis, faces):
        if idx == 3:
            raise KeyboardInterrupt
        return True

    with pytest.raises(KeyboardInterrupt):
        run_video(frames, tracker, 25.0, video_out=str(tmp_path / 'v.mp4'),
                  json_out=str(out), header=dict(input='x'),
                  on_frame=stop_at_3)
    res = json.load(open(out))  # complete JSON with the frames done
    assert res['input'] == 'x'
    assert [f['frame'] for f in res['frames']] == [0, 1, 2, 3]
    assert res['frames'][0]['faces'][0]['flags'] == []
    cap = cv2.VideoCapture(str(tmp_path / 'v.mp4'))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 4

    frames = (np.roll(img, i, axis=0) for i in range(3))
    result = run_video(frames, inferencer.tracker(min_score=0.0), 25.0)
    assert result.counts.frames == 3 and result.counts.faces == 3
    assert result.tracks == 1 and result.fps > 0
    assert {'draw', 'write', 'detect', 'network'} <= set(
        result.timer.seconds)


def test_group_clip_moves_known_faces(tmp_path):
    from awing_mmpose.testing import HARD_FACES, GroupClip
    clip = GroupClip(size=(320, 213), num_frames=8, noise=0)
    assert clip.frame(0).shape == (213, 320, 3)
    boxes = clip.face_boxes(0)
    assert boxes.shape == (3, 4) and np.all(boxes[:, 2:] > boxes[:, :2])
    # a quarter turn of the cycle: the faces moved and turned
    assert not np.allclose(clip.face_boxes(2), boxes)
    assert np.array_equal(clip.frame(3), clip.frame(3))  # deterministic
    noisy = GroupClip(size=(320, 213), num_frames=8, noise=5, seed=1)
    assert not np.array_equal(noisy.frame(1), clip.frame(1))
    path = clip.write(str(tmp_path / 'c.mp4'), num_frames=10)
    cap = cv2.VideoCapture(path)
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 10
    assert GroupClip(size=(320, 213), faces=HARD_FACES).faces[2] == 'camera'
    with pytest.raises(ValueError, match='variant'):
        GroupClip(faces=('astronaut:upside',))
    with pytest.raises(KeyError, match='no portrait "nobody"'):
        GroupClip(faces=('nobody',))


def test_whole_image_mode_tracks_the_whole_frame(ckpt):
    from awing_mmpose.apis import init_face_inferencer
    inf = init_face_inferencer(CFG, ckpt, det_model='whole_image')
    img = cv2.imread(ASTRONAUT)
    out = list(inf.stream([img, img], min_score=0.0))
    assert [len(faces) for faces in out] == [1, 1]
    h, w = img.shape[:2]
    assert out[1][0]['bbox'] == [0.0, 0.0, float(w), float(h)]
    assert out[1][0]['detected'] and out[1][0]['track_id'] == 0


def test_async_video_writer_writes_every_frame_in_order(tmp_path):
    from awing_mmpose.apis.video_landmarks import AsyncVideoWriter
    path = str(tmp_path / 'a.mp4')
    writer = AsyncVideoWriter(path, 10.0, (64, 48), queue_size=2)
    for i in range(7):
        writer.write(np.full((48, 64, 3), 30 * i, np.uint8))
    writer.close()
    writer.close()  # a second close is harmless
    cap = cv2.VideoCapture(path)
    means = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        means.append(frame.mean())
    assert len(means) == 7 and np.all(np.diff(means) > 0)
    (tmp_path / 'blocker').write_text('a file, not a folder')
    with pytest.raises(IOError):
        AsyncVideoWriter(str(tmp_path / 'blocker' / 'b.mp4'), 10.0, (64, 48))
