r"""Lecture 02, the universal approximation theorem, live: three panels.

- :class:`ShallowPanel`: a target f on [-1, 1] (from a list or typed as a formula), a shallow
  network :math:`\Phi = \sum_k a_k \rho(w_k x - b_k) + c` of width N found by (a) the explicit
  construction, (b) random inner weights and least squares or (c) SGD in the background;
  f, :math:`\Phi`, :math:`|f - \Phi|`, the sup-norm error, and each neuron's contribution.
- :class:`RatesPanel`: sup error against N on log-log axes with the fitted slope, its range and
  the predicted rate; the width :math:`N(\varepsilon)` needed for the sum of sines against its
  frequency.
- :class:`TwoDPanel`: a bump and a disc indicator on :math:`[0,1]^2`, a shallow ReLU network of
  width N, and the errors against N in d = 1 and d = 2.

The states compute through :mod:`course.universal` and work without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from course.progress import Progress
from course.universal import (
    LECTURE_ACTIVATIONS,
    MAX_DEGREE,
    METHODS,
    TARGETS_2D,
    Approximation,
    Approximation2D,
    DimensionStudy,
    RateStudy,
    compare_dimensions,
    expression_target,
    fit_2d,
    iter_error_vs_width,
    iter_width_vs_frequency,
    make_target,
    predicted_rate,
    train_sgd,
)
from course.universal.twod import MAX_WIDTH_2D

from .figures import new_figure
from .live import LiveState
from .panel import LivePanel
from .params import Choice, Flag, FloatRange, IntRange, InvalidValue, Text, param

__all__ = [
    "Formula",
    "ShallowResult",
    "ShallowState",
    "ShallowPanel",
    "RatesResult",
    "RatesState",
    "RatesPanel",
    "TwoDResult",
    "TwoDState",
    "TwoDPanel",
]

TARGET_CHOICE = {
    "sine": "sin(\u03c0x)",
    "bump": "Gaussian bump",
    "abs": "|x|  (kink)",
    "step": "steep step",
    "sines": "sum of sines (\u03c9)",
    "expression": "typed formula \u2193",
}
METHOD_CHOICE = {
    "construction": "(a) construction",
    "least_squares": "(b) random + least squares",
    "sgd": "(c) SGD, all weights",
}
MAX_CONTRIBUTIONS = 24  # neuron contributions drawn at most (evenly spread over the neurons)
_PLOT_POINTS = 2001


class Formula(Text):
    """A formula in x, checked by the safe parser when it is set (so a bad one never lands)."""

    def validate(self, name, value):
        value = super().validate(name, value)
        try:
            expression_target(value)
        except ValueError as exc:
            text = str(exc)
            raise InvalidValue(text if text.startswith(name) else f"{name}: {text}") from None
        return value


def _target(target, expression, frequency):
    if target == "expression":
        return expression_target(expression)
    return make_target(target, frequency=frequency)


# ============================================================================ 1D approximation
@dataclass(frozen=True)
class ShallowResult:
    """An approximation, and the neurons' contributions on the plot grid when asked for."""

    approx: Approximation
    grid: np.ndarray  # equispaced plot grid for the contributions
    neurons: np.ndarray  # indices of the neurons drawn
    contributions: np.ndarray | None  # shape (len(neurons), len(grid)), or None
    note: str
    predicted: str  # the rate the construction for this activation guarantees, in words


