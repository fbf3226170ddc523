# Stage 4 of the pretrained model: stage 3 (awing_synthetic_wflw
# _stage3.py) fine-tuned on 10,000 new synthetic faces of which 70 % carry
# relief inside the face: nasolabial folds, cheekbone highlight and hollow,
# creases under the eyes and above the chin (generate_synthetic_faces.py
# --relief 0.7); 40 % eyeglasses, 70 % open heads, 70 % photo backgrounds
# as in stage 3. Same network, augmentation and schedule; still no real face
# for training or for any choice. It replaced stage 3 by the rule in
# docs/records/pretrained/stage4_decision.md.
_base_ = ['./awing_synthetic_wflw_stage3.py']

data_root = 'data/synthetic_pretrain_relief/'
# stage 3's selected checkpoint; tools/train_pretrained.sh puts it there
load_from = 'work_dirs/awing_synthetic_wflw_stage3/stage3.pth'

train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
