"""Lecture 07 panels, headless: every control changes the state and the figures' data."""

from __future__ import annotations

import numpy as np
import pytest

from course.relevance.explain import METHODS, explain
from course.relevance.models import load_digit_images, load_model, predict
from widgets.live import NOT_COMPUTED
from widgets.relevance import (
    METHOD_PARAMS,
    ComparePanel,
    EvaluationPanel,
    ExplainPanel,
    RateDistortionPanel,
    drawing_to_image,
    image_to_drawing,
)
from widgets.relevance._common import drawing_to_levels
from widgets.relevance.explain import METHOD_BOX_HEIGHT


def image(fig, k):
    return np.asarray(fig.axes[k].images[0].get_array(), dtype=float)


@pytest.fixture
def explain_panel(reuse):
    return reuse("explain_panel", lambda: ExplainPanel(), 60)


@pytest.fixture(scope="module")
def data():
    return load_digit_images()


def test_explain_shows_digit_scores_and_the_map(explain_panel, data):
    p = explain_panel
    p.state.set(method="lrp", rule="epsilon", eps=0.1, input_zb=True, contrast=-1, target=-1)
    p.controls["index"].value = 7
    assert p.wait(30) and p.state.ok
    r = p.state.result
    x = data.x_test[7]
    assert np.array_equal(image(p.figures["maps"], 0), x)
    assert r.prediction == predict(load_model("cnn"), x)[0] == r.target
    # bars start at 1e-6 (log scale): their tops are the probabilities, floored at 1e-6
    tops = [b.get_y() + b.get_height() for b in p.figures["scores"].axes[0].patches]
    assert np.allclose(tops, np.maximum(r.probabilities, 1e-6), rtol=0, atol=1e-12)
    assert np.isclose(r.probabilities.sum(), 1.0)
    expected = explain(
        load_model("cnn"),
        x,
        method="lrp",
        target=r.target,
        rule="epsilon",
        eps=0.1,
        input_rule="zB",
    )
    assert np.allclose(image(p.figures["maps"], 1), expected, atol=1e-12)
    assert "conservation" in p.check.value


def test_contrast_class_gives_three_maps(explain_panel, data):
    p = explain_panel
    p.state.set(method="gradient", index=3)
    p.controls["target"].value = 3
    p.controls["contrast"].value = 8
    assert p.wait(30) and p.state.ok
    r = p.state.result
    assert set(r.maps) == {"c", "k", "c-k"}
    # the gradient is linear in the explained function: map(c - k) = map(c) - map(k)
    assert np.allclose(r.maps["c-k"], r.maps["c"] - r.maps["k"], atol=1e-12)
    assert np.allclose(image(p.figures["maps"], 3), r.maps["c-k"])
    assert "why 3 and not 8" in p.figures["maps"].axes[3].get_title()
    p.controls["contrast"].value = -1
    assert p.wait(30) and set(p.state.result.maps) == {"c"}
    # the default contrast is the runner-up: the class with the second-largest score
    p.controls["contrast"].value = -2
    p.controls["target"].value = -1
    assert p.wait(30)
    r = p.state.result
    assert r.contrast == int(np.argsort(r.probabilities)[-2]) and set(r.maps) == {"c", "k", "c-k"}


#: For each method, its parameters in an order where every change moves the map.
CHANGES = {
    "gradient": [],
    "gradient_x_input": [],
    "smoothgrad": [("noise", 0.4), ("sg_samples", 5)],
    "integrated_gradients": [("ig_steps", 3)],
    "occlusion": [("patch", 3)],
    "lrp": [
        ("rule", "epsilon"),
        ("eps", 5.0),
        ("rule", "alpha_beta"),
        ("alpha", 3.0),
        ("input_zb", False),
        ("rule", "zplus"),
    ],
}


