"""Lecture 03, panel 4: rates for C^s functions, deep construction against shallow."""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from course.yarotsky.smooth import SMOOTHNESS, X0
from course.yarotsky.smooth2d import SmoothRates2D, smooth_rates_2d_steps
from course.yarotsky.smooth_rates import SmoothRates, smooth_rates_steps

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, IntRange, param
from ._common import complexity_axes, legend_below, sci

#: Dimensions the C^s panel offers: d -> (label, sweep).
DIMENSIONS = {1: ("d = 1", smooth_rates_steps), 2: ("d = 2", smooth_rates_2d_steps)}


class SmoothState(LiveState):
    r"""Rates for :math:`f_s \in W^{s,\infty}([0,1]^d)`: Yarotsky's construction, against shallow
    interpolants in :math:`d = 1`. A sweep over :math:`N` (a slow job, streamed), remembered per
    :math:`(s, d)`."""

    s = param(IntRange(default=3, min=min(SMOOTHNESS), max=max(SMOOTHNESS), label="smoothness $s$"))
    d = param(
        Choice(
            default=1,
            options={k: v[0] for k, v in DIMENSIONS.items()},
            buttons=True,
            label="dimension",
        )
    )
    cache_size = 16
    cache_shared = True  # a deterministic sweep: the same for every student

    def compute(self, s, d):
        return (yield from DIMENSIONS[d][1](s))


class SmoothPanel(LivePanel):
    """Error against :math:`C(\\Phi)` on log-log axes: what is measured, the fitted power laws
    and, drawn dashed and labelled as such, their extrapolation to the crossover."""

    def __init__(self, **values):
        super().__init__(
            SmoothState(compute_now=False, **values),
            title="Rates for Cˢ functions: measured, and extrapolated",
            show_progress=True,
        )
        fig, ax = new_figure(480, 500)
        complexity_axes(ax, r"$\|f_s - \Phi\|_\infty$")
        (self._deep,) = ax.plot([], [], "o-", color="C0", ms=4, label="deep, measured")
        (self._bound,) = ax.plot([], [], "v", color="C0", ms=4, alpha=0.5, label="proven bound")
        (self._shallow,) = ax.plot([], [], "s-", color="C1", ms=3, label="shallow, measured")
        (self._deep_fit,) = ax.plot([], [], "--", color="C0", lw=1)
        (self._shallow_fit,) = ax.plot([], [], "--", color="C1", lw=1)
        (self._theory,) = ax.plot([], [], ":", color="gray", label="slope $-s/d$")
        # right of the largest network measured, everything drawn is extrapolated: shaded
        self._extrapolated = ax.axvspan(1.0, 2.0, color="0.85", alpha=0.6, lw=0)
        self._extrapolated.set_label("extrapolated (shaded)")
        (self._cross,) = ax.plot([], [], "*", color="k", ms=11, label="crossover")
        legend_below(ax, ncol=2, fontsize=7.5)
        cfig, cax = new_figure(400, 500)
        cax.set(yscale="log", xlabel="$x$", ylabel="pointwise error", xlim=(0, 1))
        (self._deep_err,) = cax.plot([], [], color="C0", lw=0.8, label="deep, largest $N$")
        (self._shallow_err,) = cax.plot([], [], color="C1", lw=0.8, label="shallow, same $C$")
        self._kink = cax.axvline(X0, color="k", ls=":", lw=1, label="kink of $f^{(s)}$")
        legend_below(cax, ncol=2)
        self.info = W.HTMLMath(layout=W.Layout(width="330px"))
        self.figures = {"rates": fig, "pointwise": cfig}
        self.assemble(
            W.HBox([fig.canvas, cfig.canvas]), left=W.VBox([self.control_box(), self.info])
        )
        self.start()

    def render(self, r):
        two_d = isinstance(r, SmoothRates2D)
        sh_c = np.zeros(0) if two_d else r.shallow_complexity
        sh_e = np.zeros(0) if two_d else r.shallow_error
        sh_fit = None if two_d else r.shallow_fit
        cross = None if two_d else r.crossover
        self._deep.set_data(r.deep_complexity, r.deep_error)
        self._bound.set_data(r.deep_complexity, r.deep_bound)
        self._shallow.set_data(sh_c, sh_e)
        self._shallow.set_label("_shallow" if two_d else "shallow, measured")
        c_max = float(r.deep_complexity[-1])
        # the fitted lines run from their first point to past the crossover: beyond the largest
        # network measured they are an extrapolation, and the legend says so
        c_end = 2.0 * max(c_max, cross or 0.0)
        for line, fit, name in (
            (self._deep_fit, r.deep_fit, "deep"),
            (self._shallow_fit, sh_fit, "shallow"),
        ):
            if fit is None:
                line.set_data([], [])
                line.set_label(f"_{name}")
                continue
            cs = np.geomspace(fit.n_min, c_end, 50)
            line.set_data(cs, fit(cs))
            line.set_label(f"{name} fit, slope ${fit.slope:.2f}$")
        self._extrapolated.set_x(c_max)
        self._extrapolated.set_width(c_end - c_max)
        if cross is not None:
            self._cross.set_data([cross], [float(r.deep_fit(cross))])
            self._cross.set_label(f"crossover $C^* \\approx {sci(cross, 2)}$")
        else:
            self._cross.set_data([], [])
            self._cross.set_label("_crossover")
        # the theorem's slope, drawn through the largest deep network
        e1 = float(r.deep_error[-1])
        cs = np.array([c_max / 30.0, c_max])
        self._theory.set_data(cs, e1 * (cs / c_max) ** r.theorem_slope)
        self._theory.set_label(f"theorem: slope ${r.theorem_slope:g}$")
        ax = self._deep.axes
        allc = np.concatenate([r.deep_complexity, sh_c, cs, [c_end]])
        alle = np.concatenate([r.deep_error, sh_e, r.deep_bound])
        for line in (self._deep_fit, self._shallow_fit):
            alle = np.concatenate([alle, np.asarray(line.get_ydata(), float)])
        alle = alle[alle > 0]
        ax.set_xlim(0.5 * allc.min(), 1.5 * allc.max())
        ax.set_ylim(0.3 * alle.min(), 3 * alle.max())
        legend_below(ax, ncol=2, fontsize=7.5)
        if two_d:
            ax.set_title(f"$F_s(x) = f_s((x_1 + 2x_2)/3)$ on $[0,1]^2$, $s = {r.s}$")
        else:
            ax.set_title(f"$f_s = (x - x_0)^{{s-1}}|x - x_0|$, $s = {r.s}$")
        cax = self._deep_err.axes
        floor = 1e-17
        self._deep_err.set_data(r.x, np.maximum(np.abs(r.deep_curve - r.f), floor))
        if two_d:
            self._shallow_err.set_data([], [])
        else:
            self._shallow_err.set_data(r.x, np.maximum(np.abs(r.shallow_curve - r.f), floor))
        self._shallow_err.set_label("_shallow" if two_d else "shallow, same $C$")
        kink = 3 * X0 - 1.0 if two_d else X0  # on the cut x2 = 1/2: x1 + 1 = 3 x0
        self._kink.set_xdata([kink, kink])
        legend_below(cax, ncol=2)
        cax.set_xlabel("$x_1$ (on the cut $x_2 = 1/2$)" if two_d else "$x$")
        top = max(float(np.nanmax(np.abs(r.deep_curve - r.f))), 1e-12)
        cax.set_ylim(max(top * 1e-6, floor), 3 * top)
        n = int(r.n_patches[-1])
        cax.set_title(f"$|f_s - \\Phi|$: deep with $N = {n}$ (depth {r.deep_depth[-1]})")
        self.info.value = _summary(r, two_d)


