"""Networks as explicit affine maps: evaluation, complexity, exact linear pieces."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from course.networks import (
    Network,
    activation_patterns,
    complexity,
    count_linear_pieces_1d,
    linear_pieces_1d,
    random_network,
)


def tooth():
    """g = 2 rho(x) - 4 rho(x - 1/2) + 2 rho(x - 1) (Yarotsky 2017)."""
    return Network([[[1.0], [1.0], [1.0]], [[2.0, -4.0, 2.0]]], [[0.0, -0.5, -1.0], [0.0]])


def test_hand_built_relu_network_known_values_and_complexity():
    g = tooth()
    x = np.array([-1.0, 0.0, 0.25, 0.5, 0.75, 1.0, 2.0])
    np.testing.assert_array_equal(g(x)[:, 0], [0.0, 0.0, 0.5, 1.0, 0.5, 0.0, 0.0])
    # W1: 3 nonzeros, b1: 2 nonzeros (b_1 = 0), W2: 3, b2: 0  ->  8
    assert complexity(g) == 8
    assert g.n_params == 3 + 3 + 3 + 1
    assert g.depth == 2 and g.widths == (1, 3, 1)


def test_two_layer_network_known_values():
    # Phi(x1, x2) = rho(x1 + x2) - rho(x1 - x2) - 1
    net = Network([[[1.0, 1.0], [1.0, -1.0]], [[1.0, -1.0]]], [[0.0, 0.0], [-1.0]])
    x = np.array([[1.0, 2.0], [2.0, 1.0], [-1.0, -1.0]])
    np.testing.assert_array_equal(net(x)[:, 0], [3.0 - 0.0 - 1.0, 3.0 - 1.0 - 1.0, -1.0])
    assert complexity(net) == 4 + 2 + 1


def test_complexity_counts_nonzeros_only():
    net = Network([np.zeros((4, 2)), np.ones((1, 4))], [np.zeros(4), np.zeros(1)])
    assert complexity(net) == 4
    net = random_network((3, 10, 10, 1), sparsity=0.5, seed=1)
    # exactly round(0.5 * size) weights are zeroed per layer; biases are Gaussian (nonzero)
    expected = sum(w.size - round(0.5 * w.size) for w in net.weights) + 10 + 10 + 1
    assert complexity(net) == expected


@settings(max_examples=40, deadline=None)
@given(width=st.integers(1, 40), seed=st.integers(0, 10_000))
def test_one_hidden_layer_relu_on_R_has_at_most_width_plus_one_pieces(width, seed):
    net = random_network((1, width, 1), seed=seed)
    assert 1 <= count_linear_pieces_1d(net, -10.0, 10.0) <= width + 1


def test_width_plus_one_is_attained():
    # N neurons with distinct kinks inside the interval and nonzero output weights
    k = 7
    kinks = np.linspace(-0.9, 0.9, k)
    net = Network([np.ones((k, 1)), np.ones((1, k))], [-kinks, [0.0]])
    assert count_linear_pieces_1d(net, -1.0, 1.0) == k + 1


@pytest.mark.parametrize("s", [1, 2, 3, 5, 8])
def test_composed_teeth_have_2_to_the_s_pieces(s):
    # g o ... o g by stacking the tooth's affine maps (merge output map into the next input map)
    g = tooth()
    ws, bs = [g.weights[0]], [g.biases[0]]
    for _ in range(s - 1):
        ws.append(g.weights[0] @ g.weights[1])
        bs.append(g.weights[0][:, 0] * g.biases[1][0] + g.biases[0])
    ws.append(g.weights[1])
    bs.append(g.biases[1])
    gs = Network(ws, bs)
    assert count_linear_pieces_1d(gs, 0.0, 1.0) == 2**s


@settings(max_examples=25, deadline=None)
@given(
    widths=st.lists(st.integers(1, 12), min_size=1, max_size=4),
    seed=st.integers(0, 10_000),
    act=st.sampled_from(["relu", "leaky_relu"]),
)
def test_pieces_reproduce_the_network_and_are_maximal(widths, seed, act):
    net = random_network((1, *widths, 1), activation=act, seed=seed)
    bps, slopes, inters = linear_pieces_1d(net, -2.0, 2.0)
    assert bps[0] == -2.0 and bps[-1] == 2.0 and np.all(np.diff(bps) > 0)
    # the affine pieces reproduce the network everywhere (breakpoints included)
    x = np.concatenate([np.linspace(-2, 2, 3001), bps])
    i = np.clip(np.searchsorted(bps, x, side="right") - 1, 0, len(slopes) - 1)
    scale = 1.0 + np.abs(net(x)[:, 0]).max()
    np.testing.assert_allclose(slopes[i, 0] * x + inters[i, 0], net(x)[:, 0], atol=1e-9 * scale)
    # maximal: neighbouring pieces have different slopes
    assert np.all(np.abs(np.diff(slopes[:, 0])) > 0)


def test_pieces_reject_smooth_activations_and_bad_intervals():
    with pytest.raises(ValueError, match="piecewise linear"):
        linear_pieces_1d(random_network((1, 3, 1), activation="tanh"), 0, 1)
    with pytest.raises(ValueError, match="input dimension 1"):
        linear_pieces_1d(random_network((2, 3, 1)), 0, 1)
    with pytest.raises(ValueError, match="a < b"):
        linear_pieces_1d(random_network((1, 3, 1)), 1.0, 1.0)


def test_torch_round_trip_computes_the_same_function(rng):
    net = random_network((3, 7, 5, 2), activation="gelu", seed=3)
    x = rng.normal(size=(50, 3))
    with torch.no_grad():
        out = net.to_torch()(torch.as_tensor(x)).numpy()
    np.testing.assert_allclose(out, net(x), rtol=1e-12, atol=1e-12)
    back = Network.from_torch(net.to_torch())
    assert back.activation == "gelu"
    np.testing.assert_allclose(back(x), net(x), rtol=1e-12, atol=1e-12)


def test_activation_patterns_bound_the_regions_of_a_shallow_network():
    # N lines in general position cut the plane into at most 1 + N + N(N-1)/2 regions
    n = 6
    net = random_network((2, n, 1), seed=5)
    t = np.linspace(-1, 1, 301)
    xx, yy = np.meshgrid(t, t)
    labels = activation_patterns(net, np.c_[xx.ravel(), yy.ravel()])
    assert labels.min() == 0
    assert labels.max() + 1 <= 1 + n + n * (n - 1) // 2
    # equal labels -> the network is affine there: check on the points of one region
    z = net.pre_activations(np.c_[xx.ravel(), yy.ravel()])[0]
    for lab in range(labels.max() + 1):
        on = z[labels == lab] > 0
        assert (on == on[0]).all()


@pytest.mark.parametrize(
    "weights, biases, match",
    [
        ([[[1.0, 2.0]]], [[0.0, 0.0]], "layer 1"),
        ([[[1.0]], [[1.0, 1.0]]], [[0.0], [0.0]], "layer 2"),
        ([], [], "at least one"),
        ([[[1.0]]], [], "equal length"),
    ],
)
def test_inconsistent_shapes_are_rejected(weights, biases, match):
    with pytest.raises(ValueError, match=match):
        Network(weights, biases)


def test_random_network_validates():
    with pytest.raises(ValueError, match="sparsity"):
        random_network((2, 3, 1), sparsity=1.0)
    with pytest.raises(ValueError, match="widths"):
        random_network((2,))
    with pytest.raises(ValueError, match="x must have shape"):
        random_network((2, 3, 1))(np.zeros((4, 3)))
