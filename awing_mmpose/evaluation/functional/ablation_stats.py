"""The spread and the verdicts of ``tools/ablation.py``: mean and standard
deviation over seeds, and whether the gain of one row over another exceeds
the seed-to-seed spread.

For rows ``A`` (without) and ``B`` (with) with ``n_A`` and ``n_B`` seeds,
means ``m`` and sample standard deviations ``s`` (``ddof = 1``)::

    gain = sign * (m_B - m_A)          (sign -1: lower is better, e.g. NME)
    SE   = sqrt(s_A^2 / n_A + s_B^2 / n_B)

and the verdict is ``'yes'`` when ``gain > 2 SE``, ``'opposite'`` when
``gain < -2 SE``, ``'no (within spread)'`` otherwise, and
``'no spread (one seed)'`` when either row has a single seed.
"""
import math
from typing import Mapping, Sequence, Tuple

import numpy as np

__all__ = ['VERDICTS', 'mean_std', 'compare_means']

#: the verdicts of :func:`compare_means`
VERDICTS = ('yes', 'opposite', 'no (within spread)', 'no spread (one seed)')


def mean_std(values: Sequence[float]) -> Tuple[float, float]:
    """Mean and sample standard deviation (``ddof = 1``) of the finite
    values; the std is NaN for fewer than two, both for none."""
    v = np.asarray(values, np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return float('nan'), float('nan')
    return float(v.mean()), float(v.std(ddof=1)) if v.size > 1 else \
        float('nan')


def compare_means(without: Mapping, with_: Mapping,
                  sign: float = -1.) -> dict:
    """The gain of ``with_`` over ``without`` against the spread.

    Args:
        without, with_ (Mapping): ``mean``, ``std`` and ``values`` (one per
            seed) of a row, as :func:`mean_std` gives them.
        sign (float): -1 when lower is better, +1 when higher is.

    Returns:
        dict: ``gain``, ``se`` (standard error of the difference of the
        means, NaN with one seed) and ``verdict`` (one of
        :data:`VERDICTS`).
    """
    gain = sign * (with_['mean'] - without['mean'])
    na, nb = len(without['values']), len(with_['values'])
    se = math.sqrt(without['std']**2 / na + with_['std']**2 / nb) \
        if na > 1 and nb > 1 else float('nan')
    if not math.isfinite(se):
        verdict = VERDICTS[3]
    elif gain > 2 * se:
        verdict = VERDICTS[0]
    elif gain < -2 * se:
        verdict = VERDICTS[1]
    else:
        verdict = VERDICTS[2]
    return dict(gain=gain, se=se, verdict=verdict)
