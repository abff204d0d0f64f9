r"""Yarotsky's explicit ReLU networks: tooth, sawtooth, square, multiplication, polynomials.

The tooth :math:`g(x) = 2\rho(x) - 4\rho(x - 1/2) + 2\rho(x - 1)` is :math:`2x` on
:math:`[0, 1/2]` and :math:`2(1 - x)` on :math:`[1/2, 1]`. Its :math:`s`-fold composition
:math:`g_s = g \circ \dots \circ g` is a sawtooth with :math:`2^{s-1}` teeth and :math:`2^s` linear
pieces, and

.. math::

    f_m(x) = x - \sum_{s=1}^{m} \frac{g_s(x)}{2^{2s}}

is the piecewise-linear interpolant of :math:`x^2` at the nodes :math:`k 2^{-m}`, so that
:math:`\|x^2 - f_m\|_{L^\infty[0,1]} = 2^{-2m-2}` (Yarotsky 2017, Proposition 2). By
polarisation, :math:`xy = \frac{1}{2}((x+y)^2 - x^2 - y^2)`, squares give products
(Proposition 3), and products give polynomials.

Every function here returns an explicit :class:`course.networks.Network`; nothing evaluates the
formulas above, which the tests use only as the reference.

References
----------
.. [1] D. Yarotsky, "Error bounds for approximations with deep ReLU networks", Neural Networks 94,
   103-114, 2017, Propositions 2 and 3.
.. [2] M. Telgarsky, "Benefits of depth in neural networks", COLT 2016 (the sawtooth).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from course.networks import Network

from .calculus import affine, compose, pad, parallel

__all__ = [
    "tooth",
    "sawtooth",
    "sawtooth_complexity",
    "square",
    "square_complexity",
    "square_error",
    "absolute_value",
    "multiply",
    "multiply_error_bound",
    "PolynomialNetwork",
    "polynomial",
]


def _check_int(name: str, value, lo: int, hi: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer >= {lo}; got {value!r}")
    if value < lo or (hi is not None and value > hi):
        rng = f"[{lo}, {hi}]" if hi is not None else f">= {lo}"
        raise ValueError(f"{name} must be an integer in {rng}; got {value!r}")
    return int(value)


def _check_bound(bound) -> float:
    if isinstance(bound, bool) or not (np.isscalar(bound) and np.isfinite(bound) and bound > 0):
        raise ValueError(f"bound must be a finite number > 0; got {bound!r}")
    return float(bound)


# ----------------------------------------------------------------------------- sawtooth
def tooth() -> Network:
    r"""The tooth :math:`g(x) = 2\rho(x) - 4\rho(x - 1/2) + 2\rho(x - 1)`: widths (1, 3, 1).

    Examples
    --------
    >>> g = tooth()
    >>> g([[0.0], [0.25], [0.5], [1.0]]).ravel()
    array([0. , 0.5, 1. , 0. ])
    """
    return Network([[[1.0], [1.0], [1.0]], [[2.0, -4.0, 2.0]]], [[0.0, -0.5, -1.0], [0.0]])


def sawtooth(s: int) -> Network:
    r"""The sawtooth :math:`g_s = g \circ \cdots \circ g` (:math:`s` teeth composed), :math:`s \ge 1`.

    Built by :func:`~course.yarotsky.calculus.compose`, which merges the output map
    :math:`(2, -4, 2)` of one tooth with the input map :math:`(1, 1, 1)^T` of the next into a
    rank-one :math:`3 \times 3` matrix: depth :math:`s + 1`, widths :math:`(1, 3, \dots, 3, 1)`.

    Notes
    -----
    :math:`g_s` has :math:`2^{s-1}` teeth and :math:`2^s` linear pieces on :math:`[0, 1]`, with
    breakpoints :math:`k 2^{-s}` (Telgarsky 2016, Lemma 2.4). The complexity is

    .. math::

        C(g_s) = 5 + 11 (s - 1) + 3 = 11 s - 3,

    (first layer: 3 weights and 2 nonzero biases; each merged layer: 9 weights and 2 biases;
    output layer: 3 weights).

    Examples
    --------
    >>> from course.networks import complexity, count_linear_pieces_1d
    >>> g3 = sawtooth(3)
    >>> count_linear_pieces_1d(g3, 0.0, 1.0), g3.depth, complexity(g3)
    (8, 4, 30)
    """
    s = _check_int("s", s, 1)
    net = tooth()
    for _ in range(s - 1):
        net = compose(tooth(), net)
    return net


def sawtooth_complexity(s: int) -> int:
    """The closed formula :math:`C(g_s) = 11 s - 3` of :func:`sawtooth`'s network."""
    return 11 * _check_int("s", s, 1) - 3


