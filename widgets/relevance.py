r"""Lecture 07, relevance maps: why did the network decide this? Four panels.

- :class:`ExplainPanel`: a test digit (or one you draw), the prediction and the class scores,
  and the relevance map of a chosen method for a class :math:`c`, for a contrast class :math:`k`
  and for :math:`\Phi_c - \Phi_k` ("why 3 and not 8?"), with the method's parameters.
- :class:`ComparePanel`: every method side by side on the same input.
- :class:`EvaluationPanel`: relevance-ordering and pixel-flipping curves of every method over
  many test images, AOPC and the random baseline.
- :class:`RateDistortionPanel`: RDE's mask, its optimisation, and the rate-distortion curve
  (distortion against mask size) of RDE's ordering against other methods' and a random one.

The states compute through :mod:`course.relevance`; slow work (RDE, the evaluation) runs as a
generator job with progress and a stop button.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from course.progress import Progress
from course.relevance.evaluation import evaluate_steps
from course.relevance.explain import METHODS, explain
from course.relevance.lrp import RULES, lrp_relevances
from course.relevance.methods import explained_output, ig_completeness_gap
from course.relevance.models import MODELS, load_digits_split, load_model, logits, torch_threads
from course.relevance.rde import rate_distortion_curve, rde_steps

from .figures import new_figure
from .live import LiveState
from .panel import LivePanel
from .params import Choice, Flag, FloatRange, IntRange, InvalidValue, Text, param

__all__ = [
    "ExplainState",
    "ExplainPanel",
    "CompareState",
    "ComparePanel",
    "EvaluationState",
    "EvaluationPanel",
    "RateDistortionState",
    "RateDistortionPanel",
]

N_TEST = 540
METHOD_CHOICE = {name: m.label for name, m in METHODS.items()}
MODEL_CHOICE = {name: name.upper() for name in MODELS}
TARGET_CHOICE = {-1: "predicted", **{c: str(c) for c in range(10)}}
CONTRAST_CHOICE = {-2: "runner-up", -1: "none", **{c: str(c) for c in range(10)}}
SOURCE_CHOICE = {"test": "test digit", "drawing": "my drawing"}
LEVELS = (0.0, 0.5, 1.0)  # grey levels of a drawn pixel; a click cycles through them


@dataclass(frozen=True)
class Drawing(Text):
    """A drawn 8x8 image as 64 characters '0', '1', '2' (grey levels 0, 1/2, 1), row by row."""

    default: str = "0" * 64
    max_length: int = 64

    def describe(self) -> str:
        return "64 characters from '012' (the drawn pixels, row by row)"

    def validate(self, name, value):
        if not isinstance(value, str) or len(value) != 64 or set(value) - set("012"):
            raise InvalidValue(f"{name} must be {self.describe()}; got {value!r:.40}")
        return value


def drawing_to_image(code: str) -> np.ndarray:
    """The image ``(8, 8)`` of a drawing code."""
    return np.array([LEVELS[int(ch)] for ch in code], dtype=np.float64).reshape(8, 8)


def image_to_drawing(image) -> str:
    """The nearest drawing code of an image with values in [0, 1]."""
    levels = np.rint(np.clip(np.asarray(image, dtype=float), 0, 1) * 2).astype(int)
    return "".join(str(v) for v in levels.ravel())


# ---------------------------------------------------------------------------- shared pieces
def _one_thread(compute):
    """Run a compute method (plain or generator) with one torch thread (see ``torch_threads``)."""

    def resume(job):
        with torch_threads(1):
            return (yield from job)

    @functools.wraps(compute)
    def wrapper(*args, **kwargs):
        with torch_threads(1):
            out = compute(*args, **kwargs)
        return resume(out) if inspect.isgenerator(out) else out

    return wrapper


def _method_options(p: dict) -> dict:
    """The options of each method, from a panel's parameters (one dict: validates and dispatches)."""
    return {
        "gradient": {},
        "gradient_x_input": {},
        "smoothgrad": {"noise": p.get("noise", 0.15), "n_samples": p.get("sg_samples", 32)},
        "integrated_gradients": {"steps": p.get("ig_steps", 64)},
        "occlusion": {"patch": p.get("patch", 2)},
        "lrp": {
            "rule": p.get("rule", "epsilon"),
            "eps": p.get("eps", 0.1),
            "alpha": p.get("alpha", 2.0),
            "input_rule": "zB" if p.get("input_zb", True) else None,
        },
        "rde": {"lam": p.get("lam", 0.003), "iterations": p.get("rde_iterations", 150)},
    }


#: LRP's parameters that matter only for one rule.
RULE_PARAMS = {"eps": "epsilon", "alpha": "alpha_beta"}

