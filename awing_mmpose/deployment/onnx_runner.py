"""Landmarks of one face from an exported network with numpy, OpenCV and
ONNX Runtime only (no torch, MMPose, MMCV or MMEngine): MMPose's top-down
test pipeline written out (``tools/deployment/onnx_runner.py`` is its
command line, docs/deployment.md the description).

1. box -> centre c and size s = (x2 - x1, y2 - y1) * padding (the
   ``GetBBoxCenterScale`` padding stored in the model, 1.1 for this
   project's configs); s is widened to the input aspect ratio;
2. affine warp (MMPose's ``get_warp_matrix``, no rotation) of the box to the
   input size (W, H);
3. normalise: unless the file has ``normalization=baked`` (then it takes BGR
   0-255 floats), BGR -> RGB if ``bgr_to_rgb`` and (x - mean) / std;
4. run; output (1, C, h, w), C = K + 1 with ``boundary_channel=last``
   (the boundary map is ignored for the landmarks);
5. decode each landmark channel: integer argmax (x, y); move it by 0.25 toward
   the higher neighbour in x and in y (only where both neighbours exist);
   score = the maximum;
6. heatmap -> input pixels: ``(i + 0.5) * stride - 0.5`` (this project's
   codec, ``pixel_convention=center``) or ``i * stride`` (MMPose's MSRA
   codecs, ``corner``), stride = W / w;
7. input -> image: x_img = x_in / W * s_w + c_x - s_w / 2 (same for y).
"""
from typing import Dict, Optional, Sequence, Tuple

import cv2
import numpy as np

from .onnx_session import OnnxHeatmapSession


def bbox_to_center_scale(bbox: Sequence[float], padding: float,
                         aspect_ratio: float) -> Tuple[np.ndarray, np.ndarray]:
    """(x1, y1, x2, y2) -> centre (2,) and size (2,) as MMPose's
    ``GetBBoxCenterScale`` + ``TopdownAffine._fix_aspect_ratio``."""
    x1, y1, x2, y2 = [float(v) for v in bbox[:4]]
    if x2 <= x1 or y2 <= y1:
        raise ValueError(f'onnx_runner: empty box {list(bbox)} (need '
                         'x1 < x2, y1 < y2)')
    center = np.array([(x1 + x2) * 0.5, (y1 + y2) * 0.5], np.float32)
    scale = np.array([x2 - x1, y2 - y1], np.float32) * padding
    w, h = scale
    if w > h * aspect_ratio:
        scale = np.array([w, w / aspect_ratio], np.float32)
    else:
        scale = np.array([h * aspect_ratio, h], np.float32)
    return center, scale


def get_warp_matrix(center: np.ndarray, scale: np.ndarray,
                    output_size: Sequence[int]) -> np.ndarray:
    """MMPose's ``get_warp_matrix`` (rot = 0, no shift, not inverse): the
    2x3 affine taking the box (centre, size) to an image of output_size."""
    src_w = float(scale[0])
    dst_w, dst_h = float(output_size[0]), float(output_size[1])
    src = np.zeros((3, 2), np.float32)
    dst = np.zeros((3, 2), np.float32)
    src[0] = center
    src[1] = center + np.array([src_w * -0.5, 0.], np.float32)
    dst[0] = [dst_w * 0.5, dst_h * 0.5]
    dst[1] = dst[0] + np.array([dst_w * -0.5, 0.], np.float32)
    src[2] = _third_point(src[0], src[1])
    dst[2] = _third_point(dst[0], dst[1])
    return cv2.getAffineTransform(np.float32(src), np.float32(dst))