@pytest.mark.parametrize("method", list(CHANGES))
def test_every_method_and_its_parameters(explain_panel, method, data):
    p = explain_panel
    p.state.set(contrast=-1, target=-1, index=4, rule="zero")
    p.controls["method"].value = method
    assert p.wait(30) and p.state.ok and p.state.result.method == method
    assert {name for name, _ in CHANGES[method]} == set(METHOD_PARAMS[method])
    for name, new in CHANGES[method]:
        assert p.controls[name].layout.display is None, name  # shown
        before = p.state.result.maps["c"]
        p.controls[name].value = new
        assert p.wait(30) and p.state.ok
        assert getattr(p.state, name) == new
        assert not np.array_equal(p.state.result.maps["c"], before), name
    hidden = {n for ps in METHOD_PARAMS.values() for n in ps} - set(METHOD_PARAMS[method])
    assert all(p.controls[n].layout.display == "none" for n in hidden)


def test_rde_in_the_explain_panel(explain_panel):
    p = explain_panel
    p.state.set(method="rde", contrast=-1, index=2, rde_iterations=60)
    p.controls["lam"].value = 0.01
    assert p.wait(60) and p.state.ok and p.state.final
    mask = p.state.result.maps["c"]
    assert mask.min() >= 0 and mask.max() <= 1
    assert "mask size" in p.check.value
    p.controls["rde_iterations"].value = 20
    assert p.wait(60) and p.state.ok


def test_model_and_source_controls(explain_panel):
    p = explain_panel
    p.state.set(method="gradient_x_input", source="test", index=5)
    p.controls["model"].value = "mlp"
    assert p.wait(30) and p.state.ok and p.state.model == "mlp"
    p.controls["source"].value = "drawing"
    assert p.wait(30) and p.state.result.label is None
    p.controls["source"].value = "test"
    p.controls["model"].value = "cnn"
    assert p.wait(30)


def mouse(panel, kind, col, row, *, buttons=1, **override):
    """Send the drawing canvas the message a browser sends for a mouse event over pixel
    ``(row, col)`` (through the canvas's message handler, as from a client)."""
    canvas = panel.drawing.figure.canvas
    x, y = panel.drawing.ax.transData.transform((col, row))
    height = canvas.get_renderer().height
    message = {
        "type": kind,
        "x": float(x),
        "y": float(height - y),  # the browser counts from the top
        "button": 0,
        "buttons": buttons,
        "modifiers": [],
        "guiEvent": {},
        **override,
    }
    canvas._handle_message(canvas, message, [])


def stroke(panel, points):
    """Press at the first ``(col, row)``, drag through the others, release at the last."""
    mouse(panel, "button_press", *points[0])
    for col, row in points[1:]:
        mouse(panel, "motion_notify", col, row)
    mouse(panel, "button_release", *points[-1], buttons=0)


def test_drawing_with_the_mouse(explain_panel, data):
    p = explain_panel
    p.clear_button.click()
    assert p.wait(30) and p.state.drawing == "0" * 64 and p.state.source == "drawing"
    # a vertical stroke down column 4, dragged in steps of a quarter pixel or of two pixels
    stroke(p, [(4.0, r) for r in np.linspace(1.0, 7.0, 25)])
    assert p.wait(30) and p.state.ok
    levels = drawing_to_levels(p.state.drawing)
    assert np.array_equal(levels, p.drawing.levels)
    assert np.all(levels[1:, 4] == 16)  # the stroke: the darkest grey level of the data
    edge = np.zeros((8, 8), bool)
    edge[1:, 3] = edge[1:, 5] = edge[0, 4] = True
    assert np.all(levels[edge] == 4)  # the brush's soft edge, once per stroke
    assert np.all(levels[~edge & (levels != 16)] == 0)
    assert np.array_equal(image(p.figures["maps"], 0), levels / 16)
    assert p.state.result.prediction == 1  # the shipped CNN reads the stroke as a 1
    # a fast drag reports points far apart: the pixels between them are painted too
    p.clear_button.click()
    assert p.wait(30)
    stroke(p, [(1.0, 2.0), (6.0, 2.0)])
    assert p.wait(30) and np.all(drawing_to_levels(p.state.drawing)[2, 1:7] == 16)
    # moving without the button pressed, or with another button, paints nothing
    before = p.state.drawing
    mouse(p, "motion_notify", 3.0, 5.0, buttons=0)
    mouse(p, "button_press", 3.0, 5.0, button=2)
    mouse(p, "motion_notify", 3.0, 6.0, buttons=4)
    assert p.wait(30) and p.state.drawing == before
    # Copy test digit: the drawing is the test digit exactly (the data have 17 grey levels)
    p.state.set(index=12)
    p.copy_button.click()
    assert p.wait(30)
    assert np.array_equal(image(p.figures["maps"], 0), data.x_test[12])
    assert image_to_drawing(drawing_to_image(p.state.drawing)) == p.state.drawing
    with pytest.raises(ValueError, match="drawing must be 64 characters"):
        p.state.set(drawing="abc")
    with pytest.raises(ValueError, match="drawing must be 64 characters"):
        p.state.set(drawing="h" * 64)  # a grey level 17
    p.state.set(source="test")
    assert p.wait(30)