# ----------------------------------------------------------------------------- square
def square(m: int) -> Network:
    r"""Yarotsky's network for :math:`f_m \approx x^2` on :math:`[0, 1]`, as explicit matrices.

    Hidden layer :math:`\ell = 1, \dots, m` holds the four neurons

    .. math::

        h^{(\ell)} = \big(\rho(g_{\ell-1}), \rho(g_{\ell-1} - \tfrac12), \rho(g_{\ell-1} - 1),
        \rho(f_{\ell-1})\big), \qquad g_0 = f_0 = x,

    from which the next layer reads :math:`g_\ell = 2h_1 - 4h_2 + 2h_3` (a tooth) and
    :math:`f_\ell = h_4 - g_\ell / 4^\ell`. On :math:`[0, 1]`, :math:`f_\ell \ge x^2 \ge 0`, so
    :math:`\rho(f_\ell) = f_\ell` carries the partial sum forward. Depth :math:`m + 1`, widths
    :math:`(1, 4, \dots, 4, 1)`; for :math:`m = 0` the network is the affine map :math:`x`.

    Notes
    -----
    The number of nonzero weights and biases is

    .. math::

        C(f_m) = 6 + 15 (m - 1) + 4 = 15 m - 5 \quad (m \ge 1), \qquad C(f_0) = 1:

    the first layer has 4 weights and the 2 biases :math:`-1/2, -1`; each of the :math:`m - 1`
    middle layers has :math:`3 \cdot 3 + 4 = 13` weights (the three tooth rows do not read
    :math:`h_4`) and 2 biases; the output layer has 4 weights and no bias. The error is
    :math:`\|x^2 - f_m\|_{L^\infty[0,1]} = 2^{-2m-2}` (:func:`square_error`), attained at the
    midpoints :math:`(2k+1) 2^{-m-1}`, and :math:`f_m \ge x^2` on :math:`[0, 1]`.

    Examples
    --------
    >>> from course.networks import complexity
    >>> f2 = square(2)
    >>> f2([[0.0], [0.25], [0.375], [1.0]]).ravel()  # exact at nodes k/4, 1/64 off at 3/8
    array([0.     , 0.0625 , 0.15625, 1.     ])
    >>> f2.depth, complexity(f2), square_complexity(2)
    (3, 25, 25)
    """
    m = _check_int("m", m, 0)
    if m == 0:
        return affine([[1.0]])
    tooth_rows = np.array([2.0, -4.0, 2.0, 0.0])
    shift = np.array([0.0, -0.5, -1.0, 0.0])
    weights = [np.ones((4, 1))]
    biases = [shift.copy()]
    for ell in range(1, m + 1):
        f_row = np.array([0.0, 0.0, 0.0, 1.0]) - tooth_rows / 4.0**ell
        if ell == m:
            weights.append(f_row[None, :])
            biases.append(np.zeros(1))
        else:
            weights.append(np.vstack([tooth_rows, tooth_rows, tooth_rows, f_row]))
            biases.append(shift.copy())
    return Network(weights, biases, "relu")


