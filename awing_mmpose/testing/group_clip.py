"""A video of three faces made from scratch: public-domain portraits of
:mod:`.sample_photos` side by side as a group photo, slowly turning and
zooming, with fresh pixel noise in every frame.

The default faces are the astronaut, Grace Hopper and the astronaut again,
mirrored: the faces the shipped model finds. ``faces=HARD_FACES`` puts the
cameraman, in near profile, in the third place: there the shipped model's
landmarks move by several percent of the face between consecutive frames
even with the detector run on every frame.

Frame ``i`` of ``n`` is the group photo (a canvas ``margin`` times the frame
size, so no border shows) mapped by a similarity transform about the
frame centre::

    angle(i) = max_angle * sin(2 pi i / n)            (degrees)
    zoom(i)  = 1 + max_zoom * sin(4 pi i / n)
    shift(i) = max_shift * (sin(2 pi i / n), cos(2 pi i / n) - 1)   (px)

plus Gaussian noise of ``noise`` grey levels (seeded by ``seed`` and ``i``).
Because the transform is known, every frame comes with the faces' true
boxes (:meth:`GroupClip.face_boxes`), so a tracker can be checked for
dropped faces without labels.
"""
import os
import os.path as osp
from typing import Iterator, Optional, Sequence, Tuple

import cv2
import numpy as np

from .sample_photos import portrait

#: the faces of the default clip (``name:mirrored`` flips a portrait)
DEFAULT_FACES = ('astronaut', 'grace_hopper', 'astronaut:mirrored')
#: the same with the near-profile cameraman as the third face
HARD_FACES = ('astronaut', 'grace_hopper', 'camera')


class GroupClip:
    """The clip.

    Args:
        size (tuple[int, int]): frame (width, height).
        num_frames (int): frames in the clip (one cycle of the motion).
        fps (float): frame rate written into the video file.
        noise (float): standard deviation of the pixel noise, grey levels.
        max_angle (float): largest rotation, degrees.
        max_zoom (float): largest relative zoom.
        max_shift (float): largest drift, px.
        margin (float): canvas side over frame side.
        seed (int): seed of the noise.
        faces (sequence of str): portraits from left to right, names of
            :data:`~.sample_photos.PORTRAITS`, ``:mirrored`` to flip one.
    """

    def __init__(self,
                 size: Tuple[int, int] = (640, 426),
                 num_frames: int = 400,
                 fps: float = 25.0,
                 noise: float = 5.0,
                 max_angle: float = 10.0,
                 max_zoom: float = 0.12,
                 max_shift: float = 16.0,
                 margin: float = 1.25,
                 seed: int = 0,
                 faces: Sequence[str] = DEFAULT_FACES) -> None:
        if num_frames < 1 or min(size) < 64:
            raise ValueError(f'GroupClip: need num_frames >= 1 and a frame '
                             f'of at least 64 px, got {num_frames}, {size}')
        self.size = (int(size[0]), int(size[1]))
        self.num_frames = int(num_frames)
        self.fps = float(fps)
        self.noise = float(noise)
        self.max_angle = float(max_angle)
        self.max_zoom = float(max_zoom)
        self.max_shift = float(max_shift)
        self.seed = int(seed)
        self.faces = tuple(faces)
        self.canvas, self.canvas_boxes = _group_photo(
            self.faces,
            (round(self.size[0] * margin), round(self.size[1] * margin)),
            self.size)

    def __len__(self) -> int:
        return self.num_frames

    def transform(self, i: int) -> np.ndarray:
        """(2, 3) affine map from canvas to frame ``i`` pixels."""
        phase = 2 * np.pi * i / self.num_frames
        angle = self.max_angle * np.sin(phase)
        zoom = 1 + self.max_zoom * np.sin(2 * phase)
        shift = self.max_shift * np.array(
            [np.sin(phase), np.cos(phase) - 1])
        ch, cw = self.canvas.shape[:2]
        mat = cv2.getRotationMatrix2D((cw / 2, ch / 2), angle, zoom)
        mat[:, 2] += np.array(self.size) / 2 - (cw / 2, ch / 2) + shift
        return mat

    def frame(self, i: int) -> np.ndarray:
        """Frame ``i``: (H, W, 3) uint8 BGR."""
        img = cv2.warpAffine(self.canvas, self.transform(i), self.size,
                             flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REFLECT)
        if self.noise > 0:
            rng = np.random.default_rng((self.seed, i))
            img = img + rng.normal(0, self.noise, img.shape)
            img = np.clip(np.round(img), 0, 255).astype(np.uint8)
        return img

    def face_boxes(self, i: int) -> np.ndarray:
        """The faces' true boxes in frame ``i``: (F, 4) x1 y1 x2 y2, the
        axis-aligned boxes of the turned portrait boxes."""
        mat = self.transform(i)
        out = []
        for x1, y1, x2, y2 in self.canvas_boxes:
            corners = np.array([[x1, y1, 1], [x2, y1, 1], [x2, y2, 1],
                                [x1, y2, 1]])
            pts = corners @ mat.T
            out.append([*pts.min(0), *pts.max(0)])
        return np.asarray(out, np.float64)

    def frames(self, num_frames: Optional[int] = None
               ) -> Iterator[np.ndarray]:
        """The frames in order (``num_frames`` of them, cycling the motion
        when more than :attr:`num_frames` are asked for)."""
        for i in range(self.num_frames if num_frames is None else
                       num_frames):
            yield self.frame(i % self.num_frames)

    def write(self, path: str, num_frames: Optional[int] = None) -> str:
        """Write the clip as an mp4v video; returns ``path``."""
        os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
        writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'),
                                 self.fps, self.size)
        if not writer.isOpened():
            raise IOError(f'GroupClip: cannot write the video {path}')
        try:
            for img in self.frames(num_frames):
                writer.write(img)
        finally:
            writer.release()
        return path


