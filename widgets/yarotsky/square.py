"""Lecture 03, panel 2: Yarotsky's square f_m, its exact error, deep against shallow."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import ipywidgets as W
import numpy as np

from course.yarotsky.squares import M_MAX, SquareCurve, SquareRates, square_curve, square_rates

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import IntRange, param
from ._common import complexity_axes, legend_below

#: The error plot shows at most this many pieces of f_m (zoomed in on [0, pieces / 2^m]).
ZOOM_PIECES = 8


def _dyadic(x: float) -> str:
    """A tick label for a dyadic number: ``$0$``, ``$1$``, ``$2^{-3}$``, ``$3 \\cdot 2^{-5}$``."""
    if x == 0 or x == 1:
        return f"${x:g}$"
    k = 0
    while x != int(x):
        x, k = 2 * x, k + 1
    return f"$2^{{{-k}}}$" if x == 1 else f"${int(x)} \\cdot 2^{{{-k}}}$"


@dataclass(frozen=True)
class SquareResult:
    curve: SquareCurve
    rates: SquareRates = field(repr=False)
    zoom_x: np.ndarray = field(repr=False)  # the first ZOOM_PIECES pieces, 64 points each
    zoom_error: np.ndarray = field(repr=False)  # f_m - x^2 there, through the matrices


@functools.lru_cache(maxsize=1)
def _square_rates() -> SquareRates:
    return square_rates(M_MAX)


def _fit_label(name, fit) -> str:
    return (
        f"{name}: power-law fit, slope ${fit.slope:.2f}$ on "
        f"${fit.n_min:g} \\leq C \\leq {fit.n_max:g}$"
    )


class SquareState(LiveState):
    r"""Yarotsky's square :math:`f_m(x) = x - \sum_{s \le m} g_s(x) / 4^s`."""

    m = param(IntRange(default=3, min=0, max=M_MAX, label="$m$ in $f_m$"))

    def compute(self, m):
        curve = square_curve(m)
        pieces = min(2**m, ZOOM_PIECES)
        x = np.arange(64 * pieces + 1) / (64 * 2.0**m)  # dyadic: nodes and midpoints on it
        return SquareResult(curve, _square_rates(), x, curve.network(x)[:, 0] - x**2)


class SquarePanel(LivePanel):
    """:math:`x^2` and :math:`f_m`, the error, and error against :math:`C(\\Phi)`."""

    def __init__(self, **values):
        super().__init__(
            SquareState(compute_now=False, **values), title="Yarotsky's square f\u2098"
        )
        fig, (ax, eax) = new_figure(420, 460, nrows=2)
        (self._sq,) = ax.plot([], [], color="k", lw=1, label="$x^2$")
        (self._fm,) = ax.plot([], [], color="C0", lw=1.5, ls="--", label="$f_m$ (network)")
        ax.set(xlim=(0, 1), ylim=(-0.02, 1.02))
        ax.legend(loc="upper left", fontsize=8)
        (self._err,) = eax.plot([], [], color="C3", lw=1, label="$f_m(x) - x^2$")
        self._exact = eax.axhline(0.25, color="k", ls=":", label="$2^{-2m-2}$")
        eax.set(xlabel="$x$", ylabel="error", xlim=(0, 1))
        fig.legend(
            handles=[self._err, self._exact],
            loc="outside lower center",
            ncol=2,
            fontsize=8,
            frameon=False,
        )
        rates, rax = new_figure(450, 460)
        complexity_axes(rax, r"$\|x^2 - \Phi\|_\infty$")
        (self._deep,) = rax.plot([], [], "o-", color="C0", ms=4, label="deep: $f_m$")
        (self._shallow,) = rax.plot([], [], "s-", color="C1", ms=4, label="shallow interpolant")
        (self._shallow_fit,) = rax.plot([], [], ":", color="C1")
        (self._deep_fit,) = rax.plot([], [], ":", color="C0")
        (self._now,) = rax.plot([], [], "o", ms=11, mfc="none", mec="C3", mew=2, label="this $m$")
        legend_below(rax, ncol=1, fontsize=7.5)
        self.info = W.HTMLMath(layout=W.Layout(width="330px"))
        self.figures = {"square": fig, "rates": rates}
        self.assemble(
            W.HBox([fig.canvas, rates.canvas]), left=W.VBox([self.control_box(), self.info])
        )
        self._rates_drawn = False
        self.start()

    def render(self, r: SquareResult):
        c, q = r.curve, r.rates
        self._sq.set_data(c.x, c.square)
        self._fm.set_data(c.x, c.network_values)
        self._fm.axes.set_title(f"$x^2$ and $f_{{{c.m}}}$: {2**c.m + 1} nodes $k/2^{{{c.m}}}$")
        # the error on the first ZOOM_PIECES pieces: 2^m teeth would fill the axes solid
        pieces = min(2**c.m, ZOOM_PIECES)
        right = pieces / 2.0**c.m
        self._err.set_data(r.zoom_x, r.zoom_error)
        self._exact.set_ydata([c.exact_error, c.exact_error])
        eax = self._err.axes
        eax.set_xlim(0.0, right)
        if right == 1.0:
            eax.set_xticks(np.linspace(0.0, 1.0, 5), ["0", "0.25", "0.5", "0.75", "1"])
        else:
            eax.set_xticks(np.linspace(0.0, right, 5), [_dyadic(k * right / 4) for k in range(5)])
        eax.set_ylim(-0.05 * c.exact_error, 1.25 * c.exact_error)
        eax.set_yticks([0.0, c.exact_error], ["$0$", f"$2^{{{-2 * c.m - 2}}}$"])
        eax.set_title(
            "error on $[0, 1]$"
            if pieces == 2**c.m
            else f"error on the first {pieces} of $2^{{{c.m}}}$ pieces",
            fontsize=10,
        )
        if not self._rates_drawn:
            self._deep.set_data(q.deep_complexity, q.deep_error)
            self._shallow.set_data(q.shallow_complexity, q.shallow_error)
            cs = np.array([q.shallow_fit.n_min, q.shallow_fit.n_max])
            self._shallow_fit.set_data(cs, q.shallow_fit(cs))
            self._shallow_fit.set_label(_fit_label("shallow", q.shallow_fit))
            cd = np.array([q.deep_fit.n_min, q.deep_fit.n_max])
            self._deep_fit.set_data(cd, q.deep_fit(cd))
            self._deep_fit.set_label(_fit_label("deep", q.deep_fit))
            ax = self._deep.axes
            ax.set_xlim(0.7, 2 * q.deep_complexity.max())
            ax.set_ylim(0.3 * q.deep_error.min(), 0.5)
            legend_below(ax, ncol=1, fontsize=7.5)
            e, p = q.deep_exponential.slope, q.shallow_fit.slope
            ax.set_title(
                f"deep: $\\approx 2^{{{e:.3f}\\,C}}$ (exponential); shallow: $C^{{{p:.2f}}}$"
            )
            self._rates_drawn = True
        self._now.set_data([c.complexity], [c.sup_error])
        k = int(c.m)
        self.info.value = (
            f"measured $\\sup|x^2 - f_m|$ = <b>{c.sup_error:.6g}</b><br>"
            f"theory $2^{{-2m-2}}$ = <b>{c.exact_error:.6g}</b><br>"
            f"depth $L = m + 1 = {c.depth}$, width 4<br>"
            f"$C(\\Phi) = {c.complexity}$ (formula: $15m - 5$ for $m \\ge 1$)<br>"
            f"shallow with $C \\le {q.deep_complexity[k]}$: width {q.shallow_width[k]}, "
            f"error {q.shallow_error[k]:.3g}"
        )
