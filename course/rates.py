r"""Measured convergence rates: fit :math:`\log e \approx \log c + \alpha \log N` over a stated range.

Every lecture that draws a rate draws the theorem's rate beside the fitted slope and says on which
range of N the slope was fitted; :class:`RateFit` carries all of that.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["RateFit", "fit_rate"]


@dataclass(frozen=True)
class RateFit:
    """A power law ``error ~ constant * n ** slope`` fitted by least squares on log-log axes.

    Attributes
    ----------
    slope : float
        The fitted exponent (negative for a decaying error).
    constant : float
        The fitted prefactor.
    n_min, n_max : float
        The range of ``n`` the fit used (inclusive).
    r2 : float
        Coefficient of determination of the log-log fit.
    n_points : int
        Number of points used.
    """

    slope: float
    constant: float
    n_min: float
    n_max: float
    r2: float
    n_points: int

    def __call__(self, n):
        """The fitted power law evaluated at ``n``."""
        return self.constant * np.asarray(n, dtype=float) ** self.slope

    def label(self, name: str = "N") -> str:
        """A legend text such as ``fitted slope -1.98 on 8 <= N <= 512 (R^2 = 1.000)``."""
        return (
            f"fitted slope {self.slope:.2f} on {self.n_min:g} \u2264 {name} \u2264 "
            f"{self.n_max:g} (R\u00b2 = {self.r2:.3f})"
        )


def fit_rate(n, error, *, n_min: float | None = None, n_max: float | None = None) -> RateFit:
    """Fit ``error ~ c n^slope`` by least squares on ``(log n, log error)``.

    Parameters
    ----------
    n, error : array_like, shape (k,)
        Positive sizes and errors. Points with a zero or non-finite error are left out (an exact
        zero has no logarithm; it is reported by the caller, not hidden in the slope).
    n_min, n_max : float, optional
        Restrict the fit to ``n_min <= n <= n_max``.

    Returns
    -------
    RateFit

    Raises
    ------
    ValueError
        If fewer than two usable points remain, or shapes differ.

    Examples
    --------
    >>> fit = fit_rate([1, 2, 4, 8], [1.0, 0.25, 0.0625, 0.015625])
    >>> round(fit.slope, 6), round(fit.r2, 6), fit.n_min, fit.n_max
    (-2.0, 1.0, 1.0, 8.0)
    """
    n = np.asarray(n, dtype=float).ravel()
    e = np.asarray(error, dtype=float).ravel()
    if n.shape != e.shape:
        raise ValueError(f"n and error must have the same length; got {n.size} and {e.size}")
    keep = np.isfinite(n) & np.isfinite(e) & (n > 0) & (e > 0)
    if n_min is not None:
        keep &= n >= n_min
    if n_max is not None:
        keep &= n <= n_max
    if np.count_nonzero(keep) < 2 or np.unique(n[keep]).size < 2:
        raise ValueError(
            f"need at least two distinct positive n with positive finite error in the range "
            f"[{n_min}, {n_max}]; got {np.count_nonzero(keep)}"
        )
    x, y = np.log(n[keep]), np.log(e[keep])
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (slope * x + intercept)
    ss_tot = np.sum((y - y.mean()) ** 2)
    # a flat error curve (ss_tot at rounding level) is fitted perfectly by slope 0
    flat = ss_tot <= 1e-20 * y.size * max(1.0, float(np.mean(y**2)))
    r2 = 1.0 if flat else 1.0 - np.sum(resid**2) / ss_tot
    return RateFit(
        slope=float(slope),
        constant=float(np.exp(intercept)),
        n_min=float(n[keep].min()),
        n_max=float(n[keep].max()),
        r2=float(r2),
        n_points=int(np.count_nonzero(keep)),
    )
