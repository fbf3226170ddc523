"""Face-landmark inference on a user's photos and videos.

Two entry points, both built on MMPose's inferencer:

* ``mmpose.apis.MMPoseInferencer(pose2d=CFG, pose2d_weights=CKPT,
  det_model=MTCNN_FACE_DETECTOR, det_cat_ids=0)``: offline with the MTCNN
  detector (:mod:`awing_mmpose.apis.detector_configs`; MMPose's own default
  face detector, which downloads YOLOX weights, is left as it is). MMPose's
  behaviour on an image without a face is kept: the detector logs ``no face
  found`` and MMPose estimates landmarks on the whole image. Build it inside
  :func:`awing_mmpose.utils.checkpoint_loading`, which lets torch's safe
  loader read MMEngine checkpoints.
* :class:`FaceLandmarkInferencer` (used by ``tools/demo.py``), a
  ``Pose2DInferencer`` whose only differences are:

  - **no face -> empty result**: when a detector is used and finds no face
    (above ``bbox_thr``), it logs ``no face found in <image>: empty result``
    and returns a data sample with empty ``pred_instances`` (``keypoints``
    (0, K, 2), ``keypoint_scores`` (0, K); no ``bboxes``); the picture /
    video frame is still drawn and written, without annotation.
    ``det_model='whole_image'`` never reports "no face": the whole picture is
    the face box;
  - boxes passed as ``bboxes=[...]`` (one (n, 4) or (n, 5) array per input)
    are used instead of the detector (MMPose 1.3.2 ignores them);
  - with ``keep_heatmaps = True`` every face's heatmaps in crop coordinates
    ((K + 1, h, w) for the boundary codec, boundary last) and its crop
    (``input_center``, ``input_scale``, ``input_size``) are kept in the
    merged sample's metainfo ``face_heatmaps`` (a list, one dict per face),
    for :func:`awing_mmpose.visualization.draw_heatmap_grid`.
"""
import logging
import os.path as osp
from typing import (Dict, Iterable, Iterator, List, Optional, Sequence,
                    Tuple, Union)

import mmcv
import numpy as np
import torch
from mmengine.dataset import pseudo_collate
from mmengine.logging import print_log
from mmengine.structures import InstanceData
from mmpose.apis.inferencers import Pose2DInferencer
from mmpose.evaluation.functional import nearby_joints_nms, nms
from mmpose.structures import PoseDataSample, merge_data_samples
from mmpose.utils.tensor_utils import to_numpy

from ..utils.checkpoint import checkpoint_loading
from .detector_configs import MTCNN_FACE_DETECTOR, face_detector_config
from .face_detector import BaseFaceDetector
from .face_landmark_tracker import FaceLandmarkTracker
from .mtcnn_nets import mtcnn_weights_dir
from .stage_timer import StageTimer, timed

#: ``bbox_score`` of the whole-image stand-in box fed through the network
#: when no face was found (detection scores are never negative); instances
#: with this score are removed in :meth:`FaceLandmarkInferencer.forward`.
NO_FACE_SCORE = -1.0


