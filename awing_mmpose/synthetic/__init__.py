"""Deterministic synthetic faces in the WFLW (98 points) / 300W (68) layouts.

The embedded default data of the project: ``generate_synthetic_wflw`` writes
the raw WFLW / 300W layouts, which the dataset converters turn into MMPose's
COCO-style json.

Modules: :mod:`.face_geometry` (the 3D landmark model and its projection),
:mod:`.face_params` (what one face is drawn from, and its sampling),
:mod:`.renderer` (the layers of one picture) drawing with :mod:`.raster`,
:mod:`.background`, :mod:`.head`, :mod:`.facial_features`,
:mod:`.lighting`, :mod:`.occluders` and :mod:`.camera`; the optional looks
:mod:`.head_look` (open heads), :mod:`.eyeglasses`, :mod:`.relief` and
:mod:`.facial_hair`;
:mod:`.landmark_indices` names the WFLW points they use;
:mod:`.generator` writes data sets.
"""
from .face_geometry import (Expression, FaceModel3D, FaceShape, Pose,
                            flip_permutation, project_landmarks,
                            projected_outline)
from .generator import (face_rng, format_pts, format_wflw_line,
                        generate_synthetic_wflw, make_face)
from .renderer import (ATTRIBUTE_PROBS, FaceParams, RenderedFace,
                       render_face, sample_face_params, with_attributes)

__all__ = [
    'ATTRIBUTE_PROBS', 'Expression', 'FaceModel3D', 'FaceParams',
    'FaceShape', 'Pose', 'RenderedFace', 'face_rng', 'flip_permutation',
    'format_pts', 'format_wflw_line', 'generate_synthetic_wflw', 'make_face',
    'project_landmarks', 'projected_outline', 'render_face',
    'sample_face_params', 'with_attributes'
]
