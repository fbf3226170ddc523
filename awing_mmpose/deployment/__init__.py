"""Deployment: the network exported to ONNX and run in ONNX Runtime.

* :func:`export_onnx` (:mod:`.onnx_export`): a loaded model's backbone +
  head (heatmaps of the last stack) to an ONNX file with the metadata a
  runtime needs (input size, mean / std, ``bgr_to_rgb``, box padding,
  pixel convention, ``flip_indices``, ...); :func:`check_export`
  (:mod:`.onnx_check`) compares the file with PyTorch.
* :class:`OnnxHeatmapSession` (:mod:`.onnx_session`): an ONNX Runtime
  session of such a file; ``run(batch)`` maps (N, 3, H, W) normalised crops
  to (N, K + 1, h, w) heatmaps; ``meta`` holds the metadata; threads and
  graph optimisation level are arguments.
* :func:`predict_landmarks` (:mod:`.onnx_runner`): landmarks of one face
  with numpy, OpenCV and ONNX Runtime only (crop, normalise, run, decode).
* :func:`use_onnxruntime` (:mod:`.ort_backend`): a loaded model's (e.g. a
  :class:`~awing_mmpose.apis.FaceLandmarkInferencer`'s) network runs in
  ONNX Runtime; :func:`init_onnx_session`: a session for a config and
  checkpoint in one call (exporting first, or reusing ``onnx_file``).
* :func:`draw_face` (:mod:`.drawn_face`): a face drawn with OpenCV (the
  export check's default picture).

The names are imported on first use: importing this package, the session
or the runner imports no torch, MMPose, MMCV or MMEngine.

Example (the shipped model; ``face.jpg`` a photo, ``box`` its face box
(x1, y1, x2, y2))::

    import cv2
    from mmpose.apis import init_model

    from awing_mmpose.apis import init_face_inferencer
    from awing_mmpose.deployment import (OnnxHeatmapSession, export_onnx,
                                         init_onnx_session, predict_landmarks,
                                         use_onnxruntime)
    from awing_mmpose.pretrained import pretrained_files
    from awing_mmpose.utils import checkpoint_loading

    config, checkpoint = pretrained_files()   # or your config and .pth

    # 1. export a config + checkpoint to ONNX (metadata included)
    with checkpoint_loading():                # safe checkpoint loading
        model = init_model(config, checkpoint, device='cpu')
    meta = export_onnx(model, 'awing.onnx')

    # 2. ONNX Runtime from Python on a face crop (no torch needed here)
    session = OnnxHeatmapSession('awing.onnx', threads=2)
    img = cv2.imread('face.jpg')
    keypoints, scores, heatmaps = predict_landmarks(session, img, box)
    # keypoints (K, 2) in image pixels, scores (K,), heatmaps (K + 1, h, w);
    # a batch of crops normalised as session.meta says:
    # session.run(batch): (N, 3, H, W) float32 -> (N, K + 1, h, w)

    # 3. a FaceLandmarkInferencer's network in ONNX Runtime
    inferencer = init_face_inferencer(config, checkpoint, device='cpu')
    use_onnxruntime(inferencer.model, 'awing.onnx')
    result = next(inferencer('face.jpg'))

    # export (or reuse onnx_file=...) and open a session in one call
    session = init_onnx_session(config, checkpoint, threads=2,
                                optimization='all')
"""
from awing_mmpose.utils.lazy_import import lazy_attributes

__all__ = [
    'export_onnx', 'check_export', 'OnnxHeatmapSession', 'predict_landmarks',
    'use_onnxruntime', 'init_onnx_session', 'draw_face'
]
__getattr__, __dir__ = lazy_attributes(__name__, dict(
    export_onnx='onnx_export',
    check_export='onnx_check',
    OnnxHeatmapSession='onnx_session',
    predict_landmarks='onnx_runner',
    use_onnxruntime='ort_backend',
    init_onnx_session='ort_backend',
    draw_face='drawn_face'))
