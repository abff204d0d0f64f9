r"""The role of depth: how wide must a one-hidden-layer ReLU network be to match a sawtooth?

The sawtooth :math:`g_k` (:func:`~course.yarotsky.constructions.sawtooth`) has :math:`2^k` linear
pieces and is computed by a network of depth :math:`k + 1`, width 3 and :math:`11k - 3` nonzero
weights. A one-hidden-layer ReLU network of width :math:`w` is piecewise linear with at most
:math:`w + 1` pieces (each neuron has one kink), so it needs :math:`w \ge 2^k - 1` to represent
:math:`g_k`, and :func:`shallow_width_needed` shows that exactly :math:`2^k` are needed on :math:`[0, 1]`:
exponentially many neurons against linearly many (Telgarsky 2016). More generally the number of
linear regions of a deep network can grow exponentially with the depth (Montufar, Pascanu, Cho
and Bengio 2014).

:func:`depth_separation_steps` trains shallow networks of growing width on :math:`g_k` and records the
smallest width whose RMS error drops below a tolerance, next to the exact width :math:`2^k`.

References
----------
.. [1] M. Telgarsky, "Benefits of depth in neural networks", COLT 2016, Theorem 1.1 and Lemma 2.1.
.. [2] G. Montufar, R. Pascanu, K. Cho and Y. Bengio, "On the number of linear regions of deep
   neural networks", NeurIPS 2014.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course.networks import Network, complexity, count_linear_pieces_1d
from course.progress import Progress, relay

from .constructions import sawtooth, sawtooth_complexity

__all__ = [
    "shallow_width_needed",
    "shallow_sawtooth",
    "ShallowFit",
    "train_shallow_steps",
    "DepthSeparation",
    "depth_separation_steps",
]


def _check_k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= 16:
        raise ValueError(f"k must be an integer in [1, 16]; got {k!r}")
    return int(k)


def shallow_width_needed(k: int) -> int:
    r"""The smallest width of a one-hidden-layer ReLU network equal to :math:`g_k` on
    :math:`[0, 1]`: :math:`2^k`.

    Notes
    -----
    Counting pieces gives :math:`w \ge 2^k - 1` (each neuron has one kink, :math:`g_k` has
    :math:`2^k - 1` interior breakpoints). With exactly :math:`2^k - 1` neurons each breakpoint
    :math:`t_i` carries one kink, and its change of slope is :math:`\Delta_i = \pm 2^{k+1}`. A
    neuron active to the left of its kink contributes :math:`-\Delta_i` to the slope on
    :math:`[0, t_1]`, one active to the right contributes 0, so that slope is a sum of
    :math:`\mp 2^{k+1}`'s, never the required :math:`2^k`: one more neuron is needed, and
    :func:`shallow_sawtooth` shows that :math:`2^k` suffice.
    """
    return 2 ** _check_k(k)


def shallow_sawtooth(k: int) -> Network:
    r"""A one-hidden-layer ReLU network of width :math:`2^k` equal to :math:`g_k` on [0, 1].

    With :math:`p = 2^k`, kinks :math:`t_i = i/p` and slopes :math:`\sigma_i = (-1)^i p` on
    :math:`[t_i, t_{i+1}]`,

    .. math::

        \Phi(x) = p\,\rho(x) + \sum_{i=1}^{p-1} (\sigma_i - \sigma_{i-1}) \rho(x - t_i).

    Examples
    --------
    >>> net = shallow_sawtooth(2)
    >>> net.widths, net([[0.0], [0.25], [0.5], [0.75], [1.0]]).ravel()
    ((1, 4, 1), array([0., 1., 0., 1., 0.]))
    """
    k = _check_k(k)
    p = 2**k
    knots = np.arange(p) / p
    slopes = p * (-1.0) ** np.arange(p)
    out = np.concatenate([[slopes[0]], np.diff(slopes)])
    return Network([np.ones((p, 1)), out[None, :]], [-knots, [0.0]], "relu")


@dataclass(frozen=True)
class ShallowFit:
    """A trained one-hidden-layer network on :math:`g_k`."""

    k: int
    width: int
    rms_error: float
    sup_error: float
    pieces: int
    network: Network = field(repr=False)


@dataclass(frozen=True)
class DepthSeparation:
    """Widths of trained shallow networks needed to match :math:`g_k`, against depth.

    Attributes
    ----------
    ks : ndarray of int
        The values of k done so far.
    tol : float
        RMS error to reach.
    width_needed : ndarray
        Smallest trained width reaching ``tol`` (NaN if none up to ``max_width`` did).
    error_at_width : ndarray
        RMS error of that network (or of the widest one tried).
    bound : ndarray of int
        :math:`2^k`, the width needed for exact representation (:func:`shallow_width_needed`).
    deep_complexity, shallow_complexity : ndarray of int
        :math:`C` of the deep sawtooth network, :math:`11k - 3`, and of the trained shallow
        network that reached ``tol``.
    fits : tuple of ShallowFit
        Every training run, in order.
    """

    ks: np.ndarray
    tol: float
    width_needed: np.ndarray
    error_at_width: np.ndarray
    bound: np.ndarray
    deep_complexity: np.ndarray
    shallow_complexity: np.ndarray
    fits: tuple = field(repr=False)


def _no_partial(fit):
    """One trained width is no partial result of the sweep (the sweep reports per k)."""
    return None


def _check_positive_int(name, value, lo=1, hi=None):
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not ok or value < lo or (hi is not None and value > hi):
        rng = f"[{lo}, {hi}]" if hi is not None else f">= {lo}"
        raise ValueError(f"{name} must be an integer in {rng}; got {value!r}")
    return int(value)


def _shallow_grads(params, x, y):
    """Gradients of the mean squared error of sum_i a_i rho(w_i x + b_i) + c."""
    w, b, a, c = params
    z = np.outer(x, w) + b
    h = np.maximum(z, 0.0)
    r = 2.0 * (h @ a + c[0] - y) / x.size
    dh = np.outer(r, a) * (z > 0)
    return [dh.T @ x, dh.sum(axis=0), h.T @ r, np.array([r.sum()])]


class _Adam:
    """Adam (Kingma and Ba, ICLR 2015) updating numpy arrays in place."""

    def __init__(self, params, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        self.params, self.lr, self.b1, self.b2, self.eps = params, lr, beta1, beta2, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads):
        self.t += 1
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= self.b1
            m += (1 - self.b1) * g
            v *= self.b2
            v += (1 - self.b2) * g * g
            m_hat = m / (1 - self.b1**self.t)
            v_hat = v / (1 - self.b2**self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def train_shallow_steps(
    k: int,
    width: int,
    *,
    steps: int = 400,
    lr: float = 2e-3,
    seed: int = 0,
    n_train: int = 1024,
):
    r"""Train a one-hidden-layer ReLU network of the given width on :math:`g_k` (a slow job).

        Least squares on ``n_train`` equispaced points of :math:`[0, 1]`. The kinks start uniformly
        at random in :math:`[0, 1]` (input weights 1, biases :math:`-t_i`) and the output layer is
        first solved exactly by linear least squares (a random-feature fit); then all parameters are
        trained with Adam (Kingma and Ba 2015; full batch, float64, gradients written out in numpy,
    no torch needed) for ``steps`` steps. This favours the shallow network
        over plain training from a random start, which fares worse. A generator: yields
        :class:`~course.progress.Progress` every 50 steps and returns a :class:`ShallowFit` (errors on
        a grid of 4097 points; pieces counted exactly from the weights by
        :func:`course.networks.count_linear_pieces_1d`).
    """
    k = _check_k(k)
    width = _check_positive_int("width", width, 1, 4096)
    steps = _check_positive_int("steps", steps, 0, 10**6)
    if not (np.isfinite(lr) and 0 < lr <= 1):
        raise ValueError(f"lr must be in (0, 1]; got {lr!r}")
    target = sawtooth(k)
    rng = np.random.default_rng(seed)
    kinks = np.sort(rng.uniform(0.0, 1.0, size=width))
    x = np.linspace(0.0, 1.0, n_train)
    y = target(x)[:, 0]
    features = np.hstack([np.maximum(x[:, None] - kinks[None, :], 0.0), np.ones((n_train, 1))])
    coef, *_ = np.linalg.lstsq(features, y, rcond=None)
    net = Network([np.ones((width, 1)), coef[None, :-1]], [-kinks, coef[-1:]], "relu")
    grid = np.linspace(0.0, 1.0, 4097)
    g_grid = target(grid)[:, 0]

    def fit(net) -> ShallowFit:
        err = net(grid)[:, 0] - g_grid
        return ShallowFit(
            k=k,
            width=width,
            rms_error=float(np.sqrt(np.mean(err**2))),
            sup_error=float(np.max(np.abs(err))),
            pieces=count_linear_pieces_1d(net, 0.0, 1.0),
            network=net,
        )

    if steps > 0:
        w, b = np.ones(width), -kinks
        a, c = coef[:-1].copy(), coef[-1]
        params = [w, b, a, np.array([c])]
        adam = _Adam(params, lr)
        for step in range(1, steps + 1):
            adam.step(_shallow_grads(params, x, y))
            if step % 50 == 0 and step < steps:
                yield Progress(step / steps, None, f"k = {k}, width {width}: step {step}")
        w, b, a, c = params
        net = Network([w[:, None], a[None, :]], [b, c], "relu")
    result = fit(net)
    yield Progress(1.0, result)
    return result


def depth_separation_steps(
    ks=(1, 2, 3, 4, 5),
    *,
    tol: float = 0.05,
    max_width: int = 256,
    steps: int = 400,
    seed: int = 0,
):
    r"""For each :math:`k`, the smallest trained shallow width whose RMS error on :math:`g_k` is
    at most ``tol`` (a slow job).

    Widths are tried by doubling from :math:`2^{k-2}` (below the bound, to show the failure) up to
    ``max_width``, stopping at the first success. A generator: yields
    :class:`~course.progress.Progress` with a partial :class:`DepthSeparation` after every run and
    returns the final one.

    Examples
    --------
    >>> from course.progress import run_to_end
    >>> r = run_to_end(depth_separation_steps((1,), tol=0.05, steps=0))
    >>> int(r.bound[0]), bool(r.width_needed[0] >= 1)
    (2, True)
    """
    ks = [_check_k(k) for k in ks]
    if not ks:
        raise ValueError("ks must hold at least one k; got none")
    if not (np.isfinite(tol) and 0 < tol < 1):
        raise ValueError(f"tol must be in (0, 1); got {tol!r}")
    max_width = _check_positive_int("max_width", max_width, 1, 4096)
    plan = []
    for k in ks:
        w = max(1, 2 ** (k - 2))
        widths = []
        while w <= max_width:
            widths.append(w)
            w *= 2
        plan.append((k, widths))
    total = sum(len(ws) for _, ws in plan)
    done = 0
    fits: list[ShallowFit] = []
    rows = []  # (k, width_needed, error, C)

    def result():
        return DepthSeparation(
            ks=np.array([r[0] for r in rows], dtype=int),
            tol=float(tol),
            width_needed=np.array([r[1] for r in rows], dtype=float),
            error_at_width=np.array([r[2] for r in rows], dtype=float),
            bound=np.array([shallow_width_needed(r[0]) for r in rows], dtype=int),
            deep_complexity=np.array([sawtooth_complexity(r[0]) for r in rows], dtype=int),
            shallow_complexity=np.array([r[3] for r in rows], dtype=float),
            fits=tuple(fits),
        )

    for k, widths in plan:
        found = None
        for width in widths:
            job = train_shallow_steps(k, width, steps=steps, seed=seed)
            span = (done / total, (done + 1) / total)
            last = yield from relay(job, span=span, wrap=_no_partial)
            fits.append(last)
            done += 1
            if last.rms_error <= tol:
                found = last
                break
        skipped = len(widths) - (widths.index(found.width) + 1 if found else len(widths))
        done += skipped
        best = found or fits[-1]
        rows.append(
            (
                k,
                found.width if found else np.nan,
                best.rms_error,
                complexity(found.network) if found else np.nan,
            )
        )
        yield Progress(done / total, result(), f"k = {k} done")
    return result()
