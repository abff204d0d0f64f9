r"""Lecture 03, Yarotsky's rates and the role of depth: five panels.

- :class:`SawtoothPanel`: :math:`g_s`, its linear pieces counted from the network's own weights,
  and the network drawn.
- :class:`SquarePanel`: :math:`x^2` against Yarotsky's :math:`f_m`, the error against
  :math:`2^{-2m-2}`, and error against :math:`C(\Phi)` for deep and shallow networks.
- :class:`ProductPanel`: the error surface of the multiplication network and a polynomial built
  from multipliers.
- :class:`SmoothPanel`: rates for :math:`C^s` targets in :math:`d = 1, 2`, the deep construction
  against shallow networks (a slow job, cached per :math:`(s, d)`).
- :class:`DepthPanel`: how wide a trained shallow network must be to match :math:`g_k` (trained
  on a button press, cached per settings).

The states compute through :mod:`course.yarotsky` and can be used without a browser.
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass, field

import ipywidgets as W
import numpy as np

from course.networks import Network, complexity, linear_pieces_1d
from course.yarotsky.constructions import (
    multiply,
    multiply_error_bound,
    polynomial,
    sawtooth,
    sawtooth_complexity,
)
from course.yarotsky.depth import DepthSeparation, depth_separation, shallow_width_needed
from course.yarotsky.smooth import SMOOTHNESS, X0, SmoothRates, smooth_rates
from course.yarotsky.smooth2d import SmoothRates2D, smooth_rates_2d
from course.yarotsky.squares import M_MAX, SquareCurve, SquareRates, square_curve, square_rates

from .drawing import GraphArtist
from .figures import new_figure
from .live import LiveState
from .panel import LivePanel
from .params import Choice, FloatRange, IntRange, param

__all__ = [
    "SawtoothState",
    "SawtoothPanel",
    "SquareState",
    "SquarePanel",
    "ProductState",
    "ProductPanel",
    "POLYNOMIALS",
    "SmoothState",
    "SmoothPanel",
    "DepthState",
    "DepthPanel",
]

S_MAX = 12  # sawtooth: 2^12 = 4096 pieces

try:  # ships with scikit-learn
    from threadpoolctl import ThreadpoolController

    _BLAS = ThreadpoolController()

    def _one_blas_thread():
        """One BLAS thread while a panel computes.

        The matrices here are tiny (width <= 16); OpenBLAS's two threads spin and wait on a
        loaded two-core machine: a (14641, 12) x (12, 12) product took 23 ms with two threads
        and 0.2 ms with one (measured while other kernels ran).
        """
        return _BLAS.limit(limits=1, user_api="blas")

except ImportError:  # pragma: no cover
    _one_blas_thread = contextlib.nullcontext


# ============================================================================ sawtooth
@dataclass(frozen=True)
class SawtoothResult:
    """:math:`g_s` as its exact linear pieces, read from the network's weights."""

    s: int
    network: Network = field(repr=False)
    breakpoints: np.ndarray = field(repr=False)  # t_0 = 0 < ... < t_P = 1
    values: np.ndarray = field(repr=False)  # g_s(t_i), through the matrices
    pieces: int
    depth: int
    complexity: int
    shallow_width: int  # width a one-hidden-layer network needs for g_s


@functools.lru_cache(maxsize=S_MAX)
def sawtooth_result(s: int) -> SawtoothResult:
    """Build :math:`g_s` and count its pieces exactly (remembered: the network never changes)."""
    net = sawtooth(s)
    bps, _, _ = linear_pieces_1d(net, 0.0, 1.0)
    return SawtoothResult(
        s=s,
        network=net,
        breakpoints=bps,
        values=net(bps)[:, 0],
        pieces=len(bps) - 1,
        depth=net.depth,
        complexity=complexity(net),
        shallow_width=shallow_width_needed(s),
    )


class SawtoothState(LiveState):
    r"""The sawtooth :math:`g_s = g \circ \cdots \circ g` (Telgarsky 2016, Yarotsky 2017)."""

    s = param(IntRange(default=3, min=1, max=S_MAX, label="compositions $s$"))

    def compute(self, s):
        with _one_blas_thread():
            return sawtooth_result(s)


