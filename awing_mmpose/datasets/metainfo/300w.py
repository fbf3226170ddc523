# 300W (68 landmarks): MMPose's metainfo plus the 13 facial-boundary curves of
# the Adaptive Wing paper (0-based landmark indices).
_base_ = ['mmpose::_base_/datasets/300w.py']

dataset_info = dict(
    boundary_curves=[
        list(range(0, 17)),  # jaw
        list(range(17, 22)),  # left brow
        list(range(22, 27)),  # right brow
        list(range(36, 40)),  # left eye, upper lid
        [36, 41, 40, 39],  # left eye, lower lid
        list(range(42, 46)),  # right eye, upper lid
        [42, 47, 46, 45],  # right eye, lower lid
        list(range(27, 31)),  # nose bridge
        list(range(31, 36)),  # nose bottom
        list(range(48, 55)),  # outer lip, upper
        [48, 59, 58, 57, 56, 55, 54],  # outer lip, lower
        list(range(60, 65)),  # inner lip, upper
        [60, 67, 66, 65, 64],  # inner lip, lower
    ])
