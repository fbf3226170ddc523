"""The One-Euro filter (Casiez, Roussel, Vogel, "1 Euro Filter: A Simple
Speed-based Low-pass Filter for Noisy Input in Interactive Systems", CHI
2012) for landmarks over video frames.

An exponential low-pass filter whose cut-off frequency rises with the
signal's speed: a still face is smoothed hard (cut-off ``min_cutoff``),
a moving one follows with little lag (cut-off ``min_cutoff + beta * speed``).
With ``alpha(f_c, dt) = 1 / (1 + 1 / (2 pi f_c dt))``:

    dx_hat_t = alpha(d_cutoff) * (x_t - x_hat_{t-1}) / dt
               + (1 - alpha(d_cutoff)) * dx_hat_{t-1}
    f_c      = min_cutoff + beta * |dx_hat_t|
    x_hat_t  = alpha(f_c) * x_t + (1 - alpha(f_c)) * x_hat_{t-1}

Here ``x`` is a (K, 2) array of landmarks in pixels and ``|dx_hat|`` the
speed of each landmark (px / s), so each landmark gets its own cut-off.
"""
import math
from typing import Optional

import numpy as np


def smoothing_factor(cutoff: np.ndarray, dt: float) -> np.ndarray:
    """``alpha`` of an exponential filter with cut-off ``cutoff`` (Hz) at
    sampling interval ``dt`` (s)."""
    return 1.0 / (1.0 + 1.0 / (2 * math.pi * np.asarray(cutoff) * dt))


class OneEuroFilter:
    """One-Euro filter of a (K, D) array (landmarks: D = 2).

    Args:
        min_cutoff (float): cut-off frequency at rest, Hz (lower: smoother,
            more lag).
        beta (float): speed coefficient, 1 / px (higher: less lag when
            moving).
        d_cutoff (float): cut-off of the speed estimate, Hz.

    Call with the new value and its time stamp (s); the first call returns
    the value unchanged.
    """

    def __init__(self,
                 min_cutoff: float = 1.0,
                 beta: float = 0.05,
                 d_cutoff: float = 1.0) -> None:
        if min_cutoff <= 0 or d_cutoff <= 0 or beta < 0:
            raise ValueError(
                'OneEuroFilter: min_cutoff and d_cutoff must be > 0 and beta'
                f' >= 0, got min_cutoff={min_cutoff}, beta={beta}, '
                f'd_cutoff={d_cutoff}')
        self.min_cutoff = float(min_cutoff)
        self.beta = float(beta)
        self.d_cutoff = float(d_cutoff)
        self.reset()

    def reset(self) -> None:
        self.x_hat: Optional[np.ndarray] = None
        self.dx_hat: Optional[np.ndarray] = None
        self.t_prev: Optional[float] = None

    def __call__(self, x: np.ndarray, t: float) -> np.ndarray:
        """Filter ``x`` (K, D) observed at time ``t`` (s, increasing).

        Returns:
            np.ndarray: (K, D) filtered value, float64.
        """
        x = np.asarray(x, dtype=np.float64)
        if self.x_hat is None or self.x_hat.shape != x.shape:
            self.x_hat, self.dx_hat, self.t_prev = x.copy(), np.zeros_like(
                x), float(t)
            return x.copy()
        dt = float(t) - self.t_prev
        if dt <= 0:
            raise ValueError(f'OneEuroFilter: time must increase, got '
                             f'{t} after {self.t_prev}')
        a_d = smoothing_factor(self.d_cutoff, dt)
        dx = (x - self.x_hat) / dt
        self.dx_hat = a_d * dx + (1 - a_d) * self.dx_hat
        speed = np.linalg.norm(self.dx_hat, axis=-1, keepdims=True)
        a = smoothing_factor(self.min_cutoff + self.beta * speed, dt)
        self.x_hat = a * x + (1 - a) * self.x_hat
        self.t_prev = float(t)
        return self.x_hat.copy()
