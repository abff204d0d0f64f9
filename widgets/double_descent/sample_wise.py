"""Lecture 05, panel 3: sample-wise double descent, more data can hurt."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course.double_descent import (
    SweepResult,
    sample_sweep_steps,
)
from course.progress import Progress

from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, FloatRange, IntRange, param
from ._common import (
    KINDS,
    RIDGES,
    _LossErrorAxes,
)


@dataclass(frozen=True, eq=False)  # identity: every delivered result is drawn
class SampleWiseResult:
    sweep: SweepResult


class SampleWiseState(LiveState):
    r"""Sample-wise double descent: N fixed, the number of training images n grows.

    40 values of n from 10 to 1300 (geometric, with n = N); the test set is the same 497 images
    for every n; the training sets are nested.
    """

    n_features = param(IntRange(default=300, min=50, max=800, step=10, label="features $N$"))
    label_noise = param(FloatRange(default=0.1, min=0.0, max=0.5, step=0.05, label="label noise"))
    sigma = param(FloatRange(default=5.0, min=1.0, max=20.0, step=0.5, label="$\\sigma$"))
    ridge = param(Choice(default=0.0, options=RIDGES, label="ridge $\\lambda$"))
    kind = param(Choice(default="fourier", options=KINDS, label="features"))

    n_max, num = 1300, 40
    cache_shared = True  # seeded: the same curve for every student, from the shared store

    def compute(self, n_features, label_noise, sigma, ridge, kind):
        sizes = np.unique(
            np.concatenate(
                [np.round(np.geomspace(10, self.n_max, self.num)).astype(np.int64), [n_features]]
            )
        )
        job = sample_sweep_steps(
            n_features, sizes, kind=kind, sigma=sigma, ridge=ridge, label_noise=label_noise, seed=0
        )
        for item in job:
            yield Progress(item.fraction, SampleWiseResult(item.partial), item.message)
        return SampleWiseResult(item.partial)  # the last partial is the complete sweep


class SampleWisePanel(LivePanel):
    """Test loss and error against the number of samples, for a fixed number of features."""

    def __init__(self, **values):
        super().__init__(
            SampleWiseState(compute_now=False, **values),
            title="Sample-wise: more data can hurt",
            show_progress=True,
        )
        fig, self._plot = _LossErrorAxes.figure(
            760, 330, xlabel="training samples $n$", threshold_label="$n = N$"
        )
        self._plot.loss_axes.legend(loc="lower left", fontsize=8)
        self._plot.set_xlim(8, SampleWiseState.n_max * 1.2)
        self.figures = {"curve": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, r: SampleWiseResult):
        s = r.sweep
        n_feat = int(s.n_features[0]) if len(s.n_features) else 0
        self._plot.draw(s.sizes, s, n_feat)
        status = "" if s.complete else f" ({len(s.sizes)}/{len(s.planned)} values of n)"
        self._plot.loss_axes.set_title(f"N = {n_feat} features{status}", fontsize=10)