class ShallowState(LiveState):
    r"""A shallow network :math:`\Phi(x) = \sum_{k=1}^N a_k\rho(w_k x - b_k) + c` next to f."""

    width = param(IntRange(default=16, min=1, max=2000, label="width $N$"))
    target = param(Choice(default="sine", options=TARGET_CHOICE, label="target $f$"))
    expression = param(Formula(default="sin(3*pi*x) * exp(-x**2)", label="$f(x)=$"))
    frequency = param(
        FloatRange(default=4.0, min=1.0, max=32.0, step=0.5, label="frequency $\\omega$")
    )
    activation = param(
        Choice(default="relu", options=LECTURE_ACTIVATIONS, label="activation $\\rho$")
    )
    degree = param(IntRange(default=3, min=1, max=MAX_DEGREE, label="degree $k$ of $t^k$"))
    method = param(Choice(default="construction", options=METHOD_CHOICE, label="weights by"))
    contributions = param(Flag(default=False, label="each neuron"))
    seed = param(IntRange(default=0, min=0, max=999, label="seed", advanced=True))
    steps = param(IntRange(default=2000, min=100, max=20000, step=100, label="SGD steps"))

    def compute(
        self,
        width,
        target,
        expression,
        frequency,
        activation,
        degree,
        method,
        contributions,
        seed,
        steps,
    ):
        f = _target(target, expression, frequency)
        if method == "sgd":
            return self._train(f, width, activation, degree, seed, steps, contributions)
        approx = METHODS[method](f, activation=activation, width=width, degree=degree, seed=seed)
        return _shallow_result(approx, contributions)

    def _train(self, f, width, activation, degree, seed, steps, contributions):
        job = train_sgd(
            f, activation=activation, width=width, degree=degree, seed=seed, steps=steps
        )
        while True:
            try:
                item = next(job)
            except StopIteration as stop:
                return _shallow_result(stop.value, contributions)
            partial = None if item.partial is None else _shallow_result(item.partial, contributions)
            yield Progress(item.fraction, partial, item.message)


def _shallow_result(approx: Approximation, show: bool) -> ShallowResult:
    a, b = approx.target.domain
    grid = np.linspace(a, b, _PLOT_POINTS)
    active = np.flatnonzero(approx.net.outer)
    if active.size > MAX_CONTRIBUTIONS:
        active = active[np.linspace(0, active.size - 1, MAX_CONTRIBUTIONS).round().astype(int)]
    contrib = approx.net.contributions(grid, active) if show else None
    note = ""
    if show and np.count_nonzero(approx.net.outer) > MAX_CONTRIBUTIONS:
        note = f"{MAX_CONTRIBUTIONS} of {np.count_nonzero(approx.net.outer)} neurons drawn"
    net = approx.net
    rate = predicted_rate(approx.target, activation=net.activation, degree=net.degree).label()
    if approx.method != "construction":
        rate = "construction (a), " + rate
    return ShallowResult(approx, grid, active, contrib, note, rate)


class ShallowPanel(LivePanel):
    """f, the network, the error and (optionally) each neuron's contribution, live."""

    def __init__(self, **values):
        super().__init__(
            ShallowState(compute_now=False, **values),
            title="Shallow approximation in 1D",
            show_progress=True,
        )
        fig, (ax, ax_err) = new_figure(640, 520, nrows=2)
        ax.get_subplotspec().get_gridspec().set_height_ratios([2.2, 1])
        ax_err.sharex(ax)
        self._contrib = [ax.plot([], [], lw=0.8, alpha=0.55)[0] for _ in range(MAX_CONTRIBUTIONS)]
        (self._f,) = ax.plot([], [], color="black", lw=2.2, label="$f$")
        (self._phi,) = ax.plot([], [], color="#d62728", lw=1.5, label=r"$\Phi$")
        ax.legend(loc="upper right", fontsize=9)
        ax.set_ylabel("value")
        (self._err,) = ax_err.plot([], [], color="#1f77b4", lw=1.2)
        (self._sup,) = ax_err.plot([], [], "o", color="#d62728", ms=6)
        ax_err.set(xlabel="$x$", ylabel=r"$|f-\Phi|$")
        ax.set_xlim(-1, 1)
        self.info = W.HTMLMath(layout=W.Layout(width="330px"))
        self.figures = {"approximation": fig}
        order = [
            "width",
            "target",
            "expression",
            "frequency",
            "activation",
            "degree",
            "method",
            "contributions",
            "seed",
            "steps",
        ]
        self.assemble(fig.canvas, left=self.control_box(order, extra=[self.info]))
        self.start()

    def render(self, r: ShallowResult):
        ap = r.approx
        ax, ax_err = self.figures["approximation"].axes
        self._f.set_data(ap.x, ap.f)
        self._phi.set_data(ap.x, ap.phi)
        for k, line in enumerate(self._contrib):
            if r.contributions is not None and k < len(r.contributions):
                line.set_data(r.grid, r.contributions[k])
            else:
                line.set_data([], [])
        finite = np.isfinite(ap.phi)
        lo = min(ap.f.min(), ap.phi[finite].min(initial=ap.f.min()))
        hi = max(ap.f.max(), ap.phi[finite].max(initial=ap.f.max()))
        pad = 0.08 * (hi - lo) if hi > lo else 0.5
        ax.set_ylim(lo - pad, hi + pad)
        err = np.abs(ap.f - ap.phi)
        self._err.set_data(ap.x, err)
        self._sup.set_data([ap.argmax], [ap.sup_error])
        top = ap.sup_error if np.isfinite(ap.sup_error) and ap.sup_error > 0 else 1.0
        ax_err.set_ylim(0, 1.1 * top)
        method = METHOD_CHOICE[ap.method].split(" ", 1)[1]
        ax.set_title(
            f"{ap.target.label}; {LECTURE_ACTIVATIONS[ap.net.activation]}, N = "
            f"{ap.width}, {method}",
            fontsize=10,
        )
        ax_err.set_title(f"sup error {ap.sup_error:.3g} at x = {ap.argmax:.3g}", fontsize=10)
        self.info.value = (
            f"$\\|f-\\Phi\\|_\\infty = {ap.sup_error:.3g}$<br>"
            f"RMS error {ap.rms_error:.3g}<br>"
            f"$N = {ap.width}$, $C(\\Phi) = {ap.complexity}$ nonzero weights<br>"
            f"<small>{r.predicted}</small>" + (f"<br><small>{r.note}</small>" if r.note else "")
        )


