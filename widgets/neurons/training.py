"""Lecture 01, panel 3: the learning set-up, live: SGD on 2D data with play, pause, step, reset."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as W
import numpy as np
from traitlets import link

from course.neurons.datasets import DATASETS, Dataset2D, make_dataset
from course.neurons.training import REGULARISERS, Trainer, TrainSnapshot

from ..figures import new_figure
from ..live import Action, LiveState
from ..panel import LivePanel
from ..params import Choice, FloatRange, IntRange, param
from ._common import _grid
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


class TrainingState(LiveState):
    r"""The learning set-up: minimise the mean logistic loss :math:`+ \lambda R(W)` by SGD.

    Changing the data set, noise, architecture or seed starts afresh; changing the step size,
    batch size or penalty applies from the next step, also while training plays (Play is an
    action that keeps running: a parameter change restarts it with the new values).
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
        self, dataset, noise, depth, width, activation, lr, batch_size, reg, lam, seed
    ):
        """The trainer of these parameters (on the worker thread, like every use of it)."""
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
        return self._trainer

    def compute(self, **params):
        return self._result(self._trainer_for(**params).snapshot(), playing=False)

    def play_job(self, **params):
        """Train until stopped, streaming snapshots."""
        result = None
        for item in self._trainer_for(**params).run():
            result = self._result(item.partial, playing=True)
            yield type(item)(item.fraction, result)
        return result

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
        return TrainingResult(
            self._trainer.data, snap, axis, prob.reshape(self._n_grid, self._n_grid), playing
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
        self.action_buttons["play"].button_style = "success"

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
        left = self.control_box(extra=[self.info])
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
