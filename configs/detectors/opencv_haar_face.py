# Offline face detector for top-down face alignment: OpenCV's Haar cascade
# (shipped in opencv-python 4.x as cv2.data.haarcascades), wrapped as an
# MMDetection model. No weights, no download: use it with
#   MMPoseInferencer(pose2d=..., det_model='configs/detectors/opencv_haar_face.py')
#   tools/demo.py IMG --config ... --checkpoint ... --det-model configs/detectors/opencv_haar_face.py
# (importing awing_mmpose.apis already makes it MMPose's default for faces).
# Keep in sync with awing_mmpose.apis.face_detector.OPENCV_FACE_DETECTOR_CFG.
custom_imports = dict(imports=['awing_mmpose.apis'], allow_failed_imports=False)
default_scope = 'mmdet'

model = dict(
    type='awing_mmpose.OpenCVFaceDetector',
    cascade='haarcascade_frontalface_default.xml',  # or a path to an .xml
    scale_factor=1.1,     # pyramid step
    min_neighbors=5,      # score = m / (m + min_neighbors)
    min_size=20,          # px, at the detection resolution
    max_side=640,         # larger images are downscaled for detection
    box_scale=1.0,        # enlarge the Haar box around its centre
    box_shift_y=0.0)      # move the box down (fraction of its height)

test_dataloader = dict(
    batch_size=1,
    num_workers=0,
    dataset=dict(
        type='CocoDataset',
        test_mode=True,
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(
                type='PackDetInputs',
                meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape')),
        ]))

# DetInferencer (and so MMPose's inferencer) needs a visualizer in the config.
visualizer = dict(type='mmdet.DetLocalVisualizer', name='opencv_face_det_vis')