class SawtoothPanel(LivePanel):
    """The sawtooth :math:`g_s`, its pieces counted from the network, and the network drawn."""

    def __init__(self, **values):
        super().__init__(SawtoothState(compute_now=False, **values), title="The sawtooth g_s")
        fig, ax = new_figure(440, 330)
        (self._curve,) = ax.plot([], [], lw=1.2, color="C0", label="$g_s$ (network)")
        (self._kinks,) = ax.plot([], [], "o", ms=3, color="C3", label="breakpoints found")
        ax.set(xlim=(0, 1), ylim=(-0.05, 1.1), xlabel="$x$")
        ax.legend(loc="upper right", fontsize=8)
        graph, gax = new_figure(440, 330)
        self._graph = GraphArtist(gax)
        self.info = W.HTMLMath(layout=W.Layout(width="330px"))
        self.figures = {"sawtooth": fig, "network": graph}
        self.assemble(
            W.HBox([fig.canvas, graph.canvas]), left=W.VBox([self.control_box(), self.info])
        )
        self.start()

    def render(self, r: SawtoothResult):
        self._curve.set_data(r.breakpoints, r.values)
        shown = r.pieces <= 64  # markers only while they can be told apart
        self._kinks.set_data(r.breakpoints if shown else [], r.values if shown else [])
        self._curve.axes.set_title(
            f"$g_{{{r.s}}}$: {r.pieces} linear pieces counted from the weights"
        )
        self._graph.update(r.network)
        self.info.value = (
            f"linear pieces (counted): <b>{r.pieces}</b> = $2^{{{r.s}}}$<br>"
            f"teeth: $2^{{s-1}} = {r.pieces // 2}$<br>"
            f"depth $L = s + 1 = {r.depth}$, width 3<br>"
            f"$C(\\Phi) = 11s - 3 = {r.complexity}$<br>"
            f"a one-hidden-layer ReLU network needs width $\\ge$ <b>{r.shallow_width}</b> "
            f"(at most width + 1 pieces)"
        )


# ============================================================================ square
@dataclass(frozen=True)
class SquareResult:
    curve: SquareCurve
    rates: SquareRates = field(repr=False)


@functools.lru_cache(maxsize=1)
def _square_rates() -> SquareRates:
    return square_rates(M_MAX)


class SquareState(LiveState):
    r"""Yarotsky's square :math:`f_m(x) = x - \sum_{s \le m} g_s(x) / 4^s`."""

    m = param(IntRange(default=3, min=0, max=M_MAX, label="$m$ in $f_m$"))

    def compute(self, m):
        with _one_blas_thread():
            return SquareResult(square_curve(m), _square_rates())


class SquarePanel(LivePanel):
    """:math:`x^2` and :math:`f_m`, the error, and error against :math:`C(\\Phi)`."""

    def __init__(self, **values):
        super().__init__(SquareState(compute_now=False, **values), title="Yarotsky's square f_m")
        fig, (ax, eax) = new_figure(440, 460, nrows=2)
        (self._sq,) = ax.plot([], [], color="k", lw=1, label="$x^2$")
        (self._fm,) = ax.plot([], [], color="C0", lw=1.5, ls="--", label="$f_m$ (network)")
        ax.set(xlim=(0, 1), ylim=(-0.02, 1.02))
        ax.legend(loc="upper left", fontsize=8)
        (self._err,) = eax.plot([], [], color="C3", lw=1, label="$f_m(x) - x^2$")
        self._exact = eax.axhline(0.25, color="k", ls=":", label="$2^{-2m-2}$")
        eax.set(xlabel="$x$", ylabel="error", xlim=(0, 1))
        eax.legend(loc="upper right", fontsize=8)
        rates, rax = new_figure(470, 460)
        rax.set(
            xscale="log",
            yscale="log",
            xlabel=r"$C(\Phi)$ (nonzero weights)",
            ylabel=r"$\|x^2 - \Phi\|_\infty$",
        )
        (self._deep,) = rax.plot([], [], "o-", color="C0", ms=4, label="deep: $f_m$")
        (self._shallow,) = rax.plot([], [], "s-", color="C1", ms=4, label="shallow interpolant")
        (self._shallow_fit,) = rax.plot([], [], ":", color="C1")
        (self._deep_fit,) = rax.plot([], [], ":", color="C0")
        (self._now,) = rax.plot([], [], "o", ms=11, mfc="none", mec="C3", mew=2, label="this $m$")
        rax.legend(loc="lower left", fontsize=7)
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
        self._err.set_data(c.x, c.error)
        self._exact.set_ydata([c.exact_error, c.exact_error])
        self._err.axes.set_ylim(-0.05 * c.exact_error, 1.25 * c.exact_error)
        if not self._rates_drawn:
            self._deep.set_data(q.deep_complexity, q.deep_error)
            self._shallow.set_data(q.shallow_complexity, q.shallow_error)
            cs = np.array([q.shallow_fit.n_min, q.shallow_fit.n_max])
            self._shallow_fit.set_data(cs, q.shallow_fit(cs))
            self._shallow_fit.set_label(q.shallow_fit.label("C"))
            cd = np.array([q.deep_fit.n_min, q.deep_fit.n_max])
            self._deep_fit.set_data(cd, q.deep_fit(cd))
            self._deep_fit.set_label(q.deep_fit.label("C"))
            ax = self._deep.axes
            ax.set_xlim(0.7, 2 * q.deep_complexity.max())
            ax.set_ylim(0.3 * q.deep_error.min(), 0.5)
            ax.legend(loc="lower left", fontsize=7)
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


# ============================================================================ products
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
        with _one_blas_thread():
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


