r"""Lecture 01, panel 1: one neuron :math:`x \mapsto \rho(\langle x, w\rangle - b)` on the plane."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from course.activations import get_activation

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, FloatRange, param
from ._common import _BOX, _GRID, ACTIVATION_CHOICE, _grid


# ============================================================================ neuron explorer
@dataclass(frozen=True)
class NeuronResult:
    """The neuron on a grid of the plane and along the direction of w."""

    axis: np.ndarray  # grid coordinates, shape (n,)
    values: np.ndarray  # rho(<x, w> - b) on the grid, shape (n, n), rows = x2
    t: np.ndarray  # positions along w / |w|
    profile: np.ndarray  # rho(t |w| - b)
    line: np.ndarray  # two points of the line <x, w> = b, shape (2, 2); NaN if w = 0
    w: np.ndarray
    b: float


class NeuronState(LiveState):
    r"""One artificial neuron :math:`f(x) = \rho(\langle x, w\rangle - b)`, :math:`x \in \mathbb{R}^2`.

    McCulloch and Pitts (1943) used the Heaviside step for :math:`\rho`; the neuron then
    separates the plane by the line :math:`\langle x, w\rangle = b`.
    """

    w1 = param(FloatRange(default=1.0, min=-3.0, max=3.0, step=0.05, label="$w_1$"))
    w2 = param(FloatRange(default=0.5, min=-3.0, max=3.0, step=0.05, label="$w_2$"))
    b = param(FloatRange(default=0.5, min=-3.0, max=3.0, step=0.05, label="$b$"))
    activation = param(Choice(default="relu", options=ACTIVATION_CHOICE, label="activation"))

    def compute(self, w1, w2, b, activation):
        rho = get_activation(activation)
        axis, pts = _grid(_GRID, -_BOX, _BOX)
        w = np.array([w1, w2])
        values = rho(pts @ w - b).reshape(_GRID, _GRID)
        norm = float(np.hypot(w1, w2))
        t = np.linspace(-_BOX, _BOX, 201)
        profile = rho(t * norm - b)
        if norm > 0:
            foot = b * w / norm**2  # the point of the line closest to 0
            along = np.array([-w2, w1]) / norm
            line = np.array([foot - 4 * _BOX * along, foot + 4 * _BOX * along])
        else:
            line = np.full((2, 2), np.nan)
        return NeuronResult(axis, values, t, profile, line, w, float(b))


class NeuronPanel(LivePanel):
    """Neuron explorer: the output over the plane, the separating line, a cross-section."""

    def __init__(self, **values):
        super().__init__(NeuronState(compute_now=False, **values), title="Neuron explorer")
        plane, ax = new_figure(430, 380)
        self._im = ax.imshow(
            np.zeros((2, 2)),
            origin="lower",
            extent=(-_BOX, _BOX, -_BOX, _BOX),
            cmap="viridis",
            aspect="equal",
            interpolation="nearest",
        )
        plane.colorbar(self._im, ax=ax, shrink=0.85)
        (self._line,) = ax.plot([], [], "w--", lw=2, label=r"$\langle x,w\rangle=b$")
        self._arrow = ax.annotate(
            "", xy=(1, 0), xytext=(0, 0), arrowprops=dict(arrowstyle="-|>", color="red", lw=2.5)
        )
        ax.set(
            xlim=(-_BOX, _BOX),
            ylim=(-_BOX, _BOX),
            xlabel=r"$x_1$",
            ylabel=r"$x_2$",
            title=r"$\rho(\langle x,w\rangle-b)$ on $[-2,2]^2$ (arrow: $w$)",
        )
        ax.grid(False)
        ax.legend(loc="lower left", fontsize=8, framealpha=0.7)
        section, ax2 = new_figure(400, 380)
        (self._profile,) = ax2.plot([], [], lw=2.5, color="C0")
        self._threshold = ax2.axvline(0.0, color="gray", ls=":", label=r"$t=b/|w|$")
        ax2.set(
            xlabel=r"$t$   (the point $x = t\,w/|w|$)",
            ylabel=r"$\rho(t\,|w|-b)$",
            xlim=(-_BOX, _BOX),
        )
        ax2.legend(loc="upper left", fontsize=8)
        self.figures = {"plane": plane, "section": section}
        self.assemble(W.HBox([plane.canvas, section.canvas]))
        self.start()

    def render(self, r: NeuronResult):
        norm = float(np.hypot(*r.w))
        self._im.set_data(r.values)
        lo, hi = float(r.values.min()), float(r.values.max())
        self._im.set_clim(lo, hi if hi > lo else lo + 1e-9)
        self._line.set_data(r.line[:, 0], r.line[:, 1])
        self._arrow.xy = (r.w[0], r.w[1]) if norm > 0 else (1e-9, 0.0)
        self._profile.set_data(r.t, r.profile)
        ax = self._profile.axes
        plo, phi = float(r.profile.min()), float(r.profile.max())
        pad = 0.05 * (phi - plo) if phi > plo else 0.5
        ax.set_ylim(plo - pad, phi + pad)
        thr = r.b / norm if norm > 0 else np.nan
        self._threshold.set_xdata([thr, thr])
        ax.set_title(
            f"along $w$: threshold $t = b/|w| = {thr:.2f}$"
            if norm > 0
            else r"$w = 0$: the neuron is the constant $\rho(-b)$"
        )