#: Mouse messages a hostile or broken client may send: outside the image, not numbers, huge.
HOSTILE_MOUSE = [
    {"x": float("nan")},
    {"y": float("inf")},
    {"x": "abc"},
    {"x": None},
    {"x": 1e12, "y": -1e12},
    {"x": -5.0},
    {"y": 1e5},
    {"x": True},
    {"button": "left"},
    {"buttons": None},
    {"modifiers": "shift"},
]


@pytest.mark.parametrize("bad", HOSTILE_MOUSE, ids=[repr(b) for b in HOSTILE_MOUSE])
def test_hostile_mouse_events_are_ignored(explain_panel, bad):
    p = explain_panel
    p.clear_button.click()
    assert p.wait(30)
    for kind in ("button_press", "motion_notify", "button_release", "dblclick", "scroll"):
        mouse(p, kind, 3.0, 3.0, **bad)
    # a stroke in progress ignores a bad point and goes on with the good ones
    mouse(p, "button_press", 2.0, 2.0)
    mouse(p, "motion_notify", 2.0, 3.0, **bad)
    mouse(p, "button_release", 2.0, 2.0, buttons=0)
    assert p.wait(30) and p.state.ok
    levels = drawing_to_levels(p.state.drawing)
    assert levels[2, 2] == 16 and levels.sum() == 16 + 4 * 4, bad


def test_maps_share_one_symmetric_colour_scale(explain_panel):
    p = explain_panel
    for method, contrast in (("lrp", -2), ("gradient", 8), ("rde", -2)):
        p.state.set(method=method, contrast=contrast, index=3, rde_iterations=20)
        assert p.wait(60) and p.state.ok and set(p.state.result.maps) == {"c", "k", "c-k"}
        images = [p.figures["maps"].axes[k].images[0] for k in (1, 2, 3)]
        lo, hi = images[0].get_clim()
        assert lo == -hi and hi > 0
        assert all(im.get_clim() == (lo, hi) for im in images)  # shared by the compared maps
        top = max(np.abs(m).max() for m in p.state.result.maps.values())
        assert np.isclose(hi, top, rtol=1e-12)  # the largest |R_i| of the three sets the scale
        assert images[0].colorbar is p.colorbar and p.colorbar.ax in p.figures["maps"].axes
        assert p.colorbar.norm.vmin == lo and p.colorbar.norm.vmax == hi


def test_switching_methods_keeps_the_page_height(explain_panel):
    # the left column reserves the largest method's controls; figures have fixed sizes
    p = explain_panel
    sizes = []
    for method in [*METHODS, "lrp"]:
        for rule in ("epsilon", "alpha_beta", "zero"):
            p.state.set(method=method, rule=rule, rde_iterations=20)
            assert p.wait(60) and p.state.ok
            shown = [
                n
                for n in dict.fromkeys(sum(METHOD_PARAMS.values(), ()))
                if p.controls[n].layout.display != "none"
            ]
            assert len(shown) <= 3, shown  # what METHOD_BOX_HEIGHT reserves room for
            sizes.append(
                (
                    p.method_box.layout.height,
                    p.check.layout.min_height,
                    *(tuple(f.get_size_inches()) for f in p.figures.values()),
                )
            )
    assert len(set(sizes)) == 1, set(sizes)
    assert p.method_box.layout.height == METHOD_BOX_HEIGHT


