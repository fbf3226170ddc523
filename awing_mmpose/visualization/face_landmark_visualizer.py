"""MMPose's pose visualizer, made to work with NumPy >= 2.3.

MMPose 1.3.2's :class:`~mmpose.visualization.PoseLocalVisualizer` draws
every keypoint with ``draw_circles(kpt, radius=np.array([r]))``. With the
OpenCV backend (MMPose's default) ``OpencvBackendVisualizer.draw_circles``
then calls ``int(radius)`` on that (1,) array, which NumPy 2.3 turned from
a deprecation warning into ``TypeError: only 0-dimensional arrays can be
converted to Python scalars``: ``tools/test.py --show-dir``,
``MMPoseInferencer`` and ``tools/demo.py`` fail on the first face drawn.

:class:`FaceLandmarkVisualizer` is MMPose's class with one method
overridden: a single-element ``radius`` becomes a Python number before
MMPose's code runs. The configs name it (``configs/_base_/default_runtime.py``:
``visualizer=dict(type='awing_mmpose.FaceLandmarkVisualizer')``); MMPose's
own class is left as it is. It can go when MMPose releases its fix.
"""
from typing import Any

import numpy as np
import torch
from mmpose.visualization import PoseLocalVisualizer

from awing_mmpose.registry import VISUALIZERS


def scalar_radius(radius: Any) -> Any:
    """``radius`` as a Python number when it is a one-element array or
    tensor (``np.array([r])``); anything else unchanged."""
    if isinstance(radius, torch.Tensor):
        radius = radius.detach().cpu().numpy()
    if isinstance(radius, np.ndarray) and radius.ndim > 0 \
            and radius.size == 1:
        return radius.reshape(-1)[0].item()
    return radius


@VISUALIZERS.register_module()
class FaceLandmarkVisualizer(PoseLocalVisualizer):
    """:class:`mmpose.visualization.PoseLocalVisualizer` whose
    ``draw_circles`` accepts the (1,)-shaped radius MMPose passes (see the
    module docstring). Arguments: as MMPose's class."""

    def draw_circles(self, center, radius, *args, **kwargs):
        """As MMPose's, with a one-element ``radius`` made a scalar."""
        return super().draw_circles(center, scalar_radius(radius), *args,
                                    **kwargs)
