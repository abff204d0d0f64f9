r"""Deep against shallow for the product :math:`xy` on :math:`[-1, 1]^2`.

Yarotsky's multiplier :math:`\tilde\times_m` (:func:`~course.yarotsky.constructions.multiply`)
has error :math:`2^{-2m}` with :math:`C = O(m)` weights: exponential in :math:`C`. The shallow
comparison uses the same polarisation with one hidden layer,

.. math::

    xy = \tfrac14 \big( (x + y)^2 - (x - y)^2 \big),

each square replaced by the uniform piecewise-linear interpolant of :math:`u^2` on
:math:`[-2, 2]` with :math:`n` pieces (a ridge network: every neuron is
:math:`\rho(\pm x \pm y - t_i)`). Both interpolants overestimate by at most :math:`h^2/4`,
:math:`h = 4/n`, so the error is at most :math:`h^2/16 = 1/n^2`, and it is attained where
:math:`x + y` is a midpoint and :math:`x - y` a node: a polynomial rate in :math:`C \approx 8n`.

References
----------
.. [1] D. Yarotsky, "Error bounds for approximations with deep ReLU networks", Neural Networks 94,
   103-114, 2017, Proposition 3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course.networks import Network, complexity

from .constructions import _check_int, multiply
from .smooth_rates import shallow_interpolant

__all__ = ["shallow_multiply", "MultiplyComparison", "multiply_comparison"]


def shallow_multiply(n: int) -> Network:
    r"""A one-hidden-layer ReLU network for :math:`xy` on :math:`[-1,1]^2`: polarisation with
    the :math:`n`-piece interpolant of :math:`u^2` on :math:`[-2, 2]` (see the module).

    Width :math:`2n`; error :math:`\le 1/n^2`, attained on a grid of step :math:`1/n`.

    Examples
    --------
    >>> net = shallow_multiply(4)
    >>> net.widths, float(net([[0.5, -0.25]])[0, 0]) == 0.5 * -0.25
    ((2, 8, 1), True)
    """
    n = _check_int("n", n, 1, 4096)
    nodes = np.linspace(-2.0, 2.0, n + 1)
    sq = shallow_interpolant(nodes**2, -2.0, 2.0)
    w1, b1 = sq.weights[0][:, 0], sq.biases[0]
    a, c = sq.weights[1][0], sq.biases[1][0]
    hidden = np.concatenate([np.outer(w1, [1.0, 1.0]), np.outer(w1, [1.0, -1.0])])
    out = np.concatenate([a, -a])[None, :] / 4.0
    return Network([hidden, out], [np.concatenate([b1, b1]), [(c - c) / 4.0]], "relu")


@dataclass(frozen=True)
class MultiplyComparison:
    """The multiplier at one :math:`m` against the widest shallow one with no more weights.

    Attributes
    ----------
    m, deep_complexity : int
    deep_error : float
        Max of :math:`|\\tilde\\times_m(x,y) - xy|` on the grid (equals :math:`2^{-2m}`).
    shallow_pieces, shallow_complexity : int
        :math:`n` and :math:`C` of :func:`shallow_multiply` with :math:`C \\le` ``deep_complexity``.
    shallow_error : float
        Its measured max error on the grid (equals :math:`1/n^2`).
    """

    m: int
    deep_complexity: int
    deep_error: float
    shallow_pieces: int
    shallow_complexity: int
    shallow_error: float


def _max_error(net: Network, step: float) -> float:
    g = np.arange(-1.0, 1.0 + step / 2, step)
    xx, yy = np.meshgrid(g, g)
    pts = np.c_[xx.ravel(), yy.ravel()]
    return float(np.max(np.abs(net(pts)[:, 0] - pts[:, 0] * pts[:, 1])))


def multiply_comparison(m: int) -> MultiplyComparison:
    r"""Measure :math:`\tilde\times_m` and the shallow multiplier with at most as many weights.

    Both errors are maxima over grids that contain the points where the sup is attained: step
    :math:`2^{-m-1}` for the deep one (its error repeats with period :math:`2^{1-m}`; only its
    first period in each variable is evaluated, which is enough), step :math:`1/n` for the
    shallow one.

    Examples
    --------
    >>> r = multiply_comparison(8)
    >>> r.deep_error == 2.0**-16, r.shallow_pieces, round(r.shallow_error * r.shallow_pieces**2, 9)
    (True, 46, 1.0)
    """
    m = _check_int("m", m, 0, 12)
    deep = multiply(m)
    c_deep = complexity(deep)
    # the error pattern repeats with period 2^(1-m) (tested in the widgets' tests): a window of
    # one period, on the dyadic grid of step 2^(-m-2), holds the max (for m = 0: all of [-1,1]^2)
    period = min(2.0, 2.0 ** (1 - m))
    step = period / 8
    g = np.arange(0.0, period + step / 2, step) - (1.0 if m == 0 else 0.0)
    xx, yy = np.meshgrid(g, g)
    pts = np.c_[xx.ravel(), yy.ravel()]
    deep_error = float(np.max(np.abs(deep(pts)[:, 0] - pts[:, 0] * pts[:, 1])))
    n = 1
    while complexity(shallow_multiply(n + 1)) <= c_deep:
        n += 1
    shallow = shallow_multiply(n)
    return MultiplyComparison(
        m=m,
        deep_complexity=c_deep,
        deep_error=deep_error,
        shallow_pieces=n,
        shallow_complexity=complexity(shallow),
        shallow_error=_max_error(shallow, 1.0 / n),
    )
