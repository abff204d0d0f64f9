"""Lecture 01 panels, headless: every control changes the state and the figures' data."""

from __future__ import annotations

import numpy as np
import pytest

from course.networks import complexity
from widgets.neurons import TrainingPanel


def image(fig, k=0):
    return np.asarray(fig.axes[0].images[k].get_array(), dtype=float)


def test_neuron_plane_shows_rho_of_the_affine_form(neuron):
    neuron.controls["activation"].value = "relu"
    neuron.controls["w1"].value = 2.0
    neuron.controls["w2"].value = -1.0
    neuron.controls["b"].value = 0.5
    assert neuron.wait(10) and neuron.state.ok
    r = neuron.state.result
    xx, yy = np.meshgrid(r.axis, r.axis)
    np.testing.assert_allclose(image(neuron.figures["plane"]), np.maximum(2 * xx - yy - 0.5, 0))
    # the drawn line satisfies <x, w> = b
    line = neuron.figures["plane"].axes[0].lines[0]
    np.testing.assert_allclose(2 * line.get_xdata() - line.get_ydata(), [0.5, 0.5], atol=1e-12)
    # the cross-section is t -> rho(t |w| - b)
    prof = neuron.figures["section"].axes[0].lines[0]
    t = prof.get_xdata()
    np.testing.assert_allclose(prof.get_ydata(), np.maximum(t * np.sqrt(5) - 0.5, 0))


@pytest.mark.parametrize("act", ["heaviside", "sigmoid", "tanh", "leaky_relu", "softplus", "gelu"])
def test_neuron_activation_control(neuron, act):
    neuron.controls["activation"].value = act
    assert neuron.wait(10) and neuron.state.ok
    assert neuron.state.activation == act
    if act == "heaviside":
        assert set(np.unique(image(neuron.figures["plane"]))) <= {0.0, 1.0}


def test_neuron_with_zero_weights_is_constant(neuron):
    neuron.controls["activation"].value = "sigmoid"
    neuron.controls["w1"].value = 0.0
    neuron.controls["w2"].value = 0.0
    neuron.controls["b"].value = 1.0
    assert neuron.wait(10) and neuron.state.ok
    z = image(neuron.figures["plane"])
    np.testing.assert_allclose(z, 1 / (1 + np.e))
    assert "constant" in neuron.figures["section"].axes[0].get_title()
    neuron.controls["w1"].value = 1.0


def test_builder_controls_change_the_network(builder):
    builder.controls["depth"].value = 4
    builder.controls["width"].value = 5
    builder.controls["activation"].value = "relu"
    builder.controls["sparsity"].value = 0.0
    builder.controls["seed"].value = 3
    assert builder.wait(10) and builder.state.ok
    r = builder.state.result
    assert r.network.widths == (2, 5, 5, 5, 1)
    assert r.n_params == 3 * 5 + 6 * 5 * 2 + 6
    assert r.complexity == complexity(r.network)
    xx, yy = np.meshgrid(r.axis, r.axis)
    phi = r.network(np.c_[xx.ravel(), yy.ravel()])[:, 0].reshape(xx.shape)
    np.testing.assert_allclose(image(builder.figures["phi"]), phi)
    assert r.n_regions >= 1
    assert f"= {r.complexity}$" in builder.info.value
    # the graph shows one edge per nonzero weight
    assert len(builder.figures["graph"].axes[0].collections[0].get_segments()) == sum(
        np.count_nonzero(w) for w in r.network.weights
    )

    builder.controls["sparsity"].value = 0.5
    assert builder.wait(10)
    assert builder.state.result.complexity < r.complexity

    builder.controls["activation"].value = "tanh"
    assert builder.wait(10)
    assert builder.state.result.regions is None
    assert "not piecewise linear" in builder.figures["regions"].axes[0].get_title()


def test_builder_region_count_grows_with_depth(builder):
    builder.controls["activation"].value = "relu"
    builder.controls["sparsity"].value = 0.0
    builder.controls["width"].value = 8
    counts = []
    for depth in (1, 2, 4):
        builder.controls["depth"].value = depth
        assert builder.wait(10)
        counts.append(builder.state.result.n_regions)
    assert counts[0] is None  # L = 1: an affine map
    assert counts[2] > counts[1]


