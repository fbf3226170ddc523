"""ONNX Runtime as the backend of the package's models:
:func:`use_onnxruntime` runs a loaded top-down model's network in ONNX
Runtime, everything around it (detector, crops, flip test, decoding,
drawing) staying MMPose's (``tools/demo.py --backend onnxruntime``);
:func:`init_onnx_session` gives an :class:`OnnxHeatmapSession` for a config
and checkpoint (or an exported file) in one call.

Neither imports torch or MMPose before it is called; a session of an
existing file needs neither.
"""
import os.path as osp
import tempfile
from typing import Optional, Sequence, Union


from .onnx_session import OnnxHeatmapSession


def use_onnxruntime(model,
                    onnx: Union[str, OnnxHeatmapSession],
                    threads: int = 0,
                    optimization: str = 'all',
                    providers: Optional[Sequence[str]] = None,
                    spinning: bool = True) -> OnnxHeatmapSession:
    """Make ``model.extract_feat`` run the exported network in ONNX Runtime.

    The exported graph is backbone + head; its heatmaps stand in for the
    features, which the package's ``AWingHead`` passes through unchanged
    (a head that transforms its input is refused).

    Args:
        model: a top-down pose estimator (``TopdownPoseEstimator``), e.g.
            ``FaceLandmarkInferencer.model``.
        onnx (str | OnnxHeatmapSession): a file written by
            :func:`~awing_mmpose.deployment.export_onnx` without
            ``bake_normalization``, or a session of one.
        threads, optimization, providers, spinning: see
            :class:`OnnxHeatmapSession` (used when ``onnx`` is a path).

    Returns:
        OnnxHeatmapSession: the session now in use.
    """
    import torch
    session = onnx if isinstance(onnx, OnnxHeatmapSession) else \
        OnnxHeatmapSession(onnx, threads, optimization, providers, spinning)
    if session.meta.get('normalization') != 'external':
        raise ValueError(
            f'{session.path}: exported with bake_normalization; the '
            'onnxruntime backend feeds the data preprocessor\'s output, so '
            'export without it')
    _check_head_passes_through(model, session)

    def extract_feat(inputs):
        out = session.run(inputs.detach().float().cpu().numpy())
        return (torch.from_numpy(out).to(inputs.device), )

    model.extract_feat = extract_feat
    return session


def _check_head_passes_through(model, session: OnnxHeatmapSession) -> None:
    import torch
    w, h = session.meta.get('heatmap_size') or (1, 1)
    probe = torch.zeros(1, 1, max(int(h), 1), max(int(w), 1))
    try:
        out = model.head.forward((probe, ))
        ok = isinstance(out, (list, tuple)) and out[-1] is probe
    except Exception:  # a head with its own layers fails on the probe
        ok = False
    if not ok:
        raise ValueError(
            f'{session.path}: {type(model.head).__name__}.forward changes '
            'its input; the onnxruntime backend needs a head that passes '
            "the stacks' heatmaps through (awing_mmpose.AWingHead)")


def init_onnx_session(config: Optional[str] = None,
                      checkpoint: Optional[str] = None,
                      onnx_file: Optional[str] = None,
                      export_to: Optional[str] = None,
                      threads: int = 0,
                      optimization: str = 'all',
                      providers: Optional[Sequence[str]] = None,
                      unsafe_load: Optional[bool] = None
                      ) -> OnnxHeatmapSession:
    """An ONNX Runtime session of a model, exporting it first if needed.

    Args:
        config (str, optional): pose config; ``None``: the shipped
            pretrained model (as
            :func:`~awing_mmpose.apis.init_face_inferencer`).
        checkpoint (str, optional): its weights (safe loading), or
            ``'awing://<name>'``.
        onnx_file (str, optional): an exported file to use as it is; the
            config and checkpoint are then not loaded.
        export_to (str, optional): where to write the export; default a
            temporary file, deleted once the session has read it.
        threads, optimization, providers: see :class:`OnnxHeatmapSession`.
        unsafe_load (bool, optional): unpickle the checkpoint in full
            (trusted files only).

    Returns:
        OnnxHeatmapSession: ``run(batch)`` maps a (N, 3, H, W) float32 batch
        (normalised as ``meta`` says) to (N, K + 1, h, w) heatmaps.
    """
    if onnx_file is not None:
        return OnnxHeatmapSession(onnx_file, threads, optimization, providers)
    from mmpose.apis import init_model

    from awing_mmpose.apis.inference import resolve_pose_model
    from awing_mmpose.utils import checkpoint_loading
    from .onnx_export import export_onnx
    config, checkpoint = resolve_pose_model(config, checkpoint)
    with checkpoint_loading(unsafe=unsafe_load):
        model = init_model(config, checkpoint, device='cpu').eval()
    if export_to is not None:
        export_onnx(model, export_to)
        return OnnxHeatmapSession(export_to, threads, optimization,
                                  providers)
    with tempfile.TemporaryDirectory(prefix='awing_onnx_') as tmp:
        path = osp.join(tmp, 'model.onnx')
        export_onnx(model, path)
        return OnnxHeatmapSession(path, threads, optimization, providers)
