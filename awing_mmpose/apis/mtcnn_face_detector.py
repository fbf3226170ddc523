"""MTCNN, a three-stage CNN face detector, as an MMDetection model: the
default face detector of this package's inference entry points.

The cascade (Zhang et al., IEEE SPL 2016):

1. P-Net slides over an image pyramid (scales ``12 / min_size * f^k``,
   ``f = factor``) and proposes a box wherever the face probability exceeds
   ``thresholds[0]``; proposals are regressed, merged by NMS and squared;
2. R-Net rescores each proposal on a 24x24 crop (``thresholds[1]``),
   regresses, NMS, squares;
3. O-Net rescores on a 48x48 crop (``thresholds[2]``), regresses the final
   box and predicts five landmarks (kept in :attr:`last_landmarks`).

The weights come from the ``facenet-pytorch`` wheel (see
:mod:`.mtcnn_nets`); nothing is downloaded.
"""
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np
import torch
from torchvision.ops import nms

from .face_detector import DET_MODELS, BaseFaceDetector
from .mtcnn_nets import load_mtcnn_nets

#: P-Net's receptive field (px) and stride on its input
PNET_CELL, PNET_STRIDE = 12, 2


@DET_MODELS.register_module()
class MTCNNFaceDetector(BaseFaceDetector):
    """MTCNN face detector (CPU or GPU) as an MMDetection model.

    Args:
        min_size (int): smallest face side searched, in pixels of the
            detection resolution (see ``max_side``).
        thresholds (sequence of 3 floats): face-probability thresholds of
            P-Net, R-Net, O-Net.
        factor (float): pyramid step, in (0, 1).
        nms_thresholds (sequence of 3 floats): overlap thresholds of the NMS
            after each stage (IoU; the last one: intersection over the
            smaller box).
        max_side (int, optional): images whose longer side exceeds it are
            downscaled for detection (boxes are mapped back). ``None``: never.
        weights_dir (str, optional): folder of ``pnet.pt``, ``rnet.pt``,
            ``onet.pt``; default: the installed ``facenet_pytorch`` package.
        **kwargs: ``box_scale``, ``box_shift_y``, ``log_empty``,
            ``data_preprocessor`` of :class:`BaseFaceDetector`.

    Scores are O-Net's face probability. The MTCNN box spans brows to chin
    (tighter at the top than a 68-point box).
    """

    def __init__(self,
                 min_size: int = 20,
                 thresholds: Sequence[float] = (0.6, 0.7, 0.7),
                 factor: float = 0.709,
                 nms_thresholds: Sequence[float] = (0.7, 0.7, 0.7),
                 max_side: Optional[int] = 1280,
                 weights_dir: Optional[str] = None,
                 **kwargs):
        super().__init__(**kwargs)
        if not 0 < factor < 1:
            raise ValueError(
                f'MTCNNFaceDetector: factor must be in (0, 1), got {factor}')
        if min_size < PNET_CELL:
            raise ValueError(f'MTCNNFaceDetector: min_size must be >= '
                             f'{PNET_CELL}, got {min_size}')
        if len(thresholds) != 3 or len(nms_thresholds) != 3:
            raise ValueError(
                'MTCNNFaceDetector: thresholds and nms_thresholds need 3 '
                f'values each, got {list(thresholds)} and '
                f'{list(nms_thresholds)}')
        nets = load_mtcnn_nets(weights_dir)
        self.pnet, self.rnet, self.onet = (nets['pnet'], nets['rnet'],
                                           nets['onet'])
        self.min_size = int(min_size)
        self.thresholds = tuple(float(t) for t in thresholds)
        self.factor = float(factor)
        self.nms_thresholds = tuple(float(t) for t in nms_thresholds)
        self.max_side = max_side
        #: (n, 5, 2) landmarks (eyes, nose, mouth corners) of the last
        #: :meth:`detect` call, in the order of its boxes before
        #: ``box_scale``; image pixels.
        self.last_landmarks = np.zeros((0, 5, 2), np.float32)

    @property
    def device(self) -> torch.device:
        return next(self.pnet.parameters()).device

    # -- stages -------------------------------------------------------------
    def _scales(self, h: int, w: int) -> list:
        scale = PNET_CELL / self.min_size
        side = min(h, w) * scale
        scales = []
        while side >= PNET_CELL:
            scales.append(scale)
            scale *= self.factor
            side *= self.factor
        return scales

    def _to_input(self, rgb: np.ndarray) -> torch.Tensor:
        """(H, W, 3) or (n, H, W, 3) uint8 RGB -> normalised (n, 3, H, W)."""
        t = torch.from_numpy(np.ascontiguousarray(rgb)).to(self.device)
        t = t.float()
        if t.dim() == 3:
            t = t[None]
        return (t.permute(0, 3, 1, 2) - 127.5) / 128.0

    def _propose(self, rgb: np.ndarray) -> torch.Tensor:
        """Stage 1. Returns (n, 5) boxes x1 y1 x2 y2 score, squared."""
        h, w = rgb.shape[:2]
        found = []
        for scale in self._scales(h, w):
            sh, sw = int(np.ceil(h * scale)), int(np.ceil(w * scale))
            img = cv2.resize(rgb, (sw, sh), interpolation=cv2.INTER_AREA)
            reg, prob = self.pnet(self._to_input(img))
            prob, reg = prob[0, 1], reg[0]
            ys, xs = torch.nonzero(prob >= self.thresholds[0], as_tuple=True)
            if len(ys) == 0:
                continue
            score = prob[ys, xs]
            x1 = (PNET_STRIDE * xs.float()) / scale
            y1 = (PNET_STRIDE * ys.float()) / scale
            side = PNET_CELL / scale
            boxes = torch.stack([x1, y1, x1 + side, y1 + side], dim=1)
            offs = reg[:, ys, xs].T
            keep = nms(boxes, score, 0.5)
            found.append((boxes[keep], score[keep], offs[keep]))
        if not found:
            return torch.zeros((0, 5), device=self.device)
        boxes, score, offs = (torch.cat(v) for v in zip(*found))
        keep = nms(boxes, score, self.nms_thresholds[0])
        boxes = _regress(boxes[keep], offs[keep])
        return _square(torch.cat([boxes, score[keep, None]], dim=1))

    def _crops(self, rgb: np.ndarray, boxes: torch.Tensor,
               size: int) -> torch.Tensor:
        """Crops of ``boxes`` (zero outside the image), resized to
        ``size`` x ``size``: (n, 3, size, size) normalised."""
        h, w = rgb.shape[:2]
        out = np.zeros((len(boxes), size, size, 3), np.uint8)
        for i, (x1, y1, x2, y2) in enumerate(
                boxes[:, :4].round().long().tolist()):
            bw, bh = max(x2 - x1, 1), max(y2 - y1, 1)
            patch = np.zeros((bh, bw, 3), np.uint8)
            sx1, sy1 = max(x1, 0), max(y1, 0)
            sx2, sy2 = min(x1 + bw, w), min(y1 + bh, h)
            if sx2 > sx1 and sy2 > sy1:
                patch[sy1 - y1:sy2 - y1, sx1 - x1:sx2 - x1] = \
                    rgb[sy1:sy2, sx1:sx2]
            out[i] = cv2.resize(patch, (size, size),
                                interpolation=cv2.INTER_AREA)
        return self._to_input(out)

    def _refine(self, rgb: np.ndarray, boxes: torch.Tensor) -> torch.Tensor:
        """Stage 2 (R-Net). (n, 5) -> (m, 5), squared."""
        if len(boxes) == 0:
            return boxes
        reg, prob = self.rnet(self._crops(rgb, boxes, 24))
        score = prob[:, 1]
        ok = score > self.thresholds[1]
        boxes, score, reg = boxes[ok, :4], score[ok], reg[ok]
        keep = nms(boxes, score, self.nms_thresholds[1])
        boxes = _regress(boxes[keep], reg[keep])
        return _square(torch.cat([boxes, score[keep, None]], dim=1))

    def _output(self, rgb: np.ndarray, boxes: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Stage 3 (O-Net). (n, 5) -> boxes (m, 5), landmarks (m, 5, 2)."""
        if len(boxes) == 0:
            return boxes, torch.zeros((0, 5, 2), device=boxes.device)
        reg, pts, prob = self.onet(self._crops(rgb, boxes, 48))
        score = prob[:, 1]
        ok = score > self.thresholds[2]
        boxes, score, reg, pts = boxes[ok, :4], score[ok], reg[ok], pts[ok]
        bw = (boxes[:, 2] - boxes[:, 0])[:, None]
        bh = (boxes[:, 3] - boxes[:, 1])[:, None]
        lms = torch.stack([boxes[:, :1] + pts[:, :5] * bw,
                           boxes[:, 1:2] + pts[:, 5:] * bh], dim=2)
        boxes = _regress(boxes, reg)
        keep = _nms_min(boxes, score, self.nms_thresholds[2])
        return torch.cat([boxes[keep], score[keep, None]], dim=1), lms[keep]

    @torch.no_grad()
    def detect(self, img: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """See :meth:`BaseFaceDetector.detect`; also sets
        :attr:`last_landmarks`."""
        if img.ndim == 2:
            img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
        if img.dtype != np.uint8:
            img = np.clip(img, 0, 255).astype(np.uint8)
        h, w = img.shape[:2]
        ratio = 1.0
        if self.max_side and max(h, w) > self.max_side:
            ratio = self.max_side / max(h, w)
            img = cv2.resize(img, (max(1, round(w * ratio)),
                                   max(1, round(h * ratio))),
                             interpolation=cv2.INTER_AREA)
        rgb = cv2.cvtColor(np.ascontiguousarray(img), cv2.COLOR_BGR2RGB)
        boxes = self._refine(rgb, self._propose(rgb))
        boxes, lms = self._output(rgb, boxes)
        boxes = boxes.cpu().numpy() / np.array([ratio] * 4 + [1.0])
        lms = lms.cpu().numpy() / ratio
        order = np.argsort(-boxes[:, 4], kind='stable')
        self.last_landmarks = lms[order].astype(np.float32)
        return self.adjust_boxes(boxes[:, :4], boxes[:, 4], (h, w))


def _regress(boxes: torch.Tensor, offs: torch.Tensor) -> torch.Tensor:
    """Apply MTCNN's box offsets (fractions of the box side): (n, 4)."""
    wh = (boxes[:, 2:4] - boxes[:, 0:2]).repeat(1, 2)
    return boxes[:, :4] + offs[:, :4] * wh


def _nms_min(boxes: torch.Tensor, scores: torch.Tensor,
             thr: float) -> torch.Tensor:
    """NMS on intersection over the *smaller* box (MTCNN's last stage): a
    box mostly inside a better one (a nose inside a face) is dropped.
    Returns the kept indices (by decreasing score)."""
    order = torch.argsort(scores, descending=True)
    area = (boxes[:, 2] - boxes[:, 0]).clamp(min=0) * \
        (boxes[:, 3] - boxes[:, 1]).clamp(min=0)
    keep = []
    for i in order.tolist():
        if keep:
            k = torch.tensor(keep, device=boxes.device)
            lt = torch.maximum(boxes[k, :2], boxes[i, :2])
            rb = torch.minimum(boxes[k, 2:], boxes[i, 2:])
            inter = (rb - lt).clamp(min=0).prod(dim=1)
            if (inter / torch.minimum(area[k], area[i]).clamp(min=1e-6)
                    > thr).any():
                continue
        keep.append(i)
    return torch.tensor(keep, dtype=torch.long, device=boxes.device)


def _square(boxes: torch.Tensor) -> torch.Tensor:
    """Make (n, 5) boxes square around their centres (longer side)."""
    out = boxes.clone()
    side = torch.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1])
    cx = (boxes[:, 0] + boxes[:, 2]) / 2
    cy = (boxes[:, 1] + boxes[:, 3]) / 2
    out[:, 0], out[:, 2] = cx - side / 2, cx + side / 2
    out[:, 1], out[:, 3] = cy - side / 2, cy + side / 2
    return out