def test_builder_wide_layers_are_summarised(builder):
    builder.controls["width"].value = 96  # a width the discrete width slider offers
    builder.controls["depth"].value = 3
    assert builder.wait(30)
    title = builder.figures["graph"].axes[0].get_title()
    assert "layers cut at 16 neurons" in title


@pytest.fixture
def training():
    p = TrainingPanel(dataset="blobs", noise=0.0)
    assert p.wait(30)
    return p


def test_training_play_pause_step_reset(training, until):
    p = training
    s0 = p.state.result.snapshot
    assert s0.step == 0 and p.state.ok
    p.action_buttons["step"].click()
    assert p.wait(10)
    assert p.state.result.snapshot.step == 10
    p.action_buttons["play"].click()
    assert until(p.state, lambda s: s.result.snapshot.step >= 500, 20)
    p.action_buttons["pause"].click()
    assert p.wait(10)
    snap = p.state.result.snapshot
    assert snap.step >= 500 and not p.state.result.playing
    assert snap.train_accuracy == 1.0
    loss = p.figures["loss"].axes[0].lines[0]
    np.testing.assert_array_equal(loss.get_xdata(), snap.steps)
    p.action_buttons["reset"].click()
    assert p.wait(10)
    assert p.state.result.snapshot.step == 0


def test_stop_button_ends_training(training, until):
    p = training
    p.action_buttons["play"].click()
    assert until(p.state, lambda s: s.result.snapshot.step >= 50, 20)
    assert p.state.busy and p.state.running_action == "play"
    p.stop_button.click()
    # training never ends by itself: the worker is idle only if the job honoured the stop
    assert p.state.wait(10)
    assert not p.state.running_action and not p.state.busy


def test_changing_the_step_size_while_playing_keeps_playing(training, until):
    p = training
    p.action_buttons["play"].click()
    assert until(p.state, lambda s: s.result.snapshot.step >= 50, 20)
    p.controls["lr"].value = 0.05
    step = p.state.result.snapshot.step
    assert until(p.state, lambda s: s.result.snapshot.step > step + 100, 20)
    assert p.state.running_action == "play" and p.state.busy and p.state.lr == 0.05
    assert p.state.result.playing
    p.action_buttons["pause"].click()
    assert p.wait(10)


def test_training_data_and_architecture_controls(training):
    p = training
    for name in ("circles", "xor", "spiral"):
        p.controls["dataset"].value = name
        assert p.wait(10) and p.state.result.data.name == name
    p.controls["noise"].value = 0.2
    p.controls["depth"].value = 2
    p.controls["width"].value = 4
    p.controls["activation"].value = "tanh"
    p.controls["seed"].value = 9
    p.controls["batch_size"].value = 32
    p.controls["reg"].value = "l1"
    p.controls["lam"].value = 0.01
    assert p.wait(10) and p.state.ok
    net = p.state.result.snapshot.network
    assert net.widths == (2, 4, 1) and net.activation == "tanh"
    off = p.figures["boundary"].axes[0].collections
    assert any(len(c.get_offsets()) == len(p.state.result.data.x_train) for c in off)


def test_training_follows_the_builders_architecture(builder):
    builder.controls["depth"].value = 3
    builder.controls["width"].value = 6
    builder.controls["activation"].value = "relu"
    assert builder.wait(10)
    p = TrainingPanel(architecture=builder)
    assert p.wait(10)
    assert p.state.result.snapshot.network.widths == (2, 6, 6, 1)
    builder.controls["width"].value = 3
    assert builder.wait(10) and p.wait(10)
    assert p.state.result.snapshot.network.widths == (2, 3, 3, 1)
    assert p.controls["width"].value == 3  # the playground's own control follows
    # and the other way: the playground's controls change the builder too
    p.controls["depth"].value = 4
    p.controls["activation"].value = "tanh"
    assert p.wait(10) and builder.wait(10)
    assert builder.state.result.network.widths == (2, 3, 3, 3, 1)
    assert builder.controls["activation"].value == "tanh"
    assert p.state.result.snapshot.network.widths == (2, 3, 3, 3, 1)
    # the playground says which network it trains, in its figure title and its status
    title = p.figures["boundary"].axes[0].get_title()
    assert "$L = 4$, widths (2, 3, 3, 3, 1), tanh" in title
    assert "widths (2, 3, 3, 3, 1), tanh" in p.info.value
