r"""Rates: the sup-norm error against the width N, and the width needed for a tolerance.

:func:`error_vs_width` measures :math:`\|f - \Phi_N\|_\infty` for a list of widths and fits a
power law with :func:`course.rates.fit_rate`; :func:`predicted_rate` states the rate that the
construction of :mod:`course.universal.shallow` guarantees, with its constant:

======================  ===========================  ==========================================
activation              target                       :math:`\|f - \Phi_N\|_\infty \le`
======================  ===========================  ==========================================
ReLU (interpolant)      :math:`C^2`                  :math:`\frac{(b-a)^2}{8} \max|f''|\, N^{-2}`
ReLU (interpolant)      kink, jump J of f'           :math:`\frac{J (b-a)}{4} N^{-1}` (odd N, kink
                                                     at a cell midpoint: equality)
Heaviside (steps)       :math:`C^1`                  :math:`\frac{(b-a)}{2}\max|f'|\, N^{-1}`
sigmoid, tanh (steps)   :math:`C^1`                  :math:`(b-a)\max|f'|(1 + \frac{2e^{-\kappa/2}}
                                                     {1-e^{-\kappa}})\, N^{-1}`
polynomial degree k     any                          no decay: :math:`\ge \mathrm{dist}(f,
                                                     \mathcal{P}_k)` for every N
======================  ===========================  ==========================================

The steep step :math:`f(x) = 1/(1 + e^{-x/\delta})` is :math:`C^\infty`, but
:math:`\max|f''| = \frac{1}{6\sqrt{3}\,\delta^2}`: the ReLU bound is
:math:`\min\{1, \frac{0.048}{(\delta N)^2}\}` on [-1, 1], a plateau until :math:`N \approx 0.2/\delta`
and :math:`N^{-2}` after it. As :math:`\delta \to 0` (a true jump) the plateau never ends: a
continuous :math:`\Phi` has sup error at least half the jump.

:func:`width_for_tolerance` finds the smallest N with error at most eps; for the sum of sines of
frequency :math:`\omega` the ReLU bound gives :math:`N(\varepsilon) \approx
(b-a)\sqrt{\max|f''|/(8\varepsilon)} \propto \omega`: unbounded as :math:`\omega \to \infty`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..progress import Progress, relay
from ..rates import RateFit, fit_rate
from .constructions import STEEPNESS, construct, polynomial_construction
from .fitting import POOL_SIZE, fit_least_squares, train_sgd_steps
from .targets import Target, make_target

__all__ = [
    "PredictedRate",
    "RateStudy",
    "predicted_rate",
    "default_widths",
    "error_vs_width_steps",
    "error_vs_width",
    "width_for_tolerance",
    "width_vs_frequency_steps",
    "METHODS",
    "Method",
    "approximation_steps",
]


@dataclass(frozen=True)
class Method:
    """How the weights of a shallow network are found, in its streaming form.

    Attributes
    ----------
    label : str
        For controls and titles: ``"(a) construction"``.
    steps : callable
        ``steps(target, *, activation, width, degree, seed, sgd_steps)``: a generator of
        :class:`~course.progress.Progress` returning the :class:`Approximation` (at once for
        a direct method).
    max_width : int
        The widest network of the default width sweep.
    n_widths : int
        The number of widths of the default sweep.
    """

    label: str
    steps: Callable
    max_width: int
    n_widths: int = 16


def _construction_steps(target, *, activation, width, degree, seed=0, sgd_steps=0):
    return construct(target, activation=activation, width=width, degree=degree)
    yield  # pragma: no cover  (a generator that returns at once)


def _least_squares_steps(target, *, activation, width, degree, seed=0, sgd_steps=0):
    return fit_least_squares(target, activation=activation, width=width, degree=degree, seed=seed)
    yield  # pragma: no cover


def _sgd_steps(target, *, activation, width, degree, seed=0, sgd_steps=1500):
    job = train_sgd_steps(
        target, activation=activation, width=width, degree=degree, seed=seed, steps=sgd_steps
    )
    return (yield from relay(job))


#: name -> :class:`Method`; validates and dispatches ``method`` (least squares: a pool of 1024,
#: up to width 1023, since the full pool costs a QR of 6145 x 2049; SGD: one training per width)
METHODS = {
    "construction": Method("(a) construction", _construction_steps, 2047),
    "least_squares": Method("(b) random + least squares", _least_squares_steps, POOL_SIZE // 2 - 1),
    "sgd": Method("(c) SGD, all weights", _sgd_steps, 513, n_widths=8),
}


def approximation_steps(
    target: Target,
    *,
    method: str,
    activation: str = "relu",
    width: int = 16,
    degree: int = 3,
    seed: int = 0,
    sgd_steps: int = 1500,
):
    """The shallow approximation of ``method`` as a generator job (``approx = yield from
    approximation_steps(...)``); ``sgd_steps`` is used by ``"sgd"`` only."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; got {method!r}")
    return (
        yield from METHODS[method].steps(
            target,
            activation=activation,
            width=width,
            degree=degree,
            seed=seed,
            sgd_steps=sgd_steps,
        )
    )