# ============================================================================ rates
@dataclass(frozen=True)
class RatesResult:
    """The error study against N and N(eps) against the frequency of the sum of sines."""

    study: RateStudy
    frequencies: np.ndarray | None
    widths_needed: np.ndarray | None
    widths_predicted: np.ndarray | None
    eps: float


class RatesState(LiveState):
    r"""Sup error against N for a target, activation and method; :math:`N(\varepsilon)` against
    the frequency :math:`\omega` of the sum of sines (ReLU interpolant)."""

    # the same target and activation parameters as the 1D panel
    target = param(ShallowState.param_specs()["target"])
    expression = param(ShallowState.param_specs()["expression"])
    frequency = param(ShallowState.param_specs()["frequency"])
    activation = param(ShallowState.param_specs()["activation"])
    degree = param(ShallowState.param_specs()["degree"])
    method = param(ShallowState.param_specs()["method"])
    fit_min = param(IntRange(default=16, min=3, max=1000, label="fit from $N\\geq$"))
    eps = param(FloatRange(default=1e-2, min=1e-4, max=1e-1, log=True, label="$\\varepsilon$"))

    frequencies = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0)

    def compute(self, target, expression, frequency, activation, degree, method, fit_min, eps):
        f = _target(target, expression, frequency)
        job = iter_error_vs_width(
            f, activation=activation, method=method, degree=degree, fit_min=fit_min
        )
        study = None
        for item in job:  # an SGD sweep reports progress before its first point
            study = item.partial
            partial = None if study is None else RatesResult(study, None, None, None, eps)
            yield Progress(0.8 * item.fraction, partial, item.message)
        freqs = widths = pred = None
        for item in iter_width_vs_frequency(self.frequencies, eps):
            freqs, widths, pred = item.partial
            yield Progress(
                0.8 + 0.2 * item.fraction,
                RatesResult(study, freqs, widths, pred, eps),
                item.message,
            )
        return RatesResult(study, freqs, widths, pred, eps)


