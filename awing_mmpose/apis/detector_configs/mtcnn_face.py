# MTCNN face detector (a CNN cascade; weights from the facenet-pytorch wheel,
# MIT; nothing is downloaded), wrapped as an MMDetection model. The default
# face detector of awing_mmpose's FaceLandmarkInferencer and tools/demo.py.
_base_ = ['./_face_det_runtime.py']

model = dict(
    type='awing_mmpose.MTCNNFaceDetector',
    min_size=20,                    # px, smallest face searched
    thresholds=(0.6, 0.7, 0.7),     # face probability of P-, R-, O-Net
    factor=0.709,                   # image pyramid step
    nms_thresholds=(0.7, 0.7, 0.7),
    max_side=1280,                  # larger images are downscaled first
    box_scale=1.0,                  # enlarge the box around its centre
    box_shift_y=0.0)                # move the box down (fraction of height)
