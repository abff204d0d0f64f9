"""Lecture 03, panel 5: depth separation, how wide a shallow network must be to match g_k."""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from course.yarotsky.constructions import (
    sawtooth,
    sawtooth_complexity,
)
from course.yarotsky.depth import DepthSeparation, depth_separation_steps

from ..figures import new_figure, notice
from ..live import TrainOnButton
from ..panel import LivePanel
from ..params import FloatRange, IntRange, param
from ._common import legend_below


class DepthState(TrainOnButton):
    r"""Trained one-hidden-layer networks on :math:`g_k`, :math:`k = 1, \dots, k_{max}`: the
    smallest width reaching an RMS error ``tol``. Runs on the Train button; remembered per
    settings."""

    k_max = param(IntRange(default=5, min=1, max=6, label="largest $k$"))
    tol = param(FloatRange(default=0.05, min=0.01, max=0.2, step=0.01, label="RMS tolerance"))

    def compute(self, k_max, tol):
        return (yield from depth_separation_steps(tuple(range(1, k_max + 1)), tol=tol))


class DepthPanel(LivePanel):
    """Width a trained shallow network needs to match :math:`g_k`, against the depth-(k+1)
    network of width 3."""

    def __init__(self, **values):
        super().__init__(
            DepthState(compute_now=False, **values),
            title="Depth separation: the shallow width needed for gₖ",
            show_progress=True,
        )
        fig, ax = new_figure(440, 380)
        ax.set(yscale="log", xlabel="$k$", ylabel="width")
        ax.set_yscale("log", base=2)
        (self._trained,) = ax.plot([], [], "o-", color="C1", label="trained shallow: width needed")
        (self._bound,) = ax.plot(
            [], [], "s--", color="k", ms=4, label="exact representation: $2^k$"
        )
        (self._deep,) = ax.plot([], [], "^-", color="C0", label="deep: width 3, depth $k+1$")
        legend_below(ax, ncol=1)
        self._message = notice(ax, loc="upper left", fontsize=8.5)
        ffig, fax = new_figure(420, 380)
        (self._g,) = fax.plot([], [], color="k", lw=1, label="$g_k$")
        (self._fit,) = fax.plot([], [], color="C1", lw=1.2, label="trained shallow")
        fax.set(xlabel="$x$", xlim=(0, 1), ylim=(-0.2, 1.2))
        legend_below(fax)
        self.table = W.HTMLMath()
        self.info = W.HTMLMath(
            "Press <b>Train</b>: for each $k$, shallow networks of doubling width are trained "
            "until the RMS error reaches the tolerance (about 10 s; remembered).",
            layout=W.Layout(width="330px"),
        )
        self.figures = {"widths": fig, "fit": ffig}
        left = self.control_box(extra=[self.info])
        self.assemble(W.VBox([W.HBox([fig.canvas, ffig.canvas]), self.table]), left=left)
        self.start()

    def render_not_computed(self):
        """Before training: what is known without it (the exact width 2^k, the deep width 3 and
        g_k itself), and in the axes what Train will add."""
        k_max, tol = self.state.k_max, self.state.tol
        ks = np.arange(1, k_max + 1)
        self._trained.set_data([], [])
        self._fit.set_data([], [])
        self._show_known(ks)
        self._message.set_text(
            f"not trained yet: press Train to find, for $k = 1, \\dots, {k_max}$,\n"
            f"the smallest trained width with RMS error $\\leq {tol:g}$"
        )
        self._message.set_visible(True)
        self._trained.axes.set_title("exact width $2^k$ and deep width 3")
        self._fit.axes.set_title(f"$g_{{{k_max}}}$; the trained fit appears here")
        self.table.value = ""

    def _show_known(self, ks):
        ks = np.asarray(ks)
        self._bound.set_data(ks, 2.0**ks)
        self._deep.set_data(ks, np.full(len(ks), 3))
        ax = self._trained.axes
        ax.set_xlim(0.5, max(ks) + 0.5)
        ax.set_xticks(ks)
        ax.set_ylim(1, 4 * 2.0 ** max(ks))
        x = np.linspace(0.0, 1.0, 2049)
        self._g.set_data(x, sawtooth(int(ks[-1]))(x)[:, 0])

    def render(self, r: DepthSeparation):
        if len(r.ks) == 0:
            return
        ks = r.ks
        self._message.set_visible(False)
        self._show_known(np.arange(1, self.state.k_max + 1))
        self._trained.set_data(ks, r.width_needed)
        ax = self._trained.axes
        top = np.nanmax(np.concatenate([r.width_needed, r.bound.astype(float), [4.0]]))
        ax.set_ylim(1, max(4 * 2.0**self.state.k_max, 2 * top))
        ax.set_title(f"RMS error $\\leq {r.tol:g}$")
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
            "<tr><th>$k$</th><th>pieces of $g_k$</th><th>width for exact $g_k$</th>"
            "<th>trained width needed</th><th>its RMS error</th><th>$C$ deep</th>"
            "<th>$C$ shallow</th></tr>" + rows + "</table>"
        )
