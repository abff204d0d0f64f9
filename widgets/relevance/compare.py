"""Lecture 07, panel 2: all relevance methods side by side on the same input."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from course.progress import Progress, relay
from course.relevance.catalog import METHOD_LABELS, SLOW_METHODS
from course.relevance.digits import load_digit_images

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, FloatRange, IntRange, param
from ._common import (
    MODEL_CHOICE,
    N_TEST,
    TARGET_CHOICE,
    _colorbar,
    _digit_axes,
    _map_axes,
    _method_options,
    _show_shared,
)


@dataclass(frozen=True)
class CompareResult:
    """The maps of every method (``maps[name]``) for one digit and class."""

    image: np.ndarray
    target: int
    maps: dict


def _with_map(x, c, maps, name, partial_map):
    return CompareResult(x, c, {**maps, name: partial_map})


class CompareState(LiveState):
    """Every method on the same digit and class, with default parameters (RDE last, streamed)."""

    cache_shared = True  # seeded methods: the same maps for every student, computed once

    index = param(IntRange(default=0, min=0, max=N_TEST - 1, label="test digit #"))
    model = param(Choice(default="cnn", options=MODEL_CHOICE, label="network"))
    target = param(Choice(default=-1, options=TARGET_CHOICE, label="class $c$"))
    lam = param(FloatRange(default=0.003, min=1e-4, max=0.1, log=True, label="RDE $\\lambda$"))

    def compute(self, index, model, target, lam):
        from ._torch import explain, explain_steps, load_model, logits

        net = load_model(model)
        x = load_digit_images().x_test[index]
        c = int(np.argmax(logits(net, x)[0])) if target == -1 else target
        options = _method_options({"lam": lam})
        fast = [name for name in METHOD_LABELS if name not in SLOW_METHODS]
        slow = [name for name in METHOD_LABELS if name in SLOW_METHODS]
        maps = {name: explain(net, x, method=name, target=c, **options[name]) for name in fast}
        yield Progress(0.1, CompareResult(x, c, dict(maps)), "fast methods done")
        for n, name in enumerate(slow):
            job = explain_steps(net, x, method=name, target=c, **options[name])
            span = (0.1 + 0.9 * n / len(slow), 0.1 + 0.9 * (n + 1) / len(slow))
            wrap = functools.partial(_with_map, x, c, maps, name)
            maps[name] = yield from relay(job, span=span, wrap=wrap)
        return CompareResult(x, c, maps)


class ComparePanel(LivePanel):
    """All methods side by side on the same input."""

    def __init__(self, **values):
        super().__init__(
            CompareState(compute_now=False, **values),
            title="All methods side by side",
            show_progress=True,
        )
        fig, axes = new_figure(860, 440, nrows=2, ncols=4)
        axes = axes.ravel()
        self._digit = _digit_axes(axes[0])
        self._maps = {
            name: _map_axes(ax, label) for (name, label), ax in zip(METHOD_LABELS.items(), axes[1:])
        }
        # the methods measure different things (a gradient, a share of the logit, a mask):
        # each map is divided by its largest |R_i| and all share one symmetric scale
        self.colorbar = _colorbar(
            fig, self._maps["gradient"], list(axes[1:]), "$R_i / \\max_j |R_j|$"
        )
        self.figures = {"maps": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, r: CompareResult):
        self._digit.set_data(r.image)
        self._digit.axes.set_title(f"input, class c = {r.target}", fontsize=10)
        pairs = []
        for name, im in self._maps.items():
            values = np.asarray(r.maps.get(name, np.zeros((8, 8))), dtype=float)
            top = float(np.max(np.abs(values)))
            pairs.append((im, values / top if top > 0 else values))
            im.axes.set_title(f"{METHOD_LABELS[name]}\nmax $|R_i|$ = {top:.3g}", fontsize=9)
        _show_shared(pairs)
