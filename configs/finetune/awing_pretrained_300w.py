# Fine-tune the shipped pretrained model on faces in the 300W layout (68
# points; tools/dataset_converters/face300w2coco.py). The pretrained network
# predicts 98 + 1 heatmaps: the layers whose shape depends on the number of
# heatmaps (the last layer of each stack and the heatmap-to-features layer
# between stacks) start from their initialisation and MMEngine logs them as
# size mismatches; every other weight is loaded.
_base_ = ['./awing_pretrained_wflw.py']

num_keypoints = 68
layout = '300w'
data_root = 'data/300w/'

model = dict(backbone=dict(num_heatmaps=num_keypoints + 1))
train_dataloader = dict(
    dataset=dict(
        layout=layout,
        data_root=data_root,
        ann_file='annotations/face_landmarks_300w_train.json',
        data_prefix=dict(img='')))
test_dataloader = dict(
    dataset=dict(
        layout=layout,
        data_root=data_root,
        ann_file='annotations/face_landmarks_300w_valid.json',
        data_prefix=dict(img='')))
test_evaluator = dict(subsets=['common', 'challenge'])
