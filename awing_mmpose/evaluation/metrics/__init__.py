from .face_alignment_metric import FaceAlignmentMetric  # noqa: F401
