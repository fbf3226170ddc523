"""Boundary-augmented heatmap codec (Wang, Bo, Fuxin, ICCV 2019, Sec. 4.3).

Coordinates: two pixel conventions, chosen with ``pixel_convention``; both
are used for encoding and decoding alike, so a point survives
encode-then-decode either way.

* ``'center'`` (default): input pixel ``j`` is the point ``j`` (its centre,
  as OpenCV's warps and MMPose's annotations see it); a heatmap of stride
  ``s`` samples the input at pixel centres, so heatmap pixel ``i`` sits at
  input coordinate ``(i + 0.5) * s - 0.5``. Horizontal flips need no heatmap
  shift.
* ``'corner'``: the authors' code: input pixel ``j`` spans ``[j, j + 1)``
  and heatmap pixel ``i`` spans ``[i * s, (i + 1) * s)``, so it sits at
  ``(i + 0.5) * s``, i.e. ``4 i + 2`` at stride 4 (their decoding). Use it to
  evaluate their released weights (``configs/awing_wflw_official.py``).
"""
from typing import Optional, Sequence, Tuple, Union

import numpy as np
from mmpose.codecs.base import BaseKeypointCodec

from awing_mmpose.registry import KEYPOINT_CODECS
from .utils import (boundary_heatmap, dilated_mask, gaussian_heatmaps,
                    load_boundary_curves, refine_dark, refine_quarter)

#: input coordinate of the left edge of input pixel 0, per convention
PIXEL_CONVENTIONS = {'center': 0.5, 'corner': 0.}
REFINE_MODES = ('quarter', 'quarter_authors', 'dark', 'none')


