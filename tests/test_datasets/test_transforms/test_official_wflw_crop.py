"""The authors' evaluation protocol: our config against an independent
re-computation of their crop and decoding, through one random network.

The reference below is written from the description of their code (WFLW
conversion crop, 450 -> middle 360 -> 256 evaluation crop, 1-based argmax
with the quarter rule, then (p - 0.5) * 4), in torch as they do, so that it
shares nothing with :class:`OfficialWFLWCrop` or the codec.
"""
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmpose.apis import init_model

from awing_mmpose.synthetic.generator import make_face
from awing_mmpose.datasets.transforms import OfficialWFLWCrop

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(
    __file__)))))
CFG = osp.join(ROOT, 'configs', 'awing_wflw_official.py')


# ---------------------------------------------------------------- reference
def ref_square_crop(image, cx, cy, side, out):
    """A square of ``side`` around a float32 centre: corners int(c -+ side
    // 2), the image padded by the largest overflow on both sides."""
    half = side // 2
    top, bottom = int(cy - half), int(cy + half)
    left, right = int(cx - half), int(cx + half)
    h, w = image.shape[:2]
    pad_y = abs(min(top, h - bottom, 0))
    pad_x = abs(min(left, w - right, 0))
    big = cv2.copyMakeBorder(image, pad_y, pad_y, pad_x, pad_x,
                             cv2.BORDER_CONSTANT, value=[0, 0, 0])
    patch = big[top + pad_y:bottom + pad_y, left + pad_x:right + pad_x]
    return cv2.resize(patch, (out, out), interpolation=cv2.INTER_LINEAR), \
        left, top


def ref_crop(image_rgb, box, landmarks):
    """Their two stages. Returns the 256 image and the map 256 -> image."""
    left, top, right, bottom = [int(v) for v in box]
    dx, dy = int(0.05 * (right - left) / 2), int(0.05 * (bottom - top) / 2)
    left, top = max(0, left - dx), max(0, top - dy)
    right, bottom = right + dx, bottom + dy
    centre = torch.FloatTensor([right - (right - left) / 2.0,
                                bottom - (bottom - top) / 2.0])
    factor = 250.0
    while True:
        side = 200 * (right - left + bottom - top) / factor
        half = side // 2
        x0, y0 = int(centre[0] - half), int(centre[1] - half)
        moved = (landmarks - np.array([x0, y0])) * 450 / side
        if not (np.min(moved) < 10 or np.max(moved) > 440):
            break
        factor -= 10
    img450, x0, y0 = ref_square_crop(image_rgb, centre[0], centre[1], side,
                                     450)
    img256, _, _ = ref_square_crop(img450, 225, 225, 360., 256)

    def back(p256):
        p450 = p256 * 360. / 256 + 45
        return p450 * side / 450 + np.array([x0, y0])

    return img256, back


