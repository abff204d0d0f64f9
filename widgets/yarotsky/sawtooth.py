"""Lecture 03, panel 1: the sawtooth g_s, its pieces counted from the weights, its graph."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import ipywidgets as W
import numpy as np

from course.networks import Network, complexity, linear_pieces_1d
from course.yarotsky.constructions import (
    sawtooth,
)
from course.yarotsky.depth import shallow_width_needed

from ..drawing import GraphArtist
from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import IntRange, param
from ._common import S_MAX, legend_below


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
        return sawtooth_result(s)


class SawtoothPanel(LivePanel):
    """The sawtooth :math:`g_s`, its pieces counted from the network, and the network drawn."""

    def __init__(self, **values):
        super().__init__(SawtoothState(compute_now=False, **values), title="The sawtooth g\u209b")
        fig, ax = new_figure(440, 330)
        (self._curve,) = ax.plot([], [], lw=1.2, color="C0", label="$g_s$ (network)")
        (self._kinks,) = ax.plot([], [], "o", ms=3, color="C3", label="breakpoints found")
        ax.set(xlim=(0, 1), ylim=(-0.05, 1.1), xlabel="$x$")
        legend_below(ax)
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
