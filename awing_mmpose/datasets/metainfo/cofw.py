# COFW (29 landmarks, the .mat order that MMPose's cofw json keeps): MMPose's
# metainfo plus the 13 three-point boundary curves of the Adaptive Wing
# authors' code.
_base_ = ['mmpose::_base_/datasets/cofw.py']

dataset_info = dict(
    boundary_curves=[
        [0, 4, 2],  # left brow, upper
        [0, 5, 2],  # left brow, lower
        [1, 6, 3],  # right brow, upper
        [1, 7, 3],  # right brow, lower
        [8, 12, 10],  # left eye, upper
        [8, 13, 10],  # left eye, lower
        [9, 14, 11],  # right eye, upper
        [9, 15, 11],  # right eye, lower
        [18, 21, 19],  # nose
        [22, 24, 23],  # outer lip, upper
        [22, 25, 23],  # inner lip, upper
        [22, 26, 23],  # outer lip, lower
        [22, 27, 23],  # inner lip, lower
    ])
