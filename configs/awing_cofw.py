# Adaptive Wing loss on COFW (29 landmarks, heavy occlusion): the WFLW recipe
# on COFW data (tools/dataset_converters/cofw2coco.py). Inter-pupil NME.
_base_ = ['./awing_wflw.py']

num_keypoints = 29
layout = 'cofw'
data_root = 'data/cofw/'

model = dict(backbone=dict(num_heatmaps=num_keypoints + 1))

train_dataloader = dict(
    dataset=dict(
        layout=layout,
        data_root=data_root,
        ann_file='cofw_train.json',
        data_prefix=dict(img='images/')))
test_dataloader = dict(
    dataset=dict(
        layout=layout,
        data_root=data_root,
        ann_file='cofw_test.json',
        data_prefix=dict(img='images/')))

test_evaluator = dict(_delete_=True, type='awing_mmpose.FaceAlignmentMetric',
                      norm_mode='inter_pupil')