def square_complexity(m: int) -> int:
    """The closed formula of :func:`square`: :math:`C(f_m) = 15m - 5` for m >= 1, 1 for m = 0."""
    m = _check_int("m", m, 0)
    return 1 if m == 0 else 15 * m - 5


def square_error(m: int) -> float:
    r"""The exact sup error :math:`\|x^2 - f_m\|_{L^\infty[0,1]} = 2^{-2m-2}` (Yarotsky 2017)."""
    return 2.0 ** (-2 * _check_int("m", m, 0) - 2)


# ----------------------------------------------------------------------------- products
def absolute_value() -> Network:
    r"""The network :math:`|x| = \rho(x) + \rho(-x)`: widths (1, 2, 1)."""
    return Network([[[1.0], [-1.0]], [[1.0, 1.0]]], [[0.0, 0.0], [0.0]])


def _bounds(bound) -> tuple[float, float]:
    b = np.asarray(bound, dtype=float).reshape(-1) if not isinstance(bound, bool) else None
    if b is None or b.size not in (1, 2) or not np.all(np.isfinite(b)) or np.any(b <= 0):
        raise ValueError(f"bound must be a number > 0 or a pair of numbers > 0; got {bound!r}")
    return (float(b[0]), float(b[-1]))


def multiply(m: int, *, bound=1.0) -> Network:
    r"""Yarotsky's multiplication network :math:`\tilde\times_m(x, y) \approx xy` on
    :math:`[-M_x, M_x] \times [-M_y, M_y]`.

    With :math:`S_m(t) = f_m(|t|)` (:func:`absolute_value` composed with :func:`square`),
    :math:`u = x / M_x`, :math:`v = y / M_y`,

    .. math::

        \tilde\times_m(x, y) = 2 M_x M_y \Big( S_m\big(\tfrac{u + v}{2}\big)
        - S_m\big(\tfrac{u}{2}\big) - S_m\big(\tfrac{v}{2}\big) \Big),

    the polarisation identity :math:`uv = 2(((u+v)/2)^2 - (u/2)^2 - (v/2)^2)` with each square
    replaced by :math:`f_m` (Yarotsky 2017, Proposition 3). The three squares run side by side
    (:func:`~course.yarotsky.calculus.parallel`); one more hidden layer holds
    :math:`2M_xM_y S_m(\cdot) \ge 0` (so :math:`\rho` is the identity on it) and the output
    layer forms the difference with weights :math:`(1, -1, -1)`. Depth :math:`m + 3`, input
    dimension 2, hidden widths :math:`(6, 12, \dots, 12, 3)`.

    Parameters
    ----------
    m : int
        Number of teeth in each squaring network, >= 0.
    bound : float or (float, float)
        :math:`M` (both ranges) or :math:`(M_x, M_y)`, > 0; the error bound holds for
        :math:`|x| \le M_x`, :math:`|y| \le M_y`.

    Notes
    -----
    The interpolation error :math:`e(t) = f_m(|t|) - t^2 = \tau (h - \tau)`,
    :math:`\tau = |t| \bmod h`, :math:`h = 2^{-m}`, lies in :math:`[0, \delta]`,
    :math:`\delta = 2^{-2m-2}`, and is subadditive: :math:`e(a + b) \le e(a) + e(b)` (if the
    residues add up to :math:`h` or more, with :math:`p = h - \tau_a`, :math:`q = h - \tau_b`,
    :math:`e(a) + e(b) - e(a + b) = 2pq \ge 0`; otherwise the difference is
    :math:`2\tau_a\tau_b`). Hence

    .. math::

        -M_x M_y 2^{-2m} = 2 M_x M_y (0 - 2\delta) \le \tilde\times_m(x, y) - xy
        = 2 M_x M_y \big(e(\tfrac{u+v}{2}) - e(\tfrac{u}{2}) - e(\tfrac{v}{2})\big) \le 0,

    i.e. :math:`|\tilde\times_m(x, y) - xy| \le M_x M_y 2^{-2m}` (:func:`multiply_error_bound`)
    and the network never overestimates the product. If :math:`x = 0` or :math:`y = 0`, two of
    the three squares are the same network on the same number and the third is
    :math:`f_m(0) = 0`, so :math:`\tilde\times_m = 0` exactly, for every value of the other
    argument: this is what lets a partition of unity switch a product off.

    Examples
    --------
    >>> times = multiply(3)
    >>> times([[0.5, -0.5], [0.0, 0.7], [0.3, 0.6]]).ravel()  # 0.3 * 0.6 = 0.18
    array([-0.25 ,  0.   ,  0.175])
    >>> multiply_error_bound(3)
    0.015625
    """
    m = _check_int("m", m, 0)
    bx, by = _bounds(bound)
    s_m = compose(square(m), absolute_value())
    inputs = ([[0.5 / bx, 0.5 / by]], [[0.5 / bx, 0.0]], [[0.0, 0.5 / by]])
    squares = parallel(*[compose(s_m, affine(a)) for a in inputs])
    k = 2.0 * bx * by
    difference = Network([k * np.eye(3), [[1.0, -1.0, -1.0]]], [np.zeros(3), [0.0]], "relu")
    return compose(difference, squares)


