"""Inference APIs: an offline face detector and the glue with MMPose's
inferencer.

Importing this package registers :class:`OpenCVFaceDetector` (in the
package's model registry, scope ``awing_mmpose``; MMDetection builds it) and
makes it MMPose's default face detector (``default_det_models['face']``; opt
out with ``AWING_FACE_DETECTOR=mmpose``); see :mod:`.face_detector`.
"""
from .face_detector import (DET_MODELS, OPENCV_FACE_DETECTOR_CFG,
                            OpenCVFaceDetector, restore_mmpose_face_detector,
                            use_offline_face_detector)
from .inference import (NO_FACE_SCORE, FaceLandmarkInferencer,
                        faces_from_sample, init_face_inferencer)

use_offline_face_detector()

__all__ = [
    'DET_MODELS', 'OPENCV_FACE_DETECTOR_CFG', 'OpenCVFaceDetector',
    'use_offline_face_detector', 'restore_mmpose_face_detector',
    'NO_FACE_SCORE', 'FaceLandmarkInferencer', 'faces_from_sample',
    'init_face_inferencer'
]
