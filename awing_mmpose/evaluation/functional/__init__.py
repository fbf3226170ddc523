"""Pure-numpy evaluation functions (no MMEngine dependency)."""
from .ablation_stats import VERDICTS, compare_means, mean_std
from .face_metrics import (DEFAULT_NORM_INDICES, NORM_MODES, auc_from_ced,
                           bbox_normaliser, ced_auc, ced_curve,
                           default_norm_indices, failure_rate, format_table,
                           keypoint_normaliser, per_image_nme, summarise_nmes)
from .real_face_metrics import (PARTS_68, jaw_width, score_faces,
                                similarity_align)

__all__ = [
    'NORM_MODES', 'DEFAULT_NORM_INDICES', 'default_norm_indices',
    'keypoint_normaliser', 'bbox_normaliser', 'per_image_nme',
    'failure_rate', 'ced_curve', 'auc_from_ced', 'ced_auc',
    'summarise_nmes', 'format_table', 'PARTS_68', 'jaw_width',
    'similarity_align', 'score_faces', 'VERDICTS', 'mean_std',
    'compare_means'
]
