# Reusing the loss in another MMPose model: MMPose's HRNetV2-W18 on WFLW
# (its AWing recipe, 4.02 NME with MMPose's AdaptiveWingLoss) with the
# paper's Weighted Loss Map around this package's AdaptiveWingLoss. Only the
# loss changes; the model, codec (MSRA heatmaps) and data are MMPose's.
_base_ = [
    'mmpose::face_2d_keypoint/topdown_heatmap/wflw/'
    'td-hm_hrnetv2-w18_awing-8xb64-60e_wflw-256x256.py'
]

custom_imports = dict(imports=['awing_mmpose'], allow_failed_imports=False)

model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='awing_mmpose.WeightedLossMap',
            loss=dict(type='awing_mmpose.AdaptiveWingLoss'),
            weight=10.,
            kernel_size=3,
            threshold=0.2,
            use_target_weight=True)))
