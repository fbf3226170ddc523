# What MMDetection's DetInferencer needs around a face detector that takes
# plain images: the scope, a test pipeline, a visualizer. Shared by the
# detector configs of this folder (an MMEngine config, read as data).
custom_imports = dict(
    imports=['awing_mmpose.apis'], allow_failed_imports=False)
default_scope = 'mmdet'

test_dataloader = dict(
    batch_size=1,
    num_workers=0,
    dataset=dict(
        type='CocoDataset',
        test_mode=True,
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(
                type='PackDetInputs',
                meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape')),
        ]))

# DetInferencer (and so MMPose's inferencer) needs a visualizer in the config.
visualizer = dict(type='mmdet.DetLocalVisualizer', name='face_det_vis')
