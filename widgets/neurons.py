r"""Lecture 01, neurons and activations: three panels.

- :class:`NeuronPanel`: one neuron :math:`x \mapsto \rho(\langle x, w\rangle - b)` on the plane.
- :class:`BuilderPanel`: a random network :math:`\Phi` of chosen depth, width, activation and
  sparsity; its graph, its complexity :math:`C(\Phi)` and, for piecewise-linear activations, its
  linear regions.
- :class:`TrainingPanel`: the learning set-up, live: SGD on 2D data with play, pause, step, reset.

Each panel is a :class:`widgets.panel.LivePanel` over a state in this module; the states compute
through :mod:`course` and can be used without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as W
import numpy as np
from traitlets import Bool, link

from course.activations import ACTIVATIONS, get_activation
from course.datasets import DATASETS, Dataset2D, make_dataset
from course.networks import Network, activation_patterns, complexity, random_network
from course.training import REGULARISERS, Trainer, TrainSnapshot

from .drawing import GraphArtist
from .figures import new_figure
from .live import LiveState
from .panel import LivePanel
from .params import Choice, FloatRange, IntRange, param

__all__ = [
    "NeuronState",
    "NeuronPanel",
    "BuilderState",
    "BuilderPanel",
    "TrainingState",
    "TrainingPanel",
]

ACTIVATION_CHOICE = {name: name.replace("_", " ") for name in ACTIVATIONS if name != "identity"}
_GRID = 101  # points per axis of the plane grids: fine enough to see kinks, fast to draw
_BOX = 2.0  # the neuron explorer shows [-2, 2]^2


def _grid(n, lo, hi):
    t = np.linspace(lo, hi, n)
    xx, yy = np.meshgrid(t, t)  # rows index x2, columns x1: image (row, col) = (x2, x1)
    return t, np.c_[xx.ravel(), yy.ravel()]


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
    width = param(IntRange(default=8, min=1, max=256, label="width $N_\\ell$"))
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
        phi.colorbar(self._phi, ax=ax, shrink=0.85)
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
        ax = self._regions.axes
        if r.regions is None:
            self._regions.set_data(np.full((2, 2), np.nan))
            ax.set_title(
                "no linear regions: $L = 1$, $\\Phi$ is affine"
                if r.network.depth == 1
                else f"no linear regions: {r.network.activation} is not piecewise linear"
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


# ============================================================================ training
@dataclass(frozen=True)
class TrainingResult:
    """Data, the current snapshot of training, and the predicted probability on a grid."""

    data: Dataset2D
    snapshot: TrainSnapshot
    axis: np.ndarray
    probability: np.ndarray  # sigma(Phi(x)) on the grid, shape (n, n)
    playing: bool


class TrainingState(LiveState):
    r"""The learning set-up: minimise the mean logistic loss :math:`+ \lambda R(W)` by SGD.

    Changing the data set, noise, architecture or seed starts afresh; changing the step size,
    batch size or penalty applies from the next step, also while training plays. ``playing``
    says whether :meth:`compute` trains on (a generator job) or just reports.
    """

    dataset = param(Choice(default="circles", options={k: k for k in DATASETS}, label="data"))
    noise = param(FloatRange(default=0.05, min=0.0, max=0.5, step=0.01, label="noise"))
    # the builder's specs, so that the two panels can be linked
    depth = param(BuilderState.param_specs()["depth"])
    width = param(BuilderState.param_specs()["width"])
    activation = param(BuilderState.param_specs()["activation"])
    lr = param(FloatRange(default=0.1, min=1e-3, max=1.0, log=True, label="step size $\\eta$"))
    batch_size = param(IntRange(default=16, min=1, max=128, label="batch size", advanced=True))
    reg = param(Choice(default="none", options=dict(REGULARISERS), label="penalty $R$"))
    lam = param(FloatRange(default=1e-3, min=1e-5, max=1e-1, log=True, label="$\\lambda$"))
    seed = param(IntRange(default=0, min=0, max=9999, label="seed", advanced=True))

    playing = Bool(False)
    _n_grid = 61

    def __init__(self, **kwargs):
        self._trainer = None
        self._key = None
        super().__init__(**kwargs)

    def compute(self, dataset, noise, depth, width, activation, lr, batch_size, reg, lam, seed):
        key = (dataset, noise, depth, width, activation, seed)
        if self._trainer is None or key != self._key:
            data = make_dataset(dataset, n_samples=200, noise=noise, seed=seed)
            widths = (2,) + (width,) * (depth - 1) + (1,)
            self._trainer = Trainer(
                data,
                widths,
                activation=activation,
                seed=seed,
                lr=lr,
                batch_size=batch_size,
                lam=lam,
                reg=reg,
            )
            self._key = key
        self._trainer.set_hyper(lr=lr, batch_size=batch_size, lam=lam, reg=reg)
        if self.playing:
            return self._play(self._trainer)
        return self._result(self._trainer.snapshot())

    def _play(self, trainer):
        for item in trainer.run():
            yield type(item)(item.fraction, self._result(item.partial))

    def _result(self, snap: TrainSnapshot) -> TrainingResult:
        axis, pts = _grid(self._n_grid, -1.5, 1.5)
        logits = snap.network(pts)[:, 0]
        prob = 0.5 * (1.0 + np.tanh(0.5 * logits))  # the logistic sigmoid, overflow-free
        return TrainingResult(
            self._trainer.data, snap, axis, prob.reshape(self._n_grid, self._n_grid), self.playing
        )

    # ------------------------------------------------------------------ actions
    def play(self):
        self.playing = True
        self.request()

    def cancel(self):
        """Stop training at its next step (the stop button pauses)."""
        self.playing = False
        super().cancel()

    def pause(self):
        self.cancel()
        self.request()  # show the final snapshot

    def step(self, n: int = 10):
        """Take ``n`` SGD steps (pauses first)."""
        self.cancel()
        self.run(self._steps, n)

    def _steps(self, n):
        self.compute(**self.params())  # make sure the trainer matches the parameters
        self._trainer.sgd_steps(n)
        return self._result(self._trainer.snapshot())

    def reset(self):
        """Start afresh from the initial weights."""
        self.cancel()
        self.run(self._reset)

    def _reset(self):
        # on the worker thread, like every use of the trainer: no races with a running job
        self._trainer = None
        return self.compute(**self.params())


class TrainingPanel(LivePanel):
    """Training playground: data, decision boundary and loss curves while SGD runs.

    Parameters
    ----------
    architecture : BuilderPanel, optional
        Take depth, width and activation from this builder (linked both ways), as in the
        lecture: first choose the architecture, then learn its weights.
    """

    def __init__(self, architecture: BuilderPanel | None = None, **values):
        state = TrainingState(compute_now=False, **values)
        names = list(state.param_specs())
        if architecture is not None:
            for name in ("depth", "width", "activation"):
                names.remove(name)
        super().__init__(state, title="Training playground", controls=names)
        self._links = []
        if architecture is not None:
            b = architecture.state
            for name in ("depth", "width", "activation"):
                self._links.append(link((b, name), (state, name)))
        self.buttons = {
            "play": W.Button(description="Play", icon="play", button_style="success"),
            "pause": W.Button(description="Pause", icon="pause"),
            "step": W.Button(description="+10 steps", icon="step-forward"),
            "reset": W.Button(description="Reset", icon="undo"),
        }
        for b in self.buttons.values():
            b.layout = W.Layout(width="105px")
        self.buttons["play"].on_click(lambda _: self.state.play())
        self.buttons["pause"].on_click(lambda _: self.state.pause())
        self.buttons["step"].on_click(lambda _: self.state.step())
        self.buttons["reset"].on_click(lambda _: self.state.reset())

        boundary, ax = new_figure(420, 380)
        ext = (-1.5, 1.5, -1.5, 1.5)
        self._prob = ax.imshow(
            np.full((2, 2), 0.5),
            origin="lower",
            extent=ext,
            cmap="RdBu",
            vmin=0,
            vmax=1,
            alpha=0.45,
            interpolation="bilinear",
        )
        boundary.colorbar(self._prob, ax=ax, shrink=0.85, label="P(class 1)")
        self._contour = None
        kw = dict(
            c=np.empty(0), cmap="RdBu", vmin=0, vmax=1, edgecolors="black", linewidths=0.6, s=22
        )
        self._train = ax.scatter(np.empty(0), np.empty(0), marker="o", label="train", **kw)
        self._test = ax.scatter(np.empty(0), np.empty(0), marker="X", label="test", **kw)
        ax.set(
            xlim=ext[:2],
            ylim=ext[2:],
            xlabel=r"$x_1$",
            ylabel=r"$x_2$",
            aspect="equal",
            title="decision boundary $P = 1/2$",
        )
        ax.grid(False)
        ax.legend(loc="lower left", fontsize=8)
        loss, ax2 = new_figure(420, 380)
        (self._train_loss,) = ax2.semilogy([], [], label="train")
        (self._test_loss,) = ax2.semilogy([], [], label="test")
        ax2.set(xlabel="SGD step", ylabel="mean logistic loss (without penalty)", title="loss")
        ax2.legend(loc="upper right", fontsize=8)
        self.info = W.HTML()
        self.figures = {"boundary": boundary, "loss": loss}
        left = self.control_box(
            extra=[
                W.HBox([self.buttons["play"], self.buttons["pause"]]),
                W.HBox([self.buttons["step"], self.buttons["reset"]]),
                self.info,
            ]
        )
        self.assemble(W.HBox([boundary.canvas, loss.canvas]), left=left)
        self.start()

    def render(self, r: TrainingResult):
        s = r.snapshot
        ax = self._prob.axes
        self._prob.set_data(r.probability)
        if self._contour is not None:
            self._contour.remove()
            self._contour = None
        if r.probability.min() < 0.5 < r.probability.max():
            self._contour = ax.contour(
                r.axis, r.axis, r.probability, levels=[0.5], colors="black", linewidths=1.5
            )
        self._train.set_offsets(r.data.x_train)
        self._train.set_array(r.data.y_train)
        self._test.set_offsets(r.data.x_test)
        self._test.set_array(r.data.y_test)
        self._train_loss.set_data(s.steps, s.train_loss)
        self._test_loss.set_data(s.steps, s.test_loss)
        ax2 = self._train_loss.axes
        losses = np.r_[s.train_loss, s.test_loss]
        losses = losses[np.isfinite(losses) & (losses > 0)]
        if losses.size:
            ax2.set_ylim(max(1e-12, 0.5 * losses.min()), 1.5 * losses.max())
        ax2.set_xlim(0, max(10, int(s.steps[-1]) if len(s.steps) else 10))
        state = "training" if r.playing else "paused"
        self.info.value = (
            f"<b>{state}</b>, step {s.step}<br>accuracy: train {s.train_accuracy:.1%}, "
            f"test {s.test_accuracy:.1%}"
        )
