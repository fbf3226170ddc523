"""Packaging of awing-mmpose.

``pip install .`` (or a wheel from ``pip wheel .``) installs the package
with its data: the dataset metainfo files of
``awing_mmpose/datasets/metainfo`` (MMEngine config files, read by path, so
package data rather than modules). The OpenMMLab stack must be importable
already; ``tools/setup_env.sh`` installs it (mmcv has no wheel on PyPI, see
``docs/installation.md``).
"""
import os.path as osp

from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def readme() -> str:
    """README.md as the long description (empty when building from a copy
    of the sources without it)."""
    path = osp.join(HERE, 'README.md')
    if not osp.isfile(path):
        return ''
    with open(path, encoding='utf-8') as f:
        return f.read()


setup(
    name='awing_mmpose',
    version='0.1.0',
    description='Adaptive Wing Loss face alignment (Wang et al., ICCV 2019) '
    'as an MMPose 1.x plugin',
    long_description=readme(),
    long_description_content_type='text/markdown',
    # the code and the shipped pretrained weights (LICENSE; the model card
    # awing_mmpose/pretrained/synthetic_wflw.json lists the training images)
    license='Apache-2.0',
    license_files=['LICENSE'],
    classifiers=[
        'Development Status :: 4 - Beta',
        'Intended Audience :: Developers',
        'Intended Audience :: Science/Research',
        'Operating System :: POSIX :: Linux',
        'Programming Language :: Python :: 3',
        'Topic :: Scientific/Engineering :: Artificial Intelligence',
        'Topic :: Scientific/Engineering :: Image Recognition',
    ],
    packages=find_packages(include=['awing_mmpose', 'awing_mmpose.*']),
    package_data={
        'awing_mmpose.datasets': ['metainfo/*.py'],
        # the pretrained synthetic-face model (weights + its config)
        'awing_mmpose.pretrained': ['*.pth', '*.py', '*.json'],
    },
    include_package_data=False,
    python_requires='>=3.9',
    # what the package imports at run time (pins as tested together)
    install_requires=[
        'mmpose==1.3.2', 'mmengine==0.10.7', 'mmcv==2.1.0', 'mmdet==3.3.0',
        'torch>=2.0', 'numpy', 'scipy',
        # 4.x: opencv-python 5 ships no Haar cascade (the offline detector)
        'opencv-python>=4.5,<5', 'matplotlib', 'h5py', 'tqdm'
    ],
    # The default face detector (MTCNN) reads its weights from the
    # facenet-pytorch wheel. Install it with `pip install --no-deps
    # facenet-pytorch==2.6.0`: its declared pins (torch<2.3, numpy<2) would
    # replace the stack's; the weights need only torch.
    extras_require={
        'onnx': ['onnx', 'onnxruntime'],
        'tests': ['pytest'],
        'detector': ['facenet-pytorch==2.6.0'],
        # photographs for synthetic backgrounds / occluders (training)
        'photos': ['scikit-image'],
    },
)