#: Which parameters belong to which method: the panel shows only the chosen method's.
METHOD_PARAMS = {
    "gradient": (),
    "gradient_x_input": (),
    "smoothgrad": ("noise", "sg_samples"),
    "integrated_gradients": ("ig_steps",),
    "occlusion": ("patch",),
    "lrp": ("rule", "eps", "alpha", "input_zb"),
    "rde": ("lam", "rde_iterations"),
}


def _relevance_job(model, x, method, options, *, target, contrast=None):
    """A map as a generator job: RDE streams its mask, the others return at once."""
    if method == "rde":
        job = rde_steps(model, x, target=target, contrast=contrast, **options)
        while True:
            try:
                item = next(job)
            except StopIteration as stop:
                return stop.value.mask
            yield Progress(item.fraction, item.partial.mask, item.message)
    return explain(model, x, method=method, target=target, contrast=contrast, **options)
    yield  # pragma: no cover  (makes this a generator)


def _run_job(job, on_progress):
    """Drive a sub-job, passing its progress on; returns its value."""
    while True:
        try:
            item = next(job)
        except StopIteration as stop:
            return stop.value
        on_progress(item)


def _symmetric(im, values):
    m = float(np.max(np.abs(values))) if np.size(values) else 0.0
    m = m if m > 0 else 1.0
    im.set_data(values)
    im.set_clim(-m, m)


