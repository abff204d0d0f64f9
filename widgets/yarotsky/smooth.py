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
    """Error against :math:`C(\\Phi)` on log-log axes with the theorem's slope :math:`-s/d`."""

    def __init__(self, **values):
        super().__init__(
            SmoothState(compute_now=False, **values),
            title="Rates for C^s functions",
            show_progress=True,
        )
        fig, ax = new_figure(500, 420)
        ax.set(
            xscale="log",
            yscale="log",
            xlabel=r"$C(\Phi)$ (nonzero weights)",
            ylabel=r"$\|f_s - \Phi\|_\infty$",
        )
        (self._deep,) = ax.plot([], [], "o-", color="C0", ms=4, label="deep (Yarotsky)")
        (self._bound,) = ax.plot([], [], "v", color="C0", ms=4, alpha=0.5, label="proven bound")
        (self._shallow,) = ax.plot([], [], "s-", color="C1", ms=3, label="shallow interpolant")
        (self._deep_fit,) = ax.plot([], [], ":", color="C0")
        (self._shallow_fit,) = ax.plot([], [], ":", color="C1")
        (self._theory,) = ax.plot([], [], "--", color="gray", label="slope $-s/d$")
        ax.legend(loc="lower left", fontsize=7)
        cfig, cax = new_figure(420, 420)
        cax.set(yscale="log", xlabel="$x$", ylabel="pointwise error", xlim=(0, 1))
        (self._deep_err,) = cax.plot([], [], color="C0", lw=0.8, label="deep, largest $N$")
        (self._shallow_err,) = cax.plot([], [], color="C1", lw=0.8, label="shallow, same $C$")
        self._kink = cax.axvline(X0, color="k", ls=":", lw=1, label="kink of $f^{(s)}$")
        cax.legend(loc="lower right", fontsize=7)
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
        self._deep.set_data(r.deep_complexity, r.deep_error)
        self._bound.set_data(r.deep_complexity, r.deep_bound)
        self._shallow.set_data(sh_c, sh_e)
        self._shallow.set_label("_shallow" if two_d else "shallow interpolant")
        ax = self._deep.axes
        for line, fit, name in (
            (self._deep_fit, r.deep_fit, "deep"),
            (self._shallow_fit, sh_fit, "shallow"),
        ):
            if fit is None:
                line.set_data([], [])
                line.set_label(f"_{name}")
                continue
            cs = np.array([fit.n_min, fit.n_max])
            line.set_data(cs, fit(cs))
            line.set_label(f"{name}: {fit.label('C')}")
        # the theorem's slope, drawn through the largest deep network
        c1, e1 = float(r.deep_complexity[-1]), float(r.deep_error[-1])
        cs = np.array([c1 / 30.0, c1])
        self._theory.set_data(cs, e1 * (cs / c1) ** r.theorem_slope)
        self._theory.set_label(f"theorem: slope $-s/d = {r.theorem_slope:g}$")
        allc = np.concatenate([r.deep_complexity, sh_c, cs])
        alle = np.concatenate([r.deep_error, sh_e, r.deep_bound])
        alle = alle[alle > 0]
        ax.set_xlim(0.5 * allc.min(), 2 * allc.max())
        ax.set_ylim(0.3 * alle.min(), 3 * alle.max())
        ax.legend(loc="lower left", fontsize=7)
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
        cax.legend(loc="lower right", fontsize=7)
        cax.set_xlabel("$x_1$ (on the cut $x_2 = 1/2$)" if two_d else "$x$")
        top = max(float(np.nanmax(np.abs(r.deep_curve - r.f))), 1e-12)
        cax.set_ylim(max(top * 1e-6, floor), 3 * top)
        n = int(r.n_patches[-1])
        cax.set_title(f"$|f_s - \\Phi|$: deep with $N = {n}$ (depth {r.deep_depth[-1]})")
        d = 2 if two_d else 1
        text = (
            f"theorem ($d = {d}$): $\\|f - \\Phi\\|_\\infty \\lesssim C(\\Phi)^{{-s/d}}$, slope "
            f"<b>{r.theorem_slope:g}</b> (up to $\\log$)<br>"
        )
        if r.deep_fit:
            text += f"deep fitted slope <b>{r.deep_fit.slope:.2f}</b><br>"
        if sh_fit:
            text += f"shallow fitted slope <b>{sh_fit.slope:.2f}</b> (at best $-2$)<br>"
        text += (
            f"largest deep network: $N = {n}$, {(n + 1) ** d} patches, "
            f"$C = {r.deep_complexity[-1]}$, depth {r.deep_depth[-1]}<br>"
        )
        if two_d:
            text += (
                "no shallow comparison in $d = 2$: a one-hidden-layer ReLU network has no "
                "localised pieces to interpolate with"
            )
        else:
            text += _crossover(r)
        self.info.value = text


def _crossover(r: SmoothRates) -> str:
    """Where the fitted lines cross: the C beyond which the deep construction wins."""
    d, s = r.deep_fit, r.shallow_fit
    if d is None or s is None:
        return ""
    if d.slope >= s.slope:
        return "the fitted deep slope is no steeper than the shallow one: no crossover"
    c = (s.constant / d.constant) ** (1.0 / (d.slope - s.slope))
    if c <= r.deep_complexity[-1]:
        return f"the deep construction wins beyond $C \\approx {c:.3g}$"
    return f"extrapolated: the deep construction wins beyond $C \\approx {c:.2g}$"