class FaceLandmarkInferencer(Pose2DInferencer):
    """MMPose's 2D inferencer for face landmarks, with an explicit "no face"
    result. Arguments as :class:`mmpose.apis.inferencers.Pose2DInferencer`
    (``model`` = config path, ``weights`` = checkpoint, ``det_model`` = an
    MMDetection config / ``'mtcnn'`` / ``'haar'`` / ``'whole_image'`` /
    ``None`` for the offline MTCNN detector, :data:`MTCNN_FACE_DETECTOR`,
    whose face class id 0 is then the default ``det_cat_ids``).
    Checkpoints load with torch's safe loader
    (:func:`awing_mmpose.utils.checkpoint_loading`); ``unsafe_load=True``
    unpickles them in full (trusted files only). Without ``model`` (and
    ``weights``), or with ``weights='awing://<name>'``, the model shipped
    with the package is used (:mod:`awing_mmpose.pretrained`, trained on
    synthetic faces only).
    """

    def __init__(self,
                 model=None,
                 weights: Optional[str] = None,
                 device: Optional[str] = None,
                 scope: Optional[str] = 'mmpose',
                 det_model: Optional[str] = None,
                 det_weights: Optional[str] = None,
                 det_cat_ids=None,
                 show_progress: bool = False,
                 unsafe_load: Optional[bool] = None) -> None:
        model, weights = resolve_pose_model(model, weights)
        if det_model is None:
            det_model = default_face_detector()
        elif isinstance(det_model, str):
            det_model = face_detector_config(det_model)
        if det_cat_ids is None and det_model in (
                face_detector_config('mtcnn'), face_detector_config('haar')):
            det_cat_ids = 0
        with checkpoint_loading(unsafe=unsafe_load):
            super().__init__(
                model,
                weights=weights,
                device=device,
                scope=scope,
                det_model=det_model,
                det_weights=det_weights,
                det_cat_ids=det_cat_ids,
                show_progress=show_progress)
        self.keep_heatmaps = False
        #: heatmaps and crops of the faces of the last
        #: :meth:`predict_faces` call (with :attr:`keep_heatmaps`)
        self.last_heatmaps: List[dict] = []
        #: name used in the "no face found in ..." message for array inputs
        #: (e.g. ``'clip.mp4 frame 12'``); ``None``: ``frame/array #i``.
        self.array_input_name: Optional[str] = None
        det = getattr(getattr(self, 'detector', None), 'model', None)
        if isinstance(det, BaseFaceDetector):
            det.log_empty = False  # this class logs its own message

    # ------------------------------------------------------------------
    def update_model_visualizer_settings(self, draw_heatmap: bool = False,
                                         **kwargs) -> None:
        super().update_model_visualizer_settings(
            draw_heatmap=draw_heatmap, **kwargs)
        if self.keep_heatmaps:
            self.model.test_cfg['output_heatmaps'] = True

    def detect_faces(self, img, bbox_thr: float = 0.3,
                     nms_thr: float = 0.3) -> np.ndarray:
        """Face boxes of one image by the inferencer's detector.

        Args:
            img (str | np.ndarray): a path or an (H, W, 3) BGR image.
            bbox_thr (float): keep boxes whose score exceeds this.
            nms_thr (float): IoU threshold of the NMS over the kept boxes.

        Returns:
            np.ndarray: (n, 5) x1 y1 x2 y2 score, image pixels. The
            package's own detectors (:class:`BaseFaceDetector`) are called
            directly on an array, MMDetection models through their
            inferencer; both give the same boxes (their pipelines do not
            resize).
        """
        det = getattr(self.detector, 'model', None)
        if isinstance(det, BaseFaceDetector) and not isinstance(img, str):
            bboxes, scores = det.detect(img)
            labels = np.zeros(len(scores), np.int64)
        else:
            pred = self.detector(img, return_datasamples=True)[
                'predictions'][0].pred_instances.cpu().numpy()
            bboxes, scores, labels = pred.bboxes, pred.scores, pred.labels
        bboxes = np.concatenate((np.asarray(bboxes, np.float32).reshape(
            -1, 4), np.asarray(scores, np.float32)[:, None]), axis=1)
        cat_ids = [c for c in self.det_cat_ids if c is not None]
        if cat_ids:
            mask = np.isin(labels, cat_ids)
        else:  # det_cat_ids not given with a user detector: keep all
            mask = np.ones(len(bboxes), dtype=bool)
        bboxes = bboxes[mask & (bboxes[:, 4] > bbox_thr)]
        if len(bboxes):
            bboxes = bboxes[nms(bboxes, nms_thr)]
        return bboxes

    @torch.no_grad()
    def predict_faces(self,
                      img: np.ndarray,
                      bboxes: np.ndarray,
                      timer: Optional[StageTimer] = None,
                      flip_test: Optional[bool] = None
                      ) -> Tuple[np.ndarray, np.ndarray]:
        """Landmarks of the faces in ``bboxes``, all in one network call.

        The crops are the model's test pipeline (as in :meth:`__call__`);
        with the test-time flip the mirrored crops join the same batch.

        Args:
            img (np.ndarray): (H, W, 3) BGR image.
            bboxes (np.ndarray): (n, 4) x1 y1 x2 y2 (or (n, 5) with score).
            timer (StageTimer, optional): adds ``crop``, ``network`` and
                ``decode heatmaps``.
            flip_test (bool, optional): average in the mirrored faces;
                ``None``: the model's ``test_cfg['flip_test']``.

        Returns:
            tuple: keypoints (n, K, 2) and keypoint_scores (n, K), image
            pixels, float32. With :attr:`keep_heatmaps`, the faces'
            heatmaps and crops are left in :attr:`last_heatmaps` (one dict
            per face, as ``face_heatmaps`` of :meth:`forward`).
        """
        bboxes = np.asarray(bboxes, np.float32)
        if not len(bboxes):
            k = self.model.dataset_meta['num_keypoints']
            return np.zeros((0, k, 2), np.float32), np.zeros((0, k),
                                                            np.float32)
        with timed(timer, 'crop'):
            data = pseudo_collate(self.preprocess_single(
                img, 0, bboxes=bboxes.reshape(len(bboxes), -1)[:, :4]))
            data = self.model.data_preprocessor(data, False)
        inputs, samples = data['inputs'], data['data_samples']
        test_cfg = dict(self.model.test_cfg)
        if flip_test is not None:
            test_cfg['flip_test'] = flip_test
        test_cfg['output_heatmaps'] = self.keep_heatmaps
        with timed(timer, 'network'):
            if test_cfg.get('flip_test', False):
                n = len(inputs)
                both = self.model.extract_feat(
                    torch.cat([inputs, inputs.flip(-1)]))
                feats = [tuple(f[:n] for f in both),
                         tuple(f[n:] for f in both)]
            else:
                feats = self.model.extract_feat(inputs)
        with timed(timer, 'decode heatmaps'):
            preds = self.model.head.predict(feats, samples,
                                            test_cfg=test_cfg)
            fields = None
            if isinstance(preds, tuple):
                preds, fields = preds
            if fields is not None:
                self.last_heatmaps = [
                    dict(heatmaps=to_numpy(f.heatmaps),
                         input_center=np.asarray(s.input_center),
                         input_scale=np.asarray(s.input_scale),
                         input_size=np.asarray(s.input_size))
                    for f, s in zip(fields, samples)]
            samples = self.model.add_pred_to_datasample(preds, None, samples)
            kpts = np.stack([to_numpy(s.pred_instances.keypoints)[0]
                             for s in samples]).astype(np.float32)
            scores = np.stack([to_numpy(s.pred_instances.keypoint_scores)[0]
                               for s in samples]).astype(np.float32)
        return kpts, scores

    def use_onnxruntime(self,
                        onnx: Optional[str] = None,
                        export_to: Optional[str] = None,
                        threads: int = 0,
                        torch_threads: Optional[int] = None):
        """Run the landmark network in ONNX Runtime from now on (crops,
        flip test, decoding and detector stay as they are; the landmarks
        equal PyTorch's to about 1e-3 px).

        Args:
            onnx (str, optional): an exported file
                (:func:`~awing_mmpose.deployment.export_onnx`); default:
                export the model to ``export_to`` (or a temporary file).
            threads (int): ONNX Runtime's intra-op threads (0: its choice).
            torch_threads (int, optional): set PyTorch's intra-op threads
                (the detector and the crops still run in PyTorch). On a
                small CPU, 1 keeps PyTorch's idle threads off the cores
                that ONNX Runtime is using (``tools/demo.py`` does this for
                video; see docs/speed.md). ``None``: leave PyTorch alone.

        Returns:
            OnnxHeatmapSession: the session in use.
        """
        from ..deployment import export_onnx, use_onnxruntime
        if torch_threads is not None:
            torch.set_num_threads(int(torch_threads))

        # the session's idle threads sleep: the detector and the crops run
        # in PyTorch on the same cores between two network calls
        def use(path):
            return use_onnxruntime(self.model, path, threads=threads,
                                   spinning=False)

        if onnx is None:
            import tempfile
            with tempfile.TemporaryDirectory() as tmp:
                path = export_to or osp.join(tmp, 'model.onnx')
                export_onnx(self.model, path, self.cfg)
                return use(path)
        return use(onnx)

    def tracker(self,
                det_interval: int = 10,
                flip_test: bool = False,
                bbox_thr: float = 0.3,
                nms_thr: float = 0.3,
                **kwargs) -> FaceLandmarkTracker:
        """A :class:`FaceLandmarkTracker` on this inferencer's detector and
        landmark model, for frame-by-frame use.

        Args:
            det_interval (int): run the detector at least every this many
                frames (with ``det_model='whole_image'`` the whole frame
                is the face box on every frame).
            flip_test (bool): average in the mirrored faces (doubles the
                network time).
            bbox_thr, nms_thr (float): detector score threshold and NMS.
            **kwargs: the other arguments of :class:`FaceLandmarkTracker`.
        """
        def detect(img):
            if self.detector is None:  # 'whole_image': the frame is a face
                h, w = img.shape[:2]
                return np.array([[0, 0, w, h, 1]], np.float32)
            return self.detect_faces(img, bbox_thr, nms_thr)

        def predict(img, bboxes, timer=None):
            return self.predict_faces(img, bboxes, timer, flip_test)

        if self.detector is None:
            det_interval = 1
        return FaceLandmarkTracker(detect, predict,
                                   det_interval=det_interval, **kwargs)

    def stream(self,
               frames: Iterable[np.ndarray],
               fps: float = 25.0,
               tracker: Optional[FaceLandmarkTracker] = None,
               timer: Optional[StageTimer] = None,
               **kwargs) -> Iterator[List[dict]]:
        """Landmarks of a stream of frames: frames in, faces out.

        Example::

            inferencer = FaceLandmarkInferencer()
            cap = cv2.VideoCapture('clip.mp4')
            frames = iter(lambda: cap.read()[1], None)
            for faces in inferencer.stream(frames, fps=25):
                print([f['track_id'] for f in faces])

        Args:
            frames (iterable): (H, W, 3) BGR uint8 frames.
            fps (float): frame rate (time stamps of the smoothing filter).
            tracker (FaceLandmarkTracker, optional): carries the tracks
                from an earlier call on; default: a new one from
                :meth:`tracker` with ``**kwargs``.
            timer (StageTimer, optional): collects the time of each stage.

        Yields:
            list[dict]: the faces of each frame (see
            :meth:`FaceLandmarkTracker.__call__`).
        """
        tracker = tracker or self.tracker(**kwargs)
        for frame in frames:
            yield tracker(frame, tracker.next_time(fps), timer)

    def preprocess_single(self,
                          input,
                          index: int,
                          bbox_thr: float = 0.3,
                          nms_thr: float = 0.3,
                          bboxes: Union[List, np.ndarray] = []):
        if self.cfg.data_mode != 'topdown':
            return super().preprocess_single(
                input, index, bbox_thr=bbox_thr, nms_thr=nms_thr)
        if isinstance(input, str):
            data_info = dict(img_path=input)
        else:
            data_info = dict(img=input, img_path=f'{index}.jpg'.rjust(10, '0'))
        data_info.update(self.model.dataset_meta)

        boxes = np.asarray(bboxes, dtype=np.float32) if len(bboxes) else None
        if boxes is not None:
            boxes = boxes.reshape(len(boxes), -1)
            if boxes.shape[1] == 4:
                boxes = np.concatenate(
                    [boxes, np.ones((len(boxes), 1), np.float32)], axis=1)
        elif self.detector is not None:
            boxes = self.detect_faces(input, bbox_thr, nms_thr)

        data_infos = []
        if boxes is not None and len(boxes) > 0:
            for bbox in boxes:
                inst = data_info.copy()
                inst['bbox'] = bbox[None, :4].astype(np.float32)
                inst['bbox_score'] = bbox[4:5].astype(np.float32)
                data_infos.append(self.pipeline(inst))
            return data_infos

        # whole image: the face box of 'whole_image' mode, or the stand-in
        # that keeps one sample flowing when no face was found
        img = mmcv.imread(input) if isinstance(input, str) else input
        h, w = img.shape[:2]
        inst = data_info.copy()
        inst['bbox'] = np.array([[0, 0, w, h]], dtype=np.float32)
        if self.detector is None and boxes is None:
            inst['bbox_score'] = np.ones(1, dtype=np.float32)
        else:
            if isinstance(input, str):
                where = input
            else:
                where = self.array_input_name or f'frame/array #{index}'
            print_log(
                f'no face found in {where} (detector threshold bbox_thr='
                f'{bbox_thr}): empty result.',
                logger='current',
                level=logging.WARNING)
            inst['bbox_score'] = np.full(1, NO_FACE_SCORE, dtype=np.float32)
        data_infos.append(self.pipeline(inst))
        return data_infos

    @torch.no_grad()
    def forward(self,
                inputs: Union[dict, tuple],
                merge_results: bool = True,
                bbox_thr: float = -1,
                pose_based_nms: bool = False) -> List[PoseDataSample]:
        """Run the model; drop the no-face stand-in; merge per image.

        Returns:
            list[PoseDataSample]: one merged sample per image (topdown),
            whose ``pred_instances`` may be empty.
        """
        data_samples = self.model.test_step(inputs)
        if self.cfg.data_mode != 'topdown':
            return data_samples
        faces = [
            ds for ds in data_samples
            if float(ds.pred_instances.bbox_scores[0]) != NO_FACE_SCORE
        ]
        if bbox_thr > 0:
            faces = [
                ds for ds in faces
                if float(ds.pred_instances.bbox_scores[0]) > bbox_thr
            ]
        face_heatmaps = [
            dict(
                heatmaps=to_numpy(ds.pred_fields.heatmaps),
                input_center=np.asarray(ds.input_center),
                input_scale=np.asarray(ds.input_scale),
                input_size=np.asarray(ds.input_size))
            for ds in faces
            if 'pred_fields' in ds and 'heatmaps' in ds.pred_fields
        ]
        if not merge_results:
            return faces
        if faces:
            merged = merge_data_samples(faces)
        else:
            merged = PoseDataSample(metainfo=data_samples[0].metainfo)
            merged.pred_instances = _empty_instances(
                data_samples[0].pred_instances)
        if self.keep_heatmaps:
            merged.set_metainfo(dict(face_heatmaps=face_heatmaps))

        if pose_based_nms and len(merged.pred_instances) > 1:
            kpts = merged.pred_instances.keypoints
            scores = merged.pred_instances.bbox_scores
            keep = nearby_joints_nms(
                [
                    dict(keypoints=kpts[i], score=scores[i])
                    for i in range(len(kpts))
                ],
                num_nearby_joints_thr=kpts.shape[-2] // 3)
            merged.pred_instances = merged.pred_instances[keep]
        return [merged]


def default_face_detector() -> str:
    """:data:`MTCNN_FACE_DETECTOR`, or the Haar detector's config (with a
    WARNING saying why) when the MTCNN weights are not installed."""
    try:
        mtcnn_weights_dir()
    except FileNotFoundError as e:
        print_log(f'{e} -- falling back to the Haar face detector.',
                  logger='current', level=logging.WARNING)
        return face_detector_config('haar')
    return MTCNN_FACE_DETECTOR


def _empty_instances(like: InstanceData) -> InstanceData:
    """An InstanceData with 0 instances and the keypoint fields / trailing
    shapes of ``like`` (keypoints (0, K, 2), keypoint_scores (0, K), ...);
    no ``bboxes`` (MMEngine's box drawing does not take an empty list)."""
    empty = InstanceData()
    for key, value in like.items():
        if isinstance(value, (np.ndarray, torch.Tensor)) and \
                not key.startswith('bbox'):
            empty.set_field(value[:0], key)
    return empty


def faces_from_sample(sample: PoseDataSample) -> List[Dict]:
    """JSON-ready faces of one merged data sample.

    Returns:
        list[dict]: per face ``bbox`` [x1, y1, x2, y2] (image pixels),
        ``bbox_score``, ``keypoints`` [[x, y]] * K and ``keypoint_scores``
        [s] * K (the heatmap maxima).
    """
    inst = sample.pred_instances
    if 'keypoints' not in inst:
        return []
    kpts = to_numpy(inst.keypoints)
    scores = to_numpy(inst.keypoint_scores)
    bboxes = to_numpy(inst.bboxes) if 'bboxes' in inst else None
    bbox_scores = to_numpy(inst.bbox_scores) \
        if 'bbox_scores' in inst else None
    faces = []
    for i in range(len(kpts)):
        face = dict()
        if bboxes is not None:
            face['bbox'] = [float(v) for v in bboxes[i].reshape(-1)[:4]]
        if bbox_scores is not None:
            face['bbox_score'] = float(bbox_scores[i])
        face['keypoints'] = [[float(x), float(y)] for x, y in kpts[i][:, :2]]
        face['keypoint_scores'] = [float(s) for s in scores[i]]
        faces.append(face)
    return faces


def resolve_pose_model(config: Optional[str], checkpoint: Optional[str]
                       ) -> tuple:
    """``(config, checkpoint)`` with the shipped pretrained model filled in:
    neither given -> the default pretrained model; ``checkpoint`` =
    ``'awing://<name>'`` without a config -> that model's config. A config
    without a checkpoint keeps the network's random initial weights."""
    from ..pretrained import DEFAULT_MODEL, SCHEME, pretrained_files
    if config is None:
        if checkpoint is not None and not str(checkpoint).startswith(SCHEME):
            raise ValueError(f'a checkpoint ({checkpoint}) needs its config; '
                             'only the shipped awing://<name> models know '
                             'theirs')
        config, _ = pretrained_files(checkpoint or DEFAULT_MODEL)
        checkpoint = checkpoint or SCHEME + DEFAULT_MODEL
    return config, checkpoint


def init_face_inferencer(config: Optional[str] = None,
                         checkpoint: Optional[str] = None,
                         det_model: Optional[str] = None,
                         det_weights: Optional[str] = None,
                         det_cat_ids: Optional[Sequence[int]] = None,
                         device: Optional[str] = None,
                         show_progress: bool = False,
                         unsafe_load: Optional[bool] = None
                         ) -> FaceLandmarkInferencer:
    """Build a :class:`FaceLandmarkInferencer` (offline by default).

    Args:
        config (str, optional): pose config (needs ``data_mode =
            'topdown'``); ``None``: the shipped pretrained model
            (:func:`resolve_pose_model`).
        checkpoint (str, optional): pose weights, loaded with torch's safe
            loader (see :mod:`awing_mmpose.utils.checkpoint`), or
            ``'awing://<name>'`` for a shipped model.
        det_model (str, optional): ``None`` or ``'mtcnn'`` (offline MTCNN
            detector), ``'haar'`` (OpenCV's Haar cascade), ``'whole_image'``
            (input = cropped face) or an MMDetection config.
        det_weights (str, optional): weights of ``det_model``.
        device (str, optional): e.g. ``'cpu'``, ``'cuda:0'``.
        unsafe_load (bool, optional): unpickle the checkpoints in full
            (trusted files only); ``None``: ``AWING_UNSAFE_LOAD=1`` decides.
    """
    return FaceLandmarkInferencer(
        model=config,
        weights=checkpoint,
        device=device,
        det_model=det_model,
        det_weights=det_weights,
        det_cat_ids=det_cat_ids,
        show_progress=show_progress,
        unsafe_load=unsafe_load)
