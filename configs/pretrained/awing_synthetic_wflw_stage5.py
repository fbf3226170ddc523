# Stage 5 of the pretrained model: stage 4 (awing_synthetic_wflw
# _stage4.py) fine-tuned on 10,000 new synthetic faces of which 35 % have
# facial hair: stubble, a moustache, a goatee or a full beard over the jaw
# line (generate_synthetic_faces.py --facial-hair 0.35); 70 % relief, 40 %
# eyeglasses, 70 % open heads and 70 % photo backgrounds as in stage 4. Same
# network, augmentation and schedule; still no real face for training or for
# any choice. It replaced stage 4 by the rule in
# docs/records/pretrained/stage5_decision.md.
#
#   STAGES=5 bash tools/train_pretrained.sh
_base_ = ['./awing_synthetic_wflw_stage4.py']

data_root = 'data/synthetic_pretrain_beard/'
# stage 4's selected checkpoint; tools/train_pretrained.sh puts it there
load_from = 'work_dirs/awing_synthetic_wflw_stage4/stage4.pth'

train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
