"""Every config builds its model; the configs that reuse the Weighted Loss
Map in other MMPose models train on the CPU; the ablation ladder reads as a
chain of small diffs."""
import glob
import json
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.config import Config
from mmpose.registry import MODELS

from awing_mmpose.models.losses import AdaptiveWingLoss, WeightedLossMap

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
METHOD_CONFIGS = sorted(
    glob.glob(osp.join(ROOT, 'configs', 'awing_*.py')) +
    glob.glob(osp.join(ROOT, 'configs', 'ablations', '*.py')))


def build(path):
    cfg = Config.fromfile(path)
    cfg.model.backbone.pop('init_cfg', None)
    return cfg, MODELS.build(cfg.model)


@pytest.mark.parametrize('path', METHOD_CONFIGS, ids=osp.basename)
def test_method_configs_build(path):
    cfg, model = build(path)
    num_kpts = dict(wflw=98, cofw=29)
    num_kpts['300w'] = 68
    k = num_kpts[cfg.train_dataloader.dataset.layout]
    with_boundary = model.head.decoder.with_boundary
    assert cfg.model.backbone.num_heatmaps == k + int(with_boundary)
    assert model.backbone.boundary_coords <= with_boundary


def test_paper_recipe_values():
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'awing_wflw.py'))
    opt = cfg.optim_wrapper.optimizer
    assert (opt.type, opt.lr, opt.momentum, opt.weight_decay) == \
        ('RMSprop', 1e-4, 0., 1e-5)
    assert cfg.train_cfg.max_epochs == 240
    assert cfg.param_scheduler[0].milestones == [80, 160]
    assert cfg.model.backbone.num_stacks == 4
    aug = {t['type']: t for t in cfg.train_dataloader.dataset.pipeline}
    keep = aug['awing_mmpose.KeepLandmarksInCrop']
    assert keep['transform']['rotate_factor'] == 50.
    assert keep['transform']['scale_factor'] == (0.85, 1.15)
    # every landmark at least one heatmap pixel inside the 256 crop
    assert (keep['margin'], keep['max_tries']) == (4., 5)
    assert aug['GetBBoxCenterScale']['padding'] == 1.1
    assert 'awing_mmpose.RandomOcclusion' in aug
    # landmarks outside the crop get weight 0 and the loss honours it
    assert cfg.model.head.loss.use_target_weight
    # no model selection on the test split: no validation loop at all
    assert cfg.val_dataloader is None and cfg.val_cfg is None
    assert 'save_best' not in cfg.default_hooks.checkpoint


@pytest.mark.parametrize('name', ['awing_300w.py', 'awing_cofw.py'])
def test_other_paper_configs_select_nothing(name):
    cfg = Config.fromfile(osp.join(ROOT, 'configs', name))
    assert cfg.val_dataloader is None and cfg.val_cfg is None
    assert cfg.test_dataloader.dataset.test_mode
    assert cfg.model.head.loss.use_target_weight


def test_demo_selects_on_the_validation_split():
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'awing_demo.py'))
    assert cfg.val_dataloader.dataset.ann_file.endswith('wflw_val.json')
    assert cfg.test_dataloader.dataset.ann_file.endswith('wflw_test.json')
    assert cfg.default_hooks.checkpoint.save_best == 'NME'


def test_official_protocol_config():
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'awing_wflw_official.py'))
    codec = cfg.model.head.decoder
    assert (codec.pixel_convention, codec.refine) == ('corner',
                                                      'quarter_authors')
    assert cfg.model.test_cfg.flip_test is False
    steps = [t['type'] for t in cfg.test_dataloader.dataset.pipeline]
    assert steps == ['LoadImage', 'awing_mmpose.OfficialWFLWCrop',
                     'PackPoseInputs']
    pre = cfg.model.data_preprocessor
    assert pre.bgr_to_rgb and list(pre.std) == [255.] * 3


