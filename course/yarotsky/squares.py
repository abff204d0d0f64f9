r"""Deep against shallow for :math:`x^2`: exponential against polynomial decay in :math:`C(\Phi)`.

Yarotsky's network :math:`f_m` (:func:`~course.yarotsky.constructions.square`) has
:math:`C = 15m - 5` nonzero weights and error :math:`2^{-2m-2}`, so its error decays
exponentially in the number of weights, :math:`\approx 2^{-2C/15}`. A one-hidden-layer network
with :math:`n` neurons is piecewise linear with at most :math:`n + 1` pieces; the uniform
interpolant with :math:`n` pieces has :math:`C = 3n - 1` and error :math:`1/(4n^2)`, a
polynomial rate :math:`C^{-2}` that no choice of the pieces can beat (the best piecewise-linear
approximation of :math:`x^2` with :math:`n` pieces has error :math:`1/(8 n^2)`).

References
----------
.. [1] D. Yarotsky, "Error bounds for approximations with deep ReLU networks", Neural Networks 94,
   103-114, 2017, Proposition 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course.networks import Network, complexity
from course.rates import RateFit, fit_rate

from .constructions import _check_int, square, square_error
from .smooth_rates import evaluate_shallow, shallow_interpolant

__all__ = ["M_MAX", "SquareCurve", "square_curve", "SquareRates", "square_rates"]

#: Largest m offered by the lecture: the grid below resolves every breakpoint up to it.
M_MAX = 12


def _dyadic_grid(level: int) -> np.ndarray:
    return np.arange(2**level + 1) / 2.0**level


@dataclass(frozen=True)
class SquareCurve:
    r""":math:`x^2`, :math:`f_m` and the error on a dyadic grid, for one :math:`m`.

    Attributes
    ----------
    m : int
    x : ndarray
        The grid :math:`k 2^{-(M+1)}`, :math:`M = \max(m, 8)`: it contains every breakpoint
        :math:`k 2^{-m}` and every midpoint, where the error peaks, so its max is the sup.
    square : ndarray
        :math:`x^2`.
    network_values : ndarray
        :math:`f_m(x)` computed through the network's weight matrices.
    error : ndarray
        ``network_values - square`` (:math:`\ge 0`).
    sup_error, exact_error : float
        Measured max and :math:`2^{-2m-2}`.
    depth, complexity : int
    network : Network
    """

    m: int
    x: np.ndarray = field(repr=False)
    square: np.ndarray = field(repr=False)
    network_values: np.ndarray = field(repr=False)
    error: np.ndarray = field(repr=False)
    sup_error: float
    exact_error: float
    depth: int
    complexity: int
    network: Network = field(repr=False)


def square_curve(m: int) -> SquareCurve:
    """Build :math:`f_m`'s network and evaluate it on a dyadic grid (see :class:`SquareCurve`).

    Examples
    --------
    >>> c = square_curve(3)
    >>> c.sup_error == c.exact_error == 2.0**-8, c.depth, c.complexity
    (True, 4, 40)
    """
    m = _check_int("m", m, 0, 40)
    net = square(m)
    x = _dyadic_grid(max(m, 8) + 1)
    values = net(x)[:, 0]
    err = values - x**2
    return SquareCurve(
        m=m,
        x=x,
        square=x**2,
        network_values=values,
        error=err,
        sup_error=float(np.max(np.abs(err))),
        exact_error=square_error(m),
        depth=net.depth,
        complexity=complexity(net),
        network=net,
    )


@dataclass(frozen=True)
class SquareRates:
    r"""Error against :math:`C(\Phi)` for :math:`f_m` (deep) and uniform interpolants (shallow).

    Attributes
    ----------
    m : ndarray of int
        :math:`0, \dots, m_{max}`.
    deep_complexity : ndarray of int
        :math:`C(f_m) = 15m - 5` (1 for m = 0), counted from the matrices.
    deep_error : ndarray
        Measured sup error of :math:`f_m` (equals :math:`2^{-2m-2}`).
    shallow_width, shallow_complexity : ndarray of int
        For each :math:`m`, the widest shallow interpolant with
        :math:`C \le C(f_m)`: :math:`n = \lfloor (C(f_m) + 1)/3 \rfloor` pieces (width 1, :math:`C = 2`, for
        :math:`m = 0`, where :math:`f_0(x) = x` has :math:`C = 1`).
    shallow_error : ndarray
        Its measured sup error (equals :math:`1/(4n^2)`).
    deep_fit, shallow_fit : RateFit
        Power laws fitted on log-log axes (for the deep network over :math:`m \ge m_{max}/2`,
        where the slope keeps steepening: no power law describes it).
    deep_exponential : RateFit
        :math:`\log_2` error against :math:`C`: the fit of ``error ~ c (2^C)^slope``, i.e.
        ``error ~ c 2^(slope C)``; theory: slope :math:`-2/15`.
    """

    m: np.ndarray
    deep_complexity: np.ndarray
    deep_error: np.ndarray
    shallow_width: np.ndarray
    shallow_complexity: np.ndarray
    shallow_error: np.ndarray
    deep_fit: RateFit
    shallow_fit: RateFit
    deep_exponential: RateFit


def square_rates(m_max: int = M_MAX) -> SquareRates:
    """Errors and complexities for m = 0..m_max (see :class:`SquareRates`).

    Examples
    --------
    >>> r = square_rates(10)
    >>> round(r.shallow_fit.slope, 2), round(r.deep_exponential.slope, 3)
    (-1.96, -0.133)
    """
    m_max = _check_int("m_max", m_max, 2, 30)
    ms = np.arange(m_max + 1)
    deep_c, deep_e, sh_w, sh_c, sh_e = [], [], [], [], []
    for m in ms:
        curve = square_curve(int(m))
        deep_c.append(curve.complexity)
        deep_e.append(curve.sup_error)
        n = max(1, (curve.complexity + 1) // 3)
        nodes = np.linspace(0.0, 1.0, n + 1)
        net = shallow_interpolant(nodes**2)
        x = np.concatenate([nodes, 0.5 * (nodes[1:] + nodes[:-1])])  # the error peaks mid-piece
        sh_w.append(n)
        sh_c.append(complexity(net))
        sh_e.append(float(np.max(np.abs(evaluate_shallow(net, x) - x**2))))
    deep_c, deep_e = np.array(deep_c), np.array(deep_e)
    return SquareRates(
        m=ms,
        deep_complexity=deep_c,
        deep_error=deep_e,
        shallow_width=np.array(sh_w),
        shallow_complexity=np.array(sh_c),
        shallow_error=np.array(sh_e),
        deep_fit=fit_rate(deep_c, deep_e, n_min=deep_c[m_max // 2]),
        shallow_fit=fit_rate(sh_c, sh_e, n_min=10),
        deep_exponential=fit_rate(2.0**deep_c, deep_e, n_min=2.0 ** deep_c[1]),
    )