@functools.lru_cache(maxsize=256)
def _multiply_cached(m: int, bx: float, by: float) -> Network:
    """:func:`multiply`, remembered: a Network is immutable, so one copy can be shared."""
    return multiply(m, bound=(bx, by))


def multiply_error_bound(m: int, bound=1.0) -> float:
    r"""The bound :math:`M_x M_y 2^{-2m}` on :math:`|\tilde\times_m(x, y) - xy|` for
    :math:`|x| \le M_x`, :math:`|y| \le M_y` (see :func:`multiply`)."""
    m = _check_int("m", m, 0)
    bx, by = _bounds(bound)
    return bx * by * 2.0 ** (-2 * m)


@dataclass(frozen=True)
class PolynomialNetwork:
    r"""A ReLU network approximating a polynomial on :math:`[-1, 1]`, with its error bound.

    Attributes
    ----------
    network : Network
        Input dimension 1, output dimension 1.
    coefficients : ndarray
        :math:`(a_0, \dots, a_n)`, lowest degree first.
    m : int
        Teeth per squaring network inside the multipliers (the largest, if they differ).
    error_bound : float
        A proven bound on :math:`\sup_{|x| \le 1} |p(x) - \Phi(x)|`.
    bounds : ndarray
        The range :math:`B_k` of the second factor of the multiplier in Horner step :math:`k`.
    """

    network: Network = field(repr=False)
    coefficients: np.ndarray
    m: int
    error_bound: float
    bounds: np.ndarray

    def exact(self, x) -> np.ndarray:
        """The polynomial itself, :math:`\\sum_k a_k x^k`, for comparison."""
        return np.polynomial.polynomial.polyval(np.asarray(x, dtype=float), self.coefficients)


