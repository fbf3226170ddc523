"""FaceLandmarkTracker with a scripted detector and landmark predictor: when
the detector runs, how crops follow the landmarks, ids, lost and new faces,
one network batch per frame."""
import numpy as np
import pytest

from awing_mmpose.apis import FaceLandmarkTracker
from awing_mmpose.apis.face_landmark_tracker import follow_box, landmark_box
from awing_mmpose.apis.face_tracker import frame_time, greedy_match
from awing_mmpose.utils import fit_similarity

#: a face's 5 landmarks relative to its box centre, in box sides
SHAPE = np.array([[-0.2, -0.1], [0.2, -0.1], [0.0, 0.1], [-0.15, 0.3],
                  [0.15, 0.3]])


class Scene:
    """Faces (centre x, y, side) per frame; the frame index is stored in
    pixel (0, 0) so the fakes know which frame they see."""

    def __init__(self, faces_per_frame, size=(480, 640)):
        self.faces = faces_per_frame
        self.size = size
        self.detect_calls = []  # (frame index, window shape)
        self.predict_calls = []  # number of boxes per call

    def frame(self, i):
        img = np.zeros(self.size + (3, ), np.uint8)
        img[0, 0, 0] = i
        return img

    def truth(self, i):
        return [np.asarray(f, np.float64) for f in self.faces[i]]

    def detect(self, img, index=None):
        # a window of the frame has no index pixel: the caller passes it
        i = int(img[0, 0, 0]) if index is None else index
        self.detect_calls.append((i, img.shape[:2]))
        out = []
        for cx, cy, side, *_ in self.truth(i):
            out.append([cx - side / 2, cy - side / 2, cx + side / 2,
                        cy + side / 2, 0.99])
        return np.asarray(out, np.float64).reshape(-1, 5)

    def predict(self, img, boxes, timer=None):
        """The landmarks of the face under each box: exact for a box on a
        face (score of the face, default 0.9), nothing for other boxes."""
        i = int(img[0, 0, 0])
        self.predict_calls.append(len(boxes))
        kpts, scores = [], []
        for box in boxes:
            c = (box[:2] + box[2:]) / 2
            best = None
            for cx, cy, side, *score in self.truth(i):
                if np.linalg.norm(c - (cx, cy)) < side / 2:
                    best = (cx, cy, side, score[0] if score else 0.9)
            if best is None:
                kpts.append(np.tile(c, (len(SHAPE), 1)))
                scores.append(np.full(len(SHAPE), 0.05))
            else:
                cx, cy, side, score = best
                kpts.append(np.array([cx, cy]) + SHAPE * side)
                scores.append(np.full(len(SHAPE), score))
        return np.asarray(kpts), np.asarray(scores)


def run(scene, n, **kwargs):
    tracker = FaceLandmarkTracker(scene.detect, scene.predict,
                                  smooth=False, **kwargs)
    out = [tracker(scene.frame(i), frame_time(i, 25)) for i in range(n)]
    return tracker, out


def test_detector_runs_every_interval_and_one_batch_per_frame():
    faces = [[(100 + 2 * i, 200, 80), (400 - i, 220, 90)] for i in range(25)]
    scene = Scene(faces)
    tracker, out = run(scene, 25, det_interval=10)
    assert [c[0] for c in scene.detect_calls] == [0, 10, 20]
    assert tracker.detections == 3
    assert scene.predict_calls == [2] * 25  # all faces, one call a frame
    for i, frame_faces in enumerate(out):
        assert [f['track_id'] for f in frame_faces] == [0, 1]
        assert [f['detected'] for f in frame_faces] == [i % 10 == 0] * 2
        for k, f in enumerate(frame_faces):
            cx, cy, side = faces[i][k]
            assert np.allclose(f['keypoints'],
                               np.array([cx, cy]) + SHAPE * side)
            # between detections the crop is where the landmarks of the
            # previous frame put the face
            px, py, pside = faces[i - 1][k] if i % 10 else faces[i][k]
            box = np.array(f['bbox'])
            assert np.allclose((box[:2] + box[2:]) / 2, (px, py))
            assert np.allclose(box[2:] - box[:2], pside)


def test_every_frame_with_interval_one():
    scene = Scene([[(100, 200, 80)]] * 5)
    tracker, _ = run(scene, 5, det_interval=1)
    assert [c[0] for c in scene.detect_calls] == [0, 1, 2, 3, 4]


def test_new_face_found_at_the_next_detection_lost_face_redetected():
    faces = [[(100, 200, 80)] + ([(400, 200, 80)] if i >= 3 else [])
             for i in range(12)]
    faces += [[(400, 200, 80)]] * 3  # the left face leaves at frame 12
    scene = Scene(faces)
    tracker, out = run(scene, 15, det_interval=5)
    ids = [[f['track_id'] for f in fr] for fr in out]
    assert ids[:5] == [[0]] * 5  # the new face waits for a detection
    assert ids[5] == [0, 1] and ids[11] == [0, 1]
    # frame 12: the left crop lands on nothing -> lost, detector next
    assert ids[12] == [1] and 13 in [c[0] for c in scene.detect_calls]
    assert ids[14] == [1]


