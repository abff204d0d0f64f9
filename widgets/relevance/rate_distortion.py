"""Lecture 07, panel 4: RDE's mask and its rate-distortion curve."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from course.progress import relay
from course.relevance.catalog import METHOD_LABELS
from course.relevance.digits import load_digit_images

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, FloatRange, IntRange, param
from ._common import (
    _COLOURS,
    MODEL_CHOICE,
    N_TEST,
    _digit_axes,
    _method_options,
)


@dataclass(frozen=True)
class RateDistortionResult:
    """RDE's mask and history, and rate-distortion curves of several orderings."""

    image: np.ndarray
    target: int
    mask: np.ndarray
    objective: np.ndarray
    distortion: np.ndarray
    curves: dict  # name -> RateDistortionCurve


def _partial(x, c, p) -> RateDistortionResult:
    return RateDistortionResult(x, c, p.mask, p.objective, p.distortion, {})


class RateDistortionState(LiveState):
    r"""RDE on one digit: :math:`\min_s D(s) + \lambda\|s\|_1`, then :math:`D` against mask size."""

    cache_shared = True  # the same for every student: computed once per server
    lam = param(FloatRange(default=0.003, min=1e-4, max=0.1, log=True, label="$\\lambda$"))
    index = param(IntRange(default=0, min=0, max=N_TEST - 1, label="test digit #"))
    model = param(Choice(default="cnn", options=MODEL_CHOICE, label="network"))
    iterations = param(IntRange(default=150, min=10, max=1000, step=10, label="iterations"))

    def compute(self, lam, index, model, iterations):
        from ._torch import explain, load_model, logits, rate_distortion_curve, rde_steps

        net = load_model(model)
        x = load_digit_images().x_test[index]
        c = int(np.argmax(logits(net, x)[0]))
        job = rde_steps(net, x, target=c, lam=lam, iterations=iterations)
        res = yield from relay(job, span=(0.0, 0.8), wrap=functools.partial(_partial, x, c))
        others = {"rde": res.mask, "random": np.random.default_rng(index).random((8, 8))}
        for name in ("lrp", "integrated_gradients", "gradient"):
            others[name] = explain(net, x, method=name, target=c, **_method_options({})[name])
        curves = {
            name: rate_distortion_curve(net, x, r, target=c, n_samples=64)
            for name, r in others.items()
        }
        return RateDistortionResult(x, c, res.mask, res.objective, res.distortion, curves)


class RateDistortionPanel(LivePanel):
    """RDE's mask, its objective during the optimisation, and rate-distortion curves."""

    def __init__(self, **values):
        super().__init__(
            RateDistortionState(compute_now=False, **values),
            title="Rate-distortion explanation",
            show_progress=True,
        )
        fig, axes = new_figure(860, 300, ncols=3)
        self._digit = _digit_axes(axes[0])
        self._mask = axes[0].imshow(np.zeros((8, 8, 4)), interpolation="nearest")
        (self._objective,) = axes[1].plot([], [], color="C0", label="$D + \\lambda\\|s\\|_1$")
        (self._dist,) = axes[1].plot([], [], color="C1", label="$D$")
        axes[1].set(xlabel="iteration", title="the objective (sampled)")
        axes[1].legend(fontsize=8, loc="upper right")
        self._curves = {}
        for name in ("rde", "lrp", "integrated_gradients", "gradient", "random"):
            label = "random" if name == "random" else METHOD_LABELS[name]
            (self._curves[name],) = axes[2].plot(
                [],
                [],
                color=_COLOURS[name],
                ls="--" if name == "random" else "-",
                lw=2.5 if name == "rde" else 1.5,
                label=label,
            )
        axes[2].axhline(0.01, color="0.4", lw=0.8, ls=":")  # the prompt's level D = 0.01
        axes[2].set(
            xlim=(0, 64),
            ylim=(0, 0.5),
            xlabel="pixels kept $k$",
            ylabel="distortion $D$",
            title="rate-distortion curve",
        )
        # outside the axes: the curves start at the top left and fall to the right
        axes[2].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
        self.figures = {"rde": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, r: RateDistortionResult):
        self._digit.set_data(r.image)
        overlay = np.zeros((8, 8, 4))
        overlay[..., 0] = 1.0
        overlay[..., 3] = 0.6 * r.mask
        self._mask.set_data(overlay)
        self._digit.axes.set_title(f"mask s (red), ‖s‖₁ = {r.mask.sum():.1f}", fontsize=10)
        it = np.arange(1, len(r.objective) + 1)
        self._objective.set_data(it, r.objective)
        self._dist.set_data(it, r.distortion)
        ax = self._objective.axes
        ax.relim()
        ax.autoscale_view()
        for name, line in self._curves.items():
            curve = r.curves.get(name)
            line.set_data((curve.sizes, curve.distortion) if curve is not None else ([], []))
        if r.curves:
            top = max(float(c.distortion.max()) for c in r.curves.values())
            self._curves["rde"].axes.set_ylim(0, max(top * 1.05, 1e-3))
