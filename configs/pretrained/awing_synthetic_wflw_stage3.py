# Stage 3 of the pretrained model: stage 2 (awing_synthetic_wflw_stage2.py)
# fine-tuned on 10,000 new synthetic faces of which 40 % wear clear
# eyeglasses: rims round the eyes, a bridge, arms, tinted lenses with a glare
# (generate_synthetic_faces.py --eyeglasses 0.4); 70 % open heads and 70 %
# photo backgrounds as in stage 2. Same network and augmentation; still no
# real face for training or for any choice. It replaced stage 2 by the rule
# in docs/records/pretrained/stage3_decision.md.
#
#   STAGES=3 bash tools/train_pretrained.sh
_base_ = ['./awing_synthetic_wflw_stage2.py']

data_root = 'data/synthetic_pretrain_glasses/'
# stage 2's selected checkpoint; tools/train_pretrained.sh puts it there
load_from = 'work_dirs/awing_synthetic_wflw_stage2/stage2.pth'

# stage 2's schedule (warm-up, x0.2 after epoch 3) one epoch shorter: it
# ended at lr 8e-5; restart at 3e-4, then 6e-5 for the last epoch
max_epochs = 4
train_cfg = dict(max_epochs=max_epochs, val_interval=1)
optim_wrapper = dict(optimizer=dict(lr=3e-4))

train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