@pytest.mark.parametrize('shift, snapped', [(0, False), (20, True)])
def test_unsure_face_checked_by_the_detector_in_a_window(shift, snapped):
    faces = [[(100, 200, 80, 0.9), (400, 200, 60, 0.4)]] * 4
    scene = Scene(faces)
    calls = []

    def detect(img):
        if img.shape[:2] != scene.size:  # a window around the crop
            calls.append(img.shape[:2])
            crop = tracker.tracks[1].box
            origin = np.floor((crop[:2] + crop[2:]) / 2 - (crop[2:] -
                                                           crop[:2]))
            # the true face, seen `shift` px to the right
            box = np.array([370. + shift, 170., 430. + shift, 230.])
            return np.append(box - np.tile(origin, 2), 0.9)[None]
        return scene.detect(img)

    tracker = FaceLandmarkTracker(detect, scene.predict, det_interval=10,
                                  smooth=False, track_score=0.6,
                                  snap_iou=0.8)
    out = [tracker(scene.frame(i), frame_time(i, 25)) for i in range(4)]
    # the 0.4 face is looked for around its crop (2 x 60 px) on frames 1-3
    assert calls == [(120, 120)] * 3
    # a detection that agrees with the crop (IoU 1) leaves it on the
    # landmarks; one 20 px off (IoU 0.5) replaces it, after which the two
    # agree again
    assert [fr[1]['detected'] for fr in out] == [True, snapped, False,
                                                 False]
    want = [390, 170, 450, 230] if snapped else [370, 170, 430, 230]
    assert np.allclose(out[3][1]['bbox'], want)
    assert [fr[0]['detected'] for fr in out] == [True, False, False, False]


def test_duplicate_detections_make_one_track():
    faces = [[(200, 200, 80)]] * 3
    scene = Scene(faces)
    # the detector reports the face twice (two overlapping boxes)
    twice = lambda img: np.concatenate(  # noqa: E731
        [scene.detect(img), scene.detect(img) + [5, 5, 5, 5, 0]])
    tracker = FaceLandmarkTracker(twice, scene.predict, smooth=False)
    out = tracker(scene.frame(0), 0.0)
    assert [f['track_id'] for f in out] == [0]


def test_smoothing_adds_raw_landmarks_and_filters():
    faces = [[(100 + 3 * i, 200, 80)] for i in range(4)]
    scene = Scene(faces)
    tracker = FaceLandmarkTracker(scene.detect, scene.predict,
                                  min_cutoff=0.5, beta=0.0)
    out = [tracker(scene.frame(i), frame_time(i, 25))[0] for i in range(4)]
    assert np.allclose(out[0]['keypoints'], out[0]['keypoints_raw'])
    assert not np.allclose(out[3]['keypoints'], out[3]['keypoints_raw'])


def test_follow_box_moves_with_the_landmarks_and_is_bounded():
    ref = np.array([[0., 0.], [10., 0.], [5., 8.], [2., 12.], [8., 12.]])
    box = np.array([-5., -5., 15., 20.])
    sim = fit_similarity(ref, ref * 1.1 + [3., -2.])
    assert np.isclose(sim.scale, 1.1) and abs(sim.angle) < 1e-9
    moved = follow_box(box, ref, ref * 1.1 + [3., -2.])
    c0 = (box[:2] + box[2:]) / 2
    assert np.allclose((moved[:2] + moved[2:]) / 2, c0 * 1.1 + [3., -2.])
    assert np.allclose(moved[2:] - moved[:2], 1.1 * (box[2:] - box[:2]))
    # one wild point barely moves the box (a least-squares fit)
    wild = ref.copy()
    wild[0] += [40., 40.]
    far = follow_box(box, ref, wild, prev_box=box, max_step=0.15)
    side = box[2:] - box[:2]
    assert np.all(np.abs((far[:2] + far[2:]) / 2 - c0) <= 0.15 * side + 1e-9)
    assert np.all(far[2:] - far[:2] <= 1.15 * side + 1e-9)
    assert np.allclose(landmark_box(ref), [0, 0, 10, 12])


def test_greedy_match_and_bad_arguments():
    iou = np.array([[0.9, 0.5], [0.6, 0.2], [0.1, 0.1]])
    assert greedy_match(iou, 0.3) == {0: 0}
    assert greedy_match(np.array([[0.9, 0.5], [0.6, 0.4]]), 0.3) == {
        0: 0, 1: 1}
    assert greedy_match(np.zeros((0, 2)), 0.3) == {}
    with pytest.raises(ValueError, match='det_interval'):
        FaceLandmarkTracker(None, None, det_interval=0)
    with pytest.raises(ValueError, match='OneEuroFilter'):
        FaceLandmarkTracker(None, None, min_cutoff=-1)
