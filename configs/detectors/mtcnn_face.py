# The MTCNN face detector (default of tools/demo.py). Its settings live in the
# package: awing_mmpose/apis/detector_configs/mtcnn_face.py. Use with
#   MMPoseInferencer(pose2d=..., det_cat_ids=0,
#                    det_model='configs/detectors/mtcnn_face.py')
_base_ = ['../../awing_mmpose/apis/detector_configs/mtcnn_face.py']
