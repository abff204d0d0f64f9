"""Lecture 08, panels 4 and 5: the deep BSDE method for Allen-Cahn, and its cost against d."""

from __future__ import annotations

import numpy as np

from course.pdes import bsde as _bsde
from course.pdes.bsde import BSDEConfig, iter_deep_bsde
from course.pdes.cost import iter_cost_curve

from ..cache import computed_once
from ..figures import new_figure
from ..live import LiveState, TrainOnButton
from ..panel import LivePanel
from ..params import IntRange, param

__all__ = ["BSDEState", "BSDEPanel", "CostState", "CostPanel", "allen_cahn_reference_1d"]

_YEAR = 3.15e7


@computed_once
def allen_cahn_reference_1d() -> float:
    """:func:`course.pdes.bsde.allen_cahn_reference_1d` at its defaults (the value the lecture
    prints), computed once for the whole class."""
    return _bsde.allen_cahn_reference_1d()


class BSDEState(TrainOnButton):
    """Dimension, iterations and seed of a deep BSDE run (the paper's other settings)."""

    dim = param(IntRange(default=100, min=1, max=100, label="dimension $d$"))
    iterations = param(IntRange(default=4000, min=100, max=4000, step=100, label="iterations"))
    seed = param(IntRange(default=0, min=0, max=99, label="seed"))

    max_rate = 4.0

    def compute(self, dim, iterations, seed):
        return iter_deep_bsde(BSDEConfig(dim=dim, iterations=iterations, seed=seed))


class BSDEPanel(LivePanel):
    """The estimate of u(0, 0) during training against the reference, and the loss."""

    def __init__(self, **values):
        super().__init__(
            BSDEState(compute_now=False, **values),
            title="Deep BSDE: the Allen–Cahn equation $u_t + \\Delta u + u - u^3 = 0$ in $d$ dimensions",
            show_progress=True,
        )
        fig, (yax, lax) = new_figure(900, 320, ncols=2)
        (self._y0,) = yax.plot([], [], color="C0", lw=1.6, label="estimate $Y_0$")
        self._ref = yax.axhline(np.nan, color="k", ls="--", lw=1.2, label="reference")
        self._band = yax.axhspan(0, 0, color="0.6", alpha=0.3, label="reference $\\pm$ 1%")
        yax.set(xlabel="iteration", ylabel="$u(0, 0)$", xlim=(0, 4000), ylim=(0, 0.7))
        yax.legend(fontsize=8, loc="best")  # the curve falls or rises: the freest corner
        (self._loss,) = lax.semilogy([], [], color="C2", lw=1.2)
        lax.set(
            xlabel="iteration",
            ylim=(1e-4, 1),
            title=r"loss $\mathbb{E}\,|Y_T - g(X_T)|^2$ (batch of 64)",
        )
        self.figures = {"bsde": fig}
        self.assemble(fig.canvas)
        self.start()

    def render_not_computed(self):
        self._y0.set_data([], [])
        self._loss.set_data([], [])
        self._ref.set_ydata([np.nan] * 2)
        self._band.set_visible(False)
        yax, lax = self.figures["bsde"].axes[:2]
        yax.set_xlim(0, self.state.iterations)
        lax.set_xlim(0, self.state.iterations)
        # two short lines: a long title reaches over the loss plot's tick labels
        yax.set_title(
            f"$d = {self.state.dim}$: not trained yet, press Train\n"
            "(at $d = 100$ it takes a few minutes)",
            fontsize=9,
        )

    def render(self, r):
        yax, lax = self.figures["bsde"].axes[:2]
        self._y0.set_data(r.iterations, r.y0)
        self._loss.set_data(r.iterations, r.loss)
        top = r.config.iterations
        yax.set_xlim(0, top)
        lax.set_xlim(0, top)
        pos = r.loss[r.loss > 0]
        if pos.size:
            lax.set_ylim(pos.min() / 2, pos.max() * 2)
        lo, hi = float(np.min(r.y0)), float(np.max(r.y0))
        if r.reference is not None:
            ref = r.reference
            self._ref.set_ydata([ref] * 2)
            self._band.set_visible(True)
            self._band.set_y(ref * 0.99)
            self._band.set_height(ref * 0.02)
            lo, hi = min(lo, ref), max(hi, ref)
            what = "finite differences" if r.dim == 1 else "Han, Jentzen, E (2018)"
            text = f"{r.estimate:.5f} vs {ref:.6f} ({what}): {100 * r.relative_error:.2f}% off"
        else:
            self._ref.set_ydata([np.nan] * 2)
            self._band.set_visible(False)
            text = f"{r.estimate:.5f} (no independent reference at this d)"
        yax.set_ylim(lo - 0.05 * (hi - lo + 0.01), hi + 0.05 * (hi - lo + 0.01))
        state = "done" if r.done else f"iteration {r.iterations[-1]}"
        yax.set_title(f"$d = {r.dim}$, {state}, {r.seconds[-1]:.0f} s\n$Y_0$ = {text}", fontsize=9)


class CostState(LiveState):
    """Grid points per axis of the grid method; ``compute`` measures both costs."""

    n = param(IntRange(default=32, min=8, max=64, step=8, label="grid points per axis"))

    starts_on = "button"
    start_label = "Measure"
    cache_size = 4
    cache_shared = True

    def compute(self, n):
        return iter_cost_curve(n=n)


class CostPanel(LivePanel):
    """Seconds for u(0, 0): the deep BSDE method against an explicit finite-difference grid."""

    def __init__(self, **values):
        super().__init__(
            CostState(compute_now=False, **values),
            title="The curse of dimensionality: cost against the dimension $d$",
            show_progress=True,
        )
        fig, ax = new_figure(640, 360)
        (self._net,) = ax.semilogy(
            [], [], "o-", color="C0", label="deep BSDE (4000 iterations, measured per iteration)"
        )
        (self._grid_m,) = ax.semilogy([], [], "s-", color="C3", label="grid: measured per step")
        (self._grid_x,) = ax.semilogy([], [], "--", color="C3", label=r"grid: $\propto n^d$")
        for seconds, text in (
            (3600, "1 hour"),
            (_YEAR, "1 year"),
            (4.35e17, "age of the universe"),
        ):
            ax.axhline(seconds, color="0.6", lw=0.8, ls=":")
            ax.text(100, seconds * 1.5, text, fontsize=7, ha="right", color="0.4")
        ax.set(
            xlabel="dimension $d$", ylabel="seconds for $u(0, 0)$", xlim=(0, 101), ylim=(1e-6, 1e30)
        )
        ax.legend(fontsize=7, loc="center right")
        self.figures = {"cost": fig}
        self.assemble(fig.canvas)
        self.start()

    def render_not_computed(self):
        for line in (self._net, self._grid_m, self._grid_x):
            line.set_data([], [])
        self.figures["cost"].axes[0].set_title("press Measure (about a minute)")

    def render(self, c):
        self._net.set_data(c.dims, c.network_seconds)
        m = c.grid_measured
        self._grid_m.set_data(c.grid_dims[m], c.grid_seconds[m])
        self._grid_x.set_data(c.grid_dims[~m], c.grid_seconds[~m])
        self.figures["cost"].axes[0].set_title(
            f"grid with {c.n} points per axis (explicit Euler); network: 4000 iterations"
        )
