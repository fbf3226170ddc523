"""MMDetection configs of the offline face detectors, shipped inside the
package (the one place their settings live; ``configs/detectors/*.py``
inherit them).

* :data:`MTCNN_FACE_DETECTOR`: :class:`~awing_mmpose.apis.MTCNNFaceDetector`
  (CNN, weights from the ``facenet-pytorch`` wheel), the default of
  :class:`~awing_mmpose.apis.FaceLandmarkInferencer` and ``tools/demo.py``;
* :data:`HAAR_FACE_DETECTOR`: :class:`~awing_mmpose.apis.OpenCVFaceDetector`
  (OpenCV's Haar cascade), the fallback.

Importing this package changes nothing of MMPose's. To give MMPose's own
inferencer an offline face detector, pass the path and the face class id::

    from awing_mmpose.apis import MTCNN_FACE_DETECTOR
    MMPoseInferencer(pose2d=CFG, pose2d_weights=CKPT,
                     det_model=MTCNN_FACE_DETECTOR, det_cat_ids=0)

(MMPose filters detections by ``det_cat_ids``; without it, it keeps none.)
The files are MMEngine configs: their module-level dicts are data, not
code to import.
"""
import os.path as osp

_HERE = osp.dirname(osp.abspath(__file__))

#: path of the MTCNN face detector's MMDetection config
MTCNN_FACE_DETECTOR = osp.join(_HERE, 'mtcnn_face.py')
#: path of the Haar face detector's MMDetection config
HAAR_FACE_DETECTOR = osp.join(_HERE, 'opencv_haar_face.py')

#: short names accepted by :func:`face_detector_config` and tools/demo.py
FACE_DETECTORS = dict(mtcnn=MTCNN_FACE_DETECTOR, haar=HAAR_FACE_DETECTOR)


def face_detector_config(name: str) -> str:
    """The config path of a detector name in :data:`FACE_DETECTORS`; any
    other string is returned unchanged (a config path of the user's)."""
    return FACE_DETECTORS.get(name, name)