def _group_photo(faces: Sequence[str], size: Tuple[int, int],
                 frame: Tuple[int, int]) -> Tuple[np.ndarray, np.ndarray]:
    """The portraits side by side on a (W, H) = ``size`` canvas, each cut
    to head and shoulders (a panel 2.4 x 3.6 face sides around its face),
    together 90 % as wide as a ``frame`` (W, H) and centred. Returns the
    canvas (H, W, 3) BGR uint8 and the face boxes on it (F, 4)."""
    width, height = size
    panel_w = round(0.9 * frame[0]) // len(faces)
    left = (width - panel_w * len(faces)) // 2
    bottom = (height + frame[1]) // 2
    canvas = np.empty((height, width, 3), np.uint8)
    # a plain wall, lighter at the top
    canvas[:] = np.linspace(200, 140, height)[:, None, None].astype(np.uint8)
    boxes = []
    for k, face in enumerate(faces):
        name, _, variant = face.partition(':')
        if variant not in ('', 'mirrored'):
            raise ValueError(f'GroupClip: unknown variant "{variant}" of '
                             f'face "{face}" (only ":mirrored")')
        photo = portrait(name)
        img = cv2.imread(photo.path, cv2.IMREAD_COLOR)
        if img is None:
            raise IOError(f'GroupClip: cannot read {photo.path}')
        x1, y1, x2, y2 = photo.face_box
        if variant:
            img = img[:, ::-1]
            x1, x2 = img.shape[1] - x2, img.shape[1] - x1
        side = max(x2 - x1, y2 - y1)
        scale = panel_w / (2.4 * side)
        panel_h = min(bottom, round(3.6 * side * scale))
        # panel -> portrait: the face centred across, 0.9 sides from the top
        src_x = (x1 + x2) / 2 - 1.2 * side
        src_y = y1 - 0.9 * side
        mat = np.array([[scale, 0, -src_x * scale],
                        [0, scale, -src_y * scale]])
        top, x0 = bottom - panel_h, left + k * panel_w
        canvas[top:bottom, x0:x0 + panel_w] = cv2.warpAffine(
            img, mat, (panel_w, panel_h), flags=cv2.INTER_AREA,
            borderMode=cv2.BORDER_REPLICATE)
        boxes.append([x0 + (x1 - src_x) * scale, top + (y1 - src_y) * scale,
                      x0 + (x2 - src_x) * scale, top + (y2 - src_y) * scale])
    return canvas, np.asarray(boxes, np.float64)
