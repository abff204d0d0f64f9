"""Lecture 07, panel 1: why did the network decide this? One method, class and contrast."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from course.progress import relay
from course.relevance.catalog import RULES
from course.relevance.digits import load_digit_images

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, Flag, FloatRange, IntRange, param
from ._common import (
    CONTRAST_CHOICE,
    METHOD_CHOICE,
    METHOD_PARAMS,
    MODEL_CHOICE,
    N_TEST,
    RULE_PARAMS,
    SOURCE_CHOICE,
    TARGET_CHOICE,
    Drawing,
    _colorbar,
    _digit_axes,
    _map_axes,
    _method_options,
    _show_shared,
    drawing_to_image,
    drawing_to_levels,
    image_to_drawing,
    levels_to_drawing,
)
from .draw import DrawingCanvas


@dataclass(frozen=True)
class ExplainResult:
    """A digit, the network's scores, and the maps for c, for k and for c against k.

    ``maps`` holds up to three 8x8 maps keyed ``'c'``, ``'k'``, ``'c-k'`` (only ``'c'`` when no
    contrast is chosen); ``check`` holds the lines (HTML) stating the method's identity
    (conservation, completeness) as measured on this input, and on which network.
    """

    image: np.ndarray
    label: int | None
    probabilities: np.ndarray
    prediction: int
    target: int
    contrast: int | None
    method: str
    maps: dict
    check: str


class ExplainState(LiveState):
    r"""Explain the score :math:`\Phi_c(x)` (or :math:`\Phi_c - \Phi_k`) of one digit."""

    cache_shared = True  # seeded methods: the same maps for every student, computed once

    index = param(IntRange(default=0, min=0, max=N_TEST - 1, label="test digit #"))
    source = param(Choice(default="test", options=SOURCE_CHOICE, buttons=True, label="input"))
    model = param(Choice(default="cnn", options=MODEL_CHOICE, label="network"))
    method = param(Choice(default="lrp", options=METHOD_CHOICE, label="method"))
    target = param(Choice(default=-1, options=TARGET_CHOICE, label="class $c$"))
    contrast = param(Choice(default=-2, options=CONTRAST_CHOICE, label="contrast $k$"))
    rule = param(Choice(default="epsilon", options=RULES, label="LRP rule"))
    eps = param(FloatRange(default=0.1, min=1e-4, max=10.0, log=True, label="$\\varepsilon$"))
    alpha = param(
        FloatRange(default=2.0, min=1.0, max=4.0, step=0.1, label="$\\alpha$ ($\\beta=\\alpha-1$)")
    )
    input_zb = param(Flag(default=True, label="$z^B$ at the input"))
    ig_steps = param(IntRange(default=64, min=1, max=256, label="IG steps $m$"))
    noise = param(FloatRange(default=0.15, min=0.0, max=0.5, step=0.01, label="noise $\\sigma$"))
    sg_samples = param(IntRange(default=32, min=1, max=128, label="samples $N$", advanced=True))
    patch = param(IntRange(default=2, min=1, max=4, label="patch size"))
    lam = param(FloatRange(default=0.003, min=1e-4, max=0.1, log=True, label="$\\lambda$"))
    rde_iterations = param(IntRange(default=150, min=10, max=1000, step=10, label="iterations"))
    drawing = param(Drawing())

    def compute(self, **p):
        return self._job(p)

    def _job(self, p):
        from ._torch import explain_steps, load_model, logits

        data = load_digit_images()
        model = load_model(p["model"])
        if p["source"] == "drawing":
            x, label = drawing_to_image(p["drawing"]), None
        else:
            x, label = data.x_test[p["index"]], int(data.y_test[p["index"]])
        z = logits(model, x)[0]
        prob = np.exp(z - z.max())
        prob /= prob.sum()
        pred = int(np.argmax(z))
        c = pred if p["target"] == -1 else p["target"]
        runner_up = int(next(j for j in np.argsort(-z) if j != c))
        k = {-1: None, -2: runner_up}.get(p["contrast"], p["contrast"])
        k = None if k == c else k
        method, options = p["method"], _method_options(p)[p["method"]]
        asks = [("c", c, None)] + ([("k", k, None), ("c-k", c, k)] if k is not None else [])
        maps = {}
        for n, (key, t, kk) in enumerate(asks):

            def partial(m, key=key):
                more = {**maps, key: m}
                return ExplainResult(
                    x, label, prob, pred, c, k, method, more, "optimising the mask ..."
                )

            job = explain_steps(model, x, method=method, target=t, contrast=kk, **options)
            span = (n / len(asks), (n + 1) / len(asks))
            maps[key] = yield from relay(job, span=span, wrap=partial)
        return ExplainResult(
            x,
            label,
            prob,
            pred,
            c,
            k,
            method,
            maps,
            self._check(p["model"], model, x, method, options, c, maps["c"]),
        )

    @staticmethod
    def _check(model_name, model, x, method, options, c, r):
        """The line that checks the method's identity, saying on which network."""
        from ._torch import bias_free, explained_output, ig_completeness_gap

        name = MODEL_CHOICE[model_name]
        if method == "integrated_gradients":
            gap = float(ig_completeness_gap(model, x, r, target=c))
            return (
                f"completeness on the shipped {name} (holds with biases): "
                f"Σ R − (f(x) − f(0)) = {gap:+.2e}"
            )
        if method == "rde":
            return f"mask size ‖s‖₁ = {r.sum():.1f} of 64 pixels"
        if method not in ("lrp", "gradient_x_input"):
            f = float(explained_output(model, x, target=c))
            return f"shipped {name}: Φ_c(x) = {f:.4f}, Σ R = {r.sum():.4f} (no identity to check)"
        what = "conservation" if method == "lrp" else "Euler: Σ R = Φ_c(x)"
        lines = [f"<b>{what}</b>, class c = {c}:"]
        for label, net in (
            (f"shipped {name}", model),
            ("same weights, biases 0", bias_free(model_name)),
        ):
            s, f = conservation(net, x, method, options, c)
            lines.append(f"{label}: Σ R = {s:.4f}, Φ_c(x) = {f:.4f}, {deviation(s, f)}")
        key = options.get("rule") if method == "lrp" else method
        return "<br>".join([*lines, f"<small>{WHY_NOT_EXACT[key]}</small>"])