def _map_axes(ax, title):
    im = ax.imshow(np.zeros((8, 8)), cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
    ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    return im


def _digit_axes(ax, title="input"):
    im = ax.imshow(np.zeros((8, 8)), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    return im


# ============================================================================ panel 1: explain
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
    sg_samples = param(IntRange(default=32, min=1, max=128, label="samples $N$"))
    patch = param(IntRange(default=2, min=1, max=4, label="patch size"))
    lam = param(FloatRange(default=0.003, min=1e-4, max=0.1, log=True, label="$\\lambda$"))
    rde_iterations = param(IntRange(default=150, min=10, max=1000, step=10, label="iterations"))
    drawing = param(Drawing())

    @_one_thread
    def compute(self, **p):
        return self._job(p)

    def _job(self, p):
        data = load_digits_split()
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

            def progress(item, n=n, key=key):
                partial = ExplainResult(
                    x,
                    label,
                    prob,
                    pred,
                    c,
                    k,
                    method,
                    {**maps, key: item.partial},
                    "optimising the mask ...",
                )
                return Progress((n + item.fraction) / len(asks), partial, item.message)

            job = _relevance_job(model, x, method, options, target=t, contrast=kk)
            while True:
                try:
                    item = next(job)
                except StopIteration as stop:
                    maps[key] = stop.value
                    break
                yield progress(item)
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
        x = load_digits_split().x_test[self.state.index]
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


# ============================================================================ panel 2: compare
@dataclass(frozen=True)
class CompareResult:
    """The maps of every method (``maps[name]``) for one digit and class."""

    image: np.ndarray
    target: int
    maps: dict


class CompareState(LiveState):
    """Every method on the same digit and class, with default parameters (RDE last, streamed)."""

    index = param(IntRange(default=0, min=0, max=N_TEST - 1, label="test digit #"))
    model = param(Choice(default="cnn", options=MODEL_CHOICE, label="network"))
    target = param(Choice(default=-1, options=TARGET_CHOICE, label="class $c$"))
    lam = param(FloatRange(default=0.003, min=1e-4, max=0.1, log=True, label="RDE $\\lambda$"))

    @_one_thread
    def compute(self, index, model, target, lam):
        net = load_model(model)
        x = load_digits_split().x_test[index]
        c = int(np.argmax(logits(net, x)[0])) if target == -1 else target
        options = _method_options({"lam": lam})
        maps = {}
        for name in METHODS:
            if name == "rde":
                continue
            maps[name] = explain(net, x, method=name, target=c, **options[name])
        yield Progress(0.1, CompareResult(x, c, dict(maps)), "fast methods done")
        job = rde_steps(net, x, target=c, **options["rde"])
        while True:
            try:
                item = next(job)
            except StopIteration as stop:
                maps["rde"] = stop.value.mask
                break
            yield Progress(
                0.1 + 0.9 * item.fraction,
                CompareResult(x, c, {**maps, "rde": item.partial.mask}),
                item.message,
            )
        return CompareResult(x, c, maps)


class ComparePanel(LivePanel):
    """All methods side by side on the same input."""

    def __init__(self, **values):
        super().__init__(
            CompareState(compute_now=False, **values),
            title="All methods side by side",
            show_progress=True,
        )
        fig, axes = new_figure(860, 420, nrows=2, ncols=4)
        axes = axes.ravel()
        self._digit = _digit_axes(axes[0])
        self._maps = {
            name: _map_axes(ax, m.label) for (name, m), ax in zip(METHODS.items(), axes[1:])
        }
        self.figures = {"maps": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, r: CompareResult):
        self._digit.set_data(r.image)
        self._digit.axes.set_title(f"input, class c = {r.target}", fontsize=10)
        for name, im in self._maps.items():
            _symmetric(im, r.maps.get(name, np.zeros((8, 8))))


# ============================================================================ panel 3: evaluation
class EvaluationState(LiveState):
    """Relevance ordering and pixel flipping over many test images; started by a button."""

    auto = False

    model = param(Choice(default="cnn", options=MODEL_CHOICE, label="network"))
    n_images = param(IntRange(default=20, min=2, max=200, label="test images"))
    n_steps = param(IntRange(default=16, min=4, max=64, label="steps"))
    n_draws = param(IntRange(default=4, min=1, max=16, label="noise draws"))
    with_rde = param(Flag(default=True, label="include RDE (slow)"))

    @_one_thread
    def compute(self, model, n_images, n_steps, n_draws, with_rde):
        methods = [m for m in METHODS if with_rde or m != "rde"]
        images = load_digits_split().x_test[:n_images]
        return evaluate_steps(
            load_model(model), images, methods=methods, n_steps=n_steps, n_draws=n_draws
        )


_COLOURS = {"random": "black", **{n: f"C{i}" for i, n in enumerate(METHODS)}}


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
            for name in ["random", *METHODS]:
                label = "random" if name == "random" else METHODS[name].label
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
        ax2.legend(fontsize=8, loc="upper right")
        self.table = W.HTML()
        self.run_button = W.Button(description="Evaluate", icon="play", button_style="success")
        self.run_button.on_click(lambda _: self.state.request())
        self.figures = {"curves": fig}
        self.assemble(
            W.VBox([fig.canvas, self.table]), left=self.control_box(extra=[self.run_button])
        )
        self.state.request()  # one run at start; later runs by the button

    def render(self, r):
        for key in ("ordering", "flipping"):
            curves = getattr(r, key)
            for name, line in self._lines[key].items():
                y = curves.get(name)
                line.set_data((r.fractions, y) if y is not None else ([], []))
        rows = "".join(
            f"<tr><td>{'random' if n == 'random' else METHODS[n].label}</td>"
            f"<td>{r.aopc[n]:.3f}</td><td>{r.ordering_area[n]:.3f}</td></tr>"
            for n in r.methods
        )
        self.table.value = (
            f"<table style='border-spacing:12px 2px'><tr><th>method</th><th>AOPC (flipping)</th>"
            f"<th>area (ordering)</th></tr>{rows}</table><small>{r.n_images} test images; "
            f"larger is better in both columns</small>"
        )


# ============================================================================ panel 4: RDE
@dataclass(frozen=True)
class RateDistortionResult:
    """RDE's mask and history, and rate-distortion curves of several orderings."""

    image: np.ndarray
    target: int
    mask: np.ndarray
    objective: np.ndarray
    distortion: np.ndarray
    curves: dict  # name -> RateDistortionCurve


class RateDistortionState(LiveState):
    r"""RDE on one digit: :math:`\min_s D(s) + \lambda\|s\|_1`, then :math:`D` against mask size."""

    lam = param(FloatRange(default=0.003, min=1e-4, max=0.1, log=True, label="$\\lambda$"))
    index = param(IntRange(default=0, min=0, max=N_TEST - 1, label="test digit #"))
    model = param(Choice(default="cnn", options=MODEL_CHOICE, label="network"))
    iterations = param(IntRange(default=150, min=10, max=1000, step=10, label="iterations"))

    @_one_thread
    def compute(self, lam, index, model, iterations):
        net = load_model(model)
        x = load_digits_split().x_test[index]
        c = int(np.argmax(logits(net, x)[0]))
        job = rde_steps(net, x, target=c, lam=lam, iterations=iterations)
        while True:
            try:
                item = next(job)
            except StopIteration as stop:
                res = stop.value
                break
            p = item.partial
            yield Progress(
                0.8 * item.fraction,
                RateDistortionResult(x, c, p.mask, p.objective, p.distortion, {}),
                item.message,
            )
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
        axes[1].legend(fontsize=8)
        self._curves = {}
        for name in ("rde", "lrp", "integrated_gradients", "gradient", "random"):
            label = "random" if name == "random" else METHODS[name].label
            (self._curves[name],) = axes[2].plot(
                [],
                [],
                color=_COLOURS[name],
                ls="--" if name == "random" else "-",
                lw=2.5 if name == "rde" else 1.5,
                label=label,
            )
        axes[2].set(
            xlim=(0, 64),
            ylim=(0, 0.5),
            xlabel="pixels kept $k$",
            ylabel="distortion $D$",
            title="rate-distortion curve",
        )
        axes[2].legend(fontsize=8)
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