@pytest.mark.slow
def test_ablation_ladder():
    d = osp.join(ROOT, 'configs', 'ablations')
    models = {
        osp.basename(p)[:-3]: build(p)[1]
        for p in sorted(glob.glob(osp.join(d, '*.py')))
    }
    _, full = build(osp.join(ROOT, 'configs', 'awing_wflw.py'))
    mse = models['awing_wflw_1_mse']
    assert type(mse.head.loss_module).__name__ == 'KeypointMSELoss'
    assert isinstance(models['awing_wflw_2_awing'].head.loss_module,
                      AdaptiveWingLoss)
    naive = models['awing_wflw_3_awing_naive_map'].head.loss_module
    wlm = models['awing_wflw_4_awing_wlm'].head.loss_module
    assert isinstance(naive, WeightedLossMap) and naive.kernel_size == 1
    assert wlm.kernel_size == 3
    for m in list(models.values()) + [full]:
        assert m.head.loss_module.use_target_weight
    for m in list(models.values())[:4]:
        assert not m.head.decoder.with_boundary
    boundary = models['awing_wflw_5_boundary']
    assert boundary.head.decoder.with_boundary
    assert not boundary.backbone.boundary_coords
    assert full.backbone.boundary_coords


def test_ablation_configs_do_not_copy_the_pipeline():
    """Row 1 differs from the paper config's training pipeline only in the
    codec of its GenerateTarget."""
    paper = Config.fromfile(osp.join(ROOT, 'configs', 'awing_wflw.py'))
    mse = Config.fromfile(
        osp.join(ROOT, 'configs', 'ablations', 'awing_wflw_1_mse.py'))
    ours = mse.train_dataloader.dataset.pipeline
    theirs = paper.train_dataloader.dataset.pipeline
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        if a['type'] == 'GenerateTarget':
            assert a['encoder']['boundary_curves'] is None
        else:
            assert a == b
    with open(osp.join(ROOT, 'configs', 'ablations',
                       'awing_wflw_1_mse.py')) as f:
        assert 'RandomBBoxTransform' not in f.read()


def write_faces(root, num_kpts, n=2, size=96):
    """A tiny COCO-style key-point set with random points in the box."""
    rng = np.random.default_rng(0)
    images, anns = [], []
    for i in range(n):
        name = f'{i}.jpg'
        cv2.imwrite(osp.join(root, name),
                    rng.integers(0, 255, (size, size, 3), np.uint8))
        kpts = rng.uniform(20, size - 20, (num_kpts, 2))
        flat = np.concatenate([kpts, np.full((num_kpts, 1), 2)], 1)
        images.append(dict(id=i + 1, file_name=name, width=size,
                           height=size))
        anns.append(dict(id=i + 1, image_id=i + 1, category_id=1,
                         keypoints=flat.ravel().tolist(),
                         num_keypoints=num_kpts, bbox=[10, 10, 76, 76],
                         area=76. * 76, iscrowd=0, center=[48, 48],
                         scale=0.38))
    path = osp.join(root, 'ann.json')
    with open(path, 'w') as f:
        json.dump(dict(images=images, annotations=anns,
                       categories=[dict(id=1, name='person')]), f)
    return path


@pytest.mark.slow
@pytest.mark.parametrize('config,num_kpts', [
    ('td-hm_hrnetv2-w18_awing-wlm_wflw-256x256.py', 98),
    ('td-hm_res50_awing-wlm_coco-256x192.py', 17),
])
def test_reuse_configs_train_on_cpu(config, num_kpts, tmp_path, run_tool):
    run = run_tool
    write_faces(str(tmp_path), num_kpts)
    path = osp.join(ROOT, 'configs', 'reuse', config)
    cfg = Config.fromfile(path)
    loss = cfg.model.head.loss
    assert loss.type == 'awing_mmpose.WeightedLossMap'
    opts = [
        'train_cfg.max_epochs=1', 'model.backbone.init_cfg=None',
        f'train_dataloader.dataset.data_root={tmp_path}/',
        'train_dataloader.dataset.ann_file=ann.json',
        'train_dataloader.dataset.data_prefix.img=',
        'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'default_hooks.logger.interval=1'
    ]
    work = str(tmp_path / 'work')
    proc = run('tools/train.py', path, '--work-dir', work, '--no-validate',
               '--cfg-options', *opts)
    assert osp.isfile(osp.join(work, 'epoch_1.pth'))
    assert 'loss_kpt' in proc.stdout + proc.stderr
