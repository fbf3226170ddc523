"""Export a loaded top-down model's network (backbone + head, heatmaps of
the last stack) to ONNX, with the metadata that a runtime needs to crop,
normalise and decode (:data:`METADATA_KEYS`).

The graph:

* input ``input``: (N, 3, H, W) float32, N dynamic. By default it is the
  tensor *after* MMPose's data preprocessor: RGB when the config says
  ``bgr_to_rgb``, then (x - mean) / std (metadata ``normalization:
  "external"``). With ``bake_normalization`` the channel flip and
  (x - mean) / std are inside the graph and the input is a BGR 0-255 float
  crop, what ``cv2.imread`` + ``cv2.warpAffine`` give (``"baked"``).
* output ``heatmaps``: (N, K + 1, h, w), the boundary map last.
"""
import json
import os
import os.path as osp
from typing import Dict, Optional, Sequence, Tuple

import torch
from torch import nn

#: the metadata keys written into the file (``onnx`` ``metadata_props``,
#: JSON values); :class:`~awing_mmpose.deployment.OnnxHeatmapSession`
#: reads them back
METADATA_KEYS = ('num_keypoints', 'input_size', 'heatmap_size',
                 'normalization', 'mean', 'std', 'bgr_to_rgb', 'bbox_padding',
                 'boundary_channel', 'pixel_convention', 'refine',
                 'flip_indices', 'producer')


class HeatmapNet(nn.Module):
    """What is exported: ``model``'s backbone + head, returning the last
    stack's heatmaps (N, C, h, w); with ``baked`` it first turns a BGR 0-255
    batch into the data preprocessor's output.

    Args:
        model: a top-down pose estimator (``extract_feat`` and ``head``).
        mean, std (sequence of 3 floats): the data preprocessor's.
        bgr_to_rgb (bool): the data preprocessor's channel flip.
        baked (bool): normalise inside the network.
    """

    def __init__(self, model: nn.Module, mean: Sequence[float],
                 std: Sequence[float], bgr_to_rgb: bool, baked: bool):
        super().__init__()
        self.model = model
        self.baked = baked
        self.bgr_to_rgb = bool(bgr_to_rgb)
        self.register_buffer(
            'mean', torch.tensor([float(v) for v in mean]).view(1, 3, 1, 1))
        self.register_buffer(
            'std', torch.tensor([float(v) for v in std]).view(1, 3, 1, 1))

    @classmethod
    def from_meta(cls, model: nn.Module, meta: Dict) -> 'HeatmapNet':
        """The network described by an exported file's metadata."""
        return cls(model, meta['mean'], meta['std'], meta['bgr_to_rgb'],
                   meta['normalization'] == 'baked')

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.baked:
            if self.bgr_to_rgb:
                x = x.flip(1)
            x = (x - self.mean) / self.std
        out = self.model.head.forward(self.model.extract_feat(x))
        while isinstance(out, (list, tuple)):
            out = out[-1]
        return out


def _find_transform(pipeline, name: str) -> Optional[Dict]:
    for t in pipeline:
        if str(t.get('type', '')).split('.')[-1] == name:
            return t
    return None


def model_input_size(cfg) -> Tuple[int, int]:
    """(W, H) of the network input: the config's ``codec.input_size``, else
    its test pipeline's ``TopdownAffine`` input size."""
    size = cfg.get('codec', {}).get('input_size', None)
    if size is None:
        affine = _find_transform(cfg.test_dataloader.dataset.pipeline,
                                 'TopdownAffine')
        size = affine and affine.get('input_size')
    if size is None:
        raise ValueError(f'{cfg.filename}: neither codec.input_size nor a '
                         'TopdownAffine in the test pipeline gives the input '
                         'size; pass input_size')
    return int(size[0]), int(size[1])


