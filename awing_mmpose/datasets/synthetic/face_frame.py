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
    def lit_hair(self) -> np.ndarray:
        """Hair colour under the face's light (hair is not shaded)."""
        return self.hair * np.float32(self.light.ambient +
                                      0.6 * self.light.diffuse)

    def project(self, pts3d) -> np.ndarray:
        """(N, 3) template points -> (N, 2) image points."""
        return self.pose.project(np.asarray(pts3d, np.float64))[0]
