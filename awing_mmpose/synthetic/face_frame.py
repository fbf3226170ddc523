"""Where one face lies in its picture: pose, 3D model, 2D landmarks and
silhouette, and the colours every part of the drawing shares."""
from dataclasses import dataclass

import numpy as np

from .face_geometry import FaceModel3D, Pose
from .face_params import FaceParams, Light, Makeup


@dataclass
class FaceFrame:
    """The projected face of a :class:`~.face_params.FaceParams`.

    Attributes:
        params: the parameters.
        model: the 3D face.
        landmarks: (98, 2) image landmarks (WFLW layout).
        outline: (M, 2) visible face silhouette in the image.
        light, makeup: the effects of the parameters (evaluated once).
    """
    params: FaceParams
    model: FaceModel3D
    landmarks: np.ndarray
    outline: np.ndarray
    light: Light
    makeup: Makeup

    @property
    def size(self) -> int:
        """Side S of the picture."""
        return self.params.image_size

    @property
    def pose(self) -> Pose:
        return self.params.pose

    @property
    def scale(self) -> float:
        """Pixels per template unit (about half the face width)."""
        return self.params.pose.scale

    @property
    def skin(self) -> np.ndarray:
        """(3,) float32 BGR skin colour."""
        return np.asarray(self.params.skin, np.float32)

    @property
    def hair(self) -> np.ndarray:
        """(3,) float32 BGR hair colour."""
        return np.asarray(self.params.hair, np.float32)

    @property
    def axes(self):
        """Unit vectors ``(across, down)`` of the face in the image: its
        x and y axes turned by the roll."""
        r = np.deg2rad(self.pose.roll)
        return (np.array([np.cos(r), np.sin(r)]),
                np.array([-np.sin(r), np.cos(r)]))

    def lit(self, colour) -> np.ndarray:
        """(3,) float32 ``colour`` under the face's light, for things that
        are not shaded (hair, spectacle rims)."""
        return np.asarray(colour, np.float32) * np.float32(
            self.light.ambient + 0.6 * self.light.diffuse)

    @property
    def lit_hair(self) -> np.ndarray:
        """Hair colour under the face's light (hair is not shaded)."""
        return self.lit(self.hair)

    def project(self, pts3d) -> np.ndarray:
        """(N, 3) template points -> (N, 2) image points."""
        return self.pose.project(np.asarray(pts3d, np.float64))[0]

    def on_surface(self, x: float, y: float) -> np.ndarray:
        """(2,) image point of the template point ``(x, y)`` lifted onto
        the front of the face."""
        depth = self.model.depth_at([[x, y]])[0]
        return self.project([[x, y, depth]])[0]
