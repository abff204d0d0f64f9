"""Drawing a network as a graph: an edge per nonzero weight, readable up to a sensible size."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.collections import LineCollection

from course.networks import Network

__all__ = ["NetworkGraph", "network_graph", "GraphArtist"]


@dataclass(frozen=True)
class NetworkGraph:
    """Node positions and edge segments of a drawn network.

    ``segments`` has shape (E, 2, 2) (start and end point of each drawn edge), ``signs`` the sign
    of each drawn weight. ``hidden`` counts neurons left out per layer when a layer is wider than
    ``max_nodes``: the first ``max_nodes`` neurons of each layer and the edges between them are
    drawn, the rest counted.
    """

    node_x: np.ndarray
    node_y: np.ndarray
    segments: np.ndarray
    signs: np.ndarray
    n_edges: int
    hidden: tuple[int, ...]

    @property
    def n_edges_drawn(self) -> int:
        return len(self.segments)


def _positions(n_shown):
    return np.array([0.0]) if n_shown == 1 else np.linspace(-1.0, 1.0, n_shown)


def network_graph(net: Network, *, max_nodes: int = 16) -> NetworkGraph:
    """Lay out a network left to right, one edge per nonzero weight (see :class:`NetworkGraph`)."""
    widths = net.widths
    shown = [min(w, max_nodes) for w in widths]
    ys = [_positions(s) for s in shown]
    segs, signs = [], []
    for l, w in enumerate(net.weights):
        sub = w[: shown[l + 1], : shown[l]]
        rows, cols = np.nonzero(sub)
        seg = np.empty((rows.size, 2, 2))
        seg[:, 0, 0], seg[:, 0, 1] = l, ys[l][cols]
        seg[:, 1, 0], seg[:, 1, 1] = l + 1, ys[l + 1][rows]
        segs.append(seg)
        signs.append(np.sign(sub[rows, cols]))
    return NetworkGraph(
        node_x=np.concatenate([np.full(s, float(l)) for l, s in enumerate(shown)]),
        node_y=np.concatenate(ys),
        segments=np.concatenate(segs) if segs else np.empty((0, 2, 2)),
        signs=np.concatenate(signs) if signs else np.empty(0),
        n_edges=int(sum(np.count_nonzero(w) for w in net.weights)),
        hidden=tuple(w - s for w, s in zip(widths, shown)),
    )


class GraphArtist:
    """The artists of a network drawing on one Axes, updated in place by :meth:`update`."""

    def __init__(self, ax, *, max_nodes: int = 16):
        self.ax = ax
        self.max_nodes = max_nodes
        self.edges = LineCollection([], linewidths=0.8, alpha=0.55)
        ax.add_collection(self.edges)
        (self.nodes,) = ax.plot([], [], "o", color="#333333", markersize=4, zorder=3)
        self.notes = []
        ax.set_yticks([])
        ax.grid(False)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        self.graph: NetworkGraph | None = None

    def update(self, net: Network) -> NetworkGraph:
        g = network_graph(net, max_nodes=self.max_nodes)
        self.graph = g
        self.edges.set_segments(g.segments)
        self.edges.set_color(
            np.where(g.signs[:, None] > 0, [[0.12, 0.47, 0.71, 1.0]], [[0.84, 0.15, 0.16, 1.0]])
            if len(g.signs)
            else "k"
        )
        self.nodes.set_data(g.node_x, g.node_y)
        for t in self.notes:
            t.remove()
        self.notes = [
            self.ax.text(l, 1.12, f"+{h}", ha="center", fontsize=8, color="#666666")
            for l, h in enumerate(g.hidden)
            if h > 0
        ]
        n = len(net.widths)
        self.ax.set_xlim(-0.3, n - 0.7)
        self.ax.set_ylim(-1.2, 1.25)
        self.ax.set_xticks(range(n))
        self.ax.set_xticklabels(["in"] + [str(l) for l in range(1, n - 1)] + ["out"], fontsize=8)
        self.ax.set_xlabel("layer")
        title = f"graph: {g.n_edges} nonzero weights (blue > 0, red < 0)"
        if g.n_edges_drawn < g.n_edges:
            title += f"\n{g.n_edges_drawn} drawn: layers cut at {self.max_nodes} neurons"
        self.ax.set_title(title, fontsize=10)
        return g
