r"""Rates for :math:`C^s` functions, measured: the deep construction of :mod:`.smooth` against
shallow interpolants (d = 1), error against :math:`C(\Phi)`.

A shallow ReLU network is piecewise linear with at most (width + 1) pieces, and the best
piecewise-linear approximation of a function with :math:`f'' \ne 0` has error of order
:math:`(\text{pieces})^{-2}`: the shallow rate saturates at :math:`C^{-2}` however smooth
:math:`f` is, while the deep one follows :math:`C^{-s}` up to a logarithm (Yarotsky 2017,
Theorem 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course.networks import Network, complexity
from course.progress import Progress
from course.rates import RateFit, fit_rate

from .smooth import _check_s, target, taylor_network

__all__ = [
    "shallow_interpolant",
    "evaluate_shallow",
    "SmoothRates",
    "smooth_rates_steps",
    "crossover",
    "DEEP_FIT_POINTS",
]

#: The deep power law is fitted on this many of the largest networks (the smaller ones are
#: pre-asymptotic: their multipliers and hat functions dominate the count of weights).
DEEP_FIT_POINTS = 4


# ----------------------------------------------------------------------------- shallow
def shallow_interpolant(values, a: float = 0.0, b: float = 1.0) -> Network:
    r"""The one-hidden-layer ReLU network interpolating ``values`` at :math:`n + 1` uniform nodes.

    With nodes :math:`t_i = a + i h`, :math:`h = (b - a)/n`, and slopes
    :math:`\sigma_i = (v_{i+1} - v_i)/h`,

    .. math::

        \Phi(x) = v_0 + \sigma_0 \rho(x - t_0) + \sum_{i=1}^{n-1} (\sigma_i - \sigma_{i-1})
        \rho(x - t_i), \qquad x \in [a, b],

    width :math:`n`, :math:`C(\Phi) \le 3n + 1`.

    Examples
    --------
    >>> net = shallow_interpolant([0.0, 0.25, 1.0])  # x^2 at 0, 1/2, 1
    >>> net([[0.25], [0.75]]).ravel()
    array([0.125, 0.625])
    """
    v = np.asarray(values, dtype=float).reshape(-1)
    if v.size < 2 or not np.all(np.isfinite(v)):
        raise ValueError(f"values must hold at least 2 finite numbers; got {v.size}")
    if not (np.isfinite(a) and np.isfinite(b) and a < b):
        raise ValueError(f"need finite a < b; got a={a}, b={b}")
    n = v.size - 1
    h = (b - a) / n
    sigma = np.diff(v) / h
    knots = a + h * np.arange(n)
    out = np.concatenate([[sigma[0]], np.diff(sigma)])
    return Network([np.ones((n, 1)), out[None, :]], [-knots, [v[0]]], "relu")


def evaluate_shallow(net: Network, x) -> np.ndarray:
    r"""Evaluate a one-hidden-layer network :math:`\sum_i a_i \rho(w_i x + b_i) + c` of input
    dimension 1 from its weights in :math:`O((n + w) \log w)` instead of :math:`O(n w)`.

    Neuron :math:`i` is active on a half-line: :math:`x > -b_i/w_i` if :math:`w_i > 0`,
    :math:`x < -b_i/w_i` if :math:`w_i < 0`; sorting the kinks and taking cumulative sums of
    :math:`a_i w_i` and :math:`a_i b_i` gives the sum of the active neurons at every point. Equal
    to ``net(x)`` up to rounding (tested); used for shallow networks with thousands of neurons.

    Returns
    -------
    ndarray, shape (n,)
    """
    if net.depth != 2 or net.input_dim != 1 or net.output_dim != 1 or net.activation != "relu":
        raise ValueError(
            f"net must be a one-hidden-layer ReLU network R -> R; got widths {net.widths} "
            f"and activation {net.activation!r}"
        )
    x = np.asarray(x, dtype=float).reshape(-1)
    w, b = net.weights[0][:, 0], net.biases[0]
    a, c = net.weights[1][0], net.biases[1][0]
    out = np.full_like(x, c)
    flat = w == 0
    out += np.sum(a[flat] * np.maximum(b[flat], 0.0))
    for sign in (1.0, -1.0):
        sel = sign * w > 0
        if not np.any(sel):
            continue
        kinks = -b[sel] / w[sel]
        order = np.argsort(kinks)
        kinks = kinks[order]
        aw = np.concatenate([[0.0], np.cumsum((a[sel] * w[sel])[order])])
        ab = np.concatenate([[0.0], np.cumsum((a[sel] * b[sel])[order])])
        if sign > 0:  # active where x > kink: the neurons with kink < x
            k = np.searchsorted(kinks, x, side="left")
            out += aw[k] * x + ab[k]
        else:  # active where x < kink: the neurons with kink > x
            k = np.searchsorted(kinks, x, side="right")
            out += (aw[-1] - aw[k]) * x + (ab[-1] - ab[k])
    return out


# ----------------------------------------------------------------------------- sweep
@dataclass(frozen=True)
class _DeepRates:
    """The deep construction's measured errors and bounds for each N, in any dimension (the
    fields are documented on :class:`SmoothRates`)."""

    s: int
    theorem_slope: float
    n_patches: np.ndarray
    deep_complexity: np.ndarray
    deep_depth: np.ndarray
    deep_error: np.ndarray
    deep_bound: np.ndarray


@dataclass(frozen=True)
class SmoothRates(_DeepRates):
    r"""Error against :math:`C(\Phi)` for the deep construction and for shallow interpolants.

    Attributes
    ----------
    s : int
        Smoothness of the target :math:`f_s`.
    theorem_slope : float
        :math:`-s/d` with :math:`d = 1`.
    n_patches : ndarray of int
        The values of :math:`N` computed so far.
    deep_complexity, deep_depth : ndarray of int
    deep_error, deep_bound : ndarray
        Max error on the evaluation grid, and the proven bound.
    shallow_complexity : ndarray of int
    shallow_error : ndarray
        Max error of the uniform piecewise-linear interpolant (one hidden layer).
    deep_fit, shallow_fit : RateFit or None
        Fitted power laws (None while fewer than two points exist); the deep one on the
        :data:`DEEP_FIT_POINTS` largest networks, the shallow one on all interpolants.
    crossover : float or None
        :func:`crossover` of the two fits: the :math:`C` where the fitted lines meet, or None
        when the deep slope is not the steeper one. Beyond the measured range it is an
        extrapolation, not a measurement.
    x : ndarray
        Evaluation grid (:math:`2^{12} + 1` points, the sup is taken there).
    f : ndarray
        :math:`f_s` on ``x``.
    deep_curve, shallow_curve : ndarray
        The deep network with the largest :math:`N` so far, and the shallow network with the
        closest complexity, on ``x``.
    """

    shallow_complexity: np.ndarray
    shallow_error: np.ndarray
    deep_fit: RateFit | None
    shallow_fit: RateFit | None
    crossover: float | None
    x: np.ndarray = field(repr=False)
    f: np.ndarray = field(repr=False)
    deep_curve: np.ndarray = field(repr=False)
    shallow_curve: np.ndarray = field(repr=False)


def _fit(c, e, n_min=None):
    try:
        return fit_rate(c, e, n_min=n_min)
    except ValueError:
        return None


def crossover(deep: RateFit | None, shallow: RateFit | None) -> float | None:
    r"""The size where two fitted power laws meet: beyond it the steeper one is smaller.

    With :math:`e_d = c_d C^{a_d}` and :math:`e_s = c_s C^{a_s}`, :math:`a_d < a_s`,

    .. math::

        C^\ast = (c_s / c_d)^{1/(a_d - a_s)} .

    Returns None when either fit is missing or the deep slope is not steeper.

    Examples
    --------
    >>> from course.rates import RateFit
    >>> deep = RateFit(slope=-4.0, constant=1e8, n_min=1, n_max=10, r2=1.0, n_points=2)
    >>> shallow = RateFit(slope=-2.0, constant=1.0, n_min=1, n_max=10, r2=1.0, n_points=2)
    >>> round(crossover(deep, shallow), 6)
    10000.0
    """
    if deep is None or shallow is None or deep.slope >= shallow.slope:
        return None
    return float((shallow.constant / deep.constant) ** (1.0 / (deep.slope - shallow.slope)))


def smooth_rates_steps(s: int, *, n_values=(1, 2, 4, 8, 16, 32), n_grid: int = 4097):
    r"""Sweep :math:`N` for the deep construction, and widths for shallow interpolants.

    A generator (a slow job): yields :class:`~course.progress.Progress` with a partial
    :class:`SmoothRates` after each :math:`N`, and returns the full result. Shallow networks get
    the widths :math:`n` with :math:`3n \approx C` of each deep network (same number of weights)
    and a few smaller ones.

    Examples
    --------
    >>> from course.progress import run_to_end
    >>> r = run_to_end(smooth_rates_steps(2, n_values=(1, 2, 4)))
    >>> r.n_patches.tolist(), bool(np.all(r.deep_error <= r.deep_bound))
    ([1, 2, 4], True)
    """
    s = _check_s(s)
    ns = [int(v) for v in n_values]
    if not ns or any(v < 1 or v > 4096 for v in ns):
        raise ValueError(f"n_values must be integers in [1, 4096]; got {n_values!r}")
    x = np.linspace(0.0, 1.0, n_grid)
    fx = target(x, s)
    deep_c, deep_d, deep_e, deep_b = [], [], [], []
    sh_c, sh_e = [], []
    shallow_curve = np.full_like(x, np.nan)
    for i, n in enumerate(ns):
        net = taylor_network(s, n)
        curve = net(x)
        deep_c.append(net.complexity)
        deep_d.append(net.depth)
        deep_e.append(float(np.max(np.abs(curve - fx))))
        deep_b.append(net.error_bound)
        width = max(1, round(net.complexity / 3))
        widths = sorted({max(1, width // 4), max(1, width // 2), width} - set(_used_widths(sh_c)))
        for w in widths:
            nodes = np.linspace(0.0, 1.0, w + 1)
            sh = shallow_interpolant(target(nodes, s))
            # the max over the grid and the midpoints of all pieces, where the interpolation
            # error of a function that is smooth on the piece peaks (to O(h^3))
            xm = np.concatenate([x, 0.5 * (nodes[1:] + nodes[:-1])])
            values = evaluate_shallow(sh, xm)
            err = float(np.max(np.abs(values - target(xm, s))))
            sh_c.append(complexity(sh))
            sh_e.append(err)
            if w == width:
                shallow_curve = values[: x.size]
        order = np.argsort(sh_c)
        deep_fit = _fit(deep_c, deep_e, n_min=deep_c[max(0, len(deep_c) - DEEP_FIT_POINTS)])
        shallow_fit = _fit(np.array(sh_c)[order], np.array(sh_e)[order])
        partial = SmoothRates(
            s=s,
            theorem_slope=-float(s),
            n_patches=np.array(ns[: i + 1]),
            deep_complexity=np.array(deep_c),
            deep_depth=np.array(deep_d),
            deep_error=np.array(deep_e),
            deep_bound=np.array(deep_b),
            shallow_complexity=np.array(sh_c)[order],
            shallow_error=np.array(sh_e)[order],
            deep_fit=deep_fit,
            shallow_fit=shallow_fit,
            crossover=crossover(deep_fit, shallow_fit),
            x=x,
            f=fx,
            deep_curve=curve,
            shallow_curve=shallow_curve,
        )
        yield Progress((i + 1) / len(ns), partial, f"N = {n}")
    return partial


def _used_widths(c):
    """Widths already used (C = 3w - 1 or 3w), so the sweep does not repeat one."""
    return {int(round(v / 3)) for v in c}
