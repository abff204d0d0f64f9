"""Lecture 07, panel 1: why did the network decide this? One method, class and contrast."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from course.progress import relay
from course.relevance.explain import explain_steps
from course.relevance.lrp import RULES, lrp_relevances
from course.relevance.methods import explained_output, ig_completeness_gap
from course.relevance.models import load_digit_images, load_model, logits

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, Flag, FloatRange, IntRange, param
from ._common import (
    CONTRAST_CHOICE,
    LEVELS,
    METHOD_CHOICE,
    METHOD_PARAMS,
    MODEL_CHOICE,
    N_TEST,
    RULE_PARAMS,
    SOURCE_CHOICE,
    TARGET_CHOICE,
    Drawing,
    _digit_axes,
    _map_axes,
    _method_options,
    _symmetric,
    drawing_to_image,
    image_to_drawing,
)


@dataclass(frozen=True)
class ExplainResult:
    """A digit, the network's scores, and the maps for c, for k and for c against k.

    ``maps`` holds up to three 8x8 maps keyed ``'c'``, ``'k'``, ``'c-k'`` (only ``'c'`` when no
    contrast is chosen); ``check`` is a line stating the method's identity (conservation,
    completeness) as measured on this input.
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
            self._check(model, x, method, options, c, maps["c"]),
        )

    @staticmethod
    def _check(model, x, method, options, c, r):
        f = explained_output(model, x, target=c)
        if method == "lrp":
            layers = lrp_relevances(model, x, target=c, **options)
            return (
                f"conservation: Σ R = {layers[0].sum():.4f} at the pixels, "
                f"{layers[-1].sum():.4f} = Φ_c(x) at the output"
            )
        if method == "integrated_gradients":
            gap = float(ig_completeness_gap(model, x, r, target=c))
            return f"completeness: Σ R − (f(x) − f(0)) = {gap:+.2e}"
        if method == "gradient_x_input":
            return f"Σ R = {r.sum():.4f}, Φ_c(x) = {f:.4f} (equal only for bias-free networks)"
        if method == "rde":
            return f"mask size ‖s‖₁ = {r.sum():.1f} of 64 pixels"
        return f"Φ_c(x) = {f:.4f}, Σ R = {r.sum():.4f}"


class ExplainPanel(LivePanel):
    """Pick or draw a digit; see the scores and the relevance map for c, k and c against k."""

    def __init__(self, **values):
        state = ExplainState(compute_now=False, **values)
        names = [n for n in state.param_specs() if n != "drawing"]
        super().__init__(
            state, title="Why did the network decide this?", controls=names, show_progress=True
        )
        fig, axes = new_figure(820, 250, ncols=4)
        self._digit = _digit_axes(axes[0])
        self._maps = {
            key: _map_axes(ax, t)
            for key, ax, t in zip(
                ("c", "k", "c-k"), axes[1:], ("class c", "class k", "c against k")
            )
        }
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
        self.figures = {"maps": fig, "scores": scores}
        self.check = W.HTML()
        self.pixels = [
            W.Button(
                layout=W.Layout(
                    width="24px", height="24px", padding="0", border="1px solid #9e9e9e"
                )
            )
            for _ in range(64)
        ]
        for i, b in enumerate(self.pixels):
            b.on_click(lambda _, i=i: self.toggle_pixel(i))
        self.clear_button = W.Button(description="Clear", layout=W.Layout(width="80px"))
        self.clear_button.on_click(lambda _: self.state.set(drawing="0" * 64, source="drawing"))
        self.copy_button = W.Button(description="Copy test digit", layout=W.Layout(width="130px"))
        self.copy_button.on_click(lambda _: self.copy_test_digit())
        grid = W.GridBox(
            self.pixels, layout=W.Layout(grid_template_columns="repeat(8, 24px)", grid_gap="1px")
        )
        draw_box = W.VBox(
            [
                W.HTML("<b>draw</b> (click: grey, black, white)"),
                grid,
                W.HBox([self.clear_button, self.copy_button]),
            ]
        )
        state.observe(self._show_method_controls, names=["method", "rule"])
        state.observe(self._paint, names="drawing")
        self._show_method_controls()
        self._paint()
        left = self.control_box(names=[n for n in names if n != "index"], extra=[draw_box])
        left.children = (self.controls["index"], *left.children)
        self.assemble(W.VBox([fig.canvas, W.HBox([scores.canvas, self.check])]), left=left)
        self.start()

    # ------------------------------------------------------------------ drawing
    def toggle_pixel(self, i: int) -> None:
        """Cycle pixel ``i`` (row-major) through the grey levels and explain the drawing."""
        code = list(self.state.drawing)
        code[i] = str((int(code[i]) + 1) % len(LEVELS))
        self.state.set(drawing="".join(code), source="drawing")

    def copy_test_digit(self) -> None:
        """Start a drawing from the current test digit."""
        x = load_digit_images().x_test[self.state.index]
        self.state.set(drawing=image_to_drawing(x), source="drawing")

    def _paint(self, change=None):
        for b, ch in zip(self.pixels, self.state.drawing):
            b.style.button_color = ("#ffffff", "#888888", "#000000")[int(ch)]

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
        self._digit.axes.set_title(f"input ({truth}), predicted {r.prediction}", fontsize=10)
        label = METHOD_CHOICE[r.method]
        titles = {
            "c": f"{label}: class {r.target}",
            "k": f"class {r.contrast}" if r.contrast is not None else "no contrast class",
            "c-k": (
                f"why {r.target} and not {r.contrast}?"
                if r.contrast is not None
                else "choose a contrast k"
            ),
        }
        for key, im in self._maps.items():
            _symmetric(im, r.maps.get(key, np.zeros((8, 8))))
            im.axes.set_title(titles[key], fontsize=10)
        for c, bar in enumerate(self._bars):
            bar.set_height(max(float(r.probabilities[c]), 1e-6) - 1e-6)
            bar.set_color(
                "#c62828" if c == r.target else "#1565c0" if c == r.contrast else "#9e9e9e"
            )
        self.check.value = f"<div style='padding:8px'>red: c, blue: k<br>{r.check}</div>"
