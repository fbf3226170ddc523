# Adaptive Wing loss on 300W (68 landmarks): the WFLW recipe on 300W data.
# Train: AFW + HELEN train + LFPW train; test: common (HELEN + LFPW test) and
# challenge (IBUG), reported with the full set (tools/dataset_converters/
# face300w2coco.py writes these jsons). Inter-ocular NME (outer eye corners).
_base_ = ['./awing_wflw.py']

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
