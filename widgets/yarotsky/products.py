"""Lecture 03, panel 3: the multiplication network's error surface and polynomials."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import ipywidgets as W
import numpy as np

from course.networks import complexity
from course.yarotsky.constructions import (
    multiply,
    multiply_error_bound,
    polynomial,
)

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, IntRange, param

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
_N_SURFACE = 81  # grid of [-1, 1]^2 for the multiplication error; odd, so 0 is on it


@dataclass(frozen=True)
class ProductResult:
    m: int
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
        axis = np.linspace(-1.0, 1.0, _N_SURFACE)
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
        )


class ProductPanel(LivePanel):
    """The multiplication network's error on :math:`[-1,1]^2` and a polynomial from multipliers."""

    def __init__(self, **values):
        super().__init__(
            ProductState(compute_now=False, **values), title="Multiplication and polynomials"
        )
        fig, ax = new_figure(420, 370)
        self._im = ax.imshow(
            np.zeros((2, 2)),
            origin="lower",
            extent=(-1, 1, -1, 1),
            cmap="magma",
            interpolation="nearest",
        )
        fig.colorbar(self._im, ax=ax, shrink=0.85)
        ax.set(xlabel="$x$", ylabel="$y$")
        ax.grid(False)
        pfig, (pax, eax) = new_figure(440, 420, nrows=2)
        (self._p,) = pax.plot([], [], color="k", lw=1, label="$p$")
        (self._phi,) = pax.plot([], [], color="C0", ls="--", lw=1.5, label=r"$\Phi$ (network)")
        pax.set(xlim=(-1, 1))
        pax.legend(loc="best", fontsize=8)
        (self._perr,) = eax.plot([], [], color="C3", lw=1, label=r"$\Phi - p$")
        self._pbound = [
            eax.axhline(0, color="k", ls=":", label="proven bound"),
            eax.axhline(0, color="k", ls=":"),
        ]
        eax.set(xlabel="$x$", xlim=(-1, 1))
        eax.legend(loc="upper right", fontsize=8)
        self.info = W.HTMLMath(layout=W.Layout(width="330px"))
        self.figures = {"surface": fig, "polynomial": pfig}
        self.assemble(
            W.HBox([fig.canvas, pfig.canvas]), left=W.VBox([self.control_box(), self.info])
        )
        self.start()

    def render(self, r: ProductResult):
        self._im.set_data(r.error)
        self._im.set_clim(-r.bound, 0.0)
        self._im.axes.set_title(f"$\\tilde\\times_{{{r.m}}}(x,y) - xy$, between $-2^{{-2m}}$ and 0")
        self._p.set_data(r.x, r.exact)
        self._phi.set_data(r.x, r.network_values)
        pax = self._p.axes
        lo, hi = float(r.exact.min()), float(r.exact.max())
        pad = 0.1 * (hi - lo) + 1e-3
        pax.set_ylim(min(lo, r.network_values.min()) - pad, max(hi, r.network_values.max()) + pad)
        pax.set_title(f"{POLYNOMIALS[r.poly][1]}, Horner with multipliers")
        self._perr.set_data(r.x, r.network_values - r.exact)
        for line, v in zip(self._pbound, (r.poly_bound, -r.poly_bound)):
            line.set_ydata([v, v])
        self._perr.axes.set_ylim(-1.15 * r.poly_bound, 1.15 * r.poly_bound)
        self.info.value = (
            f"multiplier: depth $m + 3 = {r.times_depth}$, $C = {r.times_complexity}$<br>"
            f"max error on the grid: <b>{r.max_error:.3g}</b> $\\le 2^{{-2m}} = {r.bound:.3g}$<br>"
            f"on the axes $x = 0$ or $y = 0$: $\\max|\\tilde\\times| = {r.zero_max:g}$<br>"
            f"polynomial network: depth {r.poly_depth}, $C = {r.poly_complexity}$<br>"
            f"max error <b>{r.poly_error:.3g}</b> $\\le$ bound {r.poly_bound:.3g}"
        )