def shallow_error_at(r: SmoothRates, c) -> np.ndarray:
    """The measured shallow error at complexity ``c``, interpolated on log-log axes between
    the interpolants measured (all measured sizes lie inside their range)."""
    return np.exp(np.interp(np.log(c), np.log(r.shallow_complexity), np.log(r.shallow_error)))


def _summary(r, two_d: bool) -> str:
    """The status text: what is measured, what is fitted, what is extrapolated."""
    d = 2 if two_d else 1
    c_max = int(r.deep_complexity[-1])
    text = (
        f"<b>measured</b>: $N = {', '.join(str(int(v)) for v in r.n_patches)}$, "
        f"up to $C = {c_max}$ (depth {r.deep_depth[-1]})<br>"
        f"theorem ($d = {d}$): $\\|f - \\Phi\\|_\\infty \\lesssim C(\\Phi)^{{-s/d}}$, "
        f"slope <b>${r.theorem_slope:g}$</b> (up to $\\log$)<br>"
    )
    if r.deep_fit:
        text += f"deep fitted slope <b>${r.deep_fit.slope:.2f}$</b>"
        text += f" (largest {r.deep_fit.n_points} networks)<br>" if not two_d else "<br>"
    if two_d:
        return text + (
            "no shallow comparison in $d = 2$: a one-hidden-layer ReLU network has no "
            "localised pieces to interpolate with"
        )
    if r.shallow_fit:
        text += f"shallow fitted slope <b>${r.shallow_fit.slope:.2f}$</b> (at best $-2$)<br>"
    ratio = r.deep_error / shallow_error_at(r, r.deep_complexity)
    if np.all(ratio > 1):
        text += (
            f"at every measured size the shallow interpolant is the smaller error; at "
            f"$C = {c_max}$ deep ${sci(r.deep_error[-1], 2)}$ against shallow "
            f"${sci(float(shallow_error_at(r, c_max)), 2)}$<br>"
        )
    else:
        first = int(r.deep_complexity[np.argmax(ratio <= 1)])
        text += f"measured: the deep network has the smaller error from $C = {first}$ on<br>"
    if r.crossover is None:
        return text + (
            "<b>no crossover</b>: the deep fitted slope is not steeper than the shallow one "
            "($s \\le 2$: the shallow rate $C^{-2}$ is as fast, with a smaller constant)"
        )
    if r.crossover > c_max:
        return text + (
            f"<b>extrapolated</b> (shaded): the fitted lines cross at "
            f"$C^* \\approx {sci(r.crossover, 2)}$, ${sci(r.crossover / c_max, 2)}$ times the "
            f"largest network measured, at an error of about "
            f"${sci(float(r.deep_fit(r.crossover)), 1)}$; beyond it the deep construction would win"
        )
    return text + (
        f"the fitted lines cross at $C^* \\approx {sci(r.crossover, 2)}$, inside the measured range"
    )
