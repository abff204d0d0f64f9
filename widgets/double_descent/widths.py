"""Lecture 05, panel 4: model-wise double descent of small trained networks."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as W

from course.double_descent import (
    DEFAULT_WIDTHS,
    WidthSweepResult,
    iter_width_sweep,
)
from course.double_descent.width import n_params
from course.progress import Progress

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import FloatRange, IntRange, param
from ._common import (
    _LossErrorAxes,
    _new_state,
)


@dataclass(frozen=True, eq=False)  # identity: every delivered result is drawn
class WidthResult:
    sweep: WidthSweepResult | None  # None: not trained yet for these settings
    cached: bool


class WidthState(LiveState):
    r"""Width sweep of two-layer ReLU networks on digits with noisy labels (torch).

    Slow (about 10-30 s on two cores): it starts with :meth:`train` (the panel's button), not on
    a parameter change, runs in the background and can be stopped. Finished sweeps are kept per
    settings, for every panel in this kernel: a parameter change shows the stored sweep for the
    new settings at once, or says that they are not trained yet. A parameter change during
    training stops it (the newest request wins), like the Stop button; nothing partial is
    cached.
    """

    n_train = param(IntRange(default=300, min=100, max=600, step=50, label="samples $n$"))
    label_noise = param(FloatRange(default=0.2, min=0.0, max=0.5, step=0.05, label="label noise"))
    steps = param(IntRange(default=2000, min=200, max=5000, step=100, label="Adam steps"))
    seed = param(IntRange(default=0, min=0, max=99, label="seed"))

    widths = DEFAULT_WIDTHS
    _cache: dict = {}  # settings -> WidthSweepResult, shared by all panels of the kernel

    def __init__(self, **kwargs):
        self._armed = None  # the settings the Train button asked for
        super().__init__(**kwargs)

    def key(self, **params) -> tuple:
        p = {**self.params(), **params}
        return (tuple(self.widths), p["n_train"], p["label_noise"], p["steps"], p["seed"])

    def compute(self, n_train, label_noise, steps, seed):
        key = self.key(n_train=n_train, label_noise=label_noise, steps=steps, seed=seed)
        if key in self._cache:
            return WidthResult(self._cache[key], True)
        if key != self._armed:
            return WidthResult(None, False)
        return self._train(key, n_train, label_noise, steps, seed)

    def _train(self, key, n_train, label_noise, steps, seed):
        job = iter_width_sweep(
            self.widths, n_train=n_train, label_noise=label_noise, steps=steps, seed=seed
        )
        while True:
            try:
                item = next(job)
            except StopIteration as stop:
                self._cache[key] = stop.value
                return WidthResult(stop.value, False)
            partial = None if item.partial is None else WidthResult(item.partial, False)
            yield Progress(item.fraction, partial, item.message)

    def train(self) -> int:
        """Train (or show from the cache) the sweep for the current settings."""
        self._armed = self.key()
        return self.request()


class WidthPanel(LivePanel):
    """Test and train loss of trained networks against their number of parameters."""

    def __init__(self, **values):
        super().__init__(
            _new_state(WidthState, values),
            title="Model-wise double descent of small networks (trained with Adam)",
            show_progress=True,
        )
        self.train_button = W.Button(
            description="Train", icon="play", button_style="success", layout=W.Layout(width="110px")
        )
        self.train_button.on_click(lambda _: self.state.train())
        self.info = W.HTML()
        fig, (lax, eax) = new_figure(760, 330, ncols=2)
        self._plot = _LossErrorAxes(
            lax, eax, xlabel="parameters", threshold_label="parameters $= nK$"
        )
        lax.legend(loc="lower left", fontsize=8)
        lo, hi = n_params(min(WidthState.widths)), n_params(max(WidthState.widths))
        self._plot.set_xlim(lo / 1.3, hi * 1.3)
        self.figures = {"curve": fig}
        left = self.control_box(extra=[self.train_button, self.info])
        self.assemble(fig.canvas, left=left)
        self.start()

    def render(self, r: WidthResult):
        s = r.sweep
        if s is None:
            self._plot.clear()
            for line in self._plot.thresholds:
                line.set_xdata([10 * self.state.n_train] * 2)
            self._plot.loss_axes.set_title("not trained yet for these settings", fontsize=10)
            self.info.value = "Press <b>Train</b> (about 10&ndash;30 s on two cores)."
            return
        self._plot.draw(s.n_params, s, 10 * s.n_train)  # n K parameters fit n one-hot targets
        done = f"{len(s.widths)}/{len(s.planned)} widths"
        self._plot.loss_axes.set_title(
            f"n = {s.n_train}, label noise {s.label_noise:.0%}, {s.steps} steps ({done})",
            fontsize=10,
        )
        self.info.value = "from the cache" if r.cached else ("done" if s.complete else "training")
