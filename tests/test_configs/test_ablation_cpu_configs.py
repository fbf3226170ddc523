"""The CPU-size ablation rows (configs/ablations/cpu/) are the paper rows'
method at the demo network size: same loss, channels and codec options,
only the sizes differ; their pipelines are the paper's, resized."""
import os.path as osp

import pytest
from mmengine.config import Config
from mmpose.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
ROWS = {
    '1_mse': 'ablations/awing_wflw_1_mse.py',
    '2_awing': 'ablations/awing_wflw_2_awing.py',
    '3_awing_naive_map': 'ablations/awing_wflw_3_awing_naive_map.py',
    '4_awing_wlm': 'ablations/awing_wflw_4_awing_wlm.py',
    '5_boundary': 'ablations/awing_wflw_5_boundary.py',
    '6_full': 'awing_wflw.py',
}


def _loss(cfg):
    """The loss config without use_target_weight (the CPU rows set it)."""
    def strip(d):
        return {k: strip(v) if isinstance(v, dict) else v
                for k, v in d.items() if k != 'use_target_weight'}
    return strip(cfg.model.head.loss.to_dict())


def _steps(pipeline):
    return [s['type'] for s in pipeline]


@pytest.mark.parametrize('row', list(ROWS))
def test_cpu_row_is_the_paper_row_at_cpu_size(row):
    paper = Config.fromfile(osp.join(ROOT, 'configs', ROWS[row]))
    cpu = Config.fromfile(
        osp.join(ROOT, 'configs', 'ablations', 'cpu', f'awing_wflw_{row}.py'))
    # the method: loss, output channels, boundary coordinates, codec options
    assert _loss(cpu) == _loss(paper)
    assert cpu.model.head.loss.get('use_target_weight') is True
    for key in ('num_heatmaps', 'with_coord', 'boundary_coords'):
        assert cpu.model.backbone.get(key) == paper.model.backbone.get(key)
    pc, cc = paper.model.head.decoder, cpu.model.head.decoder
    for key in ('type', 'boundary_curves', 'mask_kernel', 'refine'):
        assert cc.get(key) == pc.get(key), key
    # the size: demo network, 128 px input, 32 px heatmaps
    assert cc.input_size == (128, 128) and cc.heatmap_size == (32, 32)
    assert cpu.model.backbone.num_stacks == 2
    assert cpu.optim_wrapper.optimizer.type == 'Adam'
    # same steps as the paper's pipelines, resized, the row's codec
    train = cpu.train_dataloader.dataset.pipeline
    assert _steps(train) == _steps(paper.train_dataloader.dataset.pipeline)
    test = cpu.test_dataloader.dataset.pipeline
    assert _steps(test) == _steps(paper.test_dataloader.dataset.pipeline)
    for step in train + test:
        if step['type'] == 'TopdownAffine':
            assert tuple(step['input_size']) == (128, 128)
        if step['type'] == 'GenerateTarget':
            assert step['encoder'] == cc
    # no model selection on any split
    assert cpu.val_dataloader is None and cpu.val_evaluator is None
    MODELS.build(cpu.model)
