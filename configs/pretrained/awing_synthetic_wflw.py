# The shipped pretrained model, awing://synthetic_wflw: the full method
# (AWing x Weighted Loss Map, boundary channel, CoordConv with boundary
# coordinates) at the CPU demo's size, trained only on synthetic faces in five
# stages (configs/pretrained/awing_synthetic_wflw_stage{1,2,3,4,5}.py): from
# scratch on 10,000 faces, then fine-tuned on 10,000 new ones four times,
# each time with one more look drawn (open heads, eyeglasses, relief inside
# the face, facial hair). Each later stage replaced the one before by a rule
# written before it was trained (docs/pretrained/stage{2,3,4,5}_decision.md).
# This config is the last stage's; the packaged one (awing_mmpose/pretrained/)
# is its dump.
#
#   bash tools/train_pretrained.sh    # all stages, tests, packaging
_base_ = ['./awing_synthetic_wflw_stage5.py']
