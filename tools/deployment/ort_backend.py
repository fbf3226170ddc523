"""Run a loaded MMPose top-down model's network in ONNX Runtime.

:func:`use_onnxruntime` replaces the model's ``extract_feat`` with an ONNX
Runtime session of the exported network (``export_onnx.py``, default
normalisation: the input is the data preprocessor's output), so that
everything around it (detector, crops, flip test, decoding, drawing) stays
MMPose's. ``tools/demo.py --backend onnxruntime`` uses it.
"""
import os
import os.path as osp
import sys

import numpy as np

HERE = osp.dirname(osp.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)


def export_model(cfg, model, path: str, opset: int = 17) -> str:
    """Export ``model`` (backbone + head, last stack) to ``path`` with the
    metadata of ``export_onnx.py``; returns ``path``."""
    import export_onnx
    import torch
    size = tuple(cfg.get('codec', {}).get('input_size', None) or
                 export_onnx.find_transform(
                     cfg.test_dataloader.dataset.pipeline,
                     'TopdownAffine')['input_size'])
    meta = export_onnx.export_meta(cfg, model, size, (0, 0), False)
    wrapper = export_onnx.build_wrapper(model, meta, False)
    with torch.no_grad():
        hm = wrapper(torch.zeros(1, 3, size[1], size[0]))
    meta['heatmap_size'] = [int(hm.shape[3]), int(hm.shape[2])]
    if meta['num_keypoints'] is None:
        meta['num_keypoints'] = int(hm.shape[1]) - (
            1 if meta['boundary_channel'] == 'last' else 0)
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    export_onnx.export(wrapper, path, size, opset)
    export_onnx.add_metadata(path, meta)
    return path


def use_onnxruntime(model, onnx_path: str, threads: int = 0):
    """Make ``model.extract_feat`` run ``onnx_path`` in ONNX Runtime (CPU).

    Args:
        model: a top-down pose estimator (``TopdownPoseEstimator``).
        onnx_path (str): a file written by ``export_onnx.py`` without
            ``--bake-normalization``.
        threads (int): intra-op threads; 0 lets ONNX Runtime choose.

    Returns:
        onnxruntime.InferenceSession: the session now in use.
    """
    import onnxruntime as ort
    import torch
    from onnx_runner import load_model
    if not osp.isfile(onnx_path):
        raise FileNotFoundError(f'--backend onnxruntime: no ONNX file '
                                f'{onnx_path}')
    _, meta = load_model(onnx_path)
    if meta.get('normalization') != 'external':
        raise ValueError(
            f'{onnx_path}: exported with --bake-normalization; the '
            'onnxruntime backend feeds the data preprocessor\'s output, so '
            'export without it')
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    sess = ort.InferenceSession(onnx_path, opts,
                                providers=['CPUExecutionProvider'])
    name = sess.get_inputs()[0].name
    want = tuple(meta['input_size'])

    def extract_feat(inputs):
        if tuple(inputs.shape[-1:-3:-1]) != want:
            raise ValueError(f'{onnx_path}: exported for input (w, h) = '
                             f'{want}, got {tuple(inputs.shape[-1:-3:-1])}')
        x = np.ascontiguousarray(inputs.detach().float().cpu().numpy())
        out = sess.run(None, {name: x})[0]
        return (torch.from_numpy(out).to(inputs.device), )

    model.extract_feat = extract_feat
    return sess
