r"""Lecture 02, panel 1: a target f on [-1, 1] and a shallow network :math:`\Phi` of width N
found by (a) construction, (b) random inner weights and least squares or (c) SGD."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from course.progress import relay
from course.universal import (
    LECTURE_ACTIVATIONS,
    MAX_DEGREE,
    Approximation,
    approximation_steps,
    predicted_rate,
    target_formula,
    tex_number,
)

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, Flag, FloatRange, IntRange, param
from ._common import (
    _PLOT_POINTS,
    MAX_CONTRIBUTIONS,
    METHOD_CHOICE,
    TARGET_CHOICE,
    Formula,
    FormulaFollowsTarget,
    _target,
    show_relevant,
    target_title,
)


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


class ShallowState(FormulaFollowsTarget, LiveState):
    r"""A shallow network :math:`\Phi(x) = \sum_{k=1}^N a_k\rho(w_k x - b_k) + c` next to f.

    The formula box (``expression``) shows the chosen target's formula; a new formula typed
    there becomes the target."""

    width = param(IntRange(default=16, min=1, max=2000, label="width $N$"))
    target = param(Choice(default="sine", options=TARGET_CHOICE, label="target $f$"))
    expression = param(Formula(default=target_formula("sine"), label="$f(x)=$"))
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
        job = approximation_steps(
            f,
            method=method,
            activation=activation,
            width=width,
            degree=degree,
            seed=seed,
            sgd_steps=steps,
        )
        wrap = functools.partial(_shallow_result, show=contributions)
        return _shallow_result((yield from relay(job, wrap=wrap)), contributions)


def _activation_title(net) -> str:
    if net.activation == "polynomial":
        return f"$\\rho(t) = t^{{{net.degree}}}$"
    return LECTURE_ACTIVATIONS[net.activation]


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
        show_relevant(self)
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
            f"{target_title(ap.target)}; {_activation_title(ap.net)}, "
            f"$N = {ap.width}$, {method}" + ("" if self.state.final else " (training)"),
            fontsize=10,
        )
        ax_err.set_title(
            f"sup error ${tex_number(ap.sup_error)}$ at $x = {ap.argmax:.3g}$", fontsize=10
        )
        self.info.value = (
            f"$\\|f-\\Phi\\|_\\infty = {tex_number(ap.sup_error)}$<br>"
            f"RMS error ${tex_number(ap.rms_error)}$<br>"
            f"$N = {ap.width}$, $C(\\Phi) = {ap.complexity}$ nonzero weights<br>"
            f"<small>{r.predicted}</small>" + (f"<br><small>{r.note}</small>" if r.note else "")
        )