#: Why Σ R and Φ_c(x) may differ, per LRP rule (and for gradient x input).
WHY_NOT_EXACT = {
    "zero": "Without biases LRP-0 conserves exactly; on the shipped network the biases absorb "
    "the difference.",
    "epsilon": "ε absorbs relevance even without biases (LRP-0 conserves exactly there); "
    "on the shipped network the biases change the sum too.",
    "alpha_beta": "LRP-αβ conserves only where a neuron has contributions of both signs; "
    "on the shipped network the biases change the sum too.",
    "zplus": "Without biases z⁺ conserves (where a neuron has positive contributions); on the "
    "shipped network the biases absorb the difference.",
    "gradient_x_input": "Euler's identity holds for ReLU networks without biases; the shipped "
    "network's biases break it.",
}


def conservation(net, x, method, options, c) -> tuple[float, float]:
    """``(Σ R at the pixels, Φ_c(x))`` of LRP (with ``options``) or gradient x input on ``net``."""
    from ._torch import explained_output, gradient_x_input, lrp_relevances

    f = float(explained_output(net, x, target=c))
    if method == "lrp":
        return float(lrp_relevances(net, x, target=c, **options)[0].sum()), f
    return float(gradient_x_input(net, x, target=c).sum()), f


def deviation(s: float, f: float) -> str:
    """``Σ R`` against ``Φ_c(x)`` in words: equal to round-off, or off by a share of ``|Φ_c|``."""
    gap = abs(s - f) / max(abs(f), 1e-300)
    if gap < 1e-9:
        return f"equal to round-off (relative gap {gap:.0e})"
    return f"Σ R is off by {100 * gap:.1f}% of the size of Φ_c(x)"


#: What the colour bar of each method's maps measures.
UNITS = {
    "gradient": "sensitivity $\\partial f/\\partial x_i$",
    "smoothgrad": "mean $\\partial f/\\partial x_i$",
    "rde": "mask $s_i$",
}
#: The height of the box of method parameters: the largest method's (LRP: rule, its parameter,
#: z^B), so that switching methods does not move the page.
METHOD_BOX_HEIGHT = "108px"


