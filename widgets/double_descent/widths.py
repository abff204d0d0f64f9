"""Lecture 05, panel 4: model-wise double descent of small trained networks."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.patches import Polygon
from matplotlib.ticker import NullFormatter

from course.double_descent import WidthSweepResult, n_params, width_grid, width_sweep_steps
from course.double_descent.width import N_CLASSES

from ..figures import notice
from ..live import TrainOnButton
from ..panel import LivePanel
from ..params import FloatRange, IntRange, param
from ._common import _LossErrorAxes, _set_log_limits


class WidthState(TrainOnButton):
    r"""Width sweep of two-layer ReLU networks on digits with noisy labels (torch).

    For each width of :func:`~course.double_descent.width_grid` (around the threshold width,
    where the parameter count reaches n K), ``n_seeds`` networks (seeds ``seed``,
    ``seed + 1``, ...: split, label noise and initialisation) are trained with Adam; the panel
    shows their mean and range. Slow (tens of seconds): it starts on the Train button, runs in
    the background, streams each finished width and can be stopped. Finished sweeps are kept per
    settings and shared between kernels when the server provides a store (``./mathdl warm``
    fills it): a parameter change shows the stored sweep at once, or
    :data:`~widgets.live.NOT_COMPUTED`. Nothing partial is cached.
    """

    n_train = param(IntRange(default=100, min=50, max=300, step=50, label="samples $n$"))
    label_noise = param(FloatRange(default=0.2, min=0.0, max=0.5, step=0.05, label="label noise"))
    steps = param(IntRange(default=4000, min=100, max=8000, step=100, label="Adam steps"))
    n_seeds = param(IntRange(default=3, min=1, max=5, label="seeds averaged"))
    seed = param(IntRange(default=0, min=0, max=99, label="first seed"))

    #: The widths swept: None for ``width_grid(n_train)`` (a test may narrow it).
    widths: tuple | None = None
    lr = 3e-3
    warm_button = True  # ./mathdl warm trains it before class (33 s of one core)

    def planned(self, n_train: int | None = None) -> tuple:
        """The widths a sweep for ``n_train`` samples (default: the current) trains."""
        n_train = self.n_train if n_train is None else n_train
        return tuple(self.widths) if self.widths is not None else width_grid(n_train)

    def cache_key(self, params: dict) -> tuple:
        """The parameters and the widths swept."""
        return (*super().cache_key(params), self.planned(params["n_train"]), self.lr)

    def compute(self, n_train, label_noise, steps, n_seeds, seed):
        return width_sweep_steps(
            self.planned(n_train),
            n_train=n_train,
            label_noise=label_noise,
            steps=steps,
            lr=self.lr,
            seeds=tuple(range(seed, seed + n_seeds)),
        )


def _width_of(p):
    return np.maximum((np.asarray(p, float) - N_CLASSES) / (65 + N_CLASSES), 1e-3)


def _params_of(h):
    return (65 + N_CLASSES) * np.asarray(h, float) + N_CLASSES


class WidthPanel(LivePanel):
    """Test and train loss of trained networks against their number of parameters."""

    def __init__(self, **values):
        super().__init__(
            WidthState(compute_now=False, **values),
            title="Model-wise double descent of small networks (trained with Adam)",
            show_progress=True,
        )
        self.info = W.HTML(layout=W.Layout(width="320px"))
        fig, self._plot = _LossErrorAxes.figure(
            780, 380, xlabel="parameters $p$", threshold_label="$p = nK$"
        )
        lax, eax = self._plot.loss_axes, self._plot.error_axes
        self._band = Polygon(
            np.zeros((0, 2)), closed=True, color="C0", alpha=0.2, lw=0, label="seed range"
        )
        lax.add_patch(self._band)
        self._err_band = Polygon(np.zeros((0, 2)), closed=True, color="C0", alpha=0.2, lw=0)
        eax.add_patch(self._err_band)
        (self._planned,) = eax.plot(
            [], [], "|", color="#888888", ms=9, transform=eax.get_xaxis_transform()
        )
        for ax in (lax, eax):
            top = ax.secondary_xaxis("top", functions=(_width_of, _params_of))
            top.set_xlabel("width $h$", fontsize=9)
            for axis in (ax.xaxis, top.xaxis):  # decades only: minor labels collide
                axis.set_minor_formatter(NullFormatter())
        eax.get_legend().remove()
        fig.legend(
            handles=[self._plot.test, self._band, self._plot.train, self._plot.thresholds[0]],
            labels=["test (mean over seeds)", "test, range over seeds", "train (mean)", "$p = nK$"],
            loc="outside lower center",
            ncol=4,
            fontsize=8,
        )
        self._placeholder = notice(lax)
        self.figures = {"curve": fig}
        left = self.control_box(extra=[self.info])
        self.assemble(fig.canvas, left=left)
        self.start()

    def _frame(self, n_train):
        """The axes for ``n_train`` samples: the planned widths, the threshold at p = n K."""
        planned = [n_params(h) for h in self.state.planned(n_train)]
        self._plot.set_xlim(planned[0] / 1.3, planned[-1] * 1.3)
        for line in self._plot.thresholds:
            line.set_xdata([N_CLASSES * n_train] * 2)
        self._planned.set_data(planned, np.full(len(planned), 0.03))
        return planned

    def render_not_computed(self):
        st = self.state
        planned = self._frame(st.n_train)
        self._plot.clear()
        self._band.set_xy(np.zeros((0, 2)))
        self._err_band.set_xy(np.zeros((0, 2)))
        self._plot.loss_axes.set_ylim(0.2, 10)
        self._plot.loss_axes.set_title("not trained yet for these settings", fontsize=10)
        self._placeholder.set_text(
            f"Train draws here the test and\ntrain loss of {len(planned)} widths (grey ticks,\n"
            f"right), {st.n_seeds} seeds each; the red\nline is $p = nK = {N_CLASSES * st.n_train}$."
        )
        self.info.value = (
            f"Press <b>Train</b>: {len(planned)} widths &times; {st.n_seeds} seeds &times; "
            f"{st.steps:,} Adam steps."
        )

    def render(self, s: WidthSweepResult):
        self._frame(s.n_train)
        self._placeholder.set_text("")
        self._plot.draw(s.n_params, s, s.threshold)
        p = s.n_params.astype(float)
        for band, per_seed in (
            (self._band, s.test_loss_seeds),
            (self._err_band, s.test_error_seeds),
        ):
            lo, hi = per_seed.min(axis=1), per_seed.max(axis=1)
            band.set_xy(np.column_stack([np.r_[p, p[::-1]], np.r_[lo, hi[::-1]]]))
        # a train loss near 0 leaves at the bottom: the axis shows the peak, not 5 decades
        _set_log_limits(self._plot.loss_axes, s.test_loss_seeds, s.train_loss, pad=1.5, depth=20)
        done = "" if s.complete else f", {len(s.widths)}/{len(s.planned)} widths"
        seeds = f"seeds {s.seeds[0]}-{s.seeds[-1]}" if len(s.seeds) > 1 else f"seed {s.seeds[0]}"
        self._plot.loss_axes.set_title(
            f"n = {s.n_train}, label noise {s.label_noise:.0%}, {s.steps} steps, {seeds}{done}",
            fontsize=10,
        )
        if self.state.from_cache:
            how = "from the cache"
        elif s.complete:
            how = f"trained in {s.seconds:.0f} s"
        else:
            how = f"training&hellip; {s.seconds:.0f} s so far"
        i = int(np.argmax(s.test_loss))
        self.info.value = (
            f"{how}<br>largest mean test loss {s.test_loss[i]:.2f} at width {s.widths[i]} "
            f"(p = {s.n_params[i]}); threshold width {s.threshold_width} "
            f"(first p &ge; nK = {s.threshold})"
        )
