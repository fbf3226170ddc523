# Reusing the loss for bodies: MMPose's SimpleBaseline ResNet-50 on COCO
# with AdaptiveWingLoss x Weighted Loss Map instead of MSE. Only the loss
# changes. AWing expects heatmaps in [0, 1], which MMPose's MSRA codec gives.
_base_ = [
    'mmpose::body_2d_keypoint/topdown_heatmap/coco/'
    'td-hm_res50_8xb64-210e_coco-256x192.py'
]

custom_imports = dict(imports=['awing_mmpose'], allow_failed_imports=False)

model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='awing_mmpose.WeightedLossMap',
            loss=dict(type='awing_mmpose.AdaptiveWingLoss'),
            weight=10.,
            use_target_weight=True)))
