"""Check an exported file against the PyTorch network it came from: the
largest absolute difference of their heatmaps on a random input and on a
face crop."""
from typing import Dict, Optional, Sequence

import numpy as np
import torch
from torch import nn

from .drawn_face import draw_face
from .onnx_export import HeatmapNet
from .onnx_runner import preprocess
from .onnx_session import OnnxHeatmapSession


def onnx_difference(net: nn.Module, session: OnnxHeatmapSession,
                    batch: np.ndarray) -> float:
    """max |ONNX Runtime - PyTorch| over the heatmaps of ``batch``
    ((N, 3, H, W) float32) through ``net`` (a :class:`HeatmapNet`) and
    ``session``."""
    got = session.run(batch)
    device = next(net.parameters()).device
    with torch.no_grad():
        ref = net(torch.from_numpy(batch).to(device)).cpu().numpy()
    if got.shape != ref.shape:
        raise RuntimeError(f'{session.path}: ONNX Runtime output '
                           f'{got.shape} != PyTorch output {ref.shape}')
    return float(np.abs(got - ref).max())


def check_export(model: nn.Module, path: str,
                 image: Optional[np.ndarray] = None,
                 bbox: Optional[Sequence[float]] = None,
                 seed: int = 0) -> Dict[str, float]:
    """Compare ``path`` (written by
    :func:`~awing_mmpose.deployment.export_onnx` from ``model``) with
    ``model`` in ONNX Runtime (CPU).

    Args:
        model: the pose estimator that was exported.
        path (str): the ONNX file.
        image (np.ndarray, optional): a BGR picture with a face; default a
            face drawn with OpenCV (:func:`draw_face`).
        bbox: the face box (x1, y1, x2, y2); default the whole picture.
        seed (int): seed of the random input (standard normal, or uniform
            0-255 for a ``baked`` file).

    Returns:
        dict: ``random`` and ``face``: the max abs heatmap differences.
    """
    session = OnnxHeatmapSession(path)
    net = HeatmapNet.from_meta(model, session.meta).to(
        next(model.parameters()).device).eval()
    w, h = session.input_size
    rng = np.random.default_rng(seed)
    if session.meta['normalization'] == 'baked':
        x_rand = rng.uniform(0, 255, (1, 3, h, w))
    else:
        x_rand = rng.standard_normal((1, 3, h, w))
    if image is None:
        image = draw_face(256)
    if bbox is None:
        bbox = [0, 0, image.shape[1], image.shape[0]]
    x_face, _, _ = preprocess(image, bbox, session.meta)
    return dict(
        random=onnx_difference(net, session, x_rand.astype(np.float32)),
        face=onnx_difference(net, session, x_face))
