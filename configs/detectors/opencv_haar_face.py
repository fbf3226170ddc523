# The Haar face detector (fallback). Its settings live in the package:
# awing_mmpose/apis/detector_configs/opencv_haar_face.py. Use with
#   tools/demo.py IMG --config ... --checkpoint ... --det-model haar
#   MMPoseInferencer(pose2d=..., det_cat_ids=0,
#                    det_model='configs/detectors/opencv_haar_face.py')
_base_ = ['../../awing_mmpose/apis/detector_configs/opencv_haar_face.py']
