# The shipped pretrained model, awing://synthetic_wflw: the full method
# (AWing x Weighted Loss Map, boundary channel, CoordConv with boundary
# coordinates) at the CPU demo's size, trained only on synthetic faces in six
# stages (configs/pretrained/awing_synthetic_wflw_stage{1,...,6}.py): from
# scratch on 10,000 faces, then fine-tuned on 10,000 new ones five times:
# four times with one more look drawn (open heads, eyeglasses, relief inside
# the face, facial hair), then with random convolutions of the training
# crops. Each later stage replaced the one before by a rule written before it
# was trained (docs/records/pretrained/stage{2,...,6}_decision.md). This
# config is the last stage's; the packaged one (awing_mmpose/pretrained/) is
# its dump.
#
#   bash tools/train_pretrained.sh    # all stages, tests, packaging
_base_ = ['./awing_synthetic_wflw_stage6.py']
