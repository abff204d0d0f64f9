"""Lecture 05, panel 4: model-wise double descent of small trained networks."""

from __future__ import annotations

import ipywidgets as W

from course.double_descent import (
    DEFAULT_WIDTHS,
    WidthSweepResult,
    width_sweep_steps,
)
from course.double_descent.width import n_params

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import FloatRange, IntRange, param
from ._common import _LossErrorAxes


class WidthState(LiveState):
    r"""Width sweep of two-layer ReLU networks on digits with noisy labels (torch).

    Slow (about 10-30 s on two cores): it starts on the Train button, not on a parameter
    change, runs in the background and can be stopped. Finished sweeps are kept per settings
    (and shared between kernels when the server provides a store): a parameter change shows the
    stored sweep for the new settings at once, or :data:`~widgets.live.NOT_COMPUTED`. A
    parameter change during training stops it (the newest request wins), like the Stop button;
    nothing partial is cached.
    """

    n_train = param(IntRange(default=300, min=100, max=600, step=50, label="samples $n$"))
    label_noise = param(FloatRange(default=0.2, min=0.0, max=0.5, step=0.05, label="label noise"))
    steps = param(IntRange(default=2000, min=200, max=5000, step=100, label="Adam steps"))
    seed = param(IntRange(default=0, min=0, max=99, label="seed"))

    widths = DEFAULT_WIDTHS
    starts_on = "button"
    start_label = "Train"
    cache_size = 8
    cache_shared = True  # seeded training: the same sweep for every student

    def cache_key(self, params: dict) -> tuple:
        """The parameters and the widths swept (a class attribute a test may narrow)."""
        return (*super().cache_key(params), tuple(self.widths))

    def compute(self, n_train, label_noise, steps, seed):
        return width_sweep_steps(
            self.widths, n_train=n_train, label_noise=label_noise, steps=steps, seed=seed
        )


class WidthPanel(LivePanel):
    """Test and train loss of trained networks against their number of parameters."""

    def __init__(self, **values):
        super().__init__(
            WidthState(compute_now=False, **values),
            title="Model-wise double descent of small networks (trained with Adam)",
            show_progress=True,
        )
        self.info = W.HTML()
        fig, (lax, eax) = new_figure(760, 330, ncols=2)
        self._plot = _LossErrorAxes(
            lax, eax, xlabel="parameters", threshold_label="parameters $= nK$"
        )
        lax.legend(loc="lower left", fontsize=8)
        lo, hi = n_params(min(WidthState.widths)), n_params(max(WidthState.widths))
        self._plot.set_xlim(lo / 1.3, hi * 1.3)
        self.figures = {"curve": fig}
        left = self.control_box(extra=[self.info])
        self.assemble(fig.canvas, left=left)
        self.start()

    def render_not_computed(self):
        self._plot.clear()
        for line in self._plot.thresholds:
            line.set_xdata([10 * self.state.n_train] * 2)
        self._plot.loss_axes.set_title("not trained yet for these settings", fontsize=10)
        self.info.value = "Press <b>Train</b> (about 10&ndash;30 s on two cores)."

    def render(self, s: WidthSweepResult):
        self._plot.draw(s.n_params, s, 10 * s.n_train)  # n K parameters fit n one-hot targets
        done = f"{len(s.widths)}/{len(s.planned)} widths"
        self._plot.loss_axes.set_title(
            f"n = {s.n_train}, label noise {s.label_noise:.0%}, {s.steps} steps ({done})",
            fontsize=10,
        )
        cached = self.state.from_cache
        self.info.value = "from the cache" if cached else ("done" if s.complete else "training")
