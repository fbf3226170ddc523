# OpenCV's Haar frontal-face cascade (shipped in opencv-python 4.x as
# cv2.data.haarcascades), wrapped as an MMDetection model: the fallback face
# detector (upright, frontal faces only).
_base_ = ['./_face_det_runtime.py']

model = dict(
    type='awing_mmpose.OpenCVFaceDetector',
    cascade='haarcascade_frontalface_default.xml',  # or a path to an .xml
    scale_factor=1.1,     # pyramid step
    min_neighbors=5,      # score = m / (m + min_neighbors)
    min_size=20,          # px, at the detection resolution
    max_side=640,         # larger images are downscaled for detection
    box_scale=1.0,        # enlarge the box around its centre
    box_shift_y=0.0)      # move the box down (fraction of its height)
