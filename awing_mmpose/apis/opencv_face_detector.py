"""OpenCV's Viola-Jones Haar cascade as an MMDetection face detector (the
fallback of :class:`~awing_mmpose.apis.mtcnn_face_detector.
MTCNNFaceDetector`): ``cv2.data.haarcascades`` ships inside the
``opencv-python`` 4.x wheel, so it needs nothing else. It finds upright,
frontal faces; turned or tilted faces are often missed (see the detector
table in ``docs/inference.md``)."""
import os.path as osp
from typing import Optional, Tuple

import cv2
import numpy as np

from .face_detector import DET_MODELS, BaseFaceDetector


def resolve_cascade(cascade: str) -> str:
    """Return the path of a Haar cascade: ``cascade`` itself when it is a
    file, else the file of that name in ``cv2.data.haarcascades``.

    Raises:
        FileNotFoundError: naming both places looked at (opencv-python 5.x
            no longer ships the cascade files; use opencv-python 4.x or give
            a path).
    """
    if osp.isfile(cascade):
        return cascade
    data_dir = getattr(getattr(cv2, 'data', None), 'haarcascades', '')
    path = osp.join(data_dir, cascade)
    if data_dir and osp.isfile(path):
        return path
    raise FileNotFoundError(
        f'Haar cascade "{cascade}" not found (looked at it as a path and in '
        f'cv2.data.haarcascades = "{data_dir}"). opencv-python '
        f'{cv2.__version__} may not ship the cascade files (5.x does not): '
        'install opencv-python 4.x or pass cascade=<path to the .xml>.')


@DET_MODELS.register_module()
class OpenCVFaceDetector(BaseFaceDetector):
    """OpenCV Haar-cascade face detector as an MMDetection model.

    Args:
        cascade (str): cascade file name in ``cv2.data.haarcascades`` or a
            path. Defaults to the frontal-face cascade.
        scale_factor (float): pyramid step of ``detectMultiScale``.
        min_neighbors (int): neighbours a candidate needs to be kept.
        min_size (int): smallest face side in pixels (at the detection
            resolution, see ``max_side``).
        max_side (int, optional): images whose longer side exceeds it are
            downscaled for detection (boxes are mapped back). ``None``: never.
        **kwargs: ``box_scale``, ``box_shift_y``, ``log_empty``,
            ``data_preprocessor`` of :class:`BaseFaceDetector` (the Haar box
            covers brows to mouth; ``box_scale`` > 1 reaches the jaw).

    Scores are m / (m + min_neighbors) for a box supported by m neighbouring
    detections (so >= 0.5 when m >= min_neighbors).
    """

    def __init__(self,
                 cascade: str = 'haarcascade_frontalface_default.xml',
                 scale_factor: float = 1.1,
                 min_neighbors: int = 5,
                 min_size: int = 20,
                 max_side: Optional[int] = 640,
                 **kwargs):
        super().__init__(**kwargs)
        if scale_factor <= 1.0:
            raise ValueError(
                f'OpenCVFaceDetector: scale_factor must be > 1, got '
                f'{scale_factor}')
        self.cascade_path = resolve_cascade(cascade)
        self.classifier = cv2.CascadeClassifier(self.cascade_path)
        if self.classifier.empty():
            raise IOError(f'OpenCVFaceDetector: cannot load the cascade '
                          f'{self.cascade_path}')
        self.scale_factor = float(scale_factor)
        self.min_neighbors = int(min_neighbors)
        self.min_size = int(min_size)
        self.max_side = max_side

    def detect(self, img: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """See :meth:`BaseFaceDetector.detect`."""
        if img.ndim == 3:
            grey = cv2.cvtColor(np.ascontiguousarray(img), cv2.COLOR_BGR2GRAY)
        else:
            grey = np.ascontiguousarray(img)
        if grey.dtype != np.uint8:
            grey = np.clip(grey, 0, 255).astype(np.uint8)
        h, w = grey.shape[:2]
        ratio = 1.0
        if self.max_side and max(h, w) > self.max_side:
            ratio = self.max_side / max(h, w)
            grey = cv2.resize(grey, (max(1, round(w * ratio)),
                                     max(1, round(h * ratio))),
                              interpolation=cv2.INTER_AREA)
        grey = cv2.equalizeHist(grey)
        rects, neighbours = self.classifier.detectMultiScale2(
            grey,
            scaleFactor=self.scale_factor,
            minNeighbors=self.min_neighbors,
            minSize=(self.min_size, self.min_size))
        if len(rects) == 0:
            return self.adjust_boxes([], [], (h, w))
        rects = np.asarray(rects, np.float32).reshape(-1, 4) / ratio
        rects[:, 2:] += rects[:, :2]  # x y w h -> x1 y1 x2 y2
        m = np.asarray(neighbours, np.float32).reshape(-1)
        scores = m / (m + max(self.min_neighbors, 1))
        return self.adjust_boxes(rects, scores, (h, w))
