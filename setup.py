from setuptools import find_packages, setup

setup(
    name='awing_mmpose',
    version='0.1.0',
    description='Adaptive Wing Loss face alignment (Wang et al., ICCV 2019) '
    'as an MMPose 1.x plugin',
    packages=find_packages(include=['awing_mmpose', 'awing_mmpose.*']),
    python_requires='>=3.9',
    install_requires=[
        'mmpose==1.3.2', 'mmengine==0.10.7', 'mmcv==2.1.0', 'mmdet==3.3.0',
        'scipy', 'opencv-python', 'h5py', 'tqdm'
    ],
    # The default face detector (MTCNN) reads its weights from the
    # facenet-pytorch wheel. Install it with `pip install --no-deps
    # facenet-pytorch==2.6.0`: its declared pins (torch<2.3, numpy<2) would
    # replace the stack's; the weights need only torch.
    extras_require={
        'onnx': ['onnx', 'onnxruntime'],
        'tests': ['pytest'],
        'detector': ['facenet-pytorch==2.6.0'],
    },
)
