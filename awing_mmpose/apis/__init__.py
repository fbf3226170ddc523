"""Inference APIs: offline face detectors and the glue with MMPose's
inferencer.

Importing this package registers :class:`MTCNNFaceDetector` and
:class:`OpenCVFaceDetector` (in the package's model registry, scope
``awing_mmpose``; MMDetection builds them) and changes nothing of MMPose's.
:class:`FaceLandmarkInferencer` and ``tools/demo.py`` use the MTCNN detector
by default; ``MMPoseInferencer`` uses it when given
``det_model=MTCNN_FACE_DETECTOR, det_cat_ids=0`` (see
:mod:`.detector_configs`).
"""
from .detector_configs import (FACE_DETECTORS, HAAR_FACE_DETECTOR,
                               MTCNN_FACE_DETECTOR, face_detector_config)
from .face_detector import DET_MODELS, BaseFaceDetector
from .face_landmark_tracker import FaceLandmarkTracker
from .face_report import FaceCounts, face_flags, summary_line
from .face_tracker import FaceTracker
from .inference import (NO_FACE_SCORE, FaceLandmarkInferencer,
                        faces_from_sample, init_face_inferencer,
                        resolve_pose_model)
from .mtcnn_face_detector import MTCNNFaceDetector
from .one_euro_filter import OneEuroFilter
from .opencv_face_detector import OpenCVFaceDetector
from .stage_timer import StageTimer
from .video_landmarks import FramesJsonWriter, read_frames, run_video

__all__ = [
    'DET_MODELS', 'BaseFaceDetector', 'MTCNNFaceDetector',
    'OpenCVFaceDetector', 'FACE_DETECTORS', 'MTCNN_FACE_DETECTOR',
    'HAAR_FACE_DETECTOR', 'face_detector_config', 'NO_FACE_SCORE',
    'FaceLandmarkInferencer', 'faces_from_sample', 'init_face_inferencer',
    'resolve_pose_model',
    'OneEuroFilter', 'FaceTracker', 'FaceLandmarkTracker', 'StageTimer',
    'FaceCounts', 'face_flags', 'summary_line', 'FramesJsonWriter',
    'read_frames', 'run_video'
]