@dataclass(frozen=True)
class PredictedRate:
    """``error <= constant * N ** exponent``, what the construction guarantees, and why."""

    exponent: float
    constant: float
    reason: str

    def __call__(self, n):
        return self.constant * np.asarray(n, dtype=float) ** self.exponent

    def label(self) -> str:
        """The rate in words with its formulas between ``$`` (matplotlib's mathtext in legends,
        MathJax in a panel's HTML)."""
        if self.exponent == 0:
            return f"predicted: stalls at ${tex_number(self.constant)}$ ({self.reason})"
        return f"predicted: ${tex_number(self.constant)}\\,N^{{{self.exponent:g}}}$ ({self.reason})"


def tex_number(value: float, digits: int = 3) -> str:
    r"""A number for mathtext or LaTeX: ``0.0123``, or ``1.5\times10^{-5}`` for small or large ones.

    Examples
    --------
    >>> tex_number(0.5), tex_number(1.5e-5), tex_number(2e6)
    ('0.5', '1.5\\times10^{-5}', '2\\times10^{6}')
    """
    text = f"{value:.{digits}g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    power = f"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else f"{mantissa}\\times{power}"


@functools.lru_cache(maxsize=64)
def predicted_rate(target: Target, *, activation: str = "relu", degree: int = 3) -> PredictedRate:
    """The rate and constant the explicit construction for ``activation`` guarantees on ``target``.

    Examples
    --------
    >>> print(predicted_rate(make_target("abs")).label())
    predicted: $1\\,N^{-1}$ (kink, jump of $f'$: $J = 2$, bound $J(b-a)/(4N)$, equality for odd $N$)
    """
    a, b = target.domain
    d1, d2 = target.derivative_bounds()
    if activation == "polynomial":
        net = polynomial_construction(target, degree + 1, degree=degree)
        x = np.linspace(a, b, 4001)
        stall = float(np.max(np.abs(target(x) - net(x))))
        return PredictedRate(0.0, stall, f"$\\Phi$ is a polynomial of degree $\\leq {degree}$")
    if activation == "relu":
        if target.kind == "kink":
            jump = _derivative_jump(target)
            return PredictedRate(
                -1.0,
                jump * (b - a) / 4,
                f"kink, jump of $f'$: $J = {jump:g}$, bound $J(b-a)/(4N)$, equality for odd $N$",
            )
        # a typed formula may not be C^2: then the estimated max|f''| is huge and the line a
        # (useless) upper bound; the label says what was assumed
        assumed = "if $f$ is $C^2$" if target.kind == "unknown" else "$C^2$"
        return PredictedRate(-2.0, (b - a) ** 2 * d2 / 8, f"{assumed}: $(b-a)^2\\max|f''|/(8N^2)$")
    if activation == "heaviside":
        return PredictedRate(-1.0, (b - a) * d1 / 2, r"steps: $(b-a)\max|f'|/(2N)$")
    tail = 1.0 + 2 * math.exp(-STEEPNESS / 2) / (1 - math.exp(-STEEPNESS))
    return PredictedRate(
        -1.0, (b - a) * d1 * tail, f"smoothed steps: $(b-a)\\max|f'|\\cdot {tail:.4g}/N$"
    )


def _derivative_jump(target: Target) -> float:
    """The largest jump of f' at the target's singular points (one-sided differences)."""
    h = 1e-6
    jumps = [
        abs(
            (target(np.array([p + 2 * h]))[0] - target(np.array([p + h]))[0])
            - (target(np.array([p - h]))[0] - target(np.array([p - 2 * h]))[0])
        )
        / h
        for p in target.singular_points
    ]
    return float(max(jumps, default=0.0))


@dataclass(frozen=True)
class RateStudy:
    """Sup errors against widths, the fitted power law and the predicted one.

    Attributes
    ----------
    widths, errors : ndarray
    fit : RateFit or None
        None when fewer than two widths in the fit range have a positive error.
    fit_min : int
        The fit used the widths ``>= fit_min``.
    predicted : PredictedRate
    method, activation : str
    target : Target
    """

    widths: np.ndarray
    errors: np.ndarray
    fit: RateFit | None
    fit_min: int
    predicted: PredictedRate
    method: str
    activation: str
    target: Target


