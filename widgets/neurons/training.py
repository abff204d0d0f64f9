"""Lecture 01, panel 3: the learning set-up, live: SGD on 2D data with play, pause, step, reset."""

from __future__ import annotations

import html
import time
from dataclasses import dataclass

import ipywidgets as W
import numpy as np
from matplotlib.ticker import EngFormatter
from traitlets import link

from course.activations import get_activation
from course.neurons.datasets import DATASETS, Dataset2D, make_dataset
from course.neurons.training import DIVERGENCE_FACTOR, REGULARISERS, Trainer, TrainSnapshot
from course.progress import Progress

from ..figures import new_figure
from ..live import Action, LiveState
from ..panel import LivePanel
from ..params import Choice, FloatRange, IntRange, param
from ._common import ACTIVATION_CHOICE, _grid
from .builder import BuilderPanel, BuilderState


# ============================================================================ training
@dataclass(frozen=True)
class TrainingResult:
    """Data, the current snapshot of training, and the predicted probability on a grid."""

    data: Dataset2D
    snapshot: TrainSnapshot
    axis: np.ndarray
    probability: np.ndarray  # sigma(Phi(x)) on the grid, shape (n, n)
    playing: bool
    warnings: tuple[str, ...] = ()  # why training cannot work, for the status line


#: Play shows a frame after every ``steps_per_frame`` SGD steps, at most ``max_rate`` (the
#: state's, 10) frames a second: the speed is the student's choice, not the machine's.
STEPS_PER_FRAME = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


def _architecture(widths, activation) -> str:
    """``$L = 3$, widths (2, 8, 8, 1), relu``: for a figure title (mathtext) and the status."""
    return f"$L = {len(widths) - 1}$, widths ({', '.join(map(str, widths))}), " + (
        ACTIVATION_CHOICE.get(activation, activation)
    )


class TrainingState(LiveState):
    r"""The learning set-up: minimise the mean logistic loss :math:`+ \lambda R(W)` by SGD.

    Changing the data set, noise, architecture or seed starts afresh; changing the step size,
    batch size or penalty applies from the next step, also while training plays (Play is an
    action that keeps running: a parameter change restarts it with the new values). Play
    shows a frame after every ``steps_per_frame`` steps and stops by itself once the loss has
    diverged (:data:`course.neurons.training.DIVERGENCE_FACTOR`).
    """

    dataset = param(Choice(default="circles", options={k: k for k in DATASETS}, label="data"))
    noise = param(FloatRange(default=0.05, min=0.0, max=0.5, step=0.01, label="noise"))
    # the builder's specs, so that the two panels can be linked
    depth = param(BuilderState.param_specs()["depth"])
    width = param(BuilderState.param_specs()["width"])
    activation = param(BuilderState.param_specs()["activation"])
    # up to 10: there the default network's loss rises past twice its start (it diverges)
    lr = param(FloatRange(default=0.1, min=1e-3, max=10.0, log=True, label="step size $\\eta$"))
    steps_per_frame = param(
        Choice(default=20, options=STEPS_PER_FRAME, slider=True, label="steps per frame")
    )
    batch_size = param(IntRange(default=16, min=1, max=128, label="batch size", advanced=True))
    reg = param(Choice(default="none", options=dict(REGULARISERS), label="penalty $R$"))
    lam = param(FloatRange(default=1e-3, min=1e-5, max=1e-1, log=True, label="$\\lambda$"))
    seed = param(IntRange(default=0, min=0, max=9999, label="seed", advanced=True))

    actions = {
        "play": Action("Play", "play", keeps_running=True),
        "pause": Action("Pause", "pause"),
        "step": Action("+10 steps", "step-forward"),
        "reset": Action("Reset", "undo"),
    }
    _n_grid = 61

    def __init__(self, **kwargs):
        self._trainer = None
        self._key = None
        super().__init__(**kwargs)

    def _trainer_for(
        self, dataset, noise, depth, width, activation, lr, batch_size, reg, lam, seed, **_
    ):
        """The trainer of these parameters (on the worker thread, like every use of it)."""
        key = (dataset, noise, depth, width, activation, seed)
        if self._trainer is None or key != self._key:  # new data, architecture or seed
            data = make_dataset(dataset, n_samples=200, noise=noise, seed=seed)
            widths = (2,) + (width,) * (depth - 1) + (1,)
            self._trainer = Trainer(data, widths, activation=activation, seed=seed)
            self._key = key
        # step size, batch size and penalty apply from the next step, to a new or a kept network
        self._trainer.set_hyper(lr=lr, batch_size=batch_size, lam=lam, reg=reg)
        return self._trainer

    def compute(self, **params):
        return self._result(self._trainer_for(**params).snapshot(), playing=False)

    def play_job(self, steps_per_frame, **params):
        """Train until stopped or diverged: ``steps_per_frame`` SGD steps, a frame, and so on,
        at most ``max_rate`` frames a second (the runner shows no more: every frame is seen)."""
        trainer = self._trainer_for(**params)
        interval = 1.02 / self.max_rate  # a little over the runner's minimum interval
        shown = -np.inf
        while trainer.diverged_at is None:
            trainer.sgd_steps(steps_per_frame)
            frame = self._result(trainer.snapshot(), playing=True)
            rest = shown + interval - time.monotonic()
            if rest > 0:
                time.sleep(rest)  # pacing what the class sees, not waiting for an event
            shown = time.monotonic()
            yield Progress(float("nan"), frame)
        return self._result(trainer.snapshot(), playing=False)

    def pause_job(self, **params):
        """Stop training (the newest request wins) and show the final snapshot."""
        return self.compute(**params)

    def step_job(self, n: int = 10, **params):
        """Take ``n`` SGD steps."""
        trainer = self._trainer_for(**params)
        trainer.sgd_steps(n)
        return self._result(trainer.snapshot(), playing=False)

    def reset_job(self, **params):
        """Start afresh from the initial weights."""
        self._trainer = None
        return self.compute(**params)

    def _result(self, snap: TrainSnapshot, playing: bool) -> TrainingResult:
        axis, pts = _grid(self._n_grid, -1.5, 1.5)
        logits = snap.network(pts)[:, 0]
        prob = 0.5 * (1.0 + np.tanh(0.5 * logits))  # the logistic sigmoid, overflow-free
        grid = prob.reshape(self._n_grid, self._n_grid)
        return TrainingResult(
            self._trainer.data, snap, axis, grid, playing, _warnings(self._trainer, snap)
        )

    # ------------------------------------------------------------------ headless API
    def play(self) -> int:
        """Train until paused (the Play button)."""
        return self.act("play")

    def pause(self) -> int:
        """Stop training and show the final snapshot (the Pause button)."""
        return self.act("pause")

    def step(self, n: int = 10) -> int:
        """Take ``n`` SGD steps; pauses first (the +10 steps button)."""
        return self.act("step", n=n)

    def reset(self) -> int:
        """Start afresh from the initial weights (the Reset button)."""
        return self.act("reset")


