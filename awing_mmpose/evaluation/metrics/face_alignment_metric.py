"""Face-alignment metric: NME, FR@t and AUC@t, overall and per subset.

Paper: Wang, Bo, Fuxin, "Adaptive Wing Loss for Robust Face Alignment via
Heatmap Regression", ICCV 2019, section 4.1 (``docs/method.md`` section 8).
"""
import csv
import logging
import os
import os.path as osp
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmpose.utils.tensor_utils import to_numpy

from awing_mmpose.registry import METRICS
from ..functional.face_metrics import (NORM_MODES, bbox_normaliser,
                                       ced_curve, default_norm_indices,
                                       format_table, keypoint_normaliser,
                                       per_image_nme, summarise_nmes)

FULL = 'full'


def _get(obj: Any, key: str, default: Any = None) -> Any:
    """``obj[key]`` for dicts and MMEngine data elements alike."""
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


@METRICS.register_module()
class FaceAlignmentMetric(BaseMetric):
    """NME / FR / AUC of 2D face landmarks, for the full test set and each
    subset (WFLW attributes, 300W common / challenge, ...).

    Units: every value in the returned dict is a **fraction**, like MMPose's
    own ``NME`` metric (so ``save_best='NME'`` keeps working): ``NME`` 0.0436
    is the paper's "4.36 %", ``FR@0.1`` 0.0284 is "2.84 %", ``AUC@0.1`` is a
    fraction in [0, 1] in both. The logged / saved table prints NME and FR in
    percent (rows ``NME(%)`` and ``FR@0.1(%)``) and AUC as a fraction, as the
    paper's tables do.

    Returned keys (``t`` in ``fr_thr``, formatted with ``%g``)::

        NME, FR@t, AUC@t                 # all images
        <subset>/NME, <subset>/FR@t, <subset>/AUC@t

    Per image ``i`` with visible landmarks ``V_i`` and normaliser ``d_i``:
    ``NME_i = mean_{k in V_i} ||p_ik - g_ik||_2 / d_i``; ``NME`` is the mean of
    ``NME_i``; ``FR@t`` the share of images with ``NME_i > t`` (ties pass);
    ``AUC@t = (1/t) * integral_0^t CED(x) dx`` with ``CED(x)`` the share of
    images with ``NME_i <= x``, integrated on a grid of step ``auc_step``.

    Args:
        norm_mode (str): ``'inter_ocular'`` (outer eye corners; default),
            ``'inter_pupil'`` (pupils for 98 / 29 points, eye-contour centres
            36-41 / 42-47 for 68 points), ``'bbox_diagonal'``
            (``sqrt(w^2 + h^2)`` of the gt box) or ``'bbox_size'``
            (``sqrt(w * h)``). The landmark indices of the first two come
            from ``dataset_meta['dataset_name']`` (wflw, 300w and other
            68-point iBUG sets, cofw). The bbox modes read
            ``gt_instances['bboxes']`` (x1, y1, x2, y2); note that MMPose's
            WFLW / 300W datasets rebuild that box as a square from
            ``center`` / ``scale``, not the annotated ``bbox``.
        norm_indices (tuple[list[int], list[int]], optional): explicit
            normaliser: distance between the mean of the landmarks of the
            first group and the mean of the second. Overrides the
            dataset defaults; cannot be combined with a bbox mode.
        fr_thr (float | Sequence[float]): threshold(s) ``t`` of FR and AUC.
            Default 0.1 (the paper's FR10 / AUC10); e.g. ``(0.1, 0.08)``.
        auc_step (float): integration step of the AUC. Default 1e-4.
        subsets (Sequence[str], optional): subsets to report (names in the
            annotation's ``subsets`` list, read from
            ``data_sample['raw_ann_info']['subsets']``, else
            ``data_sample['subsets']``). Default: every
            name seen, in first-seen order. A listed subset without images is
            reported as NaN with a warning.
        outfile_prefix (str, optional): when set, write
            ``{prefix}_nme.csv`` (id, img_path, subsets, nme per image),
            ``{prefix}_ced.png`` (CED per subset and full, AUC in the legend)
            and ``{prefix}_table.txt`` (the table below).
        out_dir (str, optional): shorthand for
            ``outfile_prefix=osp.join(out_dir, 'face_alignment')``.
        collect_device, prefix, collect_dir: see :class:`BaseMetric`.
            ``prefix`` defaults to none (keys as above).

    Example config::

        val_evaluator = dict(type='awing_mmpose.FaceAlignmentMetric',
                             norm_mode='inter_ocular', fr_thr=0.1)
    """
    default_prefix: Optional[str] = ''

    def __init__(self,
                 norm_mode: str = 'inter_ocular',
                 norm_indices: Optional[Tuple[Sequence[int],
                                              Sequence[int]]] = None,
                 fr_thr: Union[float, Sequence[float]] = 0.1,
                 auc_step: float = 1e-4,
                 subsets: Optional[Sequence[str]] = None,
                 outfile_prefix: Optional[str] = None,
                 out_dir: Optional[str] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 collect_dir: Optional[str] = None) -> None:
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        if norm_mode not in NORM_MODES:
            raise ValueError(f'FaceAlignmentMetric: norm_mode {norm_mode!r} '
                             f'is not one of {NORM_MODES}')
        if norm_indices is not None:
            if norm_mode.startswith('bbox'):
                raise ValueError(
                    'FaceAlignmentMetric: norm_indices cannot be combined '
                    f'with norm_mode={norm_mode!r}')
            if len(norm_indices) != 2:
                raise ValueError('FaceAlignmentMetric: norm_indices must be '
                                 f'two index groups, got {norm_indices!r}')
            norm_indices = tuple(
                [int(i) for i in np.atleast_1d(g)] for g in norm_indices)
        self.norm_mode = norm_mode
        self.norm_indices = norm_indices
        thrs = [fr_thr] if np.isscalar(fr_thr) else list(fr_thr)
        if not thrs or any(float(t) <= 0 for t in thrs):
            raise ValueError(f'FaceAlignmentMetric: fr_thr must be > 0, got '
                             f'{fr_thr!r}')
        self.fr_thrs = [float(t) for t in thrs]
        self.auc_step = float(auc_step)
        self.subsets = list(subsets) if subsets is not None else None
        if out_dir is not None and outfile_prefix is None:
            outfile_prefix = osp.join(out_dir, 'face_alignment')
        self.outfile_prefix = outfile_prefix

    # ------------------------------------------------------------------
    def _norm_groups(self) -> Tuple[List[int], List[int]]:
        if self.norm_indices is not None:
            return self.norm_indices
        name = (self.dataset_meta or {}).get('dataset_name')
        return default_norm_indices(name, self.norm_mode)

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Compute each face's NME now and keep only small records.

        Each record: ``dict(id, img_path, subsets, nme)``; ``nme`` a float.
        A sample with ``N`` instances gives ``N`` records (top-down: 1).
        """
        for ds in data_samples:
            pred_inst = _get(ds, 'pred_instances')
            gt_inst = _get(ds, 'gt_instances')
            img_path = _get(ds, 'img_path', '')
            sid = _get(ds, 'id', None)
            if sid is None:
                sid = _get(ds, 'img_id', '')
            if isinstance(sid, np.generic):
                sid = sid.item()  # plain python: small, picklable records
            name = f'image {img_path!r} (id {sid})'
            if pred_inst is None or gt_inst is None:
                raise KeyError(f'FaceAlignmentMetric: {name} lacks '
                               'pred_instances or gt_instances')
            pred = to_numpy(_get(pred_inst, 'keypoints')).astype(np.float64)
            gt = to_numpy(_get(gt_inst, 'keypoints')).astype(np.float64)
            if pred.ndim == 2:
                pred = pred[None]
            if gt.ndim == 2:
                gt = gt[None]
            if pred.shape[:2] != gt.shape[:2]:
                raise ValueError(
                    f'FaceAlignmentMetric: {name}: predicted keypoints '
                    f'{pred.shape} do not match ground truth {gt.shape}')
            n, k = gt.shape[:2]
            vis = _get(gt_inst, 'keypoints_visible')
            vis = None if vis is None else to_numpy(vis).reshape(n, k)

            names = [name if n == 1 else f'{name} instance {j}'
                     for j in range(n)]
            if self.norm_mode.startswith('bbox') and self.norm_indices is None:
                bboxes = _get(gt_inst, 'bboxes')
                if bboxes is None:
                    raise KeyError(f'FaceAlignmentMetric: {name} has no '
                                   f'gt bboxes for norm_mode='
                                   f'{self.norm_mode!r}')
                d = bbox_normaliser(to_numpy(bboxes), self.norm_mode)
            else:
                try:
                    d = keypoint_normaliser(gt, self._norm_groups())
                except IndexError as e:
                    raise IndexError(f'FaceAlignmentMetric: {name}: {e}') \
                        from None
            try:
                nmes = per_image_nme(pred, gt, vis, d, names=names)
            except ValueError as e:
                raise ValueError(f'FaceAlignmentMetric: {e}') from None

            raw = _get(ds, 'raw_ann_info') or {}
            subs = raw.get('subsets') if isinstance(raw, dict) else None
            if subs is None:  # a dataset may put it in the metainfo itself
                subs = _get(ds, 'subsets')
            subs = [] if subs is None else [str(s) for s in subs]
            for j in range(n):
                self.results.append(
                    dict(
                        id=sid if n == 1 else f'{sid}#{j}',
                        img_path=str(img_path),
                        subsets=subs,
                        nme=float(nmes[j])))

    def _norm_desc(self) -> str:
        if self.norm_indices is not None:
            return f'norm_indices={list(self.norm_indices)}'
        return self.norm_mode

    # ------------------------------------------------------------------
    def _group_order(self, results: List[dict]) -> List[str]:
        if self.subsets is not None:
            return list(self.subsets)
        seen: Dict[str, None] = {}
        for r in results:
            for s in r['subsets']:
                seen.setdefault(s, None)
        return list(seen)

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """One pass over the records: summaries, table, optional files."""
        nmes = np.array([r['nme'] for r in results], dtype=np.float64)
        groups = {FULL: nmes}
        any_subsets = any(r['subsets'] for r in results)
        for s in self._group_order(results):
            sel = np.array([s in r['subsets'] for r in results], dtype=bool)
            groups[s] = nmes[sel] if sel.size else nmes[:0]
            if not sel.any():
                hint = '' if any_subsets else (
                    ' (no image carries a `subsets` list: the data samples '
                    "need `raw_ann_info['subsets']`; MMPose's own WFLW / "
                    '300W datasets drop raw_ann_info)')
                print_log(
                    f'FaceAlignmentMetric: subset {s!r} has no images' + hint,
                    logger='current',
                    level=logging.WARNING)
        summaries = {
            g: summarise_nmes(v, self.fr_thrs, self.auc_step)
            for g, v in groups.items()
        }

        metrics: Dict[str, float] = {}
        for g, summ in summaries.items():
            head = '' if g == FULL else f'{g}/'
            for key, val in summ.items():
                if key != 'num':
                    metrics[head + key] = val

        title = (f'Face alignment ({self._norm_desc()}; NME and FR in %, '
                 'AUC as a fraction)')
        table = format_table(summaries, self.fr_thrs, title=title)
        print_log('\n' + table, logger='current')

        if self.outfile_prefix:
            self._save(results, groups, summaries, table)
        return metrics

    def _save(self, results: List[dict], groups: Dict[str, np.ndarray],
              summaries: Dict[str, Dict[str, float]], table: str) -> None:
        prefix = self.outfile_prefix
        d = osp.dirname(osp.abspath(prefix))
        os.makedirs(d, exist_ok=True)

        csv_path = f'{prefix}_nme.csv'
        with open(csv_path, 'w', newline='') as f:
            w = csv.writer(f)
            w.writerow(['id', 'img_path', 'subsets', 'nme'])
            for r in results:
                w.writerow([r['id'], r['img_path'], ';'.join(r['subsets']),
                            repr(r['nme'])])

        with open(f'{prefix}_table.txt', 'w') as f:
            f.write(table + '\n')

        png_path = f'{prefix}_ced.png'
        self._plot_ced(groups, summaries, png_path)
        print_log(
            f'FaceAlignmentMetric: wrote {csv_path}, {prefix}_table.txt and '
            f'{png_path}',
            logger='current')

    def _plot_ced(self, groups: Dict[str, np.ndarray],
                  summaries: Dict[str, Dict[str, float]], path: str) -> None:
        # object-oriented Agg canvas: no global backend switch, no pyplot
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        thr = self.fr_thrs[0]
        fig = Figure(figsize=(6, 4.5), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(1, 1, 1)
        for g, v in groups.items():
            if v.size == 0:
                continue
            xs, ys = ced_curve(v, thr, self.auc_step)
            auc = summaries[g][f'AUC@{thr:g}']
            ax.plot(xs, ys, lw=2.0 if g == FULL else 1.2,
                    label=f'{g} (AUC@{thr:g} {auc:.4f}, n={v.size})')
        ax.set_xlim(0, thr)
        ax.set_ylim(0, 1)
        ax.set_xlabel('NME (fraction of the normaliser)')
        ax.set_ylabel('fraction of images')
        ax.set_title(f'Cumulative error distribution ({self._norm_desc()})')
        ax.grid(True, alpha=0.3)
        ax.legend(loc='lower right', fontsize='small')
        fig.tight_layout()
        fig.savefig(path)
