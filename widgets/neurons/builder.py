r"""Lecture 01, panel 2: a random network :math:`\Phi` of chosen depth, width, activation and
sparsity; its graph, its complexity :math:`C(\Phi)` and its linear regions."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from course.activations import get_activation
from course.networks import Network, activation_patterns, complexity, random_network

from ..drawing import GraphArtist
from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, FloatRange, IntRange, param
from ._common import _GRID, ACTIVATION_CHOICE, WIDTHS, _grid


# ============================================================================ network builder
@dataclass(frozen=True)
class BuilderResult:
    """A random network and what the panel shows of it."""

    network: Network
    axis: np.ndarray
    values: np.ndarray  # Phi on the grid, shape (n, n)
    regions: np.ndarray | None  # activation-pattern label per grid point, or None
    n_regions: int | None
    n_params: int
    complexity: int


class BuilderState(LiveState):
    r"""A random network :math:`\Phi: \mathbb{R}^2 \to \mathbb{R}` with
    :math:`L` affine maps, :math:`L-1` hidden layers of equal width, He-scaled Gaussian weights
    and a fraction of them set to zero (sparse connectivity)."""

    depth = param(IntRange(default=3, min=1, max=10, label="depth $L$"))
    width = param(Choice(default=8, options=WIDTHS, slider=True, label="width $N_\\ell$"))
    activation = param(Choice(default="relu", options=ACTIVATION_CHOICE, label="activation"))
    sparsity = param(FloatRange(default=0.0, min=0.0, max=0.95, step=0.05, label="sparsity"))
    seed = param(IntRange(default=0, min=0, max=9999, label="seed", advanced=True))

    def compute(self, depth, width, activation, sparsity, seed):
        widths = (2,) + (width,) * (depth - 1) + (1,)
        net = random_network(widths, activation=activation, sparsity=sparsity, seed=seed)
        axis, pts = _grid(_GRID, -1.0, 1.0)
        values = net(pts)[:, 0].reshape(_GRID, _GRID)
        regions = n_regions = None
        if get_activation(activation).piecewise_linear and depth > 1:
            labels = activation_patterns(net, pts)
            n_regions = int(labels.max()) + 1
            regions = labels.reshape(_GRID, _GRID)
        return BuilderResult(net, axis, values, regions, n_regions, net.n_params, complexity(net))


def _region_colours(labels: np.ndarray) -> np.ndarray:
    """Spread consecutive labels over [0, 1) so that neighbouring regions get distinct colours."""
    return (labels * 0.6180339887) % 1.0


class BuilderPanel(LivePanel):
    """Network builder: Phi on [-1, 1]^2, its linear regions, its graph and complexity."""

    def __init__(self, **values):
        super().__init__(BuilderState(compute_now=False, **values), title="Network builder")
        ext = (-1, 1, -1, 1)
        phi, ax = new_figure(360, 320)
        self._phi = ax.imshow(
            np.zeros((2, 2)), origin="lower", extent=ext, cmap="RdBu_r", interpolation="nearest"
        )
        self._phi_bar = phi.colorbar(self._phi, ax=ax, shrink=0.85)
        ax.set(xlabel=r"$x_1$", ylabel=r"$x_2$", title=r"$\Phi$ on $[-1,1]^2$")
        ax.grid(False)
        regions, ax2 = new_figure(320, 320)
        self._regions = ax2.imshow(
            np.zeros((2, 2)),
            origin="lower",
            extent=ext,
            cmap="turbo",
            vmin=0,
            vmax=1,
            interpolation="nearest",
        )
        self._regions._mathdl_no_colorbar = True  # colour tells regions apart, it is no value
        ax2.set(xlabel=r"$x_1$", ylabel=r"$x_2$", title="linear regions")
        ax2.grid(False)
        graph, ax3 = new_figure(520, 320)
        self._graph = GraphArtist(ax3)
        self.info = W.HTMLMath(layout=W.Layout(width="320px"))
        self.figures = {"phi": phi, "regions": regions, "graph": graph}
        self.assemble(
            W.VBox([W.HBox([phi.canvas, regions.canvas]), W.HBox([graph.canvas, self.info])])
        )
        self.start()

    def render(self, r: BuilderResult):
        self._phi.set_data(r.values)
        m = float(np.max(np.abs(r.values))) or 1.0
        self._phi.set_clim(-m, m)
        # ticks fixed by the data, not by the axis length: the layout of the first draw then
        # makes room for the labels that are drawn (a locator's labels change with the length)
        ticks = np.linspace(-m, m, 5)
        self._phi_bar.set_ticks(ticks, labels=[f"{v:.2g}".replace("-", "\u2212") for v in ticks])
        ax = self._regions.axes
        if r.regions is None:
            self._regions.set_data(np.full((2, 2), np.nan))
            ax.set_title(
                "no linear regions:\n$L = 1$, $\\Phi$ is affine"
                if r.network.depth == 1
                else "no linear regions:\n"
                f"{ACTIVATION_CHOICE[r.network.activation]} is not piecewise linear"
            )
        else:
            self._regions.set_data(_region_colours(r.regions))
            ax.set_title(f"at least {r.n_regions} linear regions\n(patterns seen on the grid)")
        self._graph.update(r.network)
        widths = ", ".join(str(w) for w in r.network.widths)
        self.info.value = (
            f"<b>L</b> = {r.network.depth} affine maps, widths ({widths})<br>"
            f"parameters: {r.n_params}<br>"
            f"complexity $C(\\Phi) = \\sum_\\ell \\|W^{{(\\ell)}}\\|_0 + "
            f"\\|b^{{(\\ell)}}\\|_0 = {r.complexity}$"
        )
