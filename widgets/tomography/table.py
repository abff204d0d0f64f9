r"""Lecture 06, panel 5: the table of errors over missing wedges, on held-out phantoms."""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from course.tomography.experiment import METHODS, load_error_table

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, param

METRIC_CHOICE = {"rel_l2": "relative error", "psnr": "PSNR (dB)", "ssim": "SSIM"}


@dataclass(frozen=True)
class TableResult:
    """The shipped table, the wedges, and ``values[method]`` of the chosen metric per wedge."""

    table: dict
    wedges: tuple
    metric: str
    values: dict


class TableState(LiveState):
    """The error table written by ``python -m course.tomography.train``; pick the metric."""

    metric = param(Choice(default="rel_l2", options=METRIC_CHOICE, label="metric"))
    cache_shared = True

    def compute(self, metric):
        table = load_error_table()
        wedges = tuple(sorted({r["missing_deg"] for r in table["rows"]}))
        values = {
            k: np.array(
                [
                    next(
                        r[metric]
                        for r in table["rows"]
                        if r["method"] == k and r["missing_deg"] == w
                    )
                    for w in wedges
                ]
            )
            for k in METHODS
        }
        return TableResult(table, wedges, metric, values)


def table_html(table: dict) -> str:
    """The table as HTML: methods down, wedges across, relative error / PSNR / SSIM per cell."""
    wedges = sorted({r["missing_deg"] for r in table["rows"]})
    head = "".join(f"<th>{w}° missing</th>" for w in wedges)
    body = ""
    for k, label in METHODS.items():
        cells = ""
        for w in wedges:
            r = next(r for r in table["rows"] if r["method"] == k and r["missing_deg"] == w)
            cells += f"<td>{r['rel_l2']:.3f} / {r['psnr']:.1f} dB / {r['ssim']:.3f}</td>"
        body += f"<tr><td>{html.escape(label)}</td>{cells}</tr>"
    return (
        "<table style='border-spacing:14px 2px'><tr><th>method</th>"
        f"{head}</tr>{body}</table><small>relative l2 error / PSNR / SSIM, mean over "
        f"{table['n_phantoms']} held-out phantoms, {100 * table['setup']['noise']:.0f}% noise, "
        f"{table['setup']['n']} x {table['setup']['n']}</small>"
    )


class TablePanel(LivePanel):
    """Bars of one metric per method and wedge, and the whole table."""

    def __init__(self, **values):
        super().__init__(
            TableState(compute_now=False, **values), title="Errors over missing wedges"
        )
        fig, ax = new_figure(760, 320)
        self._ax = ax
        self._bars = {}
        width = 0.16
        for i, (k, label) in enumerate(METHODS.items()):
            self._bars[k] = ax.bar(np.arange(3) + (i - 2) * width, np.zeros(3), width, label=label)
        ax.set_xticks(np.arange(3), ["30°", "60°", "90°"])
        ax.set_xlabel("missing wedge")
        ax.legend(fontsize=8, loc="upper left")
        self.table = W.HTML()
        self.figures = {"table": fig}
        self.assemble(W.VBox([fig.canvas, self.table]))
        self.start()

    def render(self, r: TableResult):
        top = 0.0
        for k, bars in self._bars.items():
            for bar, v in zip(bars, r.values[k]):
                bar.set_height(float(v))
                top = max(top, float(v))
        self._ax.set_xticks(np.arange(len(r.wedges)), [f"{w}°" for w in r.wedges])
        self._ax.set_ylim(0, 1.3 * top)
        better = "lower" if r.metric == "rel_l2" else "higher"
        self._ax.set_ylabel(METRIC_CHOICE[r.metric])
        self._ax.set_title(f"{METRIC_CHOICE[r.metric]} on held-out phantoms ({better} is better)")
        self.table.value = table_html(r.table)
