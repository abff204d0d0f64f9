r"""Shallow networks fitted to a target: random inner weights with least squares, and SGD.

Least squares (method (b) of the lecture): the inner weights :math:`(w_k, b_k)` are drawn at
random once, the outer weights :math:`(a_k)` and the bias :math:`c` minimise

.. math::

    \sum_{i=1}^M \Big(f(x_i) - c - \sum_{k=1}^N a_k \rho(w_k x_i - b_k)\Big)^2

on the fit points: :math:`\max(1025, 2P + 1)` equispaced points for a pool of P features, plus
the centres :math:`t_k = b_k / w_k` of the pool's features (where a ReLU has its kink and a
sigmoid its steepest rise: without them a fit may wiggle between the points, and the sup-norm
error, measured on a grid that contains the breakpoints, would show it). The random features are *nested*: the first N features of
the pool are the features of width N, so the least-squares error can only decrease as N grows.
One QR factorisation of the pool (``scipy.linalg.qr(mode='r')`` of ``[A | f]``) serves every N:
the solution for width N is a triangular solve with the leading block of R, and the residual is
:math:`\|f\|^2 - \|R_{1:N+1, f}\|^2`. Features that are numerically in the span of the earlier
ones (a diagonal entry of R below :data:`RANK_TOL` times the column norm) are dropped, which keeps
the nesting.

SGD (method (c)): all weights :math:`(a, w, b, c)` are trained with Adam on mini-batches of the
same fit points, starting from the random features; :func:`train_sgd_steps` is a generator that yields
:class:`course.progress.Progress` with the current approximation, so a panel can stream it and
stop it. torch is imported inside the function.

References
----------
.. [1] G.-B. Huang, Q.-Y. Zhu and C.-K. Siew, "Extreme learning machine: theory and
   applications", Neurocomputing 70, 489-501, 2006 (random inner weights, least-squares outer).
.. [2] A. Rahimi and B. Recht, "Uniform approximation of functions with random bases", 46th
   Allerton Conference, 555-561, 2008.
.. [3] D. P. Kingma and J. Ba, "Adam: a method for stochastic optimization", ICLR 2015.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass

import numpy as np
import scipy.linalg

from ..progress import Progress
from .shallow import (
    LECTURE_ACTIVATIONS,
    Approximation,
    ShallowNet,
    activation_function,
    check_width,
    measure,
)
from .targets import Target

__all__ = [
    "POOL_SIZE",
    "RANK_TOL",
    "random_features",
    "fit_points",
    "least_squares_residuals",
    "LeastSquaresFit",
    "fit_least_squares",
    "train_sgd_steps",
]

POOL_SIZE = 2048
RANK_TOL = 1e-10


def random_features(activation: str, n: int, *, domain=(-1.0, 1.0), seed: int = 0):
    r"""The first ``n`` inner weights :math:`(w_k, b_k)` of a seeded pool; prefixes are nested.

    Every neuron gets a centre :math:`t_k` uniform in the domain (where its kink, step or steepest
    rise sits), :math:`b_k = w_k t_k`. ReLU and Heaviside: :math:`w_k = \pm 1` (the scale of w
    is absorbed by :math:`a_k`). Sigmoid and tanh: :math:`|w_k|` log-uniform in
    :math:`[1, 200]/(b - a)`, so that some neurons are steep and some are not; polynomial:
    :math:`w_k = 1`.

    Returns
    -------
    inner : ndarray, shape (n,)
    shift : ndarray, shape (n,)
    """
    if activation not in LECTURE_ACTIVATIONS:
        raise ValueError(
            f"activation must be one of {', '.join(LECTURE_ACTIVATIONS)}; got {activation!r}"
        )
    if not 0 <= n <= POOL_SIZE:
        raise ValueError(f"n must be in [0, {POOL_SIZE}]; got {n}")
    a, b = domain
    rng = np.random.default_rng(seed)
    centres = rng.uniform(a, b, POOL_SIZE)
    signs = rng.choice([-1.0, 1.0], POOL_SIZE)
    scales = 10.0 ** rng.uniform(0.0, math.log10(200.0), POOL_SIZE) * 2.0 / (b - a)
    if activation in ("relu", "heaviside"):
        w = signs
    elif activation in ("sigmoid", "tanh"):
        w = signs * scales
    else:
        w = np.ones(POOL_SIZE)
    return w[:n].copy(), (w * centres)[:n].copy()


@dataclass(frozen=True)
class LeastSquaresFit:
    """A nested least-squares fit of a pool of random features, for every width at once.

    Attributes
    ----------
    keep : ndarray of int
        Indices (into the pool) of the features kept as numerically independent, sorted.
    r : ndarray, shape (len(keep) + 1, len(keep) + 1)
        R of the QR factorisation of ``[1, features[keep]]`` (the constant column first).
    qtf : ndarray, shape (len(keep) + 1,)
        :math:`Q^T f`.
    tail : float
        The part of f orthogonal to all kept features (the last diagonal entry of R).
    n_points : int
    """

    keep: np.ndarray
    r: np.ndarray
    qtf: np.ndarray
    tail: float
    n_points: int

    def columns(self, width: int) -> int:
        """How many columns (constant included) the fit of width N uses."""
        return 1 + int(np.searchsorted(self.keep, width))

    def residual(self, width: int) -> float:
        """Root mean square residual on the fit points; non-increasing in N."""
        m = self.columns(width)
        # |f - P_m f|^2 = the later components of Q^T f plus the part of f orthogonal to the
        # whole pool: a sum of squares, without the cancellation of |f|^2 - |Q_m^T f|^2
        rest = float(self.qtf[m:] @ self.qtf[m:]) + self.tail**2
        return math.sqrt(rest / self.n_points)

    def coefficients(self, width: int) -> np.ndarray:
        """Bias and outer weights of the kept features among the first N."""
        m = self.columns(width)
        return scipy.linalg.solve_triangular(self.r[:m, :m], self.qtf[:m], check_finite=False)


def _pool_size(width):
    return min(POOL_SIZE, max(256, 1 << (int(width) - 1).bit_length()))


def fit_points(target: Target, activation: str, pool: int, *, seed: int = 0) -> np.ndarray:
    """The points of the least-squares fit for a pool of ``pool`` features (sorted)."""
    a, b = target.domain
    w, s = random_features(activation, pool, domain=target.domain, seed=seed)
    centres = s / w
    extra = np.concatenate([centres[(centres > a) & (centres < b)], target.singular_points])
    return np.unique(np.concatenate([np.linspace(a, b, max(1025, 2 * pool + 1)), extra]))


@functools.lru_cache(maxsize=6)
def _nested_fit(target: Target, activation: str, degree: int, seed: int, pool: int):
    x = fit_points(target, activation, pool, seed=seed)
    f = target(x)
    w, s = random_features(activation, pool, domain=target.domain, seed=seed)
    rho = activation_function(activation, degree=degree)
    feats = rho(np.outer(x, w) - s)
    col_max = np.concatenate([[1.0], np.max(np.abs(feats), axis=0)])
    if activation == "polynomial":  # (x - t)^k can reach 2^k: scale the columns to size ~1
        feats /= col_max[None, 1:]
    A = np.column_stack([np.ones_like(x), feats, f])
    norms = np.linalg.norm(A[:, :-1], axis=0)
    keep = np.arange(pool + 1)
    for _ in range(5):  # drop dependent columns, refactor; one or two rounds in practice
        (r,) = scipy.linalg.qr(A[:, np.append(keep, pool + 1)], mode="r", check_finite=False)
        diag = np.abs(np.diag(r)[: len(keep)])
        bad = (diag <= RANK_TOL * norms[keep]) | (norms[keep] == 0)
        bad[0] = False  # the constant
        if not bad.any():
            break
        keep = keep[~bad]
    m = len(keep)
    scale = col_max[keep] if activation == "polynomial" else None
    tail = float(r[m, m]) if r.shape[0] > m else 0.0
    fit = LeastSquaresFit(keep[1:] - 1, r[:m, :m].copy(), r[:m, m].copy(), tail, len(x))
    return fit, scale


def fit_least_squares(
    target: Target, *, activation: str = "relu", width: int = 16, degree: int = 3, seed: int = 0
) -> Approximation:
    r"""Random inner weights (:func:`random_features`), least-squares outer weights, measured.

    The pool is factorised once per (target, activation, degree, seed) and size (the next power
    of two above N, at least 256) and cached, so moving N is a triangular solve.

    Examples
    --------
    >>> from course.universal.targets import make_target
    >>> r = fit_least_squares(make_target("sine"), width=64)
    >>> r.sup_error < 0.02, r.net.width
    (True, 64)
    """
    n = check_width(width)
    if n > POOL_SIZE:
        raise ValueError(f"width must be at most {POOL_SIZE} for least squares; got {n}")
    pool = _pool_size(n)
    fit, scale = _nested_fit(target, activation, int(degree), int(seed), pool)
    coef = fit.coefficients(n)
    w, s = random_features(activation, n, domain=target.domain, seed=seed)
    outer = np.zeros(n)
    cols = fit.keep[: len(coef) - 1]
    outer[cols] = coef[1:]
    if scale is not None:
        outer[cols] /= scale[1 : len(coef)]
    net = ShallowNet(outer, w, s, coef[0], activation, degree)
    return measure(net, target, method="least_squares")


def least_squares_residuals(target: Target, widths, *, activation="relu", degree=3, seed=0):
    """The root-mean-square least-squares residual on the fit points for each width."""
    widths = [check_width(n) for n in widths]
    fit, _ = _nested_fit(target, activation, int(degree), int(seed), _pool_size(max(widths)))
    return np.array([fit.residual(n) for n in widths])


def train_sgd_steps(
    target: Target,
    *,
    activation: str = "relu",
    width: int = 16,
    degree: int = 3,
    seed: int = 0,
    steps: int = 2000,
    batch: int = 256,
    lr: float = 1e-2,
    report_every: int | None = None,
):
    r"""Train all weights of a shallow network on f with Adam; a generator of Progress.

    Starts from the random features of :func:`random_features` with outer weights zero and
    :math:`c = \mathrm{mean}(f)`, yielded first as ``Progress(0, Approximation)`` (before torch is
    imported); each step draws ``batch`` of the fit points, minimises the mean squared error
    and, every ``report_every`` steps, yields ``Progress(step / steps, Approximation)`` (at most
    about ten snapshots per second; ``partial=None`` in between). The learning rate decays by a cosine to
    ``lr / 20``. Returns the final :class:`Approximation`.
    """
    n = check_width(width)
    if n > POOL_SIZE:
        raise ValueError(f"width must be at most {POOL_SIZE}; got {n}")
    if not (isinstance(steps, int) and steps >= 1):
        raise ValueError(f"steps must be a positive integer; got {steps!r}")
    x_np = fit_points(target, activation, _pool_size(n), seed=seed)
    y_np = target(x_np)
    w0, s0 = random_features(activation, n, domain=target.domain, seed=seed)
    # the starting network (outer weights 0: Phi = mean f), shown before torch is imported, so
    # that a panel switches to SGD at once, not after the import
    start = ShallowNet(np.zeros(n), w0.copy(), s0.copy(), float(np.mean(y_np)), activation, degree)
    yield Progress(0.0, measure(start, target, method="sgd"), f"step 0/{steps}")
    import torch  # slow import (1.5 s to several s on a busy machine): only when training

    gen = torch.Generator().manual_seed(int(seed))
    dt = torch.float64
    x = torch.as_tensor(x_np, dtype=dt)
    y = torch.as_tensor(y_np, dtype=dt)
    w = torch.tensor(w0, dtype=dt, requires_grad=True)
    s = torch.tensor(s0, dtype=dt, requires_grad=True)
    out = torch.zeros(n, dtype=dt, requires_grad=True)
    c = torch.tensor(float(np.mean(y_np)), dtype=dt, requires_grad=True)
    rho = _torch_rho(activation, degree)
    opt = torch.optim.Adam([w, s, out, c], lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps, eta_min=lr / 20)
    every = report_every or max(1, steps // 100)

    def snapshot():
        net = ShallowNet(
            out.detach().numpy().copy(),
            w.detach().numpy().copy(),
            s.detach().numpy().copy(),
            float(c.detach()),
            activation,
            degree,
        )
        return measure(net, target, method="sgd")

    last = time.monotonic()
    for step in range(1, steps + 1):
        idx = torch.randint(0, len(x_np), (batch,), generator=gen)
        xb = x[idx]
        pred = rho(xb[:, None] * w[None, :] - s[None, :]) @ out + c
        loss = torch.mean((pred - y[idx]) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % every == 0 or step == steps:
            now = time.monotonic()
            msg = f"step {step}/{steps}, batch loss {loss.item():.2e}"
            # a snapshot costs an evaluation on the error grid: at most ~10 per second
            if step == steps or now - last >= 0.1:
                last = now
                yield Progress(step / steps, snapshot(), msg)
            else:
                yield Progress(step / steps, None, msg)
    return snapshot()


def _torch_rho(activation, degree):
    import torch

    if activation == "polynomial":
        return lambda z: z**degree
    if activation == "heaviside":
        # the gradient of a step is zero almost everywhere: only a and c learn
        return lambda z: (z > 0).to(z.dtype)
    return {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}[activation]
