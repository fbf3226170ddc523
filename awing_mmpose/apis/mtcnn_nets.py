"""The three networks of MTCNN (Zhang, Zhang, Li, Qiao, "Joint Face
Detection and Alignment using Multi-task Cascaded Convolutional Networks",
IEEE SPL 2016) and where their trained weights come from.

The weights are the authors' Caffe models as ported to PyTorch state dicts
by ``facenet-pytorch`` (MIT licence), which ships them inside its wheel as
``facenet_pytorch/data/{pnet,rnet,onet}.pt`` (about 2 MB together). Only the
three files are read: ``facenet_pytorch`` itself is never imported (its
``__init__`` imports ``requests`` and a recognition model this package does
not need), so the package installs with ``pip install --no-deps``.

Layer names follow those state dicts. Inputs are RGB, normalised as
``(x - 127.5) / 128``; the fully connected layers of R-Net and O-Net read
their input in the ported (W, H, C) order, hence the ``permute`` before
``flatten``.
"""
import os.path as osp
from typing import Dict, Optional, Tuple

import torch
from torch import nn

from ..utils.package_data import installed_package_dir

#: the file of each stage's weights inside the ``facenet_pytorch`` package
WEIGHT_FILES = dict(pnet='pnet.pt', rnet='rnet.pt', onet='onet.pt')


def mtcnn_weights_dir(weights_dir: Optional[str] = None) -> str:
    """The folder holding ``pnet.pt``, ``rnet.pt`` and ``onet.pt``.

    Args:
        weights_dir (str, optional): a folder to use instead of the installed
            ``facenet_pytorch`` package's ``data`` folder.

    Raises:
        FileNotFoundError: naming the folder looked at and how to install the
            weights (``pip install --no-deps facenet-pytorch==2.6.0``).
    """
    if weights_dir is None:
        weights_dir = installed_package_dir('facenet_pytorch', 'data')
        if weights_dir is None:
            raise FileNotFoundError(
                'MTCNNFaceDetector: the MTCNN weights come from the '
                '"facenet-pytorch" package, which is not installed. Install '
                'it with `pip install --no-deps facenet-pytorch==2.6.0` (its '
                'declared pins would replace torch and numpy), or pass '
                'weights_dir=<folder with pnet.pt, rnet.pt, onet.pt>, or use '
                'the Haar detector (awing_mmpose.OpenCVFaceDetector).')
    missing = [
        f for f in WEIGHT_FILES.values()
        if not osp.isfile(osp.join(weights_dir, f))
    ]
    if missing:
        raise FileNotFoundError(
            f'MTCNNFaceDetector: {", ".join(missing)} missing in '
            f'"{weights_dir}"')
    return weights_dir


class PNet(nn.Module):
    """Proposal network, fully convolutional.

    ``forward``: (N, 3, H, W) -> box offsets (N, 4, H', W') and face
    probabilities (N, 2, H', W') (channel 1 = face), one cell per 12x12
    window at stride 2, H' = ceil((H - 2) / 2) - 4.
    """

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 10, 3)
        self.prelu1 = nn.PReLU(10)
        self.pool1 = nn.MaxPool2d(2, 2, ceil_mode=True)
        self.conv2 = nn.Conv2d(10, 16, 3)
        self.prelu2 = nn.PReLU(16)
        self.conv3 = nn.Conv2d(16, 32, 3)
        self.prelu3 = nn.PReLU(32)
        self.conv4_1 = nn.Conv2d(32, 2, 1)
        self.conv4_2 = nn.Conv2d(32, 4, 1)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        x = self.pool1(self.prelu1(self.conv1(x)))
        x = self.prelu3(self.conv3(self.prelu2(self.conv2(x))))
        return self.conv4_2(x), torch.softmax(self.conv4_1(x), dim=1)


class RNet(nn.Module):
    """Refinement network on 24x24 crops.

    ``forward``: (N, 3, 24, 24) -> box offsets (N, 4), probabilities (N, 2).
    """

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 28, 3)
        self.prelu1 = nn.PReLU(28)
        self.pool1 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.conv2 = nn.Conv2d(28, 48, 3)
        self.prelu2 = nn.PReLU(48)
        self.pool2 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.conv3 = nn.Conv2d(48, 64, 2)
        self.prelu3 = nn.PReLU(64)
        self.dense4 = nn.Linear(576, 128)
        self.prelu4 = nn.PReLU(128)
        self.dense5_1 = nn.Linear(128, 2)
        self.dense5_2 = nn.Linear(128, 4)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        x = self.pool1(self.prelu1(self.conv1(x)))
        x = self.pool2(self.prelu2(self.conv2(x)))
        x = self.prelu3(self.conv3(x))
        x = self.prelu4(self.dense4(x.permute(0, 3, 2, 1).flatten(1)))
        return self.dense5_2(x), torch.softmax(self.dense5_1(x), dim=1)


class ONet(nn.Module):
    """Output network on 48x48 crops.

    ``forward``: (N, 3, 48, 48) -> box offsets (N, 4), five landmarks (N, 10)
    (x1..x5, y1..y5 as fractions of the box), probabilities (N, 2).
    """

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3)
        self.prelu1 = nn.PReLU(32)
        self.pool1 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.prelu2 = nn.PReLU(64)
        self.pool2 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.conv3 = nn.Conv2d(64, 64, 3)
        self.prelu3 = nn.PReLU(64)
        self.pool3 = nn.MaxPool2d(2, 2, ceil_mode=True)
        self.conv4 = nn.Conv2d(64, 128, 2)
        self.prelu4 = nn.PReLU(128)
        self.dense5 = nn.Linear(1152, 256)
        self.prelu5 = nn.PReLU(256)
        self.dense6_1 = nn.Linear(256, 2)
        self.dense6_2 = nn.Linear(256, 4)
        self.dense6_3 = nn.Linear(256, 10)

    def forward(self, x: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        x = self.pool1(self.prelu1(self.conv1(x)))
        x = self.pool2(self.prelu2(self.conv2(x)))
        x = self.pool3(self.prelu3(self.conv3(x)))
        x = self.prelu4(self.conv4(x))
        x = self.prelu5(self.dense5(x.permute(0, 3, 2, 1).flatten(1)))
        return (self.dense6_2(x), self.dense6_3(x),
                torch.softmax(self.dense6_1(x), dim=1))


def load_mtcnn_nets(weights_dir: Optional[str] = None) -> Dict[str, nn.Module]:
    """P-Net, R-Net and O-Net with their trained weights, in eval mode.

    Returns:
        dict: ``pnet``, ``rnet``, ``onet``.
    """
    folder = mtcnn_weights_dir(weights_dir)
    nets = dict(pnet=PNet(), rnet=RNet(), onet=ONet())
    for name, net in nets.items():
        path = osp.join(folder, WEIGHT_FILES[name])
        try:
            state = torch.load(path, map_location='cpu', weights_only=True)
            net.load_state_dict(state)
        except Exception as e:  # a corrupt or foreign file
            raise IOError(f'MTCNNFaceDetector: cannot load {path}: {e}') \
                from e
        net.eval().requires_grad_(False)
    return nets
