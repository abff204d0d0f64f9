r"""Lecture 04, the resolution study: the same cartoon at 128 to 1024 pixels a side, the
shearlet/wavelet error ratio against N at each size (a background job, cached for every student;
``./mathdl warm`` computes it before class)."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FormatStrFormatter, NullFormatter

from course.progress import relay
from course.sparse.resolution import SIZES, ResolutionStudy, resolution_study_steps

from ..figures import new_figure, notice
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, param
from ._common import sig3

#: How far the study goes: the largest image side, with its cost on an idle core.
UP_TO = {
    256: "256 (seconds)",
    512: "512 (half a minute)",
    1024: "1024 (minutes, 4 GB per kernel: warm it before class)",
}


class ResolutionState(LiveState):
    """The resolution study up to a side ``up_to``; runs on its button, results shared."""

    starts_on = "button"
    start_label = "Run study"
    cache_size = 3
    cache_shared = True  # the same for every student
    warm_button = True  # ./mathdl warm runs the study before class (widgets.cache.warm)

    #: 512 by default: on a class server every kernel that runs 1024 itself needs 4 GB, so that
    #: size is for a laptop or for ``./mathdl warm`` (which stores it for every student)
    up_to = param(Choice(default=512, options=UP_TO, label="sides up to"))

    def compute(self, up_to):
        sizes = tuple(s for s in SIZES if s <= up_to)
        return (yield from relay(resolution_study_steps(sizes)))


class ResolutionPanel(LivePanel):
    """Shearlet error over wavelet error against N, one curve per image side."""

    def __init__(self, **values):
        super().__init__(
            ResolutionState(compute_now=False, **values),
            title="Resolution study: the gap as the pixels get finer",
            show_progress=True,
        )
        fig, (a1, a2) = new_figure(880, 400, ncols=2)
        colors = ("tab:orange", "tab:green", "tab:purple", "black")
        self._ratio = {}
        for side, color in zip(SIZES, colors, strict=True):
            (self._ratio[side],) = a1.semilogx([], [], "o-", color=color, ms=4, label="_")
        a1.axhline(1.0, color="gray", lw=1)
        a1.set(xlabel="$N$ (real coefficients kept)", ylabel="shearlet error / wavelet error")
        (self._best,) = a2.semilogx([], [], "o-", color="tab:red", ms=5, base=2)
        a2.set(xlabel="image side (pixels)", ylabel="smallest ratio over $N$")
        a2.set_title("the shearlets' largest lead", fontsize=9)
        self._a1, self._a2 = a1, a2
        self._empty = notice(a1, fontsize=10)
        a1.set_yscale("log")
        a1.yaxis.set_major_formatter(FormatStrFormatter("%g"))
        a1.yaxis.set_minor_formatter(NullFormatter())
        self._frame(SIZES)
        self.figures = {"resolution": fig}
        self.assemble(fig.canvas)
        self.start()

    def _frame(self, sides):
        """Axes limits for the sides of a study (before any result: the planned ones)."""
        a2 = self._a2
        a2.set_xlim(min(sides) / 1.4, max(sides) * 1.4)
        a2.set_xticks(list(sides), [str(s) for s in sides])
        a2.minorticks_off()
        self._a1.set_xlim(40, 4000)

    def render_not_computed(self):
        for line in self._ratio.values():
            line.set_data([], [])
            line.set_label("_")
        self._best.set_data([], [])
        self._frame(SIZES[: list(UP_TO).index(self.state.up_to) + 2])
        self._a1.set_title("not computed yet", fontsize=9)
        self._empty.set_text("press Run study\n(./mathdl warm runs it before class)")
        self._a1.set_ylim(0.7, 3.0)
        self._a1.set_yticks([0.7, 1, 1.5, 2, 3])
        self._a2.set_ylim(0.6, 1.1)
        if self._a1.get_legend() is not None:
            self._a1.get_legend().remove()

    def render(self, r: ResolutionStudy):
        for i, side in enumerate(r.sizes):
            line = self._ratio[side]
            line.set_data(r.n_terms, r.ratio[i])
            line.set_label(f"${side}^2$: best {sig3(r.best_ratio[i])}")
        for side in SIZES[len(r.sizes) :]:
            self._ratio[side].set_data([], [])
            self._ratio[side].set_label("_")
        self._best.set_data(r.sizes, r.best_ratio)
        a1, a2 = self._a1, self._a2
        ratios = r.ratio[np.isfinite(r.ratio)]
        a1.set_xlim(r.n_terms.min() * 0.8, r.n_terms.max() * 1.25)
        a1.set_ylim(min(ratios.min(), 1.0) * 0.9, max(ratios.max(), 1.0) * 1.1)
        a1.set_yticks(
            [
                t
                for t in (0.6, 0.7, 0.8, 0.9, 1, 1.5, 2, 3, 5, 10, 20, 50)
                if a1.get_ylim()[0] <= t <= a1.get_ylim()[1]
            ]
        )
        a1.set_title(
            "below 1: the shearlets win (iterative hard thresholding);\n"
            "wavelets db4, both down to an 8 $\\times$ 8 coarse grid",
            fontsize=9,
        )
        self._empty.set_text("")
        self._frame(r.planned)
        best = r.best_ratio
        a2.set_ylim(best.min() - 0.05, best.max() + 0.05)
        if a1.get_legend() is not None:
            a1.get_legend().remove()
        a1.legend(loc="upper left", fontsize=8)
