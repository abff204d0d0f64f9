r"""Rates for :math:`C^s` functions: Yarotsky's deep construction against shallow networks (d = 1).

Yarotsky's Theorem 1 approximates :math:`f \in W^{s,\infty}([0,1]^d)` by a partition of unity
:math:`\sum_j \phi_j = 1` on a grid of spacing :math:`1/N` and local Taylor polynomials
:math:`P_j` of degree :math:`s - 1` at the grid points:

.. math::

    \Big| f - \sum_j \phi_j P_j \Big| \le \sum_j \phi_j |f - P_j|
    \le \frac{\|f^{(s)}\|_\infty}{s!} N^{-s}.

Each product :math:`\phi_j P_j` and each power inside :math:`P_j` is computed by the
multiplication network of :func:`~course.yarotsky.constructions.multiply`, with precision chosen
so that all multiplier errors together stay below the Taylor error. The network has depth
:math:`O(\log N)` and :math:`C(\Phi) = O(N \log N)` nonzero weights, so that
:math:`\|f - \Phi\|_\infty \lesssim (C(\Phi) / \log C(\Phi))^{-s/d}`: the theorem's rate
:math:`C^{-s/d}` up to a logarithm, here with :math:`d = 1`.

A shallow ReLU network is piecewise linear with at most (width + 1) pieces, and the best
piecewise-linear approximation of a function with :math:`f'' \ne 0` has error of order
:math:`(\text{pieces})^{-2}`: the shallow rate saturates at :math:`C^{-2}` however smooth
:math:`f` is.

The target of smoothness :math:`s` is :math:`f_s(x) = (x - x_0)^{s-1} |x - x_0|`, whose
:math:`s`-th derivative :math:`s!\,\mathrm{sign}(x - x_0)` is bounded and jumps at :math:`x_0`:
:math:`f_s \in W^{s,\infty}` and no smoother.

References
----------
.. [1] D. Yarotsky, "Error bounds for approximations with deep ReLU networks", Neural Networks 94,
   103-114, 2017, Theorem 1.
.. [2] H. Boelcskei, P. Grohs, G. Kutyniok and P. Petersen, "Optimal approximation with sparsely
   connected deep neural networks", SIAM J. Math. Data Sci. 1, 8-45, 2019 (the lower bound that
   the construction is compared with).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from course.networks import Network, complexity
from course.progress import Progress
from course.rates import RateFit, fit_rate

from .calculus import affine, compose, linear_combination, pad, parallel
from .constructions import multiply, multiply_error_bound, polynomial

__all__ = [
    "X0",
    "SMOOTHNESS",
    "target",
    "target_derivative",
    "TaylorConstruction",
    "taylor_network",
    "switched_product_clamp",
    "shallow_interpolant",
    "evaluate_shallow",
    "SmoothRates",
    "smooth_rates_steps",
]

#: The kink of the target; irrational, so that no grid point k/N ever hits it.
X0 = 1.0 / math.sqrt(5.0)
#: Smoothness orders the lecture offers.
SMOOTHNESS = (1, 2, 3, 4, 5)


def _check_s(s) -> int:
    if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s not in SMOOTHNESS:
        raise ValueError(f"s must be one of {SMOOTHNESS}; got {s!r}")
    return int(s)


def target_derivative(x, s: int, k: int = 0) -> np.ndarray:
    r"""The :math:`k`-th derivative of :math:`f_s(x) = (x - x_0)^{s-1}|x - x_0|`, :math:`k \le s`.

    :math:`f_s^{(k)}(x) = \frac{s!}{(s-k)!} (x - x_0)^{s-k} \mathrm{sign}(x - x_0)`.

    Examples
    --------
    >>> float(target_derivative(X0 + 0.5, 3, 3)), float(target_derivative(X0 - 0.5, 3, 3))
    (6.0, -6.0)
    """
    s = _check_s(s)
    if not (isinstance(k, (int, np.integer)) and 0 <= k <= s):
        raise ValueError(f"k must be an integer in [0, {s}]; got {k!r}")
    u = np.asarray(x, dtype=float) - X0
    return math.factorial(s) / math.factorial(s - k) * u ** (s - k) * np.sign(u)


def target(x, s: int) -> np.ndarray:
    r"""The target :math:`f_s(x) = (x - x_0)^{s-1} |x - x_0|`, :math:`x_0 = 1/\sqrt5`."""
    return target_derivative(x, s, 0)


# ----------------------------------------------------------------------------- deep
def switched_product_clamp(bound: float) -> Network:
    r"""The network :math:`(\phi, v) \mapsto \mathrm{clamp}(v, -B\phi, B\phi)` for
    :math:`\phi \ge 0`.

    With :math:`a = B\phi`: :math:`\max(v, -a) = \rho(v + a) - a` and
    :math:`\min(w, a) = a - \rho(a - w)`, so the clamp is :math:`a - \rho(2a - \rho(v + a))`
    (two hidden layers of width 2, :math:`a = \rho(a)` carried along). Applied to
    :math:`v = \tilde\times(\phi, P)` with :math:`|P| \le B` it never increases the error
    (the true product lies in :math:`[-B\phi, B\phi]`), and where :math:`\phi = 0` its output
    is exactly 0 *whatever* :math:`v` is. The multiplier alone is exactly 0 there too, but only
    if its two equal squares are rounded identically, which a matrix product over many points
    (BLAS blocking) does not guarantee once the networks are stacked block-diagonally.

    Examples
    --------
    >>> clamp = switched_product_clamp(2.0)
    >>> clamp([[0.0, 1e-17], [0.5, 0.3], [0.5, 3.0], [0.25, -0.7]]).ravel()
    array([ 0. ,  0.3,  1. , -0.5])
    """
    b = float(bound)
    if not (np.isfinite(b) and b > 0):
        raise ValueError(f"bound must be a finite number > 0; got {bound!r}")
    return Network(
        [[[b, 1.0], [b, 0.0]], [[-1.0, 2.0], [0.0, 1.0]], [[-1.0, 1.0]]],
        [[0.0, 0.0], [0.0, 0.0], [0.0]],
        "relu",
    )


def _patch_inputs(n: int, j: int) -> Network:
    r"""x -> (phi_j(x), clip(N x - j)) with phi_j the hat at j/N, exactly 0 off its support.

    Layer 1: rho(t), rho(-t), rho(t + 1), rho(t - 1) with t = N x - j. Layer 2:
    phi = rho(1 - rho(t) - rho(-t)) (exactly 0 for |t| >= 1, also in floating point) and
    c = rho(t + 1) - rho(t - 1) - 1 = clip(t, -1, 1), passed as rho(c), rho(-c).
    """
    w1 = np.array([[n], [-n], [n], [n]], dtype=float)
    b1 = np.array([-j, j, 1 - j, -1 - j], dtype=float)
    w2 = np.array([[-1.0, -1.0, 0.0, 0.0], [0.0, 0.0, 1.0, -1.0], [0.0, 0.0, -1.0, 1.0]])
    b2 = np.array([1.0, -1.0, 1.0])
    w3 = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, -1.0]])
    return Network([w1, w2, w3], [b1, b2, np.zeros(2)], "relu")


@dataclass(frozen=True)
class TaylorConstruction:
    r"""Yarotsky's network :math:`\Phi = \sum_{j=0}^{N} \tilde\times(\phi_j, \tilde P_j)` for
    :math:`f_s` on :math:`[0, 1]` (each product clamped to :math:`[-B\phi_j, B\phi_j]`).

    Attributes
    ----------
    s : int
        Smoothness of the target; the Taylor polynomials have degree :math:`s - 1`.
    n : int
        :math:`N`, the grid spacing is :math:`1/N` and there are :math:`N + 1` patches.
    patches : tuple of Network
        One network per grid point, all of the same depth; :math:`\Phi` is their sum.
    complexity : int
        :math:`C(\Phi)` of the summed network (:func:`~course.yarotsky.calculus.linear_combination`
        of the patches): the sum of the patches' complexities, the output biases merged.
    depth : int
        Depth of :math:`\Phi`.
    taylor_bound, network_bound : float
        :math:`N^{-s}` (Taylor part) and the proven bound on the multipliers' contribution;
        :math:`\|f_s - \Phi\|_\infty \le` ``taylor_bound + network_bound``.
    m_steps : tuple of int
        Teeth per squaring network in the Horner steps, then in the final product.
    """

    s: int
    n: int
    patches: tuple = field(repr=False)
    complexity: int
    depth: int
    taylor_bound: float
    network_bound: float
    m_steps: tuple

    def __call__(self, x) -> np.ndarray:
        """:math:`\\Phi(x)`, evaluated patch by patch through the matrices; shape (n_points,).

        Patch :math:`j` is evaluated only where :math:`|Nx - j| < 1`: elsewhere
        :math:`\\phi_j = 0` exactly and its product network returns exactly 0 (see
        :func:`~course.yarotsky.constructions.multiply`), so skipping it changes nothing (a test
        checks this against the full evaluation).
        """
        x = np.asarray(x, dtype=float).reshape(-1)
        out = np.zeros_like(x)
        t = self.n * x
        for j, patch in enumerate(self.patches):
            on = np.abs(t - j) < 1.0
            if np.any(on):
                out[on] += patch(x[on, None])[:, 0]
        return out

    def evaluate_full(self, x) -> np.ndarray:
        """:math:`\\Phi(x)` with every patch evaluated at every point (the slow reference)."""
        x = np.asarray(x, dtype=float).reshape(-1, 1)
        return sum(p(x)[:, 0] for p in self.patches)

    def network(self) -> Network:
        """The whole network as one :class:`Network` (block-diagonal: fine for small N)."""
        return linear_combination(self.patches, np.ones(len(self.patches)))

    @property
    def error_bound(self) -> float:
        return self.taylor_bound + self.network_bound


def _teeth(scale: float, tol: float) -> int:
    """Fewest teeth m with scale * 2^(-2m) <= tol."""
    if scale <= tol:
        return 0
    return int(math.ceil(0.5 * math.log2(scale / tol)))


def taylor_network(s: int, n: int) -> TaylorConstruction:
    r"""Build Yarotsky's construction for the target :math:`f_s` with :math:`N = n` (d = 1).

    Patch :math:`j`: the hat :math:`\phi_j` (exactly zero off :math:`(x_{j-1}, x_{j+1})`) and
    :math:`t = \mathrm{clip}(Nx - j, -1, 1)`; the Taylor polynomial
    :math:`P_j = \sum_{k<s} \frac{f^{(k)}(j/N)}{k!\,N^k} t^k` by
    :func:`~course.yarotsky.constructions.polynomial`; the product
    :math:`\tilde\times(\phi_j, \tilde P_j)` with ranges :math:`(1, B)`, clamped to
    :math:`[-B\phi_j, B\phi_j]` by :func:`switched_product_clamp`, so that a patch is exactly 0
    off its support.

    Notes
    -----
    The precision of every multiplier is chosen so that its error is at most
    :math:`\varepsilon = N^{-s} / (2s)`, hence, with at most two patches active at any
    :math:`x` (a multiplier is exactly 0 when :math:`\phi_j = 0`),
    :math:`\|f_s - \Phi\|_\infty \le N^{-s} + \max_j E_j + 2 \max_j B_j 2^{-2 m_f}`, where
    :math:`E_j` is the Horner bound of :math:`\tilde P_j` and :math:`B_j` the range of the last
    product.

    Examples
    --------
    >>> c = taylor_network(2, 4)
    >>> x = np.linspace(0, 1, 257)
    >>> bool(np.max(np.abs(c(x) - target(x, 2))) <= c.error_bound)
    True
    """
    s = _check_s(s)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= 4096:
        raise ValueError(f"n must be an integer in [1, 4096]; got {n!r}")
    n = int(n)
    nodes = np.arange(n + 1) / n
    # coefficients of P_j in t = N x - j: c_jk = f^(k)(x_j) / (k! N^k)
    coef = np.stack(
        [target_derivative(nodes, s, k) / (math.factorial(k) * float(n) ** k) for k in range(s)],
        axis=1,
    )
    tol = float(n) ** (-s) / (2 * s)
    # One set of multipliers for all patches (so all have the same depth and the networks are
    # shared): ranges B_k from the worst patch, B_k = max_j S_{k+1,j} + (errors so far <= tol
    # per step), teeth m_k with B_k 2^(-2 m_k) <= tol.
    tail = np.cumsum(np.abs(coef)[:, ::-1], axis=1)[:, ::-1]  # tail[:, k] = sum_{i >= k} |c_i|
    ranges = [float(np.max(tail[:, k + 1])) + (s - 2 - k) * tol for k in range(s - 1)]
    ranges = [r if r > 0 else 1.0 for r in ranges]
    m_horner = [_teeth(r, tol) for r in ranges]
    b_final = float(np.max(tail[:, 0])) + (s - 1) * tol
    b_final = b_final if b_final > 0 else 1.0
    m_final = _teeth(b_final, tol)
    times = multiply(m_final, bound=(1.0, b_final))
    phi = affine([[1.0, 0.0]])
    # (phi, P) -> clamp(times(phi, P), -B phi, B phi): exactly 0 where phi = 0
    switch = compose(switched_product_clamp(b_final), parallel(pad(phi, times.depth), times))
    patches, horner_bounds = [], []
    for j in range(n + 1):
        poly = polynomial(coef[j], m_horner, ranges=ranges)
        horner_bounds.append(poly.error_bound)
        p_of_t = compose(poly.network, affine([[0.0, 1.0]]))  # (phi, t) -> P(t)
        both = parallel(pad(phi, p_of_t.depth), p_of_t)  # (phi, t) -> (phi, P(t))
        patches.append(compose(switch, compose(both, _patch_inputs(n, j))))
    depths = {p.depth for p in patches}
    assert len(depths) == 1, depths  # one m per step for all patches: equal depths
    out_bias = sum(p.biases[-1] for p in patches)
    c_total = sum(complexity(p) - np.count_nonzero(p.biases[-1]) for p in patches)
    c_total += int(np.count_nonzero(out_bias))
    network_bound = max(horner_bounds) + 2 * multiply_error_bound(m_final, (1.0, b_final))
    return TaylorConstruction(
        s=s,
        n=n,
        patches=tuple(patches),
        complexity=int(c_total),
        depth=depths.pop(),
        taylor_bound=float(n) ** (-s),
        network_bound=float(network_bound),
        m_steps=(*m_horner, m_final),
    )


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
class SmoothRates:
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
        Fitted slopes (None while fewer than two points exist).
    x : ndarray
        Evaluation grid (:math:`2^{12} + 1` points, the sup is taken there).
    f : ndarray
        :math:`f_s` on ``x``.
    deep_curve, shallow_curve : ndarray
        The deep network with the largest :math:`N` so far, and the shallow network with the
        closest complexity, on ``x``.
    """

    s: int
    theorem_slope: float
    n_patches: np.ndarray
    deep_complexity: np.ndarray
    deep_depth: np.ndarray
    deep_error: np.ndarray
    deep_bound: np.ndarray
    shallow_complexity: np.ndarray
    shallow_error: np.ndarray
    deep_fit: RateFit | None
    shallow_fit: RateFit | None
    x: np.ndarray = field(repr=False)
    f: np.ndarray = field(repr=False)
    deep_curve: np.ndarray = field(repr=False)
    shallow_curve: np.ndarray = field(repr=False)


def _fit(c, e):
    try:
        return fit_rate(c, e)
    except ValueError:
        return None


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
            deep_fit=_fit(deep_c, deep_e),
            shallow_fit=_fit(np.array(sh_c)[order], np.array(sh_e)[order]),
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
