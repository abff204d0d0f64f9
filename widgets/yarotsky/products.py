"""Lecture 03, panel 3: the multiplication network's error surface and polynomials."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import ipywidgets as W
import numpy as np
from matplotlib.ticker import FuncFormatter

from course.networks import complexity
from course.yarotsky.constructions import (
    multiply,
    multiply_error_bound,
    polynomial,
)
from course.yarotsky.products import MultiplyComparison, multiply_comparison

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, IntRange, param
from ._common import sci

#: Polynomials the product panel offers: name -> (plain label for the menu, LaTeX label for the
#: plot, coefficients lowest degree first).
POLYNOMIALS = {
    "x3": ("x\u00b3", "$x^3$", (0.0, 0.0, 0.0, 1.0)),
    "cheb4": (
        "Chebyshev T\u2084 = 8x\u2074 \u2212 8x\u00b2 + 1",
        "Chebyshev $T_4 = 8x^4 - 8x^2 + 1$",
        (1.0, 0.0, -8.0, 0.0, 8.0),
    ),
    "exp5": (
        "Taylor polynomial of e\u02e3, degree 5",
        "$\\sum_{k \\leq 5} x^k / k!$ (Taylor of $e^x$)",
        (1.0, 1.0, 0.5, 1 / 6, 1 / 24, 1 / 120),
    ),
    "mixed": (
        "0.2 \u2212 x + 2x\u00b3 + 0.5x\u2074",
        "$0.2 - x + 2x^3 + 0.5x^4$",
        (0.2, -1.0, 0.0, 2.0, 0.5),
    ),
}
_N_SURFACE = 129  # samples per side of the error surface; odd, so 0 is on it
_CELLS_SHOWN = 16  # periods 2^(1-m) of the error pattern shown per half side (for m >= 4)


def surface_window(m: int) -> float:
    r"""Half side :math:`a` of the square :math:`[-a, a]^2` the error surface is drawn on.

    The error of the multiplier repeats with period :math:`2^{1-m}` in :math:`x` and in
    :math:`y` (it is built from :math:`f_m(|t|) - t^2`, which has period :math:`2^{-m}` in
    :math:`|t|`). On all of :math:`[-1, 1]^2` that is :math:`2^m` periods per side, too many
    for a few hundred pixels at :math:`m = 8`; so the surface shows :math:`[-1,1]^2` up to
    :math:`m = 4` and then the window of :math:`2 \cdot 16` periods around 0, sampled with 8
    points per period. A power of two, so the samples are dyadic numbers.
    """
    return min(1.0, _CELLS_SHOWN * 2.0 ** (1 - m) / 2.0)


@dataclass(frozen=True)
class ProductResult:
    m: int
    window: float  # the surface is drawn on [-window, window]^2
    axis: np.ndarray = field(repr=False)
    error: np.ndarray = field(repr=False)  # times(x, y) - x y, rows = y
    max_error: float
    bound: float
    zero_max: float  # max |times| where x = 0 or y = 0 (exactly 0)
    times_complexity: int
    times_depth: int
    poly: str
    x: np.ndarray = field(repr=False)
    exact: np.ndarray = field(repr=False)
    network_values: np.ndarray = field(repr=False)
    poly_error: float
    poly_bound: float
    poly_depth: int
    poly_complexity: int
    comparison: MultiplyComparison  # against a one-hidden-layer multiplier, as many weights


@functools.lru_cache(maxsize=64)
def _polynomial(name: str, m: int):
    return polynomial(POLYNOMIALS[name][2], m)


class ProductState(LiveState):
    r"""Multiplication by polarisation, :math:`xy = 2((\frac{x+y}{2})^2 - (\frac x2)^2 -
    (\frac y2)^2)`, and polynomials by Horner's rule with multipliers."""

    m = param(IntRange(default=3, min=0, max=8, label="$m$ in $f_m$"))
    poly = param(
        Choice(
            default="cheb4", options={k: v[0] for k, v in POLYNOMIALS.items()}, label="polynomial"
        )
    )

    def compute(self, m, poly):
        return self._compute(m, poly)

    def _compute(self, m, poly):
        # periodic error: the max over the window's grid is the max over the same grid on all of
        # [-1, 1]^2 (the grid step, a power of two, divides the period; tested)
        window = surface_window(m)
        axis = np.linspace(-window, window, _N_SURFACE)
        xx, yy = np.meshgrid(axis, axis)
        pts = np.c_[xx.ravel(), yy.ravel()]
        times = multiply(m)
        out = times(pts)[:, 0]
        err = (out - pts[:, 0] * pts[:, 1]).reshape(_N_SURFACE, _N_SURFACE)
        on_axes = (pts[:, 0] == 0) | (pts[:, 1] == 0)
        p = _polynomial(poly, m)
        x = np.linspace(-1.0, 1.0, 801)
        values = p.network(x)[:, 0]
        exact = p.exact(x)
        return ProductResult(
            m=m,
            window=window,
            axis=axis,
            error=err,
            max_error=float(np.max(np.abs(err))),
            bound=multiply_error_bound(m),
            zero_max=float(np.max(np.abs(out[on_axes]))),
            times_complexity=complexity(times),
            times_depth=times.depth,
            poly=poly,
            x=x,
            exact=exact,
            network_values=values,
            poly_error=float(np.max(np.abs(values - exact))),
            poly_bound=p.error_bound,
            poly_depth=p.network.depth,
            poly_complexity=complexity(p.network),
            comparison=multiply_comparison(m),
        )