def polynomial(coefficients, m, *, ranges=None) -> PolynomialNetwork:
    r"""A ReLU network for :math:`p(x) = \sum_{k=0}^n a_k x^k` on :math:`[-1, 1]`, by Horner's rule.

    Horner: :math:`q_n = a_n`, :math:`q_k = a_k + x q_{k+1}`, :math:`p = q_0`. Each step is the
    network :math:`(x, q) \mapsto (x, a_k + \tilde\times(x, q))`: :func:`multiply` with ranges
    :math:`(1, B_k)` side by side (:func:`~course.yarotsky.calculus.parallel`) with an identity
    that carries :math:`x`; the steps are composed, so the depth is
    :math:`\sum_k (m_k + 2) + 1` for :math:`n \ge 1`.

    Parameters
    ----------
    coefficients : array_like, shape (n + 1,)
        :math:`a_0, \dots, a_n`, lowest degree first.
    m : int or sequence of n ints
        Teeth per squaring network in every multiplier, or one number per Horner step
        (``m[k]`` for the step that adds :math:`a_k`): high-order steps multiply small numbers
        and need fewer.
    ranges : sequence of n floats, optional
        Ranges :math:`B_k` to use instead of the computed ones (each at least as large; used to
        give many polynomials the same multipliers).

    Notes
    -----
    Let :math:`S_k = \sum_{j \ge k} |a_j| \ge |q_k|` and :math:`E_k` bound the error of the
    computed :math:`\tilde q_k`, :math:`E_n = 0`. Step :math:`k` multiplies :math:`|x| \le 1` by
    :math:`|\tilde q_{k+1}| \le B_k = S_{k+1} + E_{k+1}`, so

    .. math::

        |\tilde q_k - q_k| \le |\tilde\times(x, \tilde q_{k+1}) - x \tilde q_{k+1}|
        + |x| |\tilde q_{k+1} - q_{k+1}| \le B_k 2^{-2m_k} + E_{k+1} =: E_k,

    and ``error_bound`` is :math:`E_0`.

    Examples
    --------
    >>> p = polynomial([0.0, 0.0, 0.0, 1.0], m=8)  # x^3
    >>> bool(abs(p.network([[0.5]])[0, 0] - 0.125) <= p.error_bound)
    True
    """
    a = np.asarray(coefficients, dtype=float).reshape(-1)
    if a.size == 0 or not np.all(np.isfinite(a)):
        raise ValueError(f"coefficients must be a non-empty list of finite numbers; got {a!r}")
    n = a.size - 1
    if isinstance(m, (int, np.integer)) and not isinstance(m, bool):
        ms = [_check_int("m", m, 0)] * n
    else:
        ms = list(m) if np.iterable(m) else [m]
        if len(ms) != n:
            raise ValueError(
                f"m must be an integer or {n} integers, one per Horner step; got {m!r}"
            )
        ms = [_check_int("m", v, 0) for v in ms]
    if ranges is not None:
        ranges = np.asarray(ranges, dtype=float).reshape(-1)
        if ranges.size != n or not np.all(np.isfinite(ranges)) or np.any(ranges <= 0):
            raise ValueError(f"ranges must be {n} finite numbers > 0; got {ranges!r}")
    if n == 0:
        net = affine([[0.0]], [a[0]])
        return PolynomialNetwork(net, a, 0, 0.0, np.zeros(0))
    net = affine([[1.0], [0.0]], [0.0, a[n]])  # x -> (x, q_n)
    s_k, e_k = abs(a[n]), 0.0
    used = []
    carry_x = affine([[1.0, 0.0]])
    for k in range(n - 1, -1, -1):
        # |q_k| <= s_k + e_k; a range below 1e-100 (zero, or subnormal coefficients whose
        # reciprocal overflows in the multiplier's scaling) is replaced by 1, still a bound
        b_k = s_k + e_k if s_k + e_k > 1e-100 else 1.0
        if ranges is not None:
            if ranges[k] < b_k:
                raise ValueError(f"ranges[{k}] = {ranges[k]:g} is below the needed {b_k:g}")
            b_k = float(ranges[k])
        used.append(b_k)
        times = _multiply_cached(ms[k], 1.0, b_k)
        step = parallel(pad(carry_x, times.depth), times)  # (x, q) -> (x, x q)
        step = compose(affine(np.eye(2), [0.0, a[k]]), step)
        net = compose(step, net)
        e_k = e_k + multiply_error_bound(ms[k], (1.0, b_k))
        s_k = s_k + abs(a[k])
    net = compose(affine([[0.0, 1.0]]), net)
    return PolynomialNetwork(net, a, max(ms), float(e_k), np.array(used[::-1]))