@KEYPOINT_CODECS.register_module()
class BoundaryHeatmap(BaseKeypointCodec):
    """K Gaussian landmark heatmaps plus one facial-boundary heatmap.

    Encoded (one instance, top-down):

    - ``heatmaps`` (K+1, H, W): channel k < K is
      :math:`\\exp(-\\|p - p_k\\|^2 / 2\\sigma^2)` truncated at
      ``truncate * sigma``; channel K (the last) is the boundary map
      :math:`\\exp(-d^2 / 2\\sigma_b^2)` for :math:`d < 3\\sigma_b`, else 0,
      :math:`d` the distance to the curves through each facial part.
    - ``foreground_mask`` (K+1, H, W): :math:`M` of the Weighted Loss Map
      (3x3 grey dilation >= 0.2), so the loss needs no second pass.
    - ``keypoint_weights`` (1, K+1): 1 for a visible landmark inside the
      input crop, else 0 (its channel then asks for nothing and is not
      trained); 1 for the boundary channel unless no curve could be drawn.

    Args:
        input_size (tuple): input image size (w, h). Defaults to (256, 256).
        heatmap_size (tuple): heatmap size (w, h). Defaults to (64, 64).
        sigma (float): landmark Gaussian sigma in heatmap pixels. The
            authors' 7x7 patch has an effective sigma of 1.75.
        truncate (float): landmark Gaussians are 0 beyond ``truncate*sigma``.
        boundary_curves (str | list[list[int]] | None): landmark indices of
            each facial-part curve. ``'auto'`` (default) takes them from the
            dataset's metainfo (``awing_mmpose.FaceLandmarkDataset`` passes
            its ``boundary_curves`` to the pipeline); otherwise a built-in
            name (``'wflw'``, ``'300w'``, ``'cofw'``), the path of a metainfo
            file whose ``dataset_info`` has ``boundary_curves``, or the list
            itself. None: no boundary channel (the ablations without it).
        boundary_sigma (float): :math:`\\sigma_b`. Defaults to 1.
        curve_samples (int): spline samples per curve. Defaults to 100.
        mask_kernel (int): dilation square of ``foreground_mask``; 1 gives the
            naive map, 0 disables the mask. Defaults to 3.
        mask_threshold (float): threshold of ``foreground_mask``.
        refine (str): sub-pixel decoding: ``'quarter'`` (a quarter pixel
            toward the higher neighbour, in x and in y independently, each
            where that axis is off the border), ``'quarter_authors'`` (the
            same shift exactly as the authors' code applies it: only when
            the maximum is off the border in both axes), ``'dark'`` (Taylor
            expansion of the log-heatmap) or ``'none'``.
        pixel_convention (str): ``'center'`` (default) or ``'corner'`` (the
            authors'), see the module docstring.
        blur_kernel_size (int): Gaussian modulation before ``'dark'``; 0
            disables it. Defaults to 0.
    """

    auxiliary_encode_keys = {'boundary_curves'}
    label_mapping_table = dict(keypoint_weights='keypoint_weights')
    field_mapping_table = dict(
        heatmaps='heatmaps', foreground_mask='foreground_mask')

    def __init__(self,
                 input_size: Tuple[int, int] = (256, 256),
                 heatmap_size: Tuple[int, int] = (64, 64),
                 sigma: float = 1.75,
                 truncate: float = 3.,
                 boundary_curves: Union[str, Sequence[Sequence[int]],
                                        None] = 'auto',
                 boundary_sigma: float = 1.,
                 curve_samples: int = 100,
                 mask_kernel: int = 3,
                 mask_threshold: float = 0.2,
                 refine: str = 'quarter',
                 blur_kernel_size: int = 0,
                 pixel_convention: str = 'center') -> None:
        super().__init__()
        if refine not in REFINE_MODES:
            raise ValueError(f'BoundaryHeatmap: unknown refine {refine!r} '
                             f'(one of {", ".join(REFINE_MODES)})')
        if pixel_convention not in PIXEL_CONVENTIONS:
            raise ValueError(
                f'BoundaryHeatmap: unknown pixel_convention '
                f'{pixel_convention!r} (one of '
                f'{", ".join(PIXEL_CONVENTIONS)})')
        self.input_size = tuple(input_size)
        self.heatmap_size = tuple(heatmap_size)
        self.stride = np.array(input_size, np.float32) / np.array(
            heatmap_size, np.float32)
        self.sigma = sigma
        self.truncate = truncate
        self.with_boundary = boundary_curves is not None
        self.boundary_curves = (
            boundary_curves if boundary_curves == 'auto' else
            load_boundary_curves(boundary_curves))
        self.boundary_sigma = boundary_sigma
        self.curve_samples = curve_samples
        self.mask_kernel = mask_kernel
        self.mask_threshold = mask_threshold
        self.refine = refine
        self.blur_kernel_size = blur_kernel_size
        self.pixel_convention = pixel_convention
        self._origin = PIXEL_CONVENTIONS[pixel_convention]

    def to_heatmap_coords(self, keypoints: np.ndarray) -> np.ndarray:
        """Input-image coordinates (..., 2) to heatmap coordinates."""
        return (keypoints + self._origin) / self.stride - 0.5

    def to_input_coords(self, keypoints: np.ndarray) -> np.ndarray:
        """Heatmap coordinates (..., 2) to input-image coordinates."""
        return (keypoints + 0.5) * self.stride - self._origin

    def encode(self,
               keypoints: np.ndarray,
               keypoints_visible: Optional[np.ndarray] = None,
               boundary_curves: Optional[Sequence[Sequence[int]]] = None
               ) -> dict:
        """Encode one instance.

        Args:
            keypoints (np.ndarray): (1, K, 2) in input-image pixels.
            keypoints_visible (np.ndarray, optional): (1, K).
            boundary_curves (list[list[int]], optional): the dataset's
                curves, used when the codec was built with ``'auto'``.

        Returns:
            dict: ``heatmaps`` (C, H, W), ``keypoint_weights`` (1, C) and,
            unless ``mask_kernel == 0``, ``foreground_mask`` (C, H, W), with
            C = K + 1 (K without boundary curves).
        """
        if keypoints.ndim != 3 or keypoints.shape[0] != 1:
            raise ValueError('BoundaryHeatmap encodes one instance (top-down)'
                             f', got keypoints of shape {keypoints.shape}')
        if keypoints_visible is None:
            keypoints_visible = np.ones(keypoints.shape[:2], np.float32)
        points = self.to_heatmap_coords(keypoints[0, :, :2].astype(np.float64))
        visible = keypoints_visible[0] > 0
        if not np.isfinite(points[visible]).all():
            raise ValueError('BoundaryHeatmap: NaN or infinite coordinate '
                             'among the visible keypoints')
        heatmaps, weights = gaussian_heatmaps(points, visible,
                                              self.heatmap_size, self.sigma,
                                              self.truncate)
        # a landmark outside the crop has no target: weight 0, never an
        # empty channel that teaches "no landmark here"
        weights = weights * self._on_heatmap(points)
        if self.with_boundary:
            curves = self._curves(boundary_curves)
            num_kpts = points.shape[0]
            if max(max(c) for c in curves) >= num_kpts:
                raise ValueError(
                    f'BoundaryHeatmap: the boundary curves index landmark '
                    f'{max(max(c) for c in curves)} but the instance has '
                    f'{num_kpts} keypoints')
            boundary = boundary_heatmap(points, visible, curves,
                                        self.heatmap_size,
                                        self.boundary_sigma,
                                        self.curve_samples)
            heatmaps = np.concatenate([heatmaps, boundary[None]], axis=0)
            weights = np.append(weights, float(boundary.max() > 0))
        weights = weights.astype(np.float32)
        encoded = dict(heatmaps=heatmaps, keypoint_weights=weights[None])
        if self.mask_kernel:
            encoded['foreground_mask'] = dilated_mask(
                heatmaps, self.mask_kernel, self.mask_threshold)
        return encoded

    def in_crop(self, keypoints: np.ndarray) -> np.ndarray:
        """(K,) 1. where an input-image point (K, 2) lies on the input crop
        (the heatmap area, pixel edges included, in this codec's pixel
        convention), else 0: the points that :meth:`encode` weighs."""
        return self._on_heatmap(
            self.to_heatmap_coords(np.asarray(keypoints, np.float64)))

    def _on_heatmap(self, points: np.ndarray) -> np.ndarray:
        """:meth:`in_crop` of heatmap coordinates (K, 2)."""
        size = np.asarray(self.heatmap_size, np.float64)
        with np.errstate(invalid='ignore'):
            ok = (points >= -0.5) & (points <= size - 0.5)
        return ok.all(axis=1).astype(np.float32)

    def _curves(self, given) -> list:
        if self.boundary_curves != 'auto':
            return self.boundary_curves
        if given is None:
            raise ValueError(
                "BoundaryHeatmap(boundary_curves='auto') takes the curves "
                "from the dataset metainfo, but this sample has none: use "
                "dataset type 'awing_mmpose.FaceLandmarkDataset' or give the "
                "codec boundary_curves ('wflw', '300w', 'cofw' or a list)")
        return [list(c) for c in given]

    def decode(self, encoded: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Decode landmark heatmaps; the boundary channel (last) is dropped.

        Args:
            encoded (np.ndarray): (K+1, H, W) heatmaps (K without boundary).

        Returns:
            tuple: keypoints (1, K, 2) in input-image pixels and their scores
            (1, K), the heatmap maxima.
        """
        heatmaps = encoded[:-1] if self.with_boundary else encoded
        heatmaps = np.ascontiguousarray(heatmaps, dtype=np.float32)
        # Not MMPose's get_heatmap_maximum: it marks maxima <= 0 as missing
        # (-1, -1), while the authors' decoding (and ours) takes the argmax
        # whatever its value, e.g. for an untrained network.
        flat = heatmaps.reshape(heatmaps.shape[0], -1)
        idx = flat.argmax(axis=1)
        scores = flat[np.arange(flat.shape[0]), idx]
        width = heatmaps.shape[2]
        keypoints = np.stack([idx % width, idx // width], -1).astype(
            np.float32)
        if self.refine in ('quarter', 'quarter_authors'):
            keypoints = refine_quarter(
                keypoints, heatmaps,
                both_axes_inside=self.refine == 'quarter_authors')
        elif self.refine == 'dark':
            keypoints = refine_dark(keypoints, heatmaps,
                                    self.blur_kernel_size)
        keypoints = self.to_input_coords(keypoints).astype(np.float32)
        return keypoints[None], scores[None]
