r"""Lecture 02, panel 2: sup error against N, fitted and predicted slopes; the width
:math:`N(\varepsilon)` against frequency."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from course.progress import Progress, relay
from course.universal import (
    LECTURE_ACTIVATIONS,
    RateStudy,
    error_vs_width_steps,
    tex_number,
    width_vs_frequency_steps,
)

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import FloatRange, IntRange, param
from ._common import METHOD_CHOICE, FormulaFollowsTarget, _target, show_relevant, target_title
from .shallow import ShallowState


# ============================================================================ rates
@dataclass(frozen=True)
class RatesResult:
    """The error study against N and N(eps) against the frequency of the sum of sines."""

    study: RateStudy
    frequencies: np.ndarray | None
    widths_needed: np.ndarray | None
    widths_predicted: np.ndarray | None
    eps: float


class RatesState(FormulaFollowsTarget, LiveState):
    r"""Sup error against N for a target, activation and method; :math:`N(\varepsilon)` against
    the frequency :math:`\omega` of the sum of sines (ReLU interpolant)."""

    cache_shared = True  # the same for every student: computed once per server

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
        job = error_vs_width_steps(
            f, activation=activation, method=method, degree=degree, fit_min=fit_min
        )
        # an SGD sweep reports progress before its first point (a partial of None)
        wrap = functools.partial(_rates_result, eps=eps)
        study = yield from relay(job, span=(0.0, 0.8), wrap=wrap)
        freqs = widths = pred = None
        for item in width_vs_frequency_steps(self.frequencies, eps):
            freqs, widths, pred = item.partial
            yield Progress(
                0.8 + 0.2 * item.fraction,
                RatesResult(study, freqs, widths, pred, eps),
                item.message,
            )
        return RatesResult(study, freqs, widths, pred, eps)


def _rates_result(study, eps):
    return RatesResult(study, None, None, None, eps)


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
        self.info = W.HTMLMath(layout=W.Layout(width="330px"))
        self.assemble(W.HBox([fig.canvas, fig2.canvas]), left=self.control_box(extra=[self.info]))
        show_relevant(self)
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
            self._fitted.set_label(
                f"fit: fewer than two positive errors with $N \\geq {s.fit_min}$"
            )
        ax.legend(loc="lower left", fontsize=7.5)
        ys = np.concatenate([s.errors[pos], s.predicted(n)])
        ys = ys[np.isfinite(ys) & (ys > 0)]
        if ys.size:
            ax.set_ylim(ys.min() / 3, ys.max() * 3)
        ax.set_xlim(2, 3000)
        method = METHOD_CHOICE[s.method].split(" ", 1)[1]
        ax.set_title(
            f"{target_title(s.target)}\n{LECTURE_ACTIVATIONS[s.activation]}, {method}", fontsize=9
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
        ax2.set_title(
            f"width needed for sup error $\\leq \\varepsilon = {tex_number(r.eps, 2)}$",
            fontsize=10,
        )
        slope = "\u2014" if s.fit is None else f"{s.fit.slope:.2f}"
        self.info.value = (
            f"fitted slope <b>{slope}</b>"
            + (
                ""
                if s.fit is None
                else f" on ${s.fit.n_min:g} \\leq N \\leq {s.fit.n_max:g}$, $R^2 = {s.fit.r2:.3f}$"
            )
            + f"<br>{s.predicted.label()}"
        )
