# Fine-tune the shipped pretrained model on faces in the COFW layout (29
# points; tools/dataset_converters/cofw2coco.py), inter-pupil NME. As for
# 300W, the layers whose shape depends on the number of heatmaps start from
# their initialisation; every other weight is loaded.
_base_ = ['./awing_pretrained_wflw.py']

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