def _third_point(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    d = a - b
    return b + np.array([-d[1], d[0]], np.float32)


def preprocess(img_bgr: np.ndarray, bbox: Sequence[float], meta: Dict
               ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Crop and normalise one face.

    Args:
        img_bgr (np.ndarray): (H_img, W_img, 3) uint8 picture, BGR.
        bbox: (x1, y1, x2, y2) face box in image pixels.
        meta (dict): the model's metadata (:attr:`OnnxHeatmapSession.meta`).

    Returns:
        tuple: input tensor (1, 3, H, W) float32, centre (2,), size (2,).
    """
    w, h = [int(v) for v in meta['input_size']]
    center, scale = bbox_to_center_scale(bbox, float(meta['bbox_padding']),
                                         w / h)
    mat = get_warp_matrix(center, scale, (w, h))
    crop = cv2.warpAffine(img_bgr, mat, (w, h), flags=cv2.INTER_LINEAR)
    x = crop.astype(np.float32)
    if meta['normalization'] != 'baked':
        if meta.get('bgr_to_rgb', False):
            x = x[..., ::-1]
        x = (x - np.asarray(meta['mean'], np.float32)) / np.asarray(
            meta['std'], np.float32)
    x = np.ascontiguousarray(x.transpose(2, 0, 1)[None], dtype=np.float32)
    return x, center, scale


def decode_heatmaps(heatmaps: np.ndarray, input_size: Sequence[int],
                    num_keypoints: Optional[int] = None,
                    pixel_convention: str = 'center',
                    refine: str = 'quarter'
                    ) -> Tuple[np.ndarray, np.ndarray]:
    """Landmarks from heatmaps, in network-input pixels.

    Args:
        heatmaps (np.ndarray): (C, h, w); C = K + 1 when the last channel is
            the boundary map (ignored), else K.
        input_size: (W, H) of the network input.
        num_keypoints (int, optional): K; default C - 1 (boundary last).
        pixel_convention (str): ``'center'``: heatmap pixel i covers input
            pixel (i + 0.5) * stride - 0.5; ``'corner'``: i * stride.
        refine (str): ``'quarter'`` or ``'none'``.

    Returns:
        tuple: keypoints (K, 2) (x, y) and scores (K,) (heatmap maxima).
    """
    c, h, w = heatmaps.shape
    k = c - 1 if num_keypoints is None else int(num_keypoints)
    hm = np.ascontiguousarray(heatmaps[:k], dtype=np.float32)
    flat = hm.reshape(k, -1)
    idx = flat.argmax(axis=1)
    scores = flat[np.arange(k), idx]
    x = (idx % w).astype(np.int64)
    y = (idx // w).astype(np.int64)
    kpts = np.stack([x, y], -1).astype(np.float32)
    if refine == 'quarter':
        ks = np.arange(k)
        xl, xr = np.clip(x - 1, 0, w - 1), np.clip(x + 1, 0, w - 1)
        yu, yd = np.clip(y - 1, 0, h - 1), np.clip(y + 1, 0, h - 1)
        dx = np.where((x > 0) & (x < w - 1), hm[ks, y, xr] - hm[ks, y, xl],
                      0.)
        dy = np.where((y > 0) & (y < h - 1), hm[ks, yd, x] - hm[ks, yu, x],
                      0.)
        kpts = kpts + 0.25 * np.stack([np.sign(dx), np.sign(dy)], -1)
    elif refine != 'none':
        raise ValueError(f'onnx_runner: unknown refine {refine!r}')
    stride = np.array([input_size[0] / w, input_size[1] / h], np.float32)
    if pixel_convention == 'center':
        kpts = (kpts + 0.5) * stride - 0.5
    elif pixel_convention == 'corner':
        kpts = kpts * stride
    else:
        raise ValueError(f'onnx_runner: unknown pixel_convention '
                         f'{pixel_convention!r}')
    return kpts.astype(np.float32), scores.astype(np.float32)


def input_to_image(kpts: np.ndarray, center: np.ndarray, scale: np.ndarray,
                   input_size: Sequence[int]) -> np.ndarray:
    """Input-crop pixels -> image pixels (MMPose's
    ``TopdownPoseEstimator.add_pred_to_datasample``)."""
    size = np.asarray(input_size, np.float32)
    return kpts / size * scale + center - 0.5 * scale


def predict_landmarks(session: OnnxHeatmapSession, img_bgr: np.ndarray,
                      bbox: Sequence[float]
                      ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Landmarks of the face in ``bbox`` (steps 1-7 above).

    Args:
        session (OnnxHeatmapSession): the exported network.
        img_bgr (np.ndarray): (H_img, W_img, 3) uint8 picture, BGR.
        bbox: (x1, y1, x2, y2) face box in image pixels.

    Returns:
        tuple: keypoints (K, 2) in image pixels, scores (K,) and the raw
        heatmaps (C, h, w).
    """
    meta = session.meta
    x, center, scale = preprocess(img_bgr, bbox, meta)
    heatmaps = session.run(x)[0]
    k = session.num_keypoints
    if k is None and meta.get('boundary_channel') != 'last':
        k = heatmaps.shape[0]
    kpts, scores = decode_heatmaps(heatmaps, meta['input_size'], k,
                                   meta.get('pixel_convention', 'center'),
                                   meta.get('refine', 'quarter'))
    return input_to_image(kpts, center, scale,
                          meta['input_size']), scores, heatmaps


def draw_landmarks(img_bgr: np.ndarray, kpts: np.ndarray,
                   bbox: Sequence[float],
                   scores: Optional[np.ndarray] = None,
                   kpt_thr: float = -np.inf, radius: int = 2) -> np.ndarray:
    """A copy of the picture with the box (green) and the landmarks whose
    score is above ``kpt_thr`` (red dots)."""
    out = img_bgr.copy()
    x1, y1, x2, y2 = [int(round(v)) for v in bbox[:4]]
    cv2.rectangle(out, (x1, y1), (x2, y2), (0, 255, 0), 1)
    for i, (x, y) in enumerate(kpts):
        if scores is not None and scores[i] <= kpt_thr:
            continue
        cv2.circle(out, (int(round(x)), int(round(y))), radius, (0, 0, 255),
                   -1, cv2.LINE_AA)
    return out
