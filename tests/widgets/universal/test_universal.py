"""Lecture 02 panels, headless: every control changes the state and the data in the figures;
hostile values are refused with a message naming the parameter, and the state keeps its value."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from widgets.figcheck import text_problems
from widgets.universal import MAX_CONTRIBUTIONS


def settle(panel, timeout=60):
    assert panel.wait(timeout)
    assert panel.state.ok, panel.state.status
    return panel.state.result


def lines(fig, ax=0):
    return fig.axes[ax].lines


def reset(panel, **values):
    for name, value in values.items():
        panel.controls[name].value = value
    return settle(panel)


# ----------------------------------------------------------------------------- 1D panel
def test_first_control_is_the_width_slider_and_it_changes_the_plot(shallow):
    assert list(shallow.controls)[0] == "width"
    reset(shallow, target="sine", activation="relu", method="construction")
    phi = lines(shallow.figures["approximation"])[MAX_CONTRIBUTIONS + 1]
    before = np.array(phi.get_ydata())
    shallow.controls["width"].value = shallow.state.width + 3
    settle(shallow)
    assert not np.array_equal(before, phi.get_ydata())


def test_width_slider_draws_f_phi_and_the_error(shallow):
    r = reset(shallow, target="sine", activation="relu", method="construction", width=10)
    ap = r.approx
    assert ap.width == 10 and ap.net.width == 10
    # the interpolant's sup error for sin(pi x): h^2/8 max|f''| is the bound, ~ 0.049 at N = 10
    assert 0.03 < ap.sup_error <= (0.2**2 / 8) * np.pi**2
    fig = shallow.figures["approximation"]
    f_line, phi_line = lines(fig)[MAX_CONTRIBUTIONS : MAX_CONTRIBUTIONS + 2]
    np.testing.assert_array_equal(f_line.get_xdata(), ap.x)
    np.testing.assert_allclose(f_line.get_ydata(), np.sin(np.pi * ap.x))
    np.testing.assert_allclose(phi_line.get_ydata(), ap.net(ap.x))
    err, sup = lines(fig, 1)
    np.testing.assert_allclose(err.get_ydata(), np.abs(ap.f - ap.phi))
    assert sup.get_ydata()[0] == pytest.approx(ap.sup_error)
    assert f"{ap.sup_error:.3g}" in shallow.info.value and "C(\\Phi)" in shallow.info.value


@pytest.mark.parametrize("name", ["sine", "bump", "abs", "step", "sines", "expression"])
def test_target_control(shallow, name):
    r = reset(shallow, method="construction", activation="relu", target=name, width=33)
    assert shallow.state.target == name
    x = r.approx.x
    if name == "abs":
        assert r.approx.sup_error == pytest.approx(1 / 33)  # odd N: exactly 1/N
        np.testing.assert_allclose(
            lines(shallow.figures["approximation"])[MAX_CONTRIBUTIONS].get_ydata(), np.abs(x)
        )
    if name == "expression":
        assert r.approx.target.label == shallow.state.expression


def test_expression_control_accepts_a_formula(shallow):
    r = reset(
        shallow,
        target="expression",
        expression="x**2",
        width=4,
        activation="relu",
        method="construction",
    )
    assert r.approx.sup_error == pytest.approx(0.0625)  # h^2 / 4 with h = 1/2


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "().__class__",
        "undefined_name * x",
        "x" * 300,
        "x ** 10**6",
        "log(x)",
        "open('/etc/passwd').read()",
    ],
)
def test_expression_control_refuses_hostile_text(shallow, text):
    reset(shallow, target="expression", expression="x**2")
    shallow.controls["expression"].set_state({"value": text})
    assert shallow.wait(10)
    assert shallow.state.ok is False
    assert shallow.state.status.startswith("expression")
    assert shallow.state.expression == "x**2"
    # the refused text stays in its box, to be corrected (issue 15); the state kept x**2
    assert shallow.controls["expression"].value == text
    assert shallow.state.result.approx.target.label == "x**2"
    reset(shallow, width=shallow.state.width % 50 + 1)  # a good value clears the status
    assert shallow.controls["expression"].value == "x**2"  # and the box shows the state's


def test_frequency_control_changes_the_sum_of_sines(shallow):
    reset(shallow, target="sines", method="construction", activation="relu", width=200)
    e4 = shallow.state.result.approx.sup_error
    r = reset(shallow, frequency=16.0)
    assert "16" in r.approx.target.label
    assert r.approx.sup_error > 10 * e4  # error ~ omega^2 at fixed N


@pytest.mark.parametrize("act", ["relu", "sigmoid", "tanh", "heaviside", "polynomial"])
@pytest.mark.parametrize("method", ["construction", "least_squares"])
def test_activation_and_method_controls(shallow, act, method):
    r = reset(shallow, target="sine", width=65, activation=act, method=method, degree=3)
    assert r.approx.net.activation == act and r.approx.method == method
    if act == "polynomial":
        assert r.approx.sup_error > 0.19  # the best cubic is ~0.2 away from sin(pi x)
    else:
        assert r.approx.sup_error < 0.2


def test_degree_control(shallow):
    e = []
    for k in (1, 3, 5):
        e.append(
            reset(
                shallow,
                target="sine",
                activation="polynomial",
                method="construction",
                width=10,
                degree=k,
            ).approx.sup_error
        )
    assert e[0] > e[1] > e[2]  # sin(pi x) is odd: degrees 1, 3, 5 improve


def test_contributions_toggle_draws_each_neuron(shallow):
    r = reset(
        shallow,
        target="bump",
        activation="relu",
        method="construction",
        width=12,
        contributions=True,
    )
    assert r.contributions.shape == (12, r.grid.size)
    drawn = [
        ln
        for ln in lines(shallow.figures["approximation"])[:MAX_CONTRIBUTIONS]
        if len(ln.get_xdata())
    ]
    assert len(drawn) == 12
    # the contributions add up to Phi minus its bias
    total = sum(np.asarray(ln.get_ydata()) for ln in drawn)
    np.testing.assert_allclose(total + r.approx.net.bias, r.approx.net(r.grid), atol=1e-12)
    r = reset(shallow, width=500)
    assert len(r.neurons) == MAX_CONTRIBUTIONS and "of 500 neurons" in shallow.info.value
    r = reset(shallow, contributions=False)
    assert r.contributions is None
    assert all(
        len(ln.get_xdata()) == 0
        for ln in lines(shallow.figures["approximation"])[:MAX_CONTRIBUTIONS]
    )


def test_seed_control_redraws_the_random_features(shallow):
    a = reset(
        shallow, target="sine", activation="relu", method="least_squares", width=20, seed=0
    ).approx
    b = reset(shallow, seed=1).approx
    assert not np.array_equal(a.net.shift, b.net.shift)


def test_sgd_method_streams_and_can_be_stopped(shallow):
    reset(shallow, target="sine", activation="tanh", method="construction", width=8, steps=300)
    shallow.controls["method"].value = "sgd"
    r = settle(shallow, 120)
    assert r.approx.method == "sgd" and shallow.state.final
    assert shallow.state.runner.n_delivered >= 2  # partial results, then the final one
    assert r.approx.sup_error < 0.9
    # a long run, stopped: the panel stays usable
    shallow.controls["steps"].value = 20000
    shallow.state.cancel()
    assert shallow.wait(30)
    reset(shallow, method="construction")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("width", 1e9),
        ("width", float("nan")),
        ("width", "abc"),
        ("width", 0),
        ("width", 2.5),
        ("target", "evil"),
        ("activation", "softmax"),
        ("method", "magic"),
        ("degree", 99),
        ("frequency", -1.0),
        ("frequency", float("inf")),
        ("contributions", 1),
        ("seed", -5),
        ("steps", 10**9),
        ("expression", 42),
    ],
)
def test_hostile_values_are_refused(shallow, name, value):
    before = getattr(shallow.state, name)
    shallow.controls[name].set_state({"value": value})
    assert shallow.state.ok is False
    assert name in shallow.state.status
    assert getattr(shallow.state, name) == before
    reset(shallow, width=shallow.state.width % 50 + 1)


# ----------------------------------------------------------------------------- rates panel
def test_rates_panel_draws_measured_fitted_and_predicted(rates):
    s = reset(rates, target="sine", activation="relu", method="construction", fit_min=16).study
    fig = rates.figures["rates"]
    measured, fitted, predicted = lines(fig)
    np.testing.assert_array_equal(measured.get_xdata(), s.widths)
    np.testing.assert_array_equal(measured.get_ydata(), s.errors)
    assert s.fit.slope == pytest.approx(-2.0, abs=0.05)
    assert fitted.get_xdata()[0] == pytest.approx(s.fit.n_min) and s.fit.n_min >= 16
    assert "fitted slope -2.00" in fitted.get_label()
    np.testing.assert_allclose(predicted.get_ydata(), s.predicted(s.widths))
    assert "$4.93\\,N^{-2}$" in predicted.get_label()  # typeset: (b-a)^2 pi^2 / 8 = 4.93


@pytest.mark.parametrize(
    ("values", "slope"),
    [
        ({"target": "abs"}, -1.0),
        ({"target": "bump", "activation": "heaviside"}, -1.0),
        ({"target": "sine", "activation": "polynomial", "degree": 2}, 0.0),
        ({"target": "expression", "expression": "exp(x)", "activation": "tanh"}, -1.0),
        ({"target": "sines", "frequency": 2.0, "fit_min": 200}, -2.0),
    ],
)
def test_rates_panel_controls(rates, values, slope):
    base = {"activation": "relu", "method": "construction", "fit_min": 16, "degree": 3}
    r = reset(rates, **{**base, **values})
    assert r.study.fit.slope == pytest.approx(slope, abs=0.06)
    if "fit_min" in values:
        assert r.study.fit.n_min >= values["fit_min"]


def test_rates_panel_least_squares(rates):
    r = reset(rates, target="sine", activation="relu", method="least_squares", fit_min=16)
    assert r.study.method == "least_squares" and r.study.fit.slope < -1.0
    reset(rates, method="construction")


def test_rates_panel_sgd_sweep_streams_and_stops(rates):
    reset(rates, target="sine", activation="tanh", method="construction")
    started = threading.Event()

    def on_progress(change):
        if 0.0 < change["new"] < 1.0:
            started.set()

    rates.state.observe(on_progress, names="progress")
    try:
        rates.controls["method"].value = "sgd"
        assert started.wait(60)  # training streams its progress
        rates.state.cancel()
        assert rates.wait(30) and rates.state.ok
    finally:
        rates.state.unobserve(on_progress, names="progress")
    reset(rates, method="construction", activation="relu")


def test_width_needed_against_frequency(rates):
    r = reset(rates, eps=1e-3)
    needed, pred = lines(rates.figures["width_needed"])
    np.testing.assert_array_equal(needed.get_ydata(), r.widths_needed)
    assert np.all(np.diff(r.widths_needed[np.isfinite(r.widths_needed)]) > 0)
    r2 = reset(rates, eps=1e-2)
    # N(eps) ~ eps^-1/2: ten times the tolerance, about sqrt(10) fewer neurons
    ratio = r.widths_needed[:4] / r2.widths_needed[:4]
    np.testing.assert_allclose(ratio, np.sqrt(10), rtol=0.05)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("fit_min", 1e9),
        ("eps", 0.0),
        ("eps", float("nan")),
        ("method", "magic"),
        ("target", ["sine"]),
        ("expression", "__import__('os')"),
    ],
)
def test_rates_panel_refuses_hostile_values(rates, name, value):
    before = getattr(rates.state, name)
    rates.controls[name].set_state({"value": value})
    assert rates.state.ok is False and name in rates.state.status
    assert getattr(rates.state, name) == before
    reset(rates, fit_min=rates.state.fit_min % 20 + 3)


# ----------------------------------------------------------------------------- 2D panel
def test_two_d_images_show_f_phi_and_the_error(two_d):
    r = reset(two_d, target="bump", width=100, metric="sup")
    f_img, phi_img, err_img = (ax.images[0] for ax in two_d.figures["images"].axes[:3])
    np.testing.assert_array_equal(f_img.get_array(), r.approx.f)
    np.testing.assert_array_equal(phi_img.get_array(), r.approx.phi)
    np.testing.assert_allclose(err_img.get_array(), np.abs(r.approx.f - r.approx.phi))
    assert r.approx.sup_error == pytest.approx(np.abs(r.approx.f - r.approx.phi).max())


def test_two_d_width_and_dimension_comparison(two_d):
    small = reset(two_d, width=8).approx
    big = reset(two_d, width=800).approx
    assert big.rms_error < small.rms_error / 5
    s = two_d.state.result.study
    one, two = lines(two_d.figures["dimensions"])[:2]
    np.testing.assert_array_equal(two.get_ydata(), s.sup_2d)
    n1 = s.width_for(1e-2, d=1, metric="sup")
    n2 = s.width_for(1e-2, d=2, metric="sup")
    assert n1 is not None and (n2 is None or n2 > 4 * n1)


def test_two_d_target_metric_and_eps_controls(two_d):
    r = reset(two_d, target="disc", metric="rms", eps=0.05, width=200)
    assert set(np.unique(r.approx.f)) == {0.0, 1.0}
    one, two = lines(two_d.figures["dimensions"])[:2]
    np.testing.assert_array_equal(two.get_ydata(), r.study.rms_2d)
    assert "rms error" in two_d.info.value
    assert two_d.state.eps == 0.05
    reset(two_d, target="bump", metric="sup", eps=1e-2)


@pytest.mark.parametrize(
    ("name", "value"),
    [("width", 1001), ("width", "x"), ("target", "square"), ("metric", "max"), ("eps", 2.0)],
)
def test_two_d_refuses_hostile_values(two_d, name, value):
    before = getattr(two_d.state, name)
    two_d.controls[name].set_state({"value": value})
    assert two_d.state.ok is False and name in two_d.state.status
    assert getattr(two_d.state, name) == before
    reset(two_d, width=two_d.state.width % 50 + 1)


def test_building_the_panels_does_not_import_torch():
    # torch costs ~1.5 s to import: only an SGD run may pull it in
    code = (
        "import sys; from widgets.universal import ShallowPanel, RatesPanel; "
        "p = ShallowPanel(); p.wait(60); print('torch' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert out.stdout.strip().splitlines()[-1] == "False"


# ----------------------------------------------------------------------------- issue 15
def shown(panel, name):
    return panel.controls[name].layout.display != "none"


def test_controls_that_do_nothing_are_hidden(shallow):
    reset(shallow, target="sine", activation="relu", method="construction")
    for name in ("frequency", "degree", "steps", "seed"):
        assert not shown(shallow, name), name
    assert shown(shallow, "width") and shown(shallow, "expression")
    reset(shallow, target="sines")
    assert shown(shallow, "frequency")
    reset(shallow, activation="polynomial")
    assert shown(shallow, "degree")
    reset(shallow, method="least_squares", activation="relu")
    assert shown(shallow, "seed") and not shown(shallow, "steps") and not shown(shallow, "degree")
    shallow.controls["steps"].value = 300  # hidden, still a parameter: set before SGD starts
    reset(shallow, method="sgd")
    assert shown(shallow, "steps") and shown(shallow, "seed")
    reset(shallow, method="construction", target="abs")
    for name in ("frequency", "degree", "steps", "seed"):
        assert not shown(shallow, name), name


def test_rates_controls_that_do_nothing_are_hidden(rates):
    reset(rates, target="sine", activation="relu", method="construction")
    assert not shown(rates, "frequency") and not shown(rates, "degree")
    reset(rates, target="sines", activation="polynomial")
    assert shown(rates, "frequency") and shown(rates, "degree")
    reset(rates, target="sine", activation="relu")


def test_formula_box_shows_the_current_target(shallow):
    assert shallow.state.target == "sine"
    assert shallow.controls["expression"].value == "sin(pi*x)"
    reset(shallow, target="abs")
    assert shallow.controls["expression"].value == "abs(x)"
    reset(shallow, target="sines", frequency=2.0)
    assert shallow.controls["expression"].value == (
        "sin(2*pi*x) + sin(4*pi*x + 1)/2 + sin(6*pi*x + 2)/3"
    )
    named = reset(shallow, method="construction", activation="relu", width=40).approx
    # choosing "typed formula" keeps the formula in view: the same function, now editable
    typed = reset(shallow, target="expression").approx
    np.testing.assert_allclose(typed.f, named.f, atol=1e-12)
    # typing a formula makes it the target
    shallow.controls["target"].value = "sine"
    settle(shallow)
    shallow.controls["expression"].value = "x**2"
    r = settle(shallow)
    assert shallow.state.target == "expression" and shallow.controls["target"].value == "expression"
    assert r.approx.target.label == "x**2"


@pytest.mark.parametrize("path", ["client", "control"])
def test_refused_formula_stays_in_its_box(shallow, path):
    good = reset(shallow, target="expression", expression="x**3", width=12).approx
    bad = "sin(3*pi*x) * exq(-x**2)"
    if path == "client":
        shallow.controls["expression"].set_state({"value": bad})
    else:
        shallow.controls["expression"].value = bad
    assert shallow.wait(10)
    assert shallow.controls["expression"].value == bad  # kept, to be corrected
    assert not shallow.state.ok and "unknown function 'exq'" in shallow.state.status
    assert shallow.status.value.count("exq") == 1  # the status line names the error
    assert shallow.state.expression == "x**3"  # the state keeps its last good value
    assert shallow.state.result.approx.target.label == "x**3"
    np.testing.assert_array_equal(shallow.state.result.approx.phi, good.phi)
    # the corrected formula is taken
    if path == "client":
        shallow.controls["expression"].set_state({"value": "sin(3*pi*x) * exp(-x**2)"})
    else:
        shallow.controls["expression"].value = "sin(3*pi*x) * exp(-x**2)"
    r = settle(shallow)
    assert r.approx.target.label == "sin(3*pi*x) * exp(-x**2)"
    assert shallow.state.expression == shallow.controls["expression"].value


def test_retyping_the_last_good_formula_clears_the_message(shallow):
    reset(shallow, target="expression", expression="x**3")
    shallow.controls["expression"].value = "x***3"
    assert shallow.wait(10) and not shallow.state.ok
    shallow.controls["expression"].value = "x**3"  # the state's value: nothing to recompute
    settle(shallow)
    assert "up to date" in shallow.status.value


def test_a_refused_formula_gives_way_when_another_control_moves(shallow):
    reset(shallow, target="expression", expression="x**3")
    shallow.controls["expression"].value = "x***3"
    assert shallow.wait(10) and not shallow.state.ok
    reset(shallow, width=shallow.state.width + 1)  # computes x**3: the box says so again
    assert shallow.controls["expression"].value == "x**3"


def test_log_slider_defaults_are_grid_points(shallow, rates, two_d):
    # a browser snaps a log slider's value to min + k * step: a default off the grid is shown
    # as its neighbour (0.00979 for 0.01), so every default must be a grid point
    import ipywidgets as W

    sliders = [
        (p, n, c)
        for p in (shallow, rates, two_d)
        for n, c in p.controls.items()
        if isinstance(c, W.FloatLogSlider)
    ]
    assert len(sliders) == 2  # the two eps sliders
    for panel, name, c in sliders:
        k = (np.log10(panel.state.param_specs()[name].default) - c.min) / c.step
        assert k == pytest.approx(round(k), abs=1e-9), (name, k)
    assert two_d.controls["eps"].value == 0.01 and rates.controls["eps"].value == 0.01


def figure_texts(panel):
    from matplotlib.text import Text

    return [
        t.get_text()
        for fig in panel.figures.values()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text()
    ]


@pytest.mark.parametrize(
    "values",
    [
        {"target": "sine", "activation": "relu", "method": "construction"},
        {"target": "abs", "activation": "heaviside", "method": "construction"},
        {"target": "step", "activation": "sigmoid", "method": "least_squares"},
        {"target": "sine", "activation": "polynomial", "method": "construction"},
        {"target": "expression", "expression": "x**2 - abs(x)/3", "activation": "relu"},
    ],
)
def test_status_lines_titles_and_legends_are_typeset(shallow, rates, values):
    for panel in (shallow, rates):
        reset(panel, **values)
        texts = figure_texts(panel) + [panel.info.value, panel.status.value]
        assert any("$" in t for t in texts)
        for text in texts:
            assert text_problems(text) == [], text
    # the predicted rate, in mathtext in the legend and in the HTML (MathJax) status
    legend = [t for t in figure_texts(rates) if "predicted:" in t]
    assert legend and legend[0].split("predicted:", 1)[1] in rates.info.value


def test_two_d_texts_are_typeset(two_d):
    reset(two_d, width=30)
    for text in figure_texts(two_d) + [two_d.info.value]:
        assert text_problems(text) == [], text
    assert "$d = 2$" in two_d.info.value


def test_sgd_switches_at_once_and_streams_phi(shallow):
    # "SGD: start it with N = 16; watch Phi move": the figure switches to SGD with the first
    # render (the starting network, before torch is imported), then partial results redraw Phi
    # while it trains; renders are counted, not timed
    reset(shallow, target="sine", activation="relu", method="construction", width=16)
    phi_line = lines(shallow.figures["approximation"])[MAX_CONTRIBUTIONS + 1]
    renders = []
    two_moving = threading.Event()
    original = shallow.render

    def render(r):
        original(r)
        if r.approx.method == "sgd" and not shallow.state.final:
            curve = np.array(phi_line.get_ydata(), dtype=float)
            if not renders or not np.array_equal(curve, renders[-1][1]):
                renders.append((time.monotonic(), curve, r.approx.method))
            if len(renders) >= 3:  # the start and two trained curves, distinct
                two_moving.set()
        elif r.approx.method == "sgd":
            renders.append((time.monotonic(), None, "final"))

    shallow.render = render
    try:
        shallow.controls["steps"].value = 20000  # long enough to stop it while it trains
        t0 = time.monotonic()
        shallow.controls["method"].value = "sgd"
        assert two_moving.wait(120), len(renders)
        assert shallow.state.busy  # still training: the curves came before the job ended
        shallow.state.cancel()
        assert shallow.wait(30)
    finally:
        del shallow.render
    partial = [c for _, c, m in renders if m == "sgd"]
    assert "SGD" in shallow.figures["approximation"].axes[0].get_title()
    # the first render after the switch is the starting network: Phi = mean f, a constant
    assert np.ptp(partial[0]) == 0.0
    assert len(partial) >= 3 and all(np.ptp(c) > 0 for c in partial[1:3])
    # at most 10 partial results per second reach the figure
    elapsed = renders[len(partial) - 1][0] - t0
    assert len(partial) <= 10 * elapsed + 2
    reset(shallow, method="construction", steps=2000)


FIGURE_CASES = {
    "shallow": [
        {"target": "sine", "activation": "relu", "method": "construction", "width": 16},
        {"target": "abs", "activation": "heaviside", "method": "construction", "width": 33},
        {"target": "sines", "frequency": 16.0, "activation": "tanh", "method": "least_squares"},
        {"target": "step", "activation": "sigmoid", "contributions": True, "width": 500},
        {"target": "sine", "activation": "polynomial", "degree": 5, "method": "construction"},
        {"target": "expression", "expression": "sin(3*pi*x) * exp(-x**2)", "width": 2000},
    ],
    "rates": [
        {"target": "sine", "activation": "relu", "method": "construction"},
        {"target": "step", "activation": "relu", "fit_min": 3},
        {"target": "abs", "activation": "heaviside", "method": "least_squares"},
        {"target": "sine", "activation": "polynomial", "degree": 2, "eps": 1e-4},
        {"target": "expression", "expression": "abs(x - 1/3)", "activation": "relu"},
    ],
    "two_d": [
        {"width": 64},
        {"target": "disc", "metric": "rms", "width": 1000, "eps": 0.3},
        {"target": "bump", "metric": "sup", "width": 1, "eps": 1e-3},
    ],
}


@pytest.mark.parametrize(
    ("which", "values"), [(k, v) for k, cases in FIGURE_CASES.items() for v in cases]
)
def test_figures_and_status_pass_the_figure_check(shallow, rates, two_d, which, values):
    from widgets.figcheck import figure_problems

    panel = {"shallow": shallow, "rates": rates, "two_d": two_d}[which]
    reset(panel, **values)
    for name, fig in panel.figures.items():
        assert figure_problems(fig) == [], name
    assert text_problems(panel.info.value, math=True) == []
    assert text_problems(panel.status.value, math=False) == []
