"""Lecture 07, panel 3: relevance ordering and pixel flipping against a random baseline."""

from __future__ import annotations

import ipywidgets as W

from course.relevance.catalog import METHOD_LABELS, SLOW_METHODS
from course.relevance.digits import load_digit_images

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, Flag, IntRange, param
from ._common import (
    _COLOURS,
    MODEL_CHOICE,
)


class EvaluationState(LiveState):
    """Relevance ordering and pixel flipping over many test images; started by a button."""

    starts_on = "button"
    start_label = "Evaluate"
    cache_size = 4
    cache_shared = True  # seeded noise: the same curves for every student

    model = param(Choice(default="cnn", options=MODEL_CHOICE, label="network"))
    n_images = param(IntRange(default=20, min=2, max=200, label="test images"))
    n_steps = param(IntRange(default=16, min=4, max=64, label="steps"))
    n_draws = param(IntRange(default=4, min=1, max=16, label="noise draws"))
    with_slow = param(Flag(default=True, label="include the slow methods (RDE)"))

    def compute(self, model, n_images, n_steps, n_draws, with_slow):
        from ._torch import evaluate_steps, load_model

        methods = [name for name in METHOD_LABELS if with_slow or name not in SLOW_METHODS]
        images = load_digit_images().x_test[:n_images]
        return evaluate_steps(
            load_model(model), images, methods=methods, n_steps=n_steps, n_draws=n_draws
        )


class EvaluationPanel(LivePanel):
    """Relevance-ordering and pixel-flipping curves, AOPC, and the random baseline."""

    def __init__(self, **values):
        super().__init__(
            EvaluationState(compute_now=False, **values),
            title="Evaluation: randomise pixels in the map's order",
            show_progress=True,
        )
        fig, (ax1, ax2) = new_figure(860, 330, ncols=2)
        self._lines = {"ordering": {}, "flipping": {}}
        for key, ax, title in (
            ("ordering", ax1, "relevance ordering: least relevant first\n(higher is better)"),
            ("flipping", ax2, "pixel flipping: most relevant first\n(lower is better)"),
        ):
            for name in ["random", *METHOD_LABELS]:
                label = "random" if name == "random" else METHOD_LABELS[name]
                (self._lines[key][name],) = ax.plot(
                    [],
                    [],
                    color=_COLOURS[name],
                    lw=2.5 if name in ("lrp", "rde") else 1.5,
                    ls="--" if name == "random" else "-",
                    label=label,
                )
            ax.set(
                xlim=(0, 1),
                ylim=(0, 1),
                xlabel="fraction of pixels randomised",
                ylabel="probability of the predicted class",
                title=title,
            )
        # beside the axes: the curves fill both plots (one legend for both, same colours)
        ax2.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
        self.table = W.HTML()
        self.figures = {"curves": fig}
        self.assemble(W.VBox([fig.canvas, self.table]))
        self.state.trigger()  # one run at start; later runs by the button

    def render_not_computed(self):
        for lines in self._lines.values():
            for line in lines.values():
                line.set_data([], [])
        self.table.value = "Press <b>Evaluate</b> for these settings."

    def render(self, r):
        for key in ("ordering", "flipping"):
            curves = getattr(r, key)
            for name, line in self._lines[key].items():
                y = curves.get(name)
                line.set_data((r.fractions, y) if y is not None else ([], []))
        rows = "".join(
            f"<tr><td>{'random' if n == 'random' else METHOD_LABELS[n]}</td>"
            f"<td>{r.aopc[n]:.3f}</td><td>{r.ordering_area[n]:.3f}</td></tr>"
            for n in r.methods
        )
        self.table.value = (
            f"<table style='border-spacing:12px 2px'><tr><th>method</th><th>AOPC (flipping)</th>"
            f"<th>area (ordering)</th></tr>{rows}</table><small>{r.n_images} test images; "
            f"larger is better in both columns</small>"
        )