def ref_decode(hm):
    """(K, 64, 64) -> (K, 2) in the 256 crop, their way."""
    k, h, w = hm.shape
    idx = hm.reshape(k, -1).argmax(1) + 1
    px = ((idx - 1) % w + 1).float()
    py = ((idx - 1) // w + 1).float()
    out = torch.stack([px, py], 1)
    for j in range(k):
        x, y = int(px[j]) - 1, int(py[j]) - 1
        if 0 < x < w - 1 and 0 < y < h - 1:
            d = torch.stack([hm[j, y, x + 1] - hm[j, y, x - 1],
                             hm[j, y + 1, x] - hm[j, y - 1, x]])
            out[j] += d.sign() * 0.25
    return ((out - 0.5) * 4).numpy()


# ------------------------------------------------------------------ cases
def cases(tmp_path):
    """(image path, box, landmarks): a plain face, a face cut by the image
    corner (zero padding), and a tight box (the enlargement loop)."""
    out = []
    f = make_face(7, 'test', 0, image_size=256)
    out.append((f.image, f.bbox.astype(np.float64), f.landmarks))
    g = make_face(7, 'test', 1, image_size=256)
    shifted = np.zeros((300, 420, 3), np.uint8)
    shifted[:256 - 40, 420 - 256 + 30:] = g.image[40:, :226]
    off = np.array([420 - 256 + 30, -40])
    out.append((shifted, np.round(g.bbox + np.tile(off, 2)),
                g.landmarks + off))
    h = make_face(7, 'test', 2, image_size=256)
    c = h.landmarks.mean(0)
    tight = np.round(np.concatenate([c - 30, c + 30]))
    out.append((h.image, tight, h.landmarks))
    paths = []
    for i, (img, box, lm) in enumerate(out):
        p = str(tmp_path / f'face{i}.png')
        cv2.imwrite(p, img)
        paths.append((p, box, lm.astype(np.float64)))
    return paths


@pytest.fixture(scope='module')
def model():
    torch.manual_seed(0)
    cfg = Config.fromfile(CFG)
    # the protocol does not depend on the network's width: keep it small
    cfg.model.backbone.update(num_stacks=2, feat_channels=32,
                              stem_channels=(16, 32, 32))
    m = init_model(cfg, None, device='cpu')
    # make the random heatmaps peaky so that argmax ties are rare
    with torch.no_grad():
        for p in m.parameters():
            p.mul_(3.)
    return m, cfg


def test_official_protocol_matches_the_authors_code(model, tmp_path):
    net, cfg = model
    pipeline = Compose(cfg.test_dataloader.dataset.pipeline)
    same = total = 0
    worst = 0.
    for path, box, lm in cases(tmp_path):
        # ours: the config's test pipeline and the model's test step
        info = dict(img_path=path, bbox=box[None].astype(np.float32),
                    bbox_score=np.ones(1, np.float32),
                    keypoints=lm[None].astype(np.float32),
                    keypoints_visible=np.ones((1, 98), np.float32),
                    id=0, img_id=0, category_id=1,
                    flip_indices=list(range(98)))
        packed = pipeline(info)
        with torch.no_grad():
            ours = net.test_step(
                dict(inputs=[packed['inputs']],
                     data_samples=[packed['data_samples']]))[0]
        ours = ours.pred_instances.keypoints[0]

        # theirs: RGB read, their crop, RGB / 255, their decoding
        rgb = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)
        img256, back = ref_crop(rgb, box, lm.astype(np.float32))
        x = torch.from_numpy(img256).permute(2, 0, 1)[None].float() / 255.
        with torch.no_grad():
            hm = net.head.forward(net.backbone(x))[-1][0, :-1]
        theirs = back(ref_decode(hm))

        err = np.linalg.norm(ours - theirs, axis=1)
        scale = packed['data_samples'].metainfo['input_scale'][0] / 64
        same += int((err < 1e-3 * scale).sum())
        total += len(err)
        worst = max(worst, float((err / scale).max()))
    assert same / total >= 0.99, (same, total)
    assert worst <= 1.0 + 1e-4, worst  # within one heatmap pixel


def test_enlargement_loop_and_padding(tmp_path):
    crop = OfficialWFLWCrop()
    (p0, box0, lm0), (p1, box1, lm1), (p2, box2, lm2) = cases(tmp_path)
    for path, box, lm, loops in ((p0, box0, lm0, False),
                                 (p2, box2, lm2, True)):
        out = crop(dict(img=cv2.imread(path), bbox=box[None],
                        keypoints=lm[None]))
        assert out['img'].shape == (256, 256, 3)
        assert (out['official_divisor'] < 250) == loops
        # every landmark lies in [10, 440] of the 450 crop, i.e. in
        # [-25.6, 280.9] of the 256 crop (theirs can leave the 256 crop)
        t = out['transformed_keypoints'][0]
        lo, hi = (np.array([10., 440.]) - 45) * 256 / 360
        assert t.min() >= lo - 1e-3 and t.max() <= hi + 1e-3
    # the face cut by the corner is padded with zeros, not clipped
    out = crop(dict(img=cv2.imread(p1), bbox=box1[None], keypoints=lm1[None]))
    assert (out['img'][:8] == 0).all()
