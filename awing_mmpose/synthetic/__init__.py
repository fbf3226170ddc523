"""The synthetic face generator: deterministic faces in the WFLW (98 points)
and 300W (68) layouts, the embedded default data of the project (demo,
tests, the pretrained model's training data).

``generate_synthetic_wflw`` writes the raw WFLW / 300W formats (annotation
lists, ``.pts`` files, JPEG pictures), which the dataset converters
(:mod:`awing_mmpose.datasets.converters`) turn into MMPose's COCO-style
json; from there on training and evaluation treat the faces like any other
data set. The same seed gives byte-identical files
(``tests/test_synthetic/test_synthetic_reference.py``).

Boundary: this subpackage may import :mod:`awing_mmpose.datasets` (the
landmark layouts of :mod:`awing_mmpose.datasets.landmark_layouts`, the
converters' raw-format names, the photo bank) and nothing else of the
package; nothing under ``awing_mmpose.datasets``, ``.evaluation``,
``.codecs``, ``.models`` or ``.apis`` imports it
(``tests/test_synthetic/test_boundary.py``). Evaluation never needs the
generator: what both use (numbers of points, the 98 -> 68 map, flip pairs,
attribute names, the named eye points) lives with the dataset metainfo.

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
