"""Plot helpers shared by the lecture panels (plotly figures built once, updated in place)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from course.networks import Network

__all__ = ["NetworkGraph", "network_graph", "graph_figure", "update_graph_figure", "figure"]

FIG_MARGIN = dict(l=55, r=15, t=40, b=45)


def figure(*, title="", xaxis="", yaxis="", width=430, height=360, **layout) -> go.FigureWidget:
    """An empty ``FigureWidget`` with the course's layout defaults (labels, margins, template)."""
    fig = go.FigureWidget()
    fig.update_layout(
        title=dict(text=title, font=dict(size=14)),
        width=width,
        height=height,
        margin=FIG_MARGIN,
        template="plotly_white",
        xaxis_title=xaxis,
        yaxis_title=yaxis,
        **layout,
    )
    return fig


@dataclass(frozen=True)
class NetworkGraph:
    """Node positions and edge segments of a drawn network.

    Edges are line segments separated by NaN (one plotly trace per sign of the weight).
    ``hidden`` counts neurons left out per layer when a layer is wider than ``max_nodes``.
    """

    node_x: np.ndarray
    node_y: np.ndarray
    pos_x: np.ndarray
    pos_y: np.ndarray
    neg_x: np.ndarray
    neg_y: np.ndarray
    n_edges_drawn: int
    n_edges: int
    hidden: tuple[int, ...]


def _positions(n_shown):
    if n_shown == 1:
        return np.array([0.0])
    return np.linspace(-1.0, 1.0, n_shown)


def network_graph(net: Network, *, max_nodes: int = 16) -> NetworkGraph:
    """Lay out a network left to right, an edge per nonzero weight.

    Layers wider than ``max_nodes`` show their first ``max_nodes`` neurons only; the edges
    between shown neurons are drawn and the rest counted, so the picture stays readable.
    """
    widths = net.widths
    shown = [min(w, max_nodes) for w in widths]
    ys = [_positions(s) for s in shown]
    node_x = np.concatenate([np.full(s, float(l)) for l, s in enumerate(shown)])
    node_y = np.concatenate(ys)
    seg = {True: ([], []), False: ([], [])}
    drawn = 0
    for l, w in enumerate(net.weights):
        sub = w[: shown[l + 1], : shown[l]]
        rows, cols = np.nonzero(sub)
        drawn += rows.size
        for positive in (True, False):
            mask = (sub[rows, cols] > 0) == positive
            r, c = rows[mask], cols[mask]
            k = r.size
            xs = np.empty(3 * k)
            yv = np.empty(3 * k)
            xs[0::3], xs[1::3], xs[2::3] = l, l + 1, np.nan
            yv[0::3], yv[1::3], yv[2::3] = ys[l][c], ys[l + 1][r], np.nan
            seg[positive][0].append(xs)
            seg[positive][1].append(yv)

    def cat(parts):
        return np.concatenate(parts) if parts else np.empty(0)

    return NetworkGraph(
        node_x,
        node_y,
        cat(seg[True][0]),
        cat(seg[True][1]),
        cat(seg[False][0]),
        cat(seg[False][1]),
        drawn,
        int(sum(np.count_nonzero(w) for w in net.weights)),
        tuple(w - s for w, s in zip(widths, shown)),
    )


def graph_figure(**kwargs) -> go.FigureWidget:
    """A figure with the three traces that :func:`update_graph_figure` fills."""
    fig = figure(**kwargs)
    fig.add_scatter(x=[], y=[], mode="lines", line=dict(color="#1f77b4", width=1),
                    opacity=0.5, name="w > 0", hoverinfo="skip")
    fig.add_scatter(x=[], y=[], mode="lines", line=dict(color="#d62728", width=1),
                    opacity=0.5, name="w < 0", hoverinfo="skip")
    fig.add_scatter(x=[], y=[], mode="markers", marker=dict(size=7, color="#333"),
                    name="neurons", hoverinfo="skip")
    fig.update_layout(
        xaxis=dict(showgrid=False, zeroline=False, title="layer"),
        yaxis=dict(showgrid=False, zeroline=False, showticklabels=False),
        legend=dict(orientation="h", y=-0.15),
    )
    return fig


def update_graph_figure(fig: go.FigureWidget, net: Network, *, max_nodes: int = 16) -> NetworkGraph:
    """Draw ``net`` into a figure made by :func:`graph_figure`; returns the layout drawn."""
    g = network_graph(net, max_nodes=max_nodes)
    notes = [
        dict(x=l, y=1.12, text=f"+{h}", showarrow=False, font=dict(size=10, color="#666"))
        for l, h in enumerate(g.hidden)
        if h > 0
    ]
    summary = f"{g.n_edges} nonzero weights"
    if g.n_edges_drawn < g.n_edges:
        summary += f" ({g.n_edges_drawn} drawn; layers cut at {max_nodes} neurons)"
    with fig.batch_update():
        fig.data[0].x, fig.data[0].y = g.pos_x, g.pos_y
        fig.data[1].x, fig.data[1].y = g.neg_x, g.neg_y
        fig.data[2].x, fig.data[2].y = g.node_x, g.node_y
        fig.layout.annotations = notes
        fig.layout.title.text = f"architecture: {summary}"
        fig.layout.xaxis.tickvals = list(range(len(net.widths)))
        fig.layout.xaxis.ticktext = [
            "input" if l == 0 else ("output" if l == len(net.widths) - 1 else f"{l}")
            for l in range(len(net.widths))
        ]
    return g
