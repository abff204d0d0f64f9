"""Lecture 02, panel 3: a bump and a disc on the unit square, a shallow ReLU network of width N,
and the errors against N in d = 1 and d = 2."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from course.progress import Progress
from course.universal import (
    TARGETS_2D,
    Approximation2D,
    DimensionStudy,
    compare_dimensions,
    fit_2d,
    tex_number,
)
from course.universal.twod import MAX_WIDTH_2D

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, FloatRange, IntRange, param


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
    # log slider from 10^-3 to 10^-0.5 in exponent steps of 0.05: the default 10^-2 is a grid
    # point, so a browser shows 0.01, not the neighbour 0.00979
    eps = param(FloatRange(default=1e-2, min=1e-3, max=10**-0.5, log=True, label="$\\varepsilon$"))

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
        (self._one,) = ax2.loglog([], [], "o-", label="$d = 1$ (section)")
        (self._two,) = ax2.loglog([], [], "s-", label="$d = 2$")
        self._eps = ax2.axhline(1e-2, color="gray", ls=":", label=r"$\varepsilon$")
        self._now = ax2.axvline(64, color="#d62728", lw=1, label="current $N$")
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
        self._images[1].axes.set_title(rf"$\Phi$, $N = {ap.width}$")
        self._images[2].axes.set_title(rf"$|f-\Phi|$, sup ${tex_number(ap.sup_error)}$")
        ax2 = self.figures["dimensions"].axes[0]
        self._now.set_xdata([ap.width, ap.width])
        self._eps.set_ydata([r.eps, r.eps])
        text = (
            f"$N = {ap.width}$, $C(\\Phi) = {ap.complexity}$<br>"
            f"sup error ${tex_number(ap.sup_error)}$, RMS ${tex_number(ap.rms_error)}$"
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
                return "not reached up to 1000" if n is None else f"$N = {n}$"

            text += (
                f"<br>{r.metric} error $\\leq {tex_number(r.eps, 2)}$ first at<br>"
                f"&nbsp;$d = 1$: {fmt(n1)}<br>&nbsp;$d = 2$: {fmt(n2)}"
            )
            ax2.set_title(f"{r.metric} error against $N$ (least squares)", fontsize=10)
        self.info.value = text
