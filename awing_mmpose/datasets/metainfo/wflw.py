# WFLW (98 landmarks): MMPose's metainfo plus the 13 facial-boundary curves of
# the Adaptive Wing paper (0-based landmark indices, drawn in this order).
# The pupils (96, 97) belong to no curve.
_base_ = ['mmpose::_base_/datasets/wflw.py']

dataset_info = dict(
    boundary_curves=[
        list(range(0, 33)),  # cheek / jaw
        list(range(33, 38)),  # left brow, upper arc
        list(range(42, 47)),  # right brow, upper arc
        list(range(60, 65)),  # left eye, upper lid
        [60, 67, 66, 65, 64],  # left eye, lower lid
        list(range(68, 73)),  # right eye, upper lid
        [68, 75, 74, 73, 72],  # right eye, lower lid
        list(range(51, 55)),  # nose bridge
        list(range(55, 60)),  # nose bottom
        list(range(76, 83)),  # outer lip, upper
        [76, 87, 86, 85, 84, 83, 82],  # outer lip, lower
        list(range(88, 93)),  # inner lip, upper
        [88, 95, 94, 93, 92],  # inner lip, lower
    ])