def _warnings(trainer: Trainer, snap: TrainSnapshot) -> tuple[str, ...]:
    """What the status line must say about this run: a zero-gradient activation (from the
    activation registry) and a diverged loss."""
    out = []
    act = get_activation(trainer.activation)
    if act.zero_gradient and len(trainer.weights) > 1:
        name = ACTIVATION_CHOICE.get(act.name, act.name)
        out.append(
            f"{name} has zero derivative: backpropagation multiplies by ρ′ = 0, so SGD moves "
            "only the last layer; choose another activation to train the hidden layers"
        )
    if snap.diverged_at is not None:
        out.append(
            f"training diverged at step {snap.diverged_at}: the loss rose past "
            f"{DIVERGENCE_FACTOR:g} times its start (step size {trainer.lr:.3g}); "
            "reset, with a smaller step size"
        )
    return tuple(out)


class TrainingPanel(LivePanel):
    """Training playground: data, decision boundary and loss curves while SGD runs.

    The playground has its own depth, width and activation controls, and its figure title and
    status say which network it trains.

    Parameters
    ----------
    architecture : BuilderPanel, optional
        Keep depth, width and activation equal to this builder's, both ways (a change in either
        panel shows in both), as in the lecture: first choose the architecture, then learn its
        weights.
    """

    _ARCHITECTURE = ("depth", "width", "activation")

    def __init__(self, architecture: BuilderPanel | None = None, **values):
        state = TrainingState(compute_now=False, **values)
        super().__init__(state, title="Training playground")
        self.action_buttons["play"].button_style = "success"

        boundary, ax = new_figure(400, 380)
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
        boundary.colorbar(self._prob, ax=ax, shrink=0.85, label="$P$(class 1)")
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
        )
        ax.grid(False)
        ax.legend(loc="lower left", fontsize=8)
        loss, ax2 = new_figure(380, 380)
        # a dot on the newest value: at step 0 the initial loss is one point, and it shows
        (self._train_loss,) = ax2.semilogy(
            [], [], marker="o", markevery=[-1], clip_on=False, label="train"
        )
        (self._test_loss,) = ax2.semilogy(
            [], [], marker="o", markevery=[-1], clip_on=False, label="test"
        )
        ax2.set(xlabel="SGD step", ylabel="mean logistic loss (without penalty)")
        ax2.xaxis.set_major_formatter(EngFormatter(sep=""))  # 20k, not a clipped 20000
        ax2.legend(loc="upper right", fontsize=8)
        self.info = W.HTMLMath(layout=W.Layout(width="320px"))
        self.figures = {"boundary": boundary, "loss": loss}
        left = self.control_box(extra=[self.info])
        self.assemble(W.HBox([boundary.canvas, loss.canvas]), left=left)
        # linked after assemble: a shared link then sees the playground's own start values, so
        # that a restored page gives the same link again
        self._links = []
        if architecture is not None:
            for name in self._ARCHITECTURE:
                self._links.append(link((architecture.state, name), (state, name)))
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
        arch = _architecture(s.network.widths, s.network.activation)
        ax.set_title(f"{arch}\ndecision boundary $P = 1/2$", fontsize=10)
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
        ax2.set_title(
            f"loss at step {s.step}\ntrain {s.train_loss[-1]:.3g}, test {s.test_loss[-1]:.3g}",
            fontsize=10,
        )
        state = "training" if r.playing else "paused"
        self.info.value = (
            f"<b>{state}</b>, step {s.step}, epoch {s.epoch:.1f}<br>"
            f"network: {arch}<br>"
            f"accuracy: train {s.train_accuracy:.1%}, test {s.test_accuracy:.1%}"
        )
        self._show_status()

    def _show_status(self, change=None):
        """The status line; while it would say "up to date", it says what the run warns of
        (a zero-gradient activation, a diverged loss) instead."""
        super()._show_status(change)
        r = self.state.result
        warnings = getattr(r, "warnings", ())
        if self.state.ok and warnings:
            text = "<br>".join(f"&#9888; {html.escape(w)}" for w in warnings)
            self.status.value = f"<span style='color:#b35900'>{text}</span>"