class ExplainPanel(LivePanel):
    """Pick or draw a digit; see the scores and the relevance map for c, k and c against k."""

    def __init__(self, **values):
        state = ExplainState(compute_now=False, **values)
        names = [n for n in state.param_specs() if n != "drawing"]
        super().__init__(
            state, title="Why did the network decide this?", controls=names, show_progress=True
        )
        fig, axes = new_figure(840, 250, ncols=4)
        self._digit = _digit_axes(axes[0])
        self._maps = {
            key: _map_axes(ax, t)
            for key, ax, t in zip(
                ("c", "k", "c-k"), axes[1:], ("class c", "class k", "c against k")
            )
        }
        self.colorbar = _colorbar(fig, self._maps["c"], list(axes[1:]), "relevance $R_i$")
        scores, ax = new_figure(330, 250)
        # bars from 1e-6 on a log scale: the runner-up's 1e-4 is visible next to the winner's 0.99
        self._bars = ax.bar(range(10), np.full(10, 1e-6), bottom=1e-6, color="#9e9e9e")
        ax.set_yscale("log")
        ax.set(
            xticks=range(10),
            ylim=(1e-6, 1.5),
            xlabel="class",
            ylabel="softmax probability",
            title="class scores (log scale)",
        )
        self.drawing = DrawingCanvas(self._drawn)
        self.figures = {"maps": fig, "scores": scores, "drawing": self.drawing.figure}
        self.check = W.HTML(layout=W.Layout(width="490px", min_height="250px"))
        self.clear_button = W.Button(description="Clear", layout=W.Layout(width="80px"))
        self.clear_button.on_click(lambda _: self.state.set(drawing="0" * 64, source="drawing"))
        self.copy_button = W.Button(description="Copy test digit", layout=W.Layout(width="130px"))
        self.copy_button.on_click(lambda _: self.copy_test_digit())
        draw_box = W.VBox(
            [self.drawing.figure.canvas, W.HBox([self.clear_button, self.copy_button])]
        )
        state.observe(self._show_method_controls, names=["method", "rule"])
        state.observe(self._paint, names="drawing")
        self._show_method_controls()
        self._paint()
        method_names = [n for ps in METHOD_PARAMS.values() for n in ps]
        self.method_box = W.VBox(
            [self.controls[n] for n in dict.fromkeys(method_names)],
            layout=W.Layout(height=METHOD_BOX_HEIGHT, overflow="hidden"),
        )
        others = [n for n in names if n not in method_names and n != "index"]
        left = W.VBox(
            [self.controls["index"], *(self.controls[n] for n in others), self.method_box, draw_box]
        )
        self.assemble(W.VBox([fig.canvas, W.HBox([scores.canvas, self.check])]), left=left)
        self.start()

    # ------------------------------------------------------------------ drawing
    def _drawn(self, levels) -> None:
        """The mouse changed the drawing: explain it."""
        self.state.set(drawing=levels_to_drawing(levels), source="drawing")

    def copy_test_digit(self) -> None:
        """Start a drawing from the current test digit."""
        x = load_digit_images().x_test[self.state.index]
        self.state.set(drawing=image_to_drawing(x), source="drawing")

    def _paint(self, change=None):
        self.drawing.show(drawing_to_levels(self.state.drawing))

    def _show_method_controls(self, change=None):
        mine = set(METHOD_PARAMS[self.state.method])
        mine -= {name for name, rule in RULE_PARAMS.items() if self.state.rule != rule}
        for method_params in METHOD_PARAMS.values():
            for name in method_params:
                self.controls[name].layout.display = None if name in mine else "none"

    # ------------------------------------------------------------------ render
    def render(self, r: ExplainResult):
        self._digit.set_data(r.image)
        truth = "drawn" if r.label is None else f"label {r.label}"
        self._digit.axes.set_title(f"input ({truth})\npredicted {r.prediction}", fontsize=10)
        label = METHOD_CHOICE[r.method]
        k = r.contrast
        titles = {  # two lines each: the longest method name fits a quarter of the figure
            "c": f"{label}\nclass c = {r.target}",
            "k": f"{label}\nclass k = {k}" if k is not None else "no contrast class\n(k: none)",
            "c-k": f"why {r.target} and not {k}?\n$\\Phi_c - \\Phi_k$"
            if k is not None
            else "choose a contrast k\n",
        }
        _show_shared([(im, r.maps.get(key, np.zeros((8, 8)))) for key, im in self._maps.items()])
        for key, im in self._maps.items():
            im.axes.set_title(titles[key], fontsize=10)
        self.colorbar.set_label(UNITS.get(r.method, "relevance $R_i$"), fontsize=9)
        for c, bar in enumerate(self._bars):
            bar.set_height(max(float(r.probabilities[c]), 1e-6) - 1e-6)
            bar.set_color(
                "#c62828" if c == r.target else "#1565c0" if c == r.contrast else "#9e9e9e"
            )
        self.check.value = f"<div style='padding:8px'>red: c, blue: k<br>{r.check}</div>"
