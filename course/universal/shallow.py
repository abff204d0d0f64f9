r"""Shallow networks :math:`\Phi(x) = \sum_{k=1}^N a_k \rho(\langle w_k, x\rangle - b_k) + c`.

The universal approximation theorem (Cybenko 1989, Hornik 1991) says that such sums are dense in
:math:`C(K)` for every continuous, non-polynomial :math:`\rho`. This module holds

- :class:`ShallowNet`, the network by its weights (convertible to :class:`course.networks.Network`,
  so that :math:`C(\Phi)` is :func:`course.networks.complexity`), with fast exact evaluation for
  piecewise-linear and step activations;
- the lecture's activations, including the polynomial :math:`\rho(t) = t^k` that the theorem
  excludes (it lives here, not in the course-wide registry);
- the sup-norm error on a fine grid that contains the breakpoints (:func:`error_grid`,
  :func:`measure`).

References
----------
.. [1] G. Cybenko, "Approximation by superpositions of a sigmoidal function", Mathematics of
   Control, Signals and Systems 2, 303-314, 1989 (Theorem 2).
.. [2] K. Hornik, "Approximation capabilities of multilayer feedforward networks", Neural
   Networks 4, 251-257, 1991.
.. [3] M. Leshno, V. Ya. Lin, A. Pinkus and S. Schocken, "Multilayer feedforward networks with a
   nonpolynomial activation function can approximate any function", Neural Networks 6,
   861-867, 1993 (the polynomial case).
.. [4] G. Kutyniok, "The mathematics of deep learning", 8th European Congress of Mathematics, 2021.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..activations import get_activation
from ..networks import Network, _as_points, complexity
from .targets import Target

__all__ = [
    "LECTURE_ACTIVATIONS",
    "MAX_DEGREE",
    "activation_function",
    "ShallowNet",
    "Approximation",
    "error_grid",
    "measure",
]

#: The activations of this lecture: name -> label.
LECTURE_ACTIVATIONS: dict[str, str] = {
    "relu": "ReLU",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "heaviside": "Heaviside",
    "polynomial": "polynomial t\u1d4f",
}
MAX_DEGREE = 10
# Evaluate in blocks of about this many entries of the (points x neurons) matrix: small blocks
# stay in cache and avoid page faults on fresh temporaries (7 ms instead of 25 ms for 2000 x 1000).
_BLOCK = 131072


def _sigmoid(z):
    # 1 / (1 + e^-z) = (1 + tanh(z / 2)) / 2: the same function, three times faster than expit.
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def _power(degree):
    def rho(z):
        return z**degree

    return rho


_FAST = {"sigmoid": _sigmoid}


def activation_function(name: str, *, degree: int = 3) -> Callable[[np.ndarray], np.ndarray]:
    """The numpy function rho for a lecture activation; ``degree`` only for ``'polynomial'``.

    Examples
    --------
    >>> activation_function("polynomial", degree=2)(np.array([-3.0, 0.5]))
    array([9.  , 0.25])
    """
    if name not in LECTURE_ACTIVATIONS:
        raise ValueError(
            f"activation must be one of {', '.join(LECTURE_ACTIVATIONS)}; got {name!r}"
        )
    if name == "polynomial":
        check_degree(degree)
        return _power(int(degree))
    return _FAST.get(name, get_activation(name).numpy)


def check_degree(degree):
    if isinstance(degree, bool) or not isinstance(degree, (int, np.integer)):
        raise ValueError(f"degree must be an integer in [1, {MAX_DEGREE}]; got {degree!r}")
    if not 1 <= degree <= MAX_DEGREE:
        raise ValueError(f"degree must be an integer in [1, {MAX_DEGREE}]; got {degree}")


@dataclass(frozen=True)
class ShallowNet:
    r"""A one-hidden-layer network :math:`\Phi(x) = \sum_k a_k \rho(\langle w_k, x\rangle - b_k) + c`.

    Parameters
    ----------
    outer : ndarray, shape (N,)
        Outer weights :math:`a_k`.
    inner : ndarray, shape (N, d)
        Inner weights :math:`w_k` (shape ``(N,)`` is read as d = 1).
    shift : ndarray, shape (N,)
        Thresholds :math:`b_k` (note the minus sign, as in the theorem).
    bias : float
        Output bias :math:`c`.
    activation : str
        A key of :data:`LECTURE_ACTIVATIONS`.
    degree : int
        k for the polynomial activation :math:`\rho(t) = t^k`.

    Examples
    --------
    :math:`|x| = \rho(x) + \rho(-x)` with the ReLU:

    >>> net = ShallowNet([1.0, 1.0], [1.0, -1.0], [0.0, 0.0])
    >>> net(np.array([-0.5, 0.0, 2.0]))
    array([0.5, 0. , 2. ])
    >>> net.width, net.complexity
    (2, 4)
    """

    outer: np.ndarray
    inner: np.ndarray
    shift: np.ndarray
    bias: float = 0.0
    activation: str = "relu"
    degree: int = 3
    _rho: Callable = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        a = np.array(self.outer, dtype=float).reshape(-1)
        w = np.array(self.inner, dtype=float)
        w = w.reshape(-1, 1) if w.ndim <= 1 else w
        b = np.array(self.shift, dtype=float).reshape(-1)
        if not (a.shape[0] == w.shape[0] == b.shape[0]) or w.ndim != 2:
            raise ValueError(
                f"outer (N,), inner (N, d) and shift (N,) must agree; got {a.shape}, {w.shape}, "
                f"{b.shape}"
            )
        rho = activation_function(self.activation, degree=self.degree)
        for arr in (a, w, b):
            arr.setflags(write=False)
        object.__setattr__(self, "outer", a)
        object.__setattr__(self, "inner", w)
        object.__setattr__(self, "shift", b)
        object.__setattr__(self, "bias", float(self.bias))
        object.__setattr__(self, "degree", int(self.degree))
        object.__setattr__(self, "_rho", rho)

    @property
    def width(self) -> int:
        """N, the number of hidden neurons."""
        return int(self.outer.shape[0])

    @property
    def input_dim(self) -> int:
        return int(self.inner.shape[1])

    @property
    def complexity(self) -> int:
        r""":math:`C(\Phi)`, the number of nonzero weights and biases (lecture 01)."""
        # C(Phi) depends on the affine maps only, so any registry activation may hold them
        # (the polynomial activation is not in the course-wide registry).
        return complexity(self._network("identity"))

    def to_network(self) -> Network:
        """The same function as a two-layer :class:`course.networks.Network`."""
        if self.activation == "polynomial":
            raise ValueError(
                "activation 'polynomial' exists only in lecture 02 and is not in "
                "course.activations.ACTIVATIONS; a Network cannot hold it"
            )
        return self._network(self.activation)

    def _network(self, activation):
        return Network([self.inner, self.outer[None, :]], [-self.shift, [self.bias]], activation)

    # ------------------------------------------------------------------ evaluation
    def __call__(self, x) -> np.ndarray:
        """Phi at points ``x`` of shape ``(n, d)`` (or ``(n,)`` when d = 1); shape ``(n,)``."""
        x = _as_points(x, self.input_dim)
        if self.input_dim == 1 and self.activation in ("relu", "heaviside"):
            return self._eval_sorted(x[:, 0])
        active = np.flatnonzero(self.outer)  # a neuron with a_k = 0 adds nothing
        w, b, a = self.inner[active], self.shift[active], self.outer[active]
        out = np.empty(x.shape[0])
        rows = max(16, _BLOCK // max(len(a), 1))
        for s in range(0, x.shape[0], rows):
            z = x[s : s + rows] @ w.T - b
            out[s : s + rows] = self._rho(z) @ a + self.bias
        return out

    def _eval_sorted(self, x):
        r"""Exact O((n + N) log N) evaluation in 1D for ReLU and Heaviside.

        A neuron with :math:`w_k > 0` is active for :math:`x > t_k = b_k / w_k`, one with
        :math:`w_k < 0` for :math:`x < t_k`, and one with :math:`w_k = 0` is the constant
        :math:`\rho(-b_k)`. Sorting the :math:`t_k` turns the sum into prefix sums.
        """
        w, b, a = self.inner[:, 0], self.shift, self.outer
        relu = self.activation == "relu"
        out = np.full(x.shape, self.bias + float(np.sum(a[w == 0] * self._rho(-b[w == 0]))))
        for sign in (1.0, -1.0):
            sel = (np.sign(w) == sign) & (a != 0)
            if not sel.any():
                continue
            t = b[sel] / w[sel]
            order = np.argsort(t)
            t = t[order]
            # relu: a rho(w x - b) = a |w| rho(sign (x - t)); heaviside: a 1[sign (x - t) > 0]
            coef = (a[sel] * (np.abs(w[sel]) if relu else 1.0))[order]
            if sign > 0:  # active where t < x: sum over k with t_k < x
                k = np.searchsorted(t, x, side="left")
                c0 = np.concatenate([[0.0], np.cumsum(coef)])
                c1 = np.concatenate([[0.0], np.cumsum(coef * t)])
                out += (c0[k] * x - c1[k]) if relu else c0[k]
            else:  # active where x < t: sum over k with t_k > x
                k = np.searchsorted(t, x, side="right")
                c0 = np.concatenate([np.cumsum(coef[::-1])[::-1], [0.0]])
                c1 = np.concatenate([np.cumsum((coef * t)[::-1])[::-1], [0.0]])
                out += (c1[k] - c0[k] * x) if relu else c0[k]
        return out

    def contributions(self, x, neurons) -> np.ndarray:
        r"""The terms :math:`a_k \rho(\langle w_k, x\rangle - b_k)` for the given neuron indices.

        Returns an array of shape ``(len(neurons), n)``.
        """
        x = _as_points(x, self.input_dim)
        idx = np.asarray(neurons, dtype=int)
        z = x @ self.inner[idx].T - self.shift[idx]
        return (self._rho(z) * self.outer[idx]).T

    def breakpoints(self, a: float, b: float) -> np.ndarray:
        r"""Sorted points of (a, b) where a 1D ReLU or Heaviside network may have a kink or jump:
        :math:`t_k = b_k / w_k` for the neurons with :math:`a_k w_k \neq 0`. Empty otherwise."""
        if self.input_dim != 1 or self.activation not in ("relu", "heaviside"):
            return np.empty(0)
        w = self.inner[:, 0]
        sel = (w != 0) & (self.outer != 0)
        t = self.shift[sel] / w[sel]
        return np.unique(t[(t > a) & (t < b)])


# ---------------------------------------------------------------------------- errors
def error_grid(a: float, b: float, *, n: int = 2001, points=()) -> np.ndarray:
    """A sorted grid of [a, b]: ``n`` equispaced points, the given ``points`` inside [a, b]
    (breakpoints of Phi, singular points of f) and the midpoints between consecutive breakpoints.

    The error of a piecewise-linear interpolant of a convex function peaks at the midpoints of
    its pieces, that of a kink at the kink: both are on the grid.

    Examples
    --------
    >>> error_grid(0.0, 1.0, n=3, points=[0.3])
    array([0.  , 0.15, 0.3 , 0.5 , 0.65, 1.  ])
    """
    if not (np.isfinite(a) and np.isfinite(b) and a < b):
        raise ValueError(f"need finite a < b; got a={a}, b={b}")
    if n < 2:
        raise ValueError(f"n must be >= 2; got {n}")
    pts = np.asarray(points, dtype=float).ravel()
    pts = pts[np.isfinite(pts) & (pts >= a) & (pts <= b)]
    ends = np.unique(np.concatenate([[a], pts, [b]]))
    mids = 0.5 * (ends[1:] + ends[:-1])
    return np.unique(np.concatenate([np.linspace(a, b, n), ends, mids]))


@dataclass(frozen=True)
class Approximation:
    """A shallow network next to its target, and the sup-norm error on a fine grid.

    Attributes
    ----------
    net : ShallowNet
    target : Target
    method : str
    x : ndarray, shape (n,)
        The error grid (equispaced points, breakpoints of Phi and their midpoints, the target's
        singular points).
    f, phi : ndarray, shape (n,)
        Target and network on ``x``.
    sup_error : float
        :math:`\\max_x |f(x) - \\Phi(x)|` over ``x``.
    argmax : float
        A point where that maximum is attained.
    rms_error : float
        Root mean square of ``f - phi`` over the equispaced part of the grid.
    complexity : int
        :math:`C(\\Phi)`.
    """

    net: ShallowNet
    target: Target
    method: str
    x: np.ndarray
    f: np.ndarray
    phi: np.ndarray
    sup_error: float
    argmax: float
    rms_error: float
    complexity: int

    @property
    def width(self) -> int:
        return self.net.width


def measure(net: ShallowNet, target: Target, *, method: str = "", n_grid: int = 2001):
    """Evaluate ``net`` and ``target`` on :func:`error_grid` and return an :class:`Approximation`.

    A Heaviside network jumps at its breakpoints t, where it takes the left value (H(0) = 0);
    the next float after t is added too, so that the right-hand limit, where the sup over a
    jump is approached, is on the grid.
    """
    a, b = target.domain
    bps = net.breakpoints(a, b)
    if net.activation == "heaviside":
        bps = np.concatenate([bps, np.nextafter(bps, np.inf)])
    pts = np.concatenate([bps, np.asarray(target.singular_points, dtype=float)])
    x = error_grid(a, b, n=n_grid, points=pts)
    f = target(x)
    with np.errstate(over="ignore", invalid="ignore"):
        phi = net(x)
    diff = np.abs(f - phi)
    if not np.all(np.isfinite(diff)):
        sup, arg = math.inf, float(x[np.argmax(~np.isfinite(diff))])
    else:
        i = int(np.argmax(diff))
        sup, arg = float(diff[i]), float(x[i])
    equi = np.linspace(a, b, n_grid)
    rms = float(np.sqrt(np.mean((target(equi) - net(equi)) ** 2))) if math.isfinite(sup) else sup
    return Approximation(net, target, method, x, f, phi, sup, arg, rms, net.complexity)


# ---------------------------------------------------------------------------- helpers
def check_width(width, low=1):
    """The width as an int, or ValueError naming it."""
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < low:
        raise ValueError(f"width must be an integer >= {low}; got {width!r}")
    return int(width)
