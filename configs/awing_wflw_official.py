# The authors' evaluation protocol, for their released WFLW checkpoint
# (converted with tools/model_converters/awing_official_to_mmpose.py; see
# docs/official_checkpoint.md). Same network as configs/awing_wflw.py;
# what differs is how the face is cut and how heatmaps are read:
# * crop: the WFLW box padded by 5 %, a square of side 0.8 (w + h) around
#   its centre (enlarged while a landmark falls outside [10, 440] of its
#   450-px resize), then the middle 360 x 360 of the 450 crop to 256 x 256,
#   where configs/awing_wflw.py takes 1.1 x the box's longer side;
# * decoding: argmax, a quarter pixel toward the higher neighbour only off
#   the border in both axes, heatmap pixel i at input 4 i + 2;
# * no flip test; RGB / 255 input (as configs/awing_wflw.py).
# Use the WFLW test json converted WITHOUT --enlarge (the raw boxes).
# NME, FR and AUC are inter-ocular (60, 72), as in the authors' code.
_base_ = ['./awing_wflw.py']

codec = dict(
    _base_.codec, refine='quarter_authors', pixel_convention='corner')

model = dict(head=dict(decoder=codec), test_cfg=dict(flip_test=False))

test_pipeline = [
    dict(type='LoadImage'),
    dict(type='awing_mmpose.OfficialWFLWCrop', input_size=(256, 256)),
    dict(type='PackPoseInputs')
]
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