def default_widths(n_max: int = 2047, *, count: int = 16) -> np.ndarray:
    """Odd widths, about geometric from 3 to ``n_max``.

    Odd, so that the kink of :math:`|x|` at 0 sits at the midpoint of a cell of the equispaced
    constructions (for even N it is a knot and the ReLU interpolant is exact).

    Examples
    --------
    >>> default_widths(65, count=6)
    array([ 3,  5, 11, 19, 35, 65])
    """
    raw = np.geomspace(3, n_max, count)
    odd = 2 * np.floor(raw / 2).astype(int) + 1
    return np.unique(np.clip(odd, 3, n_max | 1))


def error_vs_width_steps(
    target: Target,
    *,
    activation: str = "relu",
    method: str = "construction",
    widths=None,
    degree: int = 3,
    seed: int = 0,
    fit_min: int = 16,
    sgd_steps: int = 1500,
):
    """:func:`error_vs_width` as a generator of Progress with the partial :class:`RateStudy`.

    ``method`` is a key of :data:`METHODS` (``'sgd'``: :func:`train_sgd_steps` with ``sgd_steps``
    steps per width, on the widths 3, 5, 9, ..., 513 unless given: each width is a training run).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; got {method!r}")
    if widths is None:
        widths = default_widths(METHODS[method].max_width, count=METHODS[method].n_widths)
    widths = np.asarray(widths, dtype=int)
    predicted = predicted_rate(target, activation=activation, degree=degree)
    errors = []
    study = None
    options = dict(activation=activation, degree=degree, seed=seed)
    for i, n in enumerate(widths):
        job = approximation_steps(
            target, method=method, width=int(n), sgd_steps=sgd_steps, **options
        )
        span = (i / len(widths), (i + 1) / len(widths))
        wrap = functools.partial(_same, study)
        approx = yield from relay(job, span=span, wrap=wrap, message=f"N = {n}: training")
        errors.append(approx.sup_error)
        study = _study(target, widths[: i + 1], errors, fit_min, predicted, method, activation)
        yield Progress((i + 1) / len(widths), study, f"N = {n}")
    return study


def _same(study, partial):
    return study


def _study(target, widths, errors, fit_min, predicted, method, activation):
    try:
        fit = fit_rate(widths, errors, n_min=fit_min)
    except ValueError:
        fit = None
    return RateStudy(
        np.asarray(widths),
        np.asarray(errors),
        fit,
        int(fit_min),
        predicted,
        method,
        activation,
        target,
    )


def error_vs_width(target: Target, **options) -> RateStudy:
    """Sup error for each width and the fitted slope on ``widths >= fit_min``.

    Parameters are those of :func:`error_vs_width_steps`.

    Examples
    --------
    >>> s = error_vs_width(make_target("sine"), widths=[9, 17, 33, 65], fit_min=9)
    >>> round(s.fit.slope, 1)
    -2.0
    """
    from ..progress import run_to_end

    return run_to_end(error_vs_width_steps(target, **options))


def width_for_tolerance(
    target: Target, eps: float, *, activation: str = "relu", n_max: int = 8192, degree: int = 3
) -> int | None:
    """The smallest width N <= n_max whose construction has sup error <= eps, or None.

    Doubling, then bisection. The error of the equispaced constructions is not exactly monotone
    in N, so this is the smallest N found by that search (for the smooth targets it is monotone
    in practice).
    """
    if not (isinstance(eps, (int, float)) and eps > 0 and math.isfinite(eps)):
        raise ValueError(f"eps must be a positive number; got {eps!r}")

    def ok(n):
        return construct(target, activation=activation, width=n, degree=degree).sup_error <= eps

    hi = 1
    while not ok(hi):
        if hi >= n_max:
            return None
        hi = min(2 * hi, n_max)
    lo = hi // 2  # not ok (or 0)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


def width_vs_frequency_steps(
    frequencies, eps: float, *, activation: str = "relu", n_max: int = 8192
):
    """N(eps) for the sum of sines at each frequency, with the ReLU prediction; a generator.

    Yields ``Progress(fraction, (frequencies, widths, predicted))`` where ``widths`` holds NaN for
    frequencies not done yet or not reached within ``n_max``; returns the last triple.
    """
    freqs = np.asarray(frequencies, dtype=float)
    widths = np.full(freqs.shape, np.nan)
    predicted = np.full(freqs.shape, np.nan)
    for i, w in enumerate(freqs):
        t = make_target("sines", frequency=float(w))
        n = width_for_tolerance(t, eps, activation=activation, n_max=n_max)
        widths[i] = np.nan if n is None else n
        rate = predicted_rate(t, activation=activation)
        if rate.exponent < 0:
            predicted[i] = (rate.constant / eps) ** (-1.0 / rate.exponent)
        out = (freqs, widths.copy(), predicted.copy())
        yield Progress((i + 1) / len(freqs), out, f"\u03c9 = {w:g}")
    return out