class RatesPanel(LivePanel):
    """Log-log error against width, fitted and predicted slopes; N(eps) against frequency."""

    def __init__(self, **values):
        super().__init__(RatesState(compute_now=False, **values), title="Rates", show_progress=True)
        fig, ax = new_figure(470, 400)
        (self._measured,) = ax.loglog([], [], "o", color="#1f77b4", label="measured")
        (self._fitted,) = ax.loglog([], [], "-", color="#1f77b4", lw=2, label="fit")
        (self._predicted,) = ax.loglog([], [], "--", color="black", lw=1.2, label="predicted")
        ax.set(xlabel="width $N$", ylabel=r"$\|f-\Phi_N\|_\infty$")
        ax.legend(loc="lower left", fontsize=7.5)
        fig2, ax2 = new_figure(420, 400)
        (self._needed,) = ax2.loglog([], [], "o-", color="#2ca02c", label="measured")
        (self._needed_pred,) = ax2.loglog(
            [], [], "--", color="black", label=r"predicted $\propto\omega$"
        )
        ax2.set(
            xlabel=r"frequency $\omega$ of the sum of sines",
            ylabel=r"width $N(\varepsilon)$ (ReLU interpolant)",
        )
        ax2.legend(loc="upper left", fontsize=8)
        self.figures = {"rates": fig, "width_needed": fig2}
        self.info = W.HTML(layout=W.Layout(width="330px"))
        self.assemble(W.HBox([fig.canvas, fig2.canvas]), left=self.control_box(extra=[self.info]))
        self.start()

    def render(self, r: RatesResult):
        s = r.study
        ax = self.figures["rates"].axes[0]
        pos = s.errors > 0
        self._measured.set_data(s.widths[pos], s.errors[pos])
        n = s.widths.astype(float)
        self._predicted.set_data(n, np.maximum(s.predicted(n), 1e-300))
        who = "" if s.method == "construction" else "construction (a), "
        self._predicted.set_label(who + s.predicted.label())
        if s.fit is not None:
            nn = np.geomspace(s.fit.n_min, s.fit.n_max, 20)
            self._fitted.set_data(nn, s.fit(nn))
            self._fitted.set_label(s.fit.label("N"))
        else:
            self._fitted.set_data([], [])
            self._fitted.set_label(f"fit: fewer than two positive errors with N \u2265 {s.fit_min}")
        ax.legend(loc="lower left", fontsize=7.5)
        ys = np.concatenate([s.errors[pos], s.predicted(n)])
        ys = ys[np.isfinite(ys) & (ys > 0)]
        if ys.size:
            ax.set_ylim(ys.min() / 3, ys.max() * 3)
        ax.set_xlim(2, 3000)
        method = METHOD_CHOICE[s.method].split(" ", 1)[1]
        ax.set_title(
            f"{s.target.label[:40]}\n{LECTURE_ACTIVATIONS[s.activation]}, {method}", fontsize=9
        )
        ax2 = self.figures["width_needed"].axes[0]
        if r.frequencies is not None:
            self._needed.set_data(r.frequencies, r.widths_needed)
            self._needed_pred.set_data(r.frequencies, r.widths_predicted)
            ok = np.isfinite(r.widths_needed)
            if ok.any():
                vals = np.concatenate([r.widths_needed[ok], r.widths_predicted[ok]])
                ax2.set_ylim(vals.min() / 2, vals.max() * 2)
            ax2.set_xlim(0.8, 40)
        else:
            self._needed.set_data([], [])
            self._needed_pred.set_data([], [])
        ax2.set_title(f"width needed for sup error \u2264 \u03b5 = {r.eps:.2g}", fontsize=10)
        slope = "\u2014" if s.fit is None else f"{s.fit.slope:.2f}"
        self.info.value = (
            f"fitted slope <b>{slope}</b>"
            + (
                ""
                if s.fit is None
                else f" on {s.fit.n_min:g} \u2264 N \u2264 {s.fit.n_max:g}, "
                f"R\u00b2 = {s.fit.r2:.3f}"
            )
            + f"<br>{s.predicted.label()}"
        )


# ============================================================================ two dimensions
@dataclass(frozen=True)
class TwoDResult:
    """A 2D approximation and, once computed, the errors against N in d = 1 and d = 2."""

    approx: Approximation2D
    study: DimensionStudy | None
    eps: float
    metric: str


class TwoDState(LiveState):
    r"""A shallow ReLU network of width N on :math:`[0,1]^2` (random ridges, least squares)."""

    width = param(IntRange(default=64, min=1, max=MAX_WIDTH_2D, label="width $N$"))
    target = param(
        Choice(default="bump", options={k: v[0] for k, v in TARGETS_2D.items()}, label="target $f$")
    )
    metric = param(
        Choice(default="sup", options={"sup": "sup norm", "rms": "root mean square"}, label="error")
    )
    eps = param(FloatRange(default=1e-2, min=1e-3, max=0.3, log=True, label="$\\varepsilon$"))

    def compute(self, width, target, metric, eps):
        approx = fit_2d(target, width=width)
        yield Progress(0.2, TwoDResult(approx, None, eps, metric), "fitting in d = 1 and d = 2")
        return TwoDResult(approx, compare_dimensions(target), eps, metric)


