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


def test_drawing_by_clicking_pixels(explain_panel, data):
    p = explain_panel
    p.clear_button.click()
    assert p.wait(30) and p.state.drawing == "0" * 64 and p.state.source == "drawing"
    p.pixels[9].click()  # row 1, col 1: grey
    p.pixels[9].click()  # black
    p.pixels[10].click()
    assert p.wait(30) and p.state.ok
    x = image(p.figures["maps"], 0)
    assert x[1, 1] == 1.0 and x[1, 2] == 0.5 and x.sum() == 1.5
    assert p.pixels[9].style.button_color == "#000000"
    p.state.set(index=12)
    p.copy_button.click()
    assert p.wait(30)
    assert np.abs(image(p.figures["maps"], 0) - data.x_test[12]).max() <= 0.25
    assert image_to_drawing(drawing_to_image(p.state.drawing)) == p.state.drawing
    with pytest.raises(ValueError, match="drawing must be 64 characters"):
        p.state.set(drawing="abc")
    p.state.set(source="test")
    assert p.wait(30)


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
    assert np.allclose(image(fig, 1), grad)
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
