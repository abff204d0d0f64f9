"""Lecture 01's "What to observe" prompts, one test each: drive the controls a prompt names and
check the effect it promises. Plus the playground's speed, epoch, warning and layout promises."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets import SelectionSlider

from course.activations import get_activation
from course.neurons.training import DIVERGENCE_FACTOR
from widgets.figcheck import figure_problems, text_problems
from widgets.neurons import BuilderPanel, NeuronPanel, TrainingPanel
from widgets.neurons._common import WIDTHS
from widgets.neurons.training import STEPS_PER_FRAME


@pytest.fixture
def playground():
    p = TrainingPanel()  # the lecture's defaults: circles, depth 3, width 8, ReLU
    assert p.wait(30) and p.state.ok
    return p


def image(fig, k=0):
    return np.asarray(fig.axes[0].images[k].get_array(), dtype=float)


def set_and_wait(panel, timeout=60, **values):
    for name, value in values.items():
        panel.controls[name].value = value
    assert panel.wait(timeout) and panel.state.ok, panel.state.status
    return panel.state.result


def train(panel, steps, timeout=120):
    panel.state.step(steps)
    assert panel.wait(timeout), panel.state.status
    return panel.state.result.snapshot


def no_figure_problems(panel):
    problems = [f"{k}: {p}" for k, fig in panel.figures.items() for p in figure_problems(fig)]
    problems += [f"status: {p}" for p in text_problems(panel.status.value)]
    if hasattr(panel, "info"):
        problems += [f"info: {p}" for p in text_problems(panel.info.value)]
    return problems


# ============================================================================ the neuron
def test_heaviside_neuron_is_a_linear_classifier_on_the_side_w_points_to(neuron):
    r = set_and_wait(neuron, activation="heaviside", w1=1.0, w2=0.5, b=0.5)
    xx, yy = np.meshgrid(r.axis, r.axis)
    np.testing.assert_array_equal(image(neuron.figures["plane"]), (xx + 0.5 * yy > 0.5) * 1.0)
    # from the line, a step along w lands on the side where the neuron is 1
    w = np.array([1.0, 0.5])
    foot = 0.5 * w / (w @ w)
    assert get_activation("heaviside")((foot + 0.1 * w) @ w - 0.5) == 1.0
    assert get_activation("heaviside")((foot - 0.1 * w) @ w - 0.5) == 0.0


def test_scaling_w_and_b_keeps_the_line_changes_sigmoid_scales_relu(neuron):
    def shown(activation, c):
        set_and_wait(neuron, activation=activation, w1=1.0 * c, w2=0.5 * c, b=0.5 * c)
        line = neuron.figures["plane"].axes[0].lines[0]
        xy = np.c_[line.get_xdata(), line.get_ydata()]
        return image(neuron.figures["plane"]), xy

    xx, yy = np.meshgrid(neuron.state.result.axis, neuron.state.result.axis)
    off_line = np.abs(xx + 0.5 * yy - 0.5) > 1e-9  # grid points on the line round either way

    for activation in ("sigmoid", "relu"):
        z1, line1 = shown(activation, 1.0)
        z2, line2 = shown(activation, 2.0)
        # the same line: both drawn points satisfy the other's equation <x, w> = b
        np.testing.assert_allclose(line2 @ [1.0, 0.5], [0.5, 0.5], atol=1e-12)
        np.testing.assert_allclose(line1 @ [2.0, 1.0], [1.0, 1.0], atol=1e-12)
        if activation == "relu":
            np.testing.assert_allclose(z2, 2 * z1)  # rho(cx) = c rho(x)
        else:
            assert np.abs(z2 - z1).max() > 0.1  # the sigmoid gets steeper
            # the same side of the line is above 1/2
            np.testing.assert_array_equal((z2 > 0.5)[off_line], (z1 > 0.5)[off_line])


def test_the_cross_section_is_the_activation_stretched_and_shifted(neuron):
    r = set_and_wait(neuron, activation="sigmoid", w1=1.5, w2=-2.0, b=1.0)
    norm = 2.5
    prof = neuron.figures["section"].axes[0].lines[0]
    t = prof.get_xdata()
    np.testing.assert_allclose(prof.get_ydata(), 1 / (1 + np.exp(-(t * norm - 1.0))))
    threshold = neuron.figures["section"].axes[0].lines[1]
    np.testing.assert_allclose(threshold.get_xdata(), [1.0 / norm] * 2)
    assert r.b == 1.0
    # "Set w = 0": the title of the cross-section says the neuron is constant, see
    # test_neurons.py::test_neuron_with_zero_weights_is_constant


# ============================================================================ the builder
def test_depth_one_is_affine_and_depth_two_has_at_most_the_line_arrangement_bound(builder):
    r = set_and_wait(builder, activation="relu", sparsity=0.0, depth=1)
    assert r.regions is None
    assert "affine" in builder.figures["regions"].axes[0].get_title()
    for width in (3, 5, 8, 16):
        for seed in (0, 1, 2):
            r = set_and_wait(builder, depth=2, width=width, seed=seed)
            # N lines cut the plane into at most 1 + N + N(N-1)/2 regions
            assert 1 <= r.n_regions <= 1 + width + width * (width - 1) // 2


def test_regions_grow_with_depth_but_far_below_the_exponential_maximum(builder):
    width = 8
    bound_per_layer = 1 + width + width * (width - 1) // 2  # regions of N lines in the plane
    counts = []
    for depth in (2, 3, 4):
        counts.append(set_and_wait(builder, activation="relu", width=width, depth=depth).n_regions)
    assert counts[0] < counts[1] < counts[2]
    # the product bound over the hidden layers; random weights stay below 1% of it
    assert counts[2] < 0.01 * bound_per_layer**3


def test_sparsity_lowers_complexity_removes_edges_and_simplifies(builder):
    for seed in (0, 1, 2):
        dense = set_and_wait(builder, activation="relu", depth=3, width=8, sparsity=0.0, seed=seed)
        edges = len(builder.figures["graph"].axes[0].collections[0].get_segments())
        sparse = set_and_wait(builder, sparsity=0.8)
        fewer = len(builder.figures["graph"].axes[0].collections[0].get_segments())
        assert sparse.complexity < dense.complexity and fewer < edges
        assert sparse.n_regions < dense.n_regions


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_smooth_activations_have_no_linear_regions(builder, activation):
    r = set_and_wait(builder, activation=activation, depth=3)
    assert r.regions is None
    assert "not piecewise linear" in builder.figures["regions"].axes[0].get_title()


def test_the_width_slider_is_discrete_and_spreads_small_widths(builder):
    control = builder.controls["width"]
    assert isinstance(control, SelectionSlider)
    assert tuple(control.options) == tuple((str(w), w) for w in WIDTHS)
    # widths 1..16 take at least 40% of the slider (a linear 1..256 slider gave them 6%)
    assert WIDTHS.index(16) / (len(WIDTHS) - 1) >= 0.4


# ============================================================================ the playground
def test_circles_need_a_hidden_layer_of_width_three(playground):
    set_and_wait(playground, dataset="circles", depth=1)
    assert train(playground, 2000).train_accuracy < 0.75  # a line cannot separate rings
    playground.state.reset()
    set_and_wait(playground, depth=2, width=3)
    assert train(playground, 3000).train_accuracy >= 0.95  # a triangle around the inner ring


def test_spiral_needs_depth_width_and_many_steps(playground):
    set_and_wait(playground, dataset="spiral", depth=2, width=3, activation="relu")
    assert train(playground, 8000).train_accuracy < 0.8
    for activation in ("relu", "tanh"):
        set_and_wait(playground, depth=4, width=32, activation=activation)
        assert train(playground, 2000).train_accuracy < 0.97
        assert train(playground, 6000).train_accuracy > 0.95  # 8000 steps in all


def test_the_largest_step_size_diverges_and_the_status_line_says_so(playground, until):
    p = playground
    train(p, 1000)  # the default step size: no divergence
    assert "diverged" not in p.status.value
    p.state.reset()
    p.controls["lr"].value = 10 ** p.controls["lr"].max  # the slider's right end
    assert p.wait(30)
    snap = train(p, 1000)
    assert snap.diverged_at is not None
    at = list(snap.steps).index(snap.diverged_at)
    assert snap.train_loss[at] > DIVERGENCE_FACTOR * snap.train_loss[0]
    assert "diverged" in p.status.value and "smaller step size" in p.status.value
    # Play on a diverged run stops by itself at once; Reset clears the warning
    p.action_buttons["play"].click()
    assert p.wait(30) and not p.state.result.playing
    p.action_buttons["reset"].click()
    assert p.wait(30)
    assert "diverged" not in p.status.value and "up to date" in p.status.value
    # and Play from the start, at this step size, ends in the announced divergence
    p.action_buttons["play"].click()
    p.controls["steps_per_frame"].value = 100
    assert until(p.state, lambda s: s.result.snapshot.diverged_at is not None, 60)
    assert p.wait(30) and not p.state.result.playing
    assert "diverged" in p.status.value


def test_noise_parts_train_and_test_loss_and_l2_brings_them_together(playground):
    gaps, tests = [], []
    for reg in ("none", "l2"):
        set_and_wait(playground, dataset="circles", noise=0.3, depth=3, width=32, reg=reg)
        set_and_wait(playground, lam=1e-2)
        playground.state.reset()
        snap = train(playground, 4000)
        gaps.append(snap.test_loss[-1] - snap.train_loss[-1])
        tests.append(snap.test_loss[-1])
    assert gaps[0] > 2 * gaps[1] > 0  # without a penalty the network fits the noise
    assert tests[1] < tests[0]  # and the penalty improves the test loss


def test_heaviside_warns_of_zero_gradient_and_only_the_last_layer_learns(playground):
    p = playground
    set_and_wait(p, activation="heaviside", depth=3, width=8)
    assert "zero derivative" in p.status.value
    start = [w.copy() for w in p.state.result.snapshot.network.weights]
    end = train(p, 200).network.weights
    for w0, w1 in zip(start[:-1], end[:-1]):
        np.testing.assert_array_equal(w0, w1)
    assert not np.array_equal(start[-1], end[-1])
    assert "zero derivative" in p.status.value
    set_and_wait(p, activation="relu")
    assert "zero derivative" not in p.status.value and "up to date" in p.status.value


def test_steps_per_frame_sets_how_far_each_frame_goes(playground, until):
    p = playground
    assert tuple(v for _, v in p.controls["steps_per_frame"].options) == STEPS_PER_FRAME
    p.controls["steps_per_frame"].value = 5
    frames = []

    def seen(change):
        r = change["new"]
        if getattr(r, "playing", False):
            frames.append(r.snapshot.step)

    p.state.observe(seen, names="result")
    p.action_buttons["play"].click()
    assert until(p.state, lambda s: len(frames) >= 6, 30)
    p.action_buttons["pause"].click()
    assert p.wait(30)
    p.state.unobserve(seen, names="result")
    assert set(np.diff(frames[:6])) == {5}


def test_the_status_counts_epochs_and_the_loss_shows_at_step_zero(playground):
    p = playground
    snap = p.state.result.snapshot
    lines = p.figures["loss"].axes[0].lines
    for line, loss in zip(lines, (snap.train_loss, snap.test_loss)):
        np.testing.assert_array_equal(line.get_xdata(), [0])
        np.testing.assert_array_equal(line.get_ydata(), loss[:1])
        assert line.get_marker() == "o"  # one point, drawn as a dot
    assert "step 0" in p.figures["loss"].axes[0].get_title()
    n_train = len(p.state.result.data.y_train)
    snap = train(p, 70)
    assert snap.epoch == 70 * p.state.batch_size / n_train
    assert f"epoch {snap.epoch:.1f}" in p.info.value


# ============================================================================ figures
def test_figures_and_status_lines_are_typeset_and_unclipped(neuron, builder, playground):
    for values in (dict(activation="heaviside"), dict(w1=0.0, w2=0.0), dict(activation="relu")):
        set_and_wait(neuron, **values)
        assert no_figure_problems(neuron) == [], values
    for values in (
        dict(activation="heaviside", depth=10, width=12),
        dict(activation="relu", depth=1),
        dict(depth=10),
        dict(depth=3, width=96),
    ):
        set_and_wait(builder, **values)
        assert no_figure_problems(builder) == [], values
    assert no_figure_problems(playground) == []
    train(playground, 20000)
    assert no_figure_problems(playground) == []
    set_and_wait(playground, activation="heaviside")
    assert no_figure_problems(playground) == []


@pytest.mark.parametrize("panel", [NeuronPanel, BuilderPanel, TrainingPanel])
def test_every_panel_fits_1280_pixels(panel):
    p = panel()
    assert p.wait(30)
    controls = 330  # widgets.panel's control column
    rows = {
        NeuronPanel: [("plane", "section")],
        BuilderPanel: [("phi", "regions"), ("graph",)],
        TrainingPanel: [("boundary", "loss")],
    }[panel]
    for row in rows:
        width = sum(p.figures[k].get_size_inches()[0] * p.figures[k].dpi for k in row)
        if panel is BuilderPanel and row == ("graph",):
            width += 320  # the info column beside the graph
        # the page's margins and the boxes' gaps take about 100 px of the 1280
        assert controls + width <= 1180, (panel.__name__, row, width)
