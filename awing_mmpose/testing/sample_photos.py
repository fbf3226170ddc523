"""Three public-domain portraits that install with this project's
dependencies, with a hand-checked face box each.

* ``astronaut``: scikit-image's ``astronaut.png`` (Eileen Collins, NASA,
  public domain);
* ``grace_hopper``: matplotlib's ``grace_hopper.jpg`` (US Navy, public
  domain);
* ``camera``: scikit-image's ``camera.png`` (the cameraman; "no known
  copyright restrictions" per scikit-image), grey, in near profile.

None of them has landmark labels and none is used for training.
"""
from typing import List, NamedTuple, Tuple

from awing_mmpose.utils.package_data import installed_package_dir


class Portrait(NamedTuple):
    """Where a portrait lies in an installed package and its face box
    ``(x1, y1, x2, y2)`` in image pixels (brows to chin)."""
    name: str
    package: str
    parts: Tuple[str, ...]
    face_box: Tuple[float, float, float, float]

    @property
    def path(self) -> str:
        path = installed_package_dir(self.package, *self.parts)
        if path is None:
            raise FileNotFoundError(
                f'portrait "{self.name}": the package {self.package} is not '
                'installed (tools/setup_env.sh installs it)')
        return path


PORTRAITS = (
    Portrait('astronaut', 'skimage', ('data', 'astronaut.png'),
             (178., 62., 270., 172.)),
    Portrait('grace_hopper', 'matplotlib',
             ('mpl-data', 'sample_data', 'grace_hopper.jpg'),
             (180., 160., 350., 322.)),
    Portrait('camera', 'skimage', ('data', 'camera.png'),
             (200., 125., 255., 196.)),
)


def portrait(name: str) -> Portrait:
    """The portrait of :data:`PORTRAITS` called ``name``."""
    for p in PORTRAITS:
        if p.name == name:
            return p
    raise KeyError(f'no portrait "{name}"; there are '
                   f'{", ".join(p.name for p in PORTRAITS)}')


def portrait_paths() -> List[str]:
    """Paths of :data:`PORTRAITS`, in their order."""
    return [p.path for p in PORTRAITS]