# ============================================================================ C^s rates
#: Dimensions the C^s panel offers: d -> (label, sweep).
DIMENSIONS = {1: ("d = 1", smooth_rates), 2: ("d = 2", smooth_rates_2d)}


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
    _cache: dict = {}

    def compute(self, s, d):
        hit = self._cache.get((s, d))
        if hit is not None:
            return hit
        return self._sweep(s, d)

    def _sweep(self, s, d):
        with _one_blas_thread():
            result = yield from DIMENSIONS[d][1](s)
        self._cache[(s, d)] = result
        return result


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


# ============================================================================ depth separation
class DepthState(LiveState):
    r"""Trained one-hidden-layer networks on :math:`g_k`, :math:`k = 1, \dots, k_{max}`: the
    smallest width reaching an RMS error ``tol``. Runs on the Train button; remembered per
    settings."""

    k_max = param(IntRange(default=5, min=1, max=6, label="largest $k$"))
    tol = param(FloatRange(default=0.05, min=0.01, max=0.2, step=0.01, label="RMS tolerance"))
    auto = False
    _cache: dict = {}

    def compute(self, k_max, tol):
        key = (k_max, round(tol, 6))
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        return self._train(key)

    def _train(self, key):
        k_max, tol = key
        with _one_blas_thread():
            result = yield from depth_separation(tuple(range(1, k_max + 1)), tol=tol)
        self._cache[key] = result
        return result

    def cached(self) -> bool:
        """Whether the current settings have been trained already."""
        return (self.k_max, round(self.tol, 6)) in self._cache


class DepthPanel(LivePanel):
    """Width a trained shallow network needs to match :math:`g_k`, against the depth-(k+1)
    network of width 3."""

    def __init__(self, **values):
        super().__init__(
            DepthState(compute_now=False, **values),
            title="Depth separation: shallow width needed for g_k",
            show_progress=True,
        )
        self.train_button = W.Button(description="Train", icon="play", button_style="success")
        self.train_button.on_click(lambda _: self.state.request())
        fig, ax = new_figure(440, 380)
        ax.set(yscale="log", xlabel="$k$", ylabel="width")
        ax.set_yscale("log", base=2)
        (self._trained,) = ax.plot([], [], "o-", color="C1", label="trained shallow: width needed")
        (self._bound,) = ax.plot(
            [], [], "s--", color="k", ms=4, label="exact representation: $2^k$"
        )
        (self._deep,) = ax.plot([], [], "^-", color="C0", label="deep: width 3, depth $k+1$")
        ax.legend(loc="upper left", fontsize=8)
        ffig, fax = new_figure(420, 380)
        (self._g,) = fax.plot([], [], color="k", lw=1, label="$g_k$")
        (self._fit,) = fax.plot([], [], color="C1", lw=1.2, label="trained shallow")
        fax.set(xlabel="$x$", xlim=(0, 1), ylim=(-0.2, 1.2))
        fax.legend(loc="upper right", fontsize=8)
        self.table = W.HTML()
        self.info = W.HTML(
            "Press <b>Train</b>: for each $k$, shallow networks of doubling width are trained "
            "until the RMS error reaches the tolerance (about 10 s; remembered)."
        )
        self.figures = {"widths": fig, "fit": ffig}
        left = W.VBox([self.control_box(), self.train_button, self.info])
        self.assemble(W.VBox([W.HBox([fig.canvas, ffig.canvas]), self.table]), left=left)
        self.start()

    def render(self, r: DepthSeparation):
        if r is None or len(r.ks) == 0:
            return
        ks = r.ks
        self._trained.set_data(ks, r.width_needed)
        self._bound.set_data(ks, r.bound)
        self._deep.set_data(ks, np.full(len(ks), 3))
        ax = self._trained.axes
        ax.set_xlim(0.5, max(ks) + 0.5)
        top = np.nanmax(np.concatenate([r.width_needed, r.bound.astype(float), [4.0]]))
        ax.set_ylim(1, 2 * top)
        ax.set_title(f"RMS error $\\leq$ {r.tol:g}")
        last = r.fits[-1]
        x = np.linspace(0.0, 1.0, 2049)
        self._g.set_data(x, sawtooth(last.k)(x)[:, 0])
        self._fit.set_data(x, last.network(x)[:, 0])
        self._fit.axes.set_title(
            f"$k = {last.k}$, width {last.width}: RMS {last.rms_error:.3f}, {last.pieces} pieces"
        )
        rows = "".join(
            f"<tr><td>{k}</td><td>{2**k}</td><td>{b}</td>"
            f"<td>{'—' if np.isnan(w) else int(w)}</td><td>{e:.3f}</td>"
            f"<td>{sawtooth_complexity(int(k))}</td>"
            f"<td>{'—' if np.isnan(c) else int(c)}</td></tr>"
            for k, b, w, e, c in zip(
                ks, r.bound, r.width_needed, r.error_at_width, r.shallow_complexity
            )
        )
        self.table.value = (
            "<table style='border-collapse:collapse' cellpadding='4'>"
            "<tr><th>k</th><th>pieces of g_k</th><th>width for exact g_k</th>"
            "<th>trained width needed</th><th>its RMS error</th><th>C deep</th>"
            "<th>C shallow</th></tr>" + rows + "</table>"
        )
