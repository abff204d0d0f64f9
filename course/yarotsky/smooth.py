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
class _PatchSum:
    """What Yarotsky's construction is in any dimension: a sum of patch networks, with the
    proven error bound ``taylor_bound + network_bound`` (the fields are documented on
    :class:`TaylorConstruction` and :class:`~course.yarotsky.smooth2d.TaylorConstruction2D`)."""

    s: int
    n: int
    patches: tuple = field(repr=False)
    complexity: int
    depth: int
    taylor_bound: float
    network_bound: float

    @property
    def error_bound(self) -> float:
        return self.taylor_bound + self.network_bound

    def evaluate_full(self, x) -> np.ndarray:
        """:math:`\\Phi(x)` with every patch evaluated at every point (the slow reference)."""
        x = np.asarray(x, dtype=float).reshape(-1, self.patches[0].input_dim)
        return sum(p(x)[:, 0] for p in self.patches)


@dataclass(frozen=True)
class TaylorConstruction(_PatchSum):
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

    def network(self) -> Network:
        """The whole network as one :class:`Network` (block-diagonal: fine for small N)."""
        return linear_combination(self.patches, np.ones(len(self.patches)))


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
