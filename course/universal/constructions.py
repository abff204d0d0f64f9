r"""The explicit constructions from the proofs of the universal approximation theorem in 1D.

- ReLU: the piecewise-linear interpolant at equispaced knots, one neuron per piece
  (:func:`relu_interpolant`), error :math:`\frac{h^2}{8}\max|f''|`;
- Heaviside, sigmoid, tanh: sums of steps (:func:`step_sum`), error :math:`O(h \max|f'|)`, the
  idea of Cybenko's proof for sigmoidal functions;
- the polynomial activation :math:`t^k`: the best polynomial of degree k written as a network
  (:func:`polynomial_construction`); no width does better.

:data:`CONSTRUCTIONS` maps each activation to its construction; :func:`construct` builds and
measures it.

References
----------
.. [1] G. Cybenko, "Approximation by superpositions of a sigmoidal function", Mathematics of
   Control, Signals and Systems 2, 303-314, 1989 (Theorem 2).
.. [2] M. Leshno, V. Ya. Lin, A. Pinkus and S. Schocken, "Multilayer feedforward networks with a
   nonpolynomial activation function can approximate any function", Neural Networks 6,
   861-867, 1993.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .shallow import ShallowNet, check_degree, check_width, measure
from .targets import Target

__all__ = [
    "STEEPNESS",
    "relu_interpolant",
    "step_sum",
    "polynomial_construction",
    "CONSTRUCTIONS",
    "construct",
]

#: kappa: a sigmoid step in the construction rises over kappa^-1 of a cell (w = kappa / h).
STEEPNESS = 10.0


def relu_interpolant(target: Target, width: int) -> ShallowNet:
    r"""The piecewise-linear interpolant of f at N + 1 equispaced knots, as a ReLU network.

    With :math:`h = (b - a)/N`, knots :math:`t_k = a + kh` and slopes
    :math:`s_k = (f(t_{k+1}) - f(t_k))/h`,

    .. math::

        \Phi(x) = f(t_0) + s_0 \rho(x - t_0) + \sum_{k=1}^{N-1} (s_k - s_{k-1}) \rho(x - t_k),

    one neuron per piece. For :math:`f \in C^2` the error is at most
    :math:`\frac{h^2}{8}\max|f''|`, a rate :math:`N^{-2}`; for :math:`f(x) = x^2` it is exactly
    :math:`h^2/4`. For a kink (a jump J of f' at a point between two knots) it is
    :math:`J\,\delta(h-\delta)/h \le Jh/4` where :math:`\delta` is the distance to the nearest
    knot: the rate drops to :math:`N^{-1}` (for :math:`|x|`, J = 2, on [-1, 1], the error is
    exactly 1/N for odd N, and 0 for even N, when 0 is a knot).

    Examples
    --------
    >>> from course.universal.targets import expression_target
    >>> net = relu_interpolant(expression_target("x**2"), 4)
    >>> round(measure(net, expression_target("x**2")).sup_error, 12)  # h = 1/2: h^2/4
    0.0625
    """
    n = check_width(width)
    a, b = target.domain
    t = np.linspace(a, b, n + 1)
    y = target(t)
    s = np.diff(y) / np.diff(t)
    outer = np.concatenate([[s[0]], np.diff(s)])
    return ShallowNet(outer, np.ones(n), t[:-1], y[0], "relu")


def step_sum(
    target: Target, width: int, *, activation: str = "heaviside", steepness: float = STEEPNESS
) -> ShallowNet:
    r"""A sum of N steps: the nearest-knot step function of f, or its sigmoid/tanh smoothing.

    Knots :math:`t_k = a + kh`, :math:`h = (b - a)/N`, k = 0..N; jumps at the midpoints
    :math:`m_k = t_k - h/2`:

    .. math::

        \Phi(x) = f(t_0) + \sum_{k=1}^N (f(t_k) - f(t_{k-1}))\, H(x - m_k).

    Heaviside: :math:`\Phi(x) = f(\text{nearest knot})`, so
    :math:`\|f - \Phi\|_\infty \le \frac{h}{2} \max|f'|` (rate :math:`N^{-1}`). Sigmoid: H is
    replaced by :math:`\sigma(\kappa (x - m_k)/h)`; since
    :math:`|\sigma(v) - H(v)| \le \min(1/2, e^{-|v|})`, the extra error is at most
    :math:`h \max|f'| (\frac12 + \frac{2e^{-\kappa/2}}{1 - e^{-\kappa}})`, still :math:`O(N^{-1})`.
    tanh uses :math:`\sigma(v) = (1 + \tanh(v/2))/2`. This is the constructive idea behind
    Cybenko's theorem for sigmoidal functions.
    """
    n = check_width(width)
    if activation not in ("heaviside", "sigmoid", "tanh"):
        raise ValueError(f"activation must be heaviside, sigmoid or tanh; got {activation!r}")
    a, b = target.domain
    h = (b - a) / n
    t = np.linspace(a, b, n + 1)
    y = target(t)
    jumps = np.diff(y)
    mid = t[1:] - h / 2
    if activation == "heaviside":
        return ShallowNet(jumps, np.ones(n), mid, y[0], "heaviside")
    w = steepness / h
    if activation == "sigmoid":
        return ShallowNet(jumps, np.full(n, w), w * mid, y[0], "sigmoid")
    # H(v) ~ sigma(w v) = (1 + tanh(w v / 2)) / 2
    return ShallowNet(jumps / 2, np.full(n, w / 2), w * mid / 2, y[0] + jumps.sum() / 2, "tanh")


def polynomial_construction(target: Target, width: int, *, degree: int = 3) -> ShallowNet:
    r"""The best a polynomial activation can do: the least-squares polynomial of degree k.

    :math:`\rho(t) = t^k` makes every :math:`\Phi` a polynomial of degree at most k, whatever N,
    so the error stalls at the distance of f to :math:`\mathcal{P}_k` (Leshno et al. 1993). Every
    polynomial of degree k is :math:`c + \sum_{j=1}^{k} a_j (x - b_j)^k` for distinct
    :math:`b_j` (the shifted powers together with the constant span :math:`\mathcal{P}_k`), so
    the least-squares fit on 4001 equispaced points with
    :math:`\min(N, k)` neurons and Chebyshev shifts :math:`b_j` outside [a, b] attains it; the
    other :math:`N - k` neurons are zero.
    """
    n = check_width(width)
    check_degree(degree)
    a, b = target.domain
    m = min(n, degree)
    # shifts outside [a, b] keep (x - b_j)^k one-signed and the system well conditioned
    j = np.arange(m)
    shifts = a - (b - a) * (1.5 + np.cos(np.pi * (j + 0.5) / max(m, 1)))
    x = np.linspace(a, b, 4001)
    scale = (b - a) * 3.0  # |x - b_j| <= 3 (b - a): keep the columns of size ~1
    feats = ((x[:, None] - shifts[None, :]) / scale) ** degree
    A = np.column_stack([np.ones_like(x), feats])
    coef, *_ = np.linalg.lstsq(A, target(x), rcond=None)
    outer = np.zeros(n)
    inner = np.zeros(n)
    shift = np.zeros(n)
    outer[:m] = coef[1:] / scale**degree
    inner[:m] = 1.0
    shift[:m] = shifts
    return ShallowNet(outer, inner, shift, coef[0], "polynomial", degree)


def _construct_relu(target, width, degree):
    return relu_interpolant(target, width)


#: activation -> explicit construction ``(target, width, degree) -> ShallowNet``
CONSTRUCTIONS: dict[str, Callable] = {
    "relu": _construct_relu,
    "heaviside": lambda t, n, k: step_sum(t, n, activation="heaviside"),
    "sigmoid": lambda t, n, k: step_sum(t, n, activation="sigmoid"),
    "tanh": lambda t, n, k: step_sum(t, n, activation="tanh"),
    "polynomial": lambda t, n, k: polynomial_construction(t, n, degree=k),
}


def construct(target: Target, *, activation: str = "relu", width: int = 16, degree: int = 3):
    """The explicit construction for ``activation`` with ``width`` neurons, measured.

    Returns
    -------
    Approximation
    """
    try:
        build = CONSTRUCTIONS[activation]
    except (KeyError, TypeError):
        raise ValueError(
            f"activation must be one of {', '.join(CONSTRUCTIONS)}; got {activation!r}"
        ) from None
    return measure(build(target, width, degree), target, method="construction")
