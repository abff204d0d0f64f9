r"""Lecture 04, panel 1: the cartoon-like image :math:`f_0 + f_1\chi_B` and its edge."""

from __future__ import annotations

import numpy as np

from course.sparse.cartoon import cartoon

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Flag, FloatRange, IntRange, param
from ._common import sig3


# ================================================================================= cartoon
class CartoonState(LiveState):
    """Parameters of the cartoon-like image (Donoho's class :math:`\\mathcal E^2`)."""

    cache_shared = True  # the same for every student: computed once per server

    modes = param(IntRange(default=6, min=2, max=12, label="modes $M$"))
    amplitude = param(FloatRange(default=0.25, min=0.0, max=0.5, step=0.01, label="amplitude $a$"))
    smoothness = param(FloatRange(default=1.5, min=0.0, max=3.0, step=0.1, label="mode decay $p$"))
    seed = param(IntRange(default=0, min=0, max=50, label="seed", advanced=True))
    supersample = param(IntRange(default=8, min=1, max=8, label="anti-aliasing"))
    show_edge = param(Flag(default=True, label="show edge"))

    def compute(self, modes, amplitude, smoothness, seed, supersample, show_edge):
        return cartoon(
            128,
            modes=modes,
            amplitude=amplitude,
            smoothness=smoothness,
            seed=seed,
            supersample=supersample,
        )


class CartoonPanel(LivePanel):
    """The cartoon :math:`f = f_0 + f_1\\chi_B`, its edge, and its curvature."""

    def __init__(self, **values):
        super().__init__(CartoonState(compute_now=False, **values), title="A cartoon-like image")
        fig, (ax, ax2) = new_figure(720, 340, ncols=2)
        self._im = ax.imshow(
            np.zeros((128, 128)), cmap="gray", vmin=0, vmax=1, interpolation="nearest"
        )
        (self._edge,) = ax.plot([], [], "r-", lw=1)
        ax.set(title="$f = f_0 + f_1\\chi_B$ (128 $\\times$ 128)", xticks=[], yticks=[])
        ax.grid(False)
        self._zoom = ax2.imshow(
            np.zeros((24, 24)), cmap="gray", vmin=0, vmax=1, interpolation="nearest"
        )
        ax2.set(title="zoom on the edge: pixel cell averages", xticks=[], yticks=[])
        ax2.grid(False)
        bar = fig.colorbar(self._im, ax=[ax, ax2], shrink=0.8)
        bar.set_label("grey value $f$")
        self._ax = ax
        self.figures = {"image": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, c):
        self._im.set_data(c.image)
        if self.state.show_edge:
            self._edge.set_data(c.edge[:, 1], c.edge[:, 0])
        else:
            self._edge.set_data([], [])
        # zoom: 24 x 24 pixels around the rightmost point of the edge
        i, j = np.clip(np.round(c.edge[np.argmax(c.edge[:, 1])]).astype(int), 12, 115)
        self._zoom.set_data(c.image[i - 12 : i + 12, j - 12 : j + 12])
        self._ax.set_title(
            f"$f_0 + f_1\\chi_B$: max curvature {sig3(c.max_curvature)}, seed {c.seed}"
        )