def onnx_metadata(cfg, model: nn.Module, input_size: Sequence[int],
                  bake_normalization: bool = False) -> Dict:
    """The metadata of :data:`METADATA_KEYS` for ``model`` built from
    ``cfg``, except ``heatmap_size`` (set to [0, 0]) and, without
    ``dataset_meta``, ``num_keypoints`` (``None``): :func:`export_onnx`
    fills them in from the network's output."""
    pre = cfg.model.get('data_preprocessor', {})
    center_scale = _find_transform(cfg.test_dataloader.dataset.pipeline,
                                   'GetBBoxCenterScale')
    padding = center_scale.get('padding', 1.25) if center_scale else 1.25
    decoder = cfg.model.get('head', {}).get('decoder', None) or cfg.get(
        'codec', {})
    center = str(decoder.get('type', '')).split('.')[-1] == 'BoundaryHeatmap'
    meta = model.dataset_meta or {}
    k = int(meta.get('num_keypoints', 0)) or None
    flip = meta.get('flip_indices')
    return dict(
        num_keypoints=k,
        input_size=[int(v) for v in input_size],
        heatmap_size=[0, 0],
        normalization='baked' if bake_normalization else 'external',
        mean=[float(v) for v in pre.get('mean', [0., 0., 0.]) or [0.] * 3],
        std=[float(v) for v in pre.get('std', [1., 1., 1.]) or [1.] * 3],
        bgr_to_rgb=bool(pre.get('bgr_to_rgb', False)),
        bbox_padding=float(padding),
        boundary_channel='last' if center else 'none',
        pixel_convention='center' if center else 'corner',
        refine=str(decoder.get('refine', 'quarter')) if center else 'quarter',
        flip_indices=[int(i) for i in flip] if flip is not None else None,
        producer='awing_mmpose.deployment.export_onnx')


def write_metadata(path: str, meta: Dict) -> None:
    """Replace the ``metadata_props`` of the ONNX file ``path`` by ``meta``
    (JSON values) and check the model."""
    import onnx
    m = onnx.load(path)
    del m.metadata_props[:]
    for key, value in meta.items():
        prop = m.metadata_props.add()
        prop.key = key
        prop.value = json.dumps(value)
    onnx.checker.check_model(m)
    onnx.save(m, path)


def export_onnx(model: nn.Module,
                path: str,
                cfg=None,
                input_size: Optional[Sequence[int]] = None,
                opset: int = 17,
                bake_normalization: bool = False) -> Dict:
    """Export ``model``'s network to ``path`` with its metadata.

    Args:
        model: a loaded top-down pose estimator (``mmpose.apis.init_model``,
            or ``FaceLandmarkInferencer.model``); put in eval mode.
        path (str): the ``.onnx`` file to write (folders are made).
        cfg (Config, optional): its config; default ``model.cfg``.
        input_size ((W, H), optional): default :func:`model_input_size`.
        opset (int): ONNX opset.
        bake_normalization (bool): normalise inside the graph (the input is
            then a BGR 0-255 crop).

    Returns:
        dict: the metadata written (:data:`METADATA_KEYS`).
    """
    cfg = cfg if cfg is not None else getattr(model, 'cfg', None)
    if cfg is None:
        raise ValueError('export_onnx: the model has no cfg attribute; pass '
                         'its config as cfg')
    size = tuple(input_size) if input_size else model_input_size(cfg)
    meta = onnx_metadata(cfg, model, size, bake_normalization)
    device = next(model.parameters()).device
    net = HeatmapNet.from_meta(model, meta).to(device).eval()
    dummy = torch.zeros(1, 3, size[1], size[0], device=device)
    with torch.no_grad():
        heatmaps = net(dummy)
    meta['heatmap_size'] = [int(heatmaps.shape[3]), int(heatmaps.shape[2])]
    if meta['num_keypoints'] is None:
        meta['num_keypoints'] = int(heatmaps.shape[1]) - (
            1 if meta['boundary_channel'] == 'last' else 0)
    kwargs = dict(
        input_names=['input'],
        output_names=['heatmaps'],
        dynamic_axes={'input': {0: 'batch'}, 'heatmaps': {0: 'batch'}},
        opset_version=opset,
        do_constant_folding=True)
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with torch.no_grad():
        try:  # TorchScript exporter: no onnxscript needed
            torch.onnx.export(net, (dummy, ), path, dynamo=False, **kwargs)
        except TypeError:  # torch without the dynamo switch
            torch.onnx.export(net, (dummy, ), path, **kwargs)
    write_metadata(path, meta)
    return meta