@pytest.fixture
def compare(reuse):
    return reuse("compare", lambda: ComparePanel(), 60)


def test_compare_shows_every_method(compare, data):
    p = compare
    p.controls["index"].value = 9
    p.controls["target"].value = 2
    assert p.wait(60) and p.state.ok and p.state.final
    r = p.state.result
    assert set(r.maps) == set(METHODS) and r.target == 2
    fig = p.figures["maps"]
    assert np.array_equal(image(fig, 0), data.x_test[9])
    grad = explain(load_model("cnn"), data.x_test[9], method="gradient", target=2)
    # each map divided by its largest |R_i|, all on one symmetric scale with a colour bar
    assert np.allclose(image(fig, 1), grad / np.abs(grad).max())
    assert f"{np.abs(grad).max():.3g}" in fig.axes[1].get_title()
    for k, name in enumerate(METHODS, start=1):
        im = fig.axes[k].images[0]
        assert im.get_clim() == (-1.0, 1.0), name
        assert np.isclose(np.abs(image(fig, k)).max(), 1.0), name
    # one colour bar, on the scale of every map
    assert fig.axes[1].images[0].colorbar is p.colorbar and p.colorbar.ax in fig.axes
    assert (p.colorbar.norm.vmin, p.colorbar.norm.vmax) == (-1.0, 1.0)
    p.controls["lam"].value = 0.02
    p.controls["model"].value = "mlp"
    assert p.wait(60) and p.state.ok and p.state.model == "mlp"
    for name, control in p.controls.items():
        for bad in (1e9, float("nan"), "abc"):
            before = p.state.params()
            control.set_state({"value": bad})
            assert p.state.params() == before and p.state.status.startswith(name)


def test_evaluation_panel_runs_on_the_button():
    p = EvaluationPanel(n_images=4, n_steps=4, n_draws=1, with_slow=False)
    assert p.wait(60) and p.state.ok
    r = p.state.result
    assert r.n_images == 4 and "rde" not in r.methods and "random" in r.methods
    lines = p.figures["curves"].axes[1].lines
    flipping = {line.get_label(): line for line in lines}
    assert np.allclose(flipping["LRP"].get_ydata(), r.flipping["lrp"])
    # parameters alone do not start the slow evaluation; the button does
    p.controls["n_images"].value = 6
    p.controls["n_steps"].value = 8
    p.controls["n_draws"].value = 2
    p.controls["model"].value = "mlp"
    p.controls["with_slow"].value = True
    # not computed yet for these settings: the figure is cleared, nothing ran
    assert p.wait(5) and p.state.result is NOT_COMPUTED
    assert all(len(line.get_xdata()) == 0 for line in lines)
    p.start_button.click()
    assert p.wait(120) and p.state.ok
    r = p.state.result
    assert r.n_images == 6 and "rde" in r.methods and len(r.fractions) == 9
    assert "AOPC" in p.table.value
    for name, control in p.controls.items():
        for bad in (1e9, float("nan"), "abc"):
            before = p.state.params()
            control.set_state({"value": bad})
            assert p.state.params() == before and p.state.status.startswith(name)


def test_rate_distortion_panel(data):
    p = RateDistortionPanel(iterations=40)
    assert p.wait(60) and p.state.ok
    r = p.state.result
    assert set(r.curves) == {"rde", "lrp", "integrated_gradients", "gradient", "random"}
    line = p.figures["rde"].axes[2].lines[0]
    assert np.allclose(line.get_ydata(), r.curves["rde"].distortion)
    size = r.mask.sum()
    p.controls["lam"].value = 0.05
    assert p.wait(60) and p.state.ok
    assert p.state.result.mask.sum() < size  # a higher price per pixel: a smaller mask
    p.controls["index"].value = 1
    p.controls["model"].value = "mlp"
    p.controls["iterations"].value = 30
    assert p.wait(60) and p.state.ok and len(p.state.result.objective) == 30
    for name, control in p.controls.items():
        for bad in (1e9, float("nan"), "abc"):
            before = p.state.params()
            control.set_state({"value": bad})
            assert p.state.params() == before and p.state.status.startswith(name)
