r"""Yarotsky's construction in two dimensions: the rate :math:`C(\Phi)^{-s/d}` with :math:`d = 2`.

The target is the ridge function :math:`F_s(x) = f_s(u)`, :math:`u = (x_1 + 2x_2)/3`, with
:math:`f_s(u) = (u - x_0)^{s-1}|u - x_0|` from :mod:`course.yarotsky.smooth`: it lies in
:math:`W^{s,\infty}([0,1]^2)` and no smoother (the :math:`s`-th derivatives jump across the line
:math:`u = x_0`). On the grid of spacing :math:`1/N`, with the hats
:math:`\phi_{jk}(x) = \phi_j(x_1)\phi_k(x_2)` (a partition of unity) and the Taylor polynomials
:math:`P_{jk}` of degree :math:`s - 1` at :math:`(j, k)/N`,

.. math::

    \Big|F_s - \sum_{j,k} \phi_{jk} P_{jk}\Big| \le \max_{jk} \|F_s - P_{jk}\|_{L^\infty(\mathrm{supp}\,
    \phi_{jk})} \le N^{-s},

since :math:`|u - u_{jk}| \le 1/N` on the support and :math:`|f_s^{(s)}| = s!`. Every product is
a multiplication network, so :math:`C(\Phi) \sim N^2 \log N` and the error is
:math:`\sim C^{-s/2}`: the same smoothness buys half the rate in twice the dimension.

References
----------
.. [1] D. Yarotsky, "Error bounds for approximations with deep ReLU networks", Neural Networks 94,
   103-114, 2017, Theorem 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from course.networks import Network, complexity
from course.progress import Progress
from course.rates import RateFit, fit_rate

from .calculus import affine, compose, pad, parallel
from .constructions import multiply, multiply_error_bound, polynomial
from .smooth import (
    _check_s,
    _patch_inputs,
    _PatchSum,
    _teeth,
    switched_product_clamp,
    target,
    target_derivative,
)
from .smooth_rates import _DeepRates

__all__ = [
    "RIDGE",
    "target2d",
    "TaylorConstruction2D",
    "taylor_network_2d",
    "SmoothRates2D",
    "smooth_rates_2d_steps",
]

#: :math:`u = \langle r, x\rangle` with this direction :math:`r`.
RIDGE = (1.0 / 3.0, 2.0 / 3.0)


def target2d(x, s: int) -> np.ndarray:
    r""":math:`F_s(x) = f_s((x_1 + 2x_2)/3)` for points ``x`` of shape (n, 2).

    Examples
    --------
    >>> from course.yarotsky.smooth import X0
    >>> float(target2d([[3 * X0, 0.0]], 2)[0])
    0.0
    """
    x = np.asarray(x, dtype=float).reshape(-1, 2)
    return target(x @ np.asarray(RIDGE), s)


def _coefficients(s: int, n: int, j: int, k: int) -> np.ndarray:
    r"""Taylor coefficients ``c[a, b]`` of :math:`F_s` at :math:`(j, k)/N` in the local variables
    :math:`t_1 = N x_1 - j`, :math:`t_2 = N x_2 - k` (zero for :math:`a + b \ge s`).

    :math:`\Delta u = (t_1 + 2 t_2) / (3N)`, so
    :math:`c_{ab} = \frac{f^{(a+b)}(u_0)}{(a+b)!} \binom{a+b}{a} (3N)^{-a} (2/(3N))^b`.
    """
    u0 = (j + 2.0 * k) / (3.0 * n)
    c = np.zeros((s, s))
    for q in range(s):
        dq = float(target_derivative(u0, s, q)) / math.factorial(q)
        for a in range(q + 1):
            b = q - a
            c[a, b] = dq * math.comb(q, a) * (1.0 / (3.0 * n)) ** a * (2.0 / (3.0 * n)) ** b
    return c


#: x -> rho(x) -> x: clips the hat product at 0 (it is >= -2^(-2m) and the true product is
#: >= 0, so the clip can only reduce the error), as the final clamp needs phi >= 0.
_KEEP = Network([[[1.0]], [[1.0]]], [[0.0], [0.0]], "relu")


def _select(rows, dim) -> Network:
    """The linear map picking coordinates ``rows`` of a vector of length ``dim``."""
    a = np.zeros((len(rows), dim))
    a[np.arange(len(rows)), rows] = 1.0
    return affine(a)


@dataclass(frozen=True)
class TaylorConstruction2D(_PatchSum):
    r"""Yarotsky's network for :math:`F_s` on :math:`[0,1]^2`: a sum of :math:`(N+1)^2` patches.

    Attributes
    ----------
    s, n : int
    patches : tuple of Network
        Patch ``j * (n + 1) + k`` is
        :math:`\tilde\times(\tilde\phi, \tilde P_{jk}(t_1, t_2))`,
        :math:`\tilde\phi = \rho(\tilde\times(\phi_j(x_1), \phi_k(x_2)))`, clamped to
        :math:`[-B\tilde\phi, B\tilde\phi]`.
    complexity : int
        :math:`C(\Phi)` of the sum (the patches' complexities, output biases merged).
    depth : int
    taylor_bound, network_bound : float
        :math:`N^{-s}` and the proven bound on what the multipliers add.
    """

    def __call__(self, x) -> np.ndarray:
        r""":math:`\Phi(x)` for ``x`` of shape (n_points, 2), each patch only on its support
        (elsewhere a hat is exactly 0 and so is the patch's product network)."""
        x = np.asarray(x, dtype=float).reshape(-1, 2)
        out = np.zeros(len(x))
        t = self.n * x
        for j in range(self.n + 1):
            on_j = np.abs(t[:, 0] - j) < 1.0
            if not np.any(on_j):
                continue
            for k in range(self.n + 1):
                on = on_j & (np.abs(t[:, 1] - k) < 1.0)
                if np.any(on):
                    out[on] += self.patches[j * (self.n + 1) + k](x[on])[:, 0]
        return out


def taylor_network_2d(s: int, n: int) -> TaylorConstruction2D:
    r"""Build Yarotsky's construction for :math:`F_s` with grid spacing :math:`1/N` (d = 2).

    Patch :math:`(j, k)`: the hats and clipped local variables of both coordinates (as in
    :func:`~course.yarotsky.smooth.taylor_network`); :math:`\tilde\phi = \tilde\times(\phi_j,
    \phi_k)`; :math:`Q_a(t_2) = \sum_b c_{ab} t_2^b` by
    :func:`~course.yarotsky.constructions.polynomial`; :math:`\tilde P = \sum_a t_1^a Q_a` by
    Horner's rule in :math:`t_1` with multipliers; finally :math:`\tilde\times(\tilde\phi,
    \tilde P)`, clamped to :math:`[-B\tilde\phi, B\tilde\phi]`
    (:func:`~course.yarotsky.smooth.switched_product_clamp`) so that a patch is exactly 0 off
    its support. All multipliers are sized for the worst patch, so all patches share one
    architecture.

    Notes
    -----
    With :math:`\delta_\phi` the error of the hat product, :math:`B` a bound on
    :math:`|\tilde P|`, :math:`E_P` on :math:`|\tilde P - P|` and at most four active patches,

    .. math::

        \|F_s - \Phi\|_\infty \le N^{-s} + 4B\delta_\phi + (1 + 4\delta_\phi) E_P
        + 4 B \delta_f .

    Examples
    --------
    >>> c = taylor_network_2d(2, 2)
    >>> g = np.linspace(0, 1, 33)
    >>> x = np.stack(np.meshgrid(g, g), -1).reshape(-1, 2)
    >>> bool(np.max(np.abs(c(x) - target2d(x, 2))) <= c.error_bound)
    True
    """
    s = _check_s(s)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= 64:
        raise ValueError(f"n must be an integer in [1, 64]; got {n!r}")
    n = int(n)
    coefs = {(j, k): _coefficients(s, n, j, k) for j in range(n + 1) for k in range(n + 1)}
    stack = np.stack(list(coefs.values()))  # (patches, a, b)
    tol = float(n) ** (-s) / (4 * s * s)
    # inner polynomials Q_a(t_2) of degree s - 1 - a: uniform ranges from the worst patch
    inner = []  # (ranges, teeth, sup |Q_a| over patches, error bound of Q_a)
    for a in range(s):
        deg = s - 1 - a
        rows = np.abs(stack[:, a, : deg + 1])
        tail = np.cumsum(rows[:, ::-1], axis=1)[:, ::-1]
        ranges = [float(np.max(tail[:, i + 1])) + (deg - 1 - i) * tol for i in range(deg)]
        ranges = [r if r > 0 else 1.0 for r in ranges]
        teeth = [_teeth(r, tol) for r in ranges]
        err = sum(r * 2.0 ** (-2 * m) for r, m in zip(ranges, teeth))
        inner.append((ranges, teeth, float(np.max(tail[:, 0])), err))
    # outer Horner in t_1: q_{s-1} = Q_{s-1}, q_a = Q_a + t_1 q_{a+1}
    outer = {}  # a -> (range B_a of q_{a+1}, teeth)
    e_out = inner[s - 1][3]
    s_out = inner[s - 1][2]
    for a in range(s - 2, -1, -1):
        b_a = s_out + e_out if s_out + e_out > 0 else 1.0
        m_a = _teeth(b_a, tol)
        outer[a] = (b_a, m_a)
        e_out = e_out + b_a * 2.0 ** (-2 * m_a) + inner[a][3]
        s_out = s_out + inner[a][2]
    b_final = s_out + e_out if s_out + e_out > 0 else 1.0
    m_phi = _teeth(4.0 * b_final, tol)
    m_final = _teeth(b_final, tol)
    times_phi = multiply(m_phi)
    times_final = multiply(m_final, bound=(1.0, b_final))
    outer_times = {a: multiply(m, bound=(1.0, b)) for a, (b, m) in outer.items()}
    keep_phi = affine([[1.0, 0.0]])
    switch = compose(
        switched_product_clamp(b_final),
        parallel(pad(keep_phi, times_final.depth), times_final),
    )

    patches = []
    for j in range(n + 1):
        for k in range(n + 1):
            c = coefs[(j, k)]
            # x -> (phi_j, t1, phi_k, t2)
            first = parallel(
                compose(_patch_inputs(n, j), affine([[1.0, 0.0]])),
                compose(_patch_inputs(n, k), affine([[0.0, 1.0]])),
            )
            # -> (phi~, t1, t2)
            hats = compose(_KEEP, compose(times_phi, _select([0, 2], 4)))
            net = compose(parallel(hats, _select([1, 3], 4)), first)
            # -> (phi~, t1, Q_0(t2), ..., Q_{s-1}(t2))
            parts = [_select([0, 1], 3)]
            for a in range(s):
                ranges, teeth, _, _ = inner[a]
                q = polynomial(c[a, : s - a], teeth, ranges=ranges or None)
                parts.append(compose(q.network, _select([2], 3)))
            net = compose(parallel(*parts), net)
            # Horner in t1; the state is (phi~, t1, Q_0, ..., Q_a, q_{a+1})
            for a in range(s - 2, -1, -1):
                dim = 2 + a + 2
                carries = _select(list(range(2 + a + 1)), dim)
                prod = compose(outer_times[a], _select([1, dim - 1], dim))
                step = parallel(carries, prod)  # (phi~, t1, Q_0..Q_a, t1 q_{a+1})
                add = np.eye(2 + a + 1, 2 + a + 2)
                add[2 + a, 2 + a + 1] = 1.0  # Q_a + t1 q_{a+1}
                net = compose(compose(affine(add), step), net)
            # (phi~, t1, P~) -> phi~ P~
            patches.append(compose(switch, compose(_select([0, 2], 3), net)))
    depths = {p.depth for p in patches}
    depth = max(depths)
    patches = [pad(p, depth) for p in patches]
    out_bias = sum(p.biases[-1] for p in patches)
    c_total = sum(complexity(p) - np.count_nonzero(p.biases[-1]) for p in patches)
    c_total += int(np.count_nonzero(out_bias))
    d_phi = multiply_error_bound(m_phi)
    d_f = multiply_error_bound(m_final, (1.0, b_final))
    network_bound = 4 * b_final * d_phi + (1 + 4 * d_phi) * e_out + 4 * d_f
    return TaylorConstruction2D(
        s=s,
        n=n,
        patches=tuple(patches),
        complexity=int(c_total),
        depth=depth,
        taylor_bound=float(n) ** (-s),
        network_bound=float(network_bound),
    )


@dataclass(frozen=True)
class SmoothRates2D(_DeepRates):
    """Error against :math:`C(\\Phi)` of the two-dimensional construction (see
    :class:`course.yarotsky.smooth_rates.SmoothRates` for the fields)."""

    deep_fit: RateFit | None
    x: np.ndarray = field(repr=False)  # the cut x2 = 1/2 for the pointwise plot
    f: np.ndarray = field(repr=False)
    deep_curve: np.ndarray = field(repr=False)


def smooth_rates_2d_steps(s: int, *, n_values=(1, 2, 4, 8), n_grid: int = 65):
    r"""Sweep :math:`N` for the construction in :math:`d = 2` (a slow job, like
    :func:`~course.yarotsky.smooth.smooth_rates_steps`). The sup is taken on an ``n_grid`` x ``n_grid``
    grid; the result also holds :math:`F_s` and :math:`\Phi` along the cut :math:`x_2 = 1/2`.
    The theorem's slope is :math:`-s/2`."""
    s = _check_s(s)
    ns = [int(v) for v in n_values]
    if not ns or any(v < 1 or v > 64 for v in ns):
        raise ValueError(f"n_values must be integers in [1, 64]; got {n_values!r}")
    g = np.linspace(0.0, 1.0, n_grid)
    pts = np.stack(np.meshgrid(g, g), -1).reshape(-1, 2)
    fx = target2d(pts, s)
    cut = np.linspace(0.0, 1.0, 1025)
    cut_pts = np.c_[cut, np.full_like(cut, 0.5)]
    cs, ds, es, bs = [], [], [], []
    for i, n in enumerate(ns):
        net = taylor_network_2d(s, n)
        cs.append(net.complexity)
        ds.append(net.depth)
        es.append(float(np.max(np.abs(net(pts) - fx))))
        bs.append(net.error_bound)
        try:
            fit = fit_rate(cs, es)
        except ValueError:
            fit = None
        partial = SmoothRates2D(
            s=s,
            theorem_slope=-s / 2.0,
            n_patches=np.array(ns[: i + 1]),
            deep_complexity=np.array(cs),
            deep_depth=np.array(ds),
            deep_error=np.array(es),
            deep_bound=np.array(bs),
            deep_fit=fit,
            x=cut,
            f=target2d(cut_pts, s),
            deep_curve=net(cut_pts),
        )
        yield Progress((i + 1) / len(ns), partial, f"N = {n}")
    return partial