def _window_label(a: float) -> str:
    """Tick label of the window's half side: ``1`` or ``2^{-k}``, in mathtext."""
    return "1" if a == 1.0 else f"2^{{{round(np.log2(a))}}}"


def _compare(c: MultiplyComparison) -> str:
    """Which multiplier is better, measured, and by what factor."""
    ratio = c.shallow_error / c.deep_error
    if ratio >= 1:
        return f"<b>${sci(ratio, 2)}$ times</b> the deep error"
    return f"<b>${sci(1 / ratio, 2)}$ times smaller</b> than the deep error"


class ProductPanel(LivePanel):
    """The multiplication network's error on :math:`[-1,1]^2` and a polynomial from multipliers."""

    def __init__(self, **values):
        super().__init__(
            ProductState(compute_now=False, **values), title="Multiplication and polynomials"
        )
        fig, ax = new_figure(420, 400)
        # nearest neighbour on the exact dyadic samples, the pixels centred on them: the pattern
        # of the dyadic grid, not a smoothed or resampled one
        self._im = ax.imshow(
            np.zeros((2, 2)),
            origin="lower",
            extent=(-1, 1, -1, 1),
            cmap="magma",
            interpolation="nearest",
            interpolation_stage="data",
            vmin=-1.0,
            vmax=0.0,
        )
        bar = fig.colorbar(self._im, ax=ax, shrink=0.8, ticks=[-1, -0.5, 0])
        bar.set_label(r"$(\widetilde{\times}_m(x,y) - xy)\,/\,2^{-2m}$")
        ax.set(xlabel="$x$", ylabel="$y$")
        ax.grid(False)
        pfig, (pax, eax) = new_figure(440, 420, nrows=2, sharex=True)
        (self._p,) = pax.plot([], [], color="k", lw=1, label="$p$")
        (self._phi,) = pax.plot([], [], color="C0", ls="--", lw=1.5, label=r"$\Phi$ (network)")
        pax.set(xlim=(-1, 1), xticks=[-1, -0.5, 0, 0.5, 1])
        (self._perr,) = eax.plot([], [], color="C3", lw=1, label=r"$\Phi - p$")
        self._pbound = [
            eax.axhline(0, color="k", ls=":", label="proven bound"),
            eax.axhline(0, color="k", ls=":"),
        ]
        eax.set(xlabel="$x$", xlim=(-1, 1))
        eax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"${sci(v, 2)}$"))
        pfig.legend(loc="outside lower center", ncol=4, fontsize=8, frameon=False)
        self.info = W.HTMLMath(layout=W.Layout(width="330px"))
        self.figures = {"surface": fig, "polynomial": pfig}
        self.assemble(
            W.HBox([fig.canvas, pfig.canvas]), left=W.VBox([self.control_box(), self.info])
        )
        self.start()

    def render(self, r: ProductResult):
        c = r.comparison
        a, step = r.window, float(r.axis[1] - r.axis[0])
        self._im.set_data(r.error / r.bound)  # exact: the bound is a power of two
        self._im.set_extent((-a - step / 2, a + step / 2, -a - step / 2, a + step / 2))
        ax = self._im.axes
        ax.set_xlim(-a - step / 2, a + step / 2)
        ax.set_ylim(-a - step / 2, a + step / 2)
        w = _window_label(a)
        ticks, labels = [-a, 0.0, a], [f"$-{w}$", "$0$", f"${w}$"]
        ax.set_xticks(ticks, labels)
        ax.set_yticks(ticks, labels)
        where = " on $[-1,1]^2$" if a == 1.0 else f" on\n$[-{w}, {w}]^2$ (it repeats on $[-1,1]^2$)"
        ax.set_title(f"$\\widetilde{{\\times}}_{{{r.m}}}(x,y) - xy${where}", fontsize=10)
        self._p.set_data(r.x, r.exact)
        self._phi.set_data(r.x, r.network_values)
        pax = self._p.axes
        lo, hi = float(r.exact.min()), float(r.exact.max())
        pad = 0.1 * (hi - lo) + 1e-3
        pax.set_ylim(min(lo, r.network_values.min()) - pad, max(hi, r.network_values.max()) + pad)
        pax.set_title(POLYNOMIALS[r.poly][1], fontsize=10)
        self._perr.set_data(r.x, r.network_values - r.exact)
        for line, v in zip(self._pbound, (r.poly_bound, -r.poly_bound)):
            line.set_ydata([v, v])
        eax = self._perr.axes
        eax.set_ylim(-1.15 * r.poly_bound, 1.15 * r.poly_bound)
        eax.set_yticks([-r.poly_bound, 0.0, r.poly_bound])
        self.info.value = (
            f"multiplier: depth $m + 3 = {r.times_depth}$, $C = {r.times_complexity}$<br>"
            f"max error on the grid: <b>${sci(r.max_error)}$</b> "
            f"$\\le 2^{{-2m}} = {sci(r.bound)}$<br>"
            f"on the axes $x = 0$ or $y = 0$: $\\max|\\tilde\\times| = {sci(r.zero_max)}$<br>"
            f"one hidden layer (ridge interpolant, $C = {c.shallow_complexity}$): "
            f"error ${sci(c.shallow_error)}$, {_compare(c)}<br>"
            f"polynomial by Horner's rule with multipliers: depth {r.poly_depth}, "
            f"$C = {r.poly_complexity}$<br>"
            f"max error <b>${sci(r.poly_error)}$</b> $\\le$ bound ${sci(r.poly_bound)}$"
        )
