# Stage 6 of the pretrained model: stage 5 (awing_synthetic_wflw_stage5.py)
# fine-tuned on 10,000 new synthetic faces drawn with the same looks as
# stage 5's (seed 6), with one change of a different kind: half of the
# training crops go through a random convolution (RandConv), a random 3 -> 3
# channel filter of size 1, 3, 5 or 7 mixed with the crop. It scrambles the
# renderer's colours and textures and keeps every outline in place, so the
# network has to read the face's shape. Same network and schedule; still no
# real face for training or for any choice. Its rule against stage 5 is in
# docs/records/pretrained/stage6_decision.md.
#
#   STAGES=6 bash tools/train_pretrained.sh
_base_ = ['./awing_synthetic_wflw_stage5.py']

data_root = 'data/synthetic_pretrain_randconv/'
# stage 5's selected checkpoint; tools/train_pretrained.sh puts it there
load_from = 'work_dirs/awing_synthetic_wflw_stage5/stage5.pth'

# stage 5's pipeline with the random convolution after the colour jitter
train_pipeline = list(_base_.train_pipeline)
train_pipeline.insert(
    1 + [step['type'] for step in train_pipeline].index(
        'PhotometricDistortion'),
    dict(type='awing_mmpose.RandomConvolution', prob=0.5,
         kernel_sizes=(1, 3, 5, 7)))

train_dataloader = dict(
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
