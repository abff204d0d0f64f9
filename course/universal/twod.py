r"""Two dimensions: a shallow ReLU network of width N on :math:`[0, 1]^2`.

:math:`\Phi(x) = c + \sum_{k=1}^N a_k \rho(\langle w_k, x\rangle - b_k)` with random directions
:math:`w_k = (\cos\theta_k, \sin\theta_k)`, hyperplanes through random points
:math:`p_k \in [0,1]^2` (:math:`b_k = \langle w_k, p_k\rangle`) and least-squares outer weights on a
48 x 48 grid; errors are measured on a 101 x 101 grid. :func:`compare_dimensions` fits the same
profile in d = 1 (on [0, 1], with :func:`course.universal.fitting.fit_least_squares`) and in d = 2,
to show that the same accuracy needs many more neurons in two dimensions: each ReLU neuron is a
ridge function, constant along a line, and a localised bump must be assembled from many of them.

The disc indicator is discontinuous, so no continuous :math:`\Phi` gets its sup error below 1/2
(the theorem needs continuity); its root-mean-square error still decays.

References
----------
.. [1] A. Pinkus, "Approximation theory of the MLP model in neural networks", Acta Numerica 8,
   143-195, 1999 (ridge functions, Section 6).
.. [2] A. R. Barron, "Universal approximation bounds for superpositions of a sigmoidal
   function", IEEE Transactions on Information Theory 39, 930-945, 1993.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import scipy.linalg

from .fitting import fit_least_squares
from .shallow import ShallowNet
from .targets import Target

__all__ = [
    "TARGETS_2D",
    "MAX_WIDTH_2D",
    "Approximation2D",
    "DimensionStudy",
    "fit_2d",
    "compare_dimensions",
    "profile_target",
]

MAX_WIDTH_2D = 1000
_POOL = 1024
_FIT_GRID = 48  # 2304 fit points for at most 1000 neurons
_EVAL_GRID = 101
_CENTRE = 0.5
_SIGMA = 0.15
_RADIUS = 0.3


def _bump2(x, y):
    return np.exp(-((x - _CENTRE) ** 2 + (y - _CENTRE) ** 2) / (2 * _SIGMA**2))


def _disc2(x, y):
    return (((x - _CENTRE) ** 2 + (y - _CENTRE) ** 2) <= _RADIUS**2).astype(float)


#: name -> (label, f(x, y), kind)
TARGETS_2D = {
    "bump": (f"exp(-|x-c|\u00b2/(2\u00b7{_SIGMA:g}\u00b2))", _bump2, "smooth"),
    "disc": (f"indicator of |x-c| \u2264 {_RADIUS:g}", _disc2, "jump"),
}


def _check_name(name):
    if name not in TARGETS_2D:
        raise ValueError(f"target must be one of {', '.join(TARGETS_2D)}; got {name!r}")


def profile_target(name: str) -> Target:
    """The 1D section through the centre, :math:`t \\mapsto f(t, 1/2)` on [0, 1], as a Target."""
    _check_name(name)
    fn = TARGETS_2D[name][1]
    singular = (_CENTRE - _RADIUS, _CENTRE + _RADIUS) if name == "disc" else ()
    return Target(
        f"profile:{name}",
        f"section of {name}",
        "unknown",
        lambda t: fn(t, np.full_like(t, _CENTRE)),
        (0.0, 1.0),
        singular,
        ("profile", name),
    )


def _features(pool, seed):
    rng = np.random.default_rng(seed)
    theta = rng.uniform(0, 2 * np.pi, pool)
    w = np.c_[np.cos(theta), np.sin(theta)]
    p = rng.uniform(0, 1, (pool, 2))
    return w, np.sum(w * p, axis=1)


def _grid(n):
    t = np.linspace(0.0, 1.0, n)
    xx, yy = np.meshgrid(t, t)  # rows index y: an image (row, col) = (y, x)
    return t, np.c_[xx.ravel(), yy.ravel()]


@functools.lru_cache(maxsize=4)
def _factor(name, seed):
    fn = TARGETS_2D[name][1]
    _, pts = _grid(_FIT_GRID)
    w, b = _features(_POOL, seed)
    f = fn(pts[:, 0], pts[:, 1])
    A = np.column_stack([np.ones(len(pts)), np.maximum(pts @ w.T - b, 0.0), f])
    norms = np.linalg.norm(A[:, :-1], axis=0)
    # a ReLU ridge that misses the square is zero there; other dependent columns are rare
    keep = np.flatnonzero(norms > 0)
    for _ in range(3):
        (r,) = scipy.linalg.qr(A[:, np.append(keep, _POOL + 1)], mode="r", check_finite=False)
        bad = np.abs(np.diag(r))[: len(keep)] <= 1e-10 * norms[keep]
        bad[0] = False
        if not bad.any():
            break
        keep = keep[~bad]
    m = len(keep)
    return keep[1:] - 1, r[:m, :m].copy(), r[:m, m].copy()


@dataclass(frozen=True)
class Approximation2D:
    """A 2D target and a shallow ReLU network on a 101 x 101 grid of the unit square.

    ``f`` and ``phi`` have shape (101, 101), rows indexing :math:`x_2`.
    """

    name: str
    width: int
    axis: np.ndarray
    f: np.ndarray
    phi: np.ndarray
    sup_error: float
    rms_error: float
    complexity: int
    net: ShallowNet


def fit_2d(name: str = "bump", *, width: int = 64, seed: int = 0) -> Approximation2D:
    """Least-squares shallow ReLU network of width N for a 2D target, measured.

    Examples
    --------
    >>> r = fit_2d("bump", width=200)
    >>> r.f.shape, r.sup_error < 0.2
    ((101, 101), True)
    """
    _check_name(name)
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)):
        raise ValueError(f"width must be an integer in [1, {MAX_WIDTH_2D}]; got {width!r}")
    if not 1 <= width <= MAX_WIDTH_2D:
        raise ValueError(f"width must be an integer in [1, {MAX_WIDTH_2D}]; got {width}")
    keep, r, qtf = _factor(name, int(seed))
    m = 1 + int(np.searchsorted(keep, width))
    coef = scipy.linalg.solve_triangular(r[:m, :m], qtf[:m], check_finite=False)
    w, b = _features(_POOL, seed)
    outer = np.zeros(width)
    outer[keep[: m - 1]] = coef[1:]
    net = ShallowNet(outer, w[:width], b[:width], coef[0], "relu")
    axis, pts = _grid(_EVAL_GRID)
    fn = TARGETS_2D[name][1]
    f = fn(pts[:, 0], pts[:, 1])
    phi = net(pts)
    diff = f - phi
    n = _EVAL_GRID
    return Approximation2D(
        name,
        int(width),
        axis,
        f.reshape(n, n),
        phi.reshape(n, n),
        float(np.max(np.abs(diff))),
        float(np.sqrt(np.mean(diff**2))),
        net.complexity,
        net,
    )


@dataclass(frozen=True)
class DimensionStudy:
    """Errors of the least-squares shallow ReLU network against N in d = 1 and d = 2."""

    name: str
    widths: np.ndarray
    sup_1d: np.ndarray
    rms_1d: np.ndarray
    sup_2d: np.ndarray
    rms_2d: np.ndarray

    def width_for(self, eps: float, *, d: int, metric: str = "rms") -> int | None:
        """The smallest width of the study whose error (``'sup'`` or ``'rms'``) is <= eps."""
        errs = {
            ("sup", 1): self.sup_1d,
            ("rms", 1): self.rms_1d,
            ("sup", 2): self.sup_2d,
            ("rms", 2): self.rms_2d,
        }[(metric, d)]
        ok = np.flatnonzero(errs <= eps)
        return int(self.widths[ok[0]]) if ok.size else None


@functools.lru_cache(maxsize=4)
def compare_dimensions(name: str = "bump", *, seed: int = 0) -> DimensionStudy:
    """Sup and RMS errors for widths 2, 4, ..., 1000 in d = 1 (the section) and d = 2."""
    _check_name(name)
    widths = np.unique(np.r_[np.geomspace(2, MAX_WIDTH_2D, 10).astype(int)])
    prof = profile_target(name)
    one = [fit_least_squares(prof, width=int(n), seed=seed) for n in widths]
    two = [fit_2d(name, width=int(n), seed=seed) for n in widths]
    return DimensionStudy(
        name,
        widths,
        np.array([r.sup_error for r in one]),
        np.array([r.rms_error for r in one]),
        np.array([r.sup_error for r in two]),
        np.array([r.rms_error for r in two]),
    )