class TwoDPanel(LivePanel):
    """f, Phi and |f - Phi| on the unit square; error against N in one and two dimensions."""

    def __init__(self, **values):
        super().__init__(
            TwoDState(compute_now=False, **values), title="Two dimensions", show_progress=True
        )
        fig, axes = new_figure(840, 300, ncols=3)
        ext = (0, 1, 0, 1)
        self._images = []
        for ax, title, cmap in zip(
            axes, ("$f$", r"$\Phi$", r"$|f-\Phi|$"), ("viridis", "viridis", "magma")
        ):
            im = ax.imshow(
                np.zeros((2, 2)), origin="lower", extent=ext, cmap=cmap, interpolation="nearest"
            )
            fig.colorbar(im, ax=ax, shrink=0.8)
            ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$")
            ax.grid(False)
            self._images.append(im)
        fig2, ax2 = new_figure(440, 330)
        ax2.set_xscale("log")
        ax2.set_yscale("log")
        ax2.set(xlim=(1.5, 1500), ylim=(1e-4, 2))
        (self._one,) = ax2.loglog([], [], "o-", label="d = 1 (section)")
        (self._two,) = ax2.loglog([], [], "s-", label="d = 2")
        self._eps = ax2.axhline(1e-2, color="gray", ls=":", label=r"$\varepsilon$")
        self._now = ax2.axvline(64, color="#d62728", lw=1, label="current N")
        ax2.set(xlabel="width $N$", ylabel="error")
        ax2.legend(loc="lower left", fontsize=8)
        self.info = W.HTMLMath(layout=W.Layout(width="330px"))
        self.figures = {"images": fig, "dimensions": fig2}
        self.assemble(
            W.VBox([fig.canvas, W.HBox([fig2.canvas])]), left=self.control_box(extra=[self.info])
        )
        self.start()

    def render(self, r: TwoDResult):
        ap = r.approx
        err = np.abs(ap.f - ap.phi)
        lo, hi = float(ap.f.min()), float(ap.f.max())
        for im, data, lim in zip(
            self._images, (ap.f, ap.phi, err), ((lo, hi), (lo, hi), (0.0, float(err.max()) or 1.0))
        ):
            im.set_data(data)
            im.set_clim(*lim)
        self._images[1].axes.set_title(rf"$\Phi$, N = {ap.width}")
        self._images[2].axes.set_title(f"|f-\u03a6|, sup {ap.sup_error:.3g}")
        ax2 = self.figures["dimensions"].axes[0]
        self._now.set_xdata([ap.width, ap.width])
        self._eps.set_ydata([r.eps, r.eps])
        text = (
            f"$N = {ap.width}$, $C(\\Phi) = {ap.complexity}$<br>"
            f"sup error {ap.sup_error:.3g}, RMS {ap.rms_error:.3g}"
        )
        if r.study is not None:
            s = r.study
            one, two = (s.sup_1d, s.sup_2d) if r.metric == "sup" else (s.rms_1d, s.rms_2d)
            self._one.set_data(s.widths, one)
            self._two.set_data(s.widths, two)
            vals = np.concatenate([one, two, [r.eps]])
            ax2.set_ylim(vals[vals > 0].min() / 2, vals.max() * 2)
            ax2.set_xlim(1.5, 1.5 * s.widths.max())
            n1 = s.width_for(r.eps, d=1, metric=r.metric)
            n2 = s.width_for(r.eps, d=2, metric=r.metric)

            def fmt(n):
                return "not reached up to 1000" if n is None else f"N = {n}"

            text += (
                f"<br>{r.metric} error \u2264 {r.eps:.2g} first at<br>"
                f"&nbsp;d = 1: {fmt(n1)}<br>&nbsp;d = 2: {fmt(n2)}"
            )
            ax2.set_title(f"{r.metric} error against N (least squares)", fontsize=10)
        self.info.value = text
