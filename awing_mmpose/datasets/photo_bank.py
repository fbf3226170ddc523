"""Photographs without faces, for backgrounds and occluders: the synthetic
generator's photographic backgrounds (``awing_mmpose.synthetic``) and the
training transform :class:`~awing_mmpose.datasets.transforms.
RandomPhotoOcclusion` both draw from it.

The photos are the permissively licensed sample images that the
``scikit-image`` wheel installs (``skimage/data``), read from the installed
package folder; nothing is downloaded. Pictures that show a person or a face
(``astronaut``, ``camera``, the LFW subset) are never used: a landmark model
must not see an unlabelled real face as "background". Licences, as
scikit-image states them: coffee, chelsea, brick, grass, gravel, clock_motion,
ihc, retina: CC0; rocket, hubble_deep_field, moon: public domain; coins: no
known copyright restrictions.

A :class:`PhotoBank` gives random views of those photos: a random crop at a
random scale, flipped, rotated by a multiple of 90 degrees, colour-shifted,
tinted when the source is grey (``brick``, ``grass`` ... are grey
textures), and sometimes out of focus.
"""
import functools
import os.path as osp
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np

#: scikit-image sample photos without people (see the module docstring)
DEFAULT_PHOTOS = ('coffee.png', 'chelsea.png', 'rocket.jpg',
                  'hubble_deep_field.jpg', 'brick.png', 'grass.png',
                  'gravel.png', 'coins.png', 'clock_motion.png', 'ihc.png',
                  'retina.jpg', 'moon.png')
#: pictures that show people; refused even when named explicitly
PHOTOS_WITH_FACES = ('astronaut.png', 'camera.png', 'lfw_subset.npy')


def skimage_data_dir() -> str:
    """The ``data`` folder of the installed scikit-image package."""
    from awing_mmpose.utils.package_data import installed_package_dir
    folder = installed_package_dir('skimage', 'data')
    if folder is None:
        raise ImportError(
            'PhotoBank: photographic backgrounds need the scikit-image '
            'package (its sample photos); tools/setup_env.sh installs it')
    return folder


@functools.lru_cache(maxsize=4)
def _load_photos(folder: str, names: Tuple[str, ...]) -> Tuple[np.ndarray,
                                                                ...]:
    photos = []
    for name in names:
        if name in PHOTOS_WITH_FACES:
            raise ValueError(f'PhotoBank: {name} shows a person; it cannot be '
                             'a background of a labelled face')
        path = osp.join(folder, name)
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            raise FileNotFoundError(f'PhotoBank: cannot read {path}')
        img.setflags(write=False)
        photos.append(img)
    return tuple(photos)


class PhotoBank:
    """Random views of a fixed set of photographs.

    Args:
        names (sequence of str): file names inside ``folder``.
            Defaults to :data:`DEFAULT_PHOTOS`.
        folder (str, optional): where they are; default: scikit-image's
            installed ``data`` folder.

    The photos are read once per process (BGR ``uint8``).
    """

    def __init__(self, names: Sequence[str] = DEFAULT_PHOTOS,
                 folder: Optional[str] = None) -> None:
        self.folder = folder or skimage_data_dir()
        self.names = tuple(names)
        if not self.names:
            raise ValueError('PhotoBank: no photo names given')

    @property
    def photos(self) -> Tuple[np.ndarray, ...]:
        return _load_photos(self.folder, self.names)

    def view(self, rng: np.random.Generator, shape: Tuple[int, int],
             min_zoom: float = 0.25) -> np.ndarray:
        """A random (h, w, 3) float32 BGR view of one photo.

        The crop covers between ``min_zoom`` and all of the photo's shorter
        side and is resized to ``shape``; then flips, 90-degree turns, a
        per-channel gain and offset (a tint for grey sources) and, with
        probability 0.3, a defocus blur.
        """
        h, w = shape
        photo = self.photos[int(rng.integers(len(self.photos)))]
        ph, pw = photo.shape[:2]
        side = min(ph, pw) * float(rng.uniform(min_zoom, 1.0))
        aspect = w / h
        ch, cw = side, min(side * aspect, pw)
        ch = min(ch, cw / aspect)
        y0 = float(rng.uniform(0, ph - ch))
        x0 = float(rng.uniform(0, pw - cw))
        crop = photo[int(y0):int(y0 + ch), int(x0):int(x0 + cw)]
        turns = int(rng.integers(4))
        if turns % 2:  # keep the requested aspect after the turn
            crop = cv2.resize(crop, (max(1, int(ch)), max(1, int(cw))))
        crop = np.rot90(crop, turns)
        if rng.random() < 0.5:
            crop = crop[:, ::-1]
        view = cv2.resize(np.ascontiguousarray(crop), (w, h),
                          interpolation=cv2.INTER_AREA
                          if crop.shape[0] > h else cv2.INTER_LINEAR)
        view = view.astype(np.float32)
        gray = float(np.abs(view - view.mean(2, keepdims=True)).mean()) < 2
        gain = rng.uniform(0.6, 1.3, 3) if gray else rng.uniform(0.8, 1.2, 3)
        view = view * gain.astype(np.float32) + np.float32(
            rng.uniform(-30, 30))
        if rng.random() < 0.3:
            view = cv2.GaussianBlur(view, (0, 0),
                                    float(rng.uniform(1, 4)) * h / 256)
        return np.clip(view, 0, 255)


def list_photos(folder: Optional[str] = None) -> List[str]:
    """The default photos present in ``folder`` (scikit-image's)."""
    folder = folder or skimage_data_dir()
    return [n for n in DEFAULT_PHOTOS if osp.exists(osp.join(folder, n))]
