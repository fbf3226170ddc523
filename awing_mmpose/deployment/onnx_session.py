"""An exported network in ONNX Runtime: :class:`OnnxHeatmapSession` maps a
batch of normalised face crops to heatmaps and holds the metadata that
:func:`~awing_mmpose.deployment.export_onnx` stored in the file.

Imports numpy and onnxruntime only (no torch, MMPose, MMCV or MMEngine).
"""
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

#: metadata assumed for keys a file lacks (this project's configs)
DEFAULT_META = dict(
    normalization='external',
    mean=[0., 0., 0.],
    std=[255., 255., 255.],
    bgr_to_rgb=True,
    bbox_padding=1.25,
    boundary_channel='last',
    pixel_convention='center',
    refine='quarter',
    flip_indices=None)

#: ``optimization`` argument -> ONNX Runtime's ``GraphOptimizationLevel``
OPTIMIZATION_LEVELS = dict(
    disable='ORT_DISABLE_ALL',
    basic='ORT_ENABLE_BASIC',
    extended='ORT_ENABLE_EXTENDED',
    all='ORT_ENABLE_ALL')


class OnnxHeatmapSession:
    """An ONNX Runtime session of a file written by
    :func:`~awing_mmpose.deployment.export_onnx` (or
    ``tools/deployment/export_onnx.py``).

    Args:
        path (str): the ``.onnx`` file.
        threads (int): intra-op threads; 0 lets ONNX Runtime choose (one per
            physical core).
        optimization (str): graph optimisation level, ``'disable'``,
            ``'basic'``, ``'extended'`` or ``'all'`` (ONNX Runtime's
            default).
        providers (sequence of str, optional): execution providers; default
            ``['CPUExecutionProvider']``.
        spinning (bool): let the idle intra-op threads spin, waiting for
            the next run (ONNX Runtime's default: lowest latency when the
            session has the cores to itself). ``False`` puts them to sleep,
            which leaves the cores to other work in between (a face
            detector in PyTorch, decoding, drawing).

    Attributes:
        path (str): the file.
        session (onnxruntime.InferenceSession): the session itself.
        meta (dict): the file's metadata (JSON values) over
            :data:`DEFAULT_META`: ``num_keypoints`` K, ``input_size``
            [W, H], ``heatmap_size`` [w, h], ``normalization``
            (``'external'``: the input is the data preprocessor's output;
            ``'baked'``: BGR 0-255 crops), ``mean``, ``std``, ``bgr_to_rgb``,
            ``bbox_padding``, ``boundary_channel``, ``pixel_convention``,
            ``refine``, ``flip_indices``.

    Example::

        sess = OnnxHeatmapSession('model.onnx', threads=2)
        heatmaps = sess.run(batch)   # (N, 3, H, W) -> (N, K + 1, h, w)
    """

    def __init__(self,
                 path: str,
                 threads: int = 0,
                 optimization: str = 'all',
                 providers: Optional[Sequence[str]] = None,
                 spinning: bool = True):
        import onnxruntime as ort
        if not osp.isfile(path):
            raise FileNotFoundError(f'no ONNX file {path}')
        if optimization not in OPTIMIZATION_LEVELS:
            raise ValueError(f'{path}: unknown optimization {optimization!r};'
                             f' choose one of {sorted(OPTIMIZATION_LEVELS)}')
        if int(threads) < 0:
            raise ValueError(f'{path}: threads must be >= 0, got {threads}')
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = int(threads)
        opts.graph_optimization_level = getattr(
            ort.GraphOptimizationLevel, OPTIMIZATION_LEVELS[optimization])
        opts.add_session_config_entry('session.intra_op.allow_spinning',
                                      '1' if spinning else '0')
        try:
            self.session = ort.InferenceSession(
                path, opts,
                providers=list(providers or ['CPUExecutionProvider']))
        except Exception as exc:  # onnxruntime's own error types
            raise ValueError(f'{path}: ONNX Runtime cannot load it: '
                             f'{exc}') from exc
        self.path = path
        self.input_name = self.session.get_inputs()[0].name
        self.meta = self._read_meta()

    def _read_meta(self) -> Dict:
        raw = self.session.get_modelmeta().custom_metadata_map
        meta = dict(DEFAULT_META)
        for key, value in raw.items():
            try:
                meta[key] = json.loads(value)
            except (TypeError, ValueError):
                meta[key] = value
        shape = self.session.get_inputs()[0].shape
        if 'input_size' not in meta:
            if not all(isinstance(v, int) for v in shape[2:]):
                raise ValueError(f'{self.path}: no input_size metadata and a '
                                 f'dynamic input shape {shape}')
            meta['input_size'] = [shape[3], shape[2]]
        return meta

    @property
    def input_size(self) -> Tuple[int, int]:
        """(W, H) of the network input."""
        w, h = self.meta['input_size']
        return int(w), int(h)

    @property
    def mean(self) -> np.ndarray:
        """(3,) float32 mean subtracted from the (RGB if
        :attr:`bgr_to_rgb`) crop, unless the file is ``baked``."""
        return np.asarray(self.meta['mean'], np.float32)

    @property
    def std(self) -> np.ndarray:
        """(3,) float32 divisor applied after the mean."""
        return np.asarray(self.meta['std'], np.float32)

    @property
    def bgr_to_rgb(self) -> bool:
        return bool(self.meta.get('bgr_to_rgb', False))

    @property
    def flip_indices(self) -> Optional[List[int]]:
        """The landmark permutation of a horizontal flip (K,), if stored."""
        return self.meta.get('flip_indices')

    @property
    def num_keypoints(self) -> Optional[int]:
        """K: the stored value, else the output channels minus the boundary
        channel when the output shape is static; ``None`` otherwise."""
        k = self.meta.get('num_keypoints')
        if k is not None:
            return int(k)
        c = self.session.get_outputs()[0].shape[1]
        if not isinstance(c, int):
            return None
        return c - (1 if self.meta.get('boundary_channel') == 'last' else 0)

    def run(self, batch: np.ndarray) -> np.ndarray:
        """Heatmaps of a batch of crops.

        Args:
            batch (np.ndarray): (N, 3, H, W) float32, (H, W) = the input
                size; normalised as :attr:`meta` says (``external``:
                RGB if ``bgr_to_rgb``, then (x - mean) / std; ``baked``: BGR
                0-255).

        Returns:
            np.ndarray: (N, C, h, w) float32 heatmaps of the last stack,
            C = K + 1 with the boundary map last (``boundary_channel``).
        """
        batch = np.asarray(batch)
        w, h = self.input_size
        if batch.ndim != 4 or batch.shape[1] != 3 or \
                tuple(batch.shape[2:]) != (h, w):
            raise ValueError(f'{self.path}: expects a (N, 3, {h}, {w}) '
                             f'batch, got shape {tuple(batch.shape)}')
        x = np.ascontiguousarray(batch, dtype=np.float32)
        return self.session.run(None, {self.input_name: x})[0]

    def __repr__(self) -> str:
        w, h = self.input_size
        return (f'{type(self).__name__}({self.path!r}, input (N, 3, {h}, '
                f'{w}), normalization={self.meta["normalization"]!r})')
