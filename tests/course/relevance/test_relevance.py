"""Lecture 07: facts that must hold for the gradient methods and for LRP.

Tolerances: everything runs in float64; sums of 64 to a few thousand products of O(1) numbers
agree to ~1e-12 in exact arithmetic identities, so 1e-9 (absolute, relative to O(10) scores)
leaves ample room; conservation "to 1e-6" is the issue's requirement.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from course.relevance.explain import METHODS, explain, method_options
from course.relevance.lrp import RULES, lrp, lrp_relevances
from course.relevance.lrp_reference import lrp_reference
from course.relevance.methods import (
    QUADRATURES,
    explained_output,
    gradient,
    gradient_x_input,
    ig_completeness_gap,
    integrated_gradients,
    occlusion,
    smoothgrad,
)
from course.relevance.models import (
    MODELS,
    load_model,
    model_info,
    predict,
)
from course.relevance.models import (
    accuracy as relevance_accuracy,
)

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # the fixtures: conftest.py


def random_relu_net(seed: int, *, bias: bool, conv: bool, widths=(7, 6), pool="max"):
    """A small random ReLU network on 8x8 images, float64, weights from a seeded numpy rng."""
    c1, c2 = widths
    if conv:
        layers = [
            nn.Conv2d(1, c1, 3, padding=1, bias=bias),
            nn.ReLU(),
            nn.Conv2d(c1, c2, 3, padding=0, bias=bias),  # 6x6: an even size after an odd kernel
            nn.ReLU(),
            nn.MaxPool2d(2) if pool == "max" else nn.AvgPool2d(2),  # 3x3: odd
            nn.Flatten(),
            nn.Linear(c2 * 9, 11, bias=bias),
            nn.ReLU(),
            nn.Linear(11, 10, bias=bias),
        ]
    else:
        layers = [
            nn.Flatten(),
            nn.Linear(64, c1, bias=bias),
            nn.ReLU(),
            nn.Linear(c1, c2, bias=bias),
            nn.ReLU(),
            nn.Linear(c2, 10, bias=bias),
        ]
    model = nn.Sequential(*layers).double()
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in model.parameters():
            fan_in = p[0].numel() if p.ndim > 1 else 4
            p.copy_(torch.as_tensor(rng.standard_normal(p.shape) / np.sqrt(fan_in)))
            p.requires_grad_(False)
    return model.eval()


# ---------------------------------------------------------------------------- models and data
@pytest.mark.parametrize("name", list(MODELS))
def test_shipped_models_reach_95_percent(name, data):
    model = load_model(name)
    accuracy = (predict(model, data.x_test) == data.y_test).mean()
    assert accuracy >= 0.95
    # lecture 07 prints course.relevance.accuracy: the accuracy of exactly these predictions
    assert relevance_accuracy(name) == accuracy
    # The metadata states the accuracy of exactly these weights.
    assert accuracy == pytest.approx(model_info(name)["test_accuracy"], abs=1e-12)


def test_split_is_fixed_and_disjoint(data):
    assert data.x_train.shape == (1257, 8, 8) and data.x_test.shape == (540, 8, 8)
    assert data.x_train.min() == 0.0 and data.x_train.max() == 1.0
    train = {a.tobytes() for a in data.x_train}
    assert sum(a.tobytes() in train for a in data.x_test) < 10  # digits has a few duplicates
    assert set(np.unique(data.y_test)) == set(range(10))


def test_bad_model_name_and_shape():
    with pytest.raises(ValueError, match="name must be one of"):
        load_model("resnet")
    with pytest.raises(ValueError, match="x must have shape"):
        gradient(load_model("mlp"), np.zeros((7, 7)), target=0)
    with pytest.raises(ValueError, match="target must be a class"):
        gradient(load_model("mlp"), np.zeros((8, 8)), target=10)


# ---------------------------------------------------------------------------- gradient methods
def test_gradient_matches_finite_differences(data):
    # The MLP: no max-pooling ties, so a step of 1e-6 crosses no kink at these images.
    model = load_model("mlp")
    x, c = data.x_test[3], int(data.y_test[3])
    g = gradient(model, x, target=c, contrast=(c + 1) % 10)
    rng = np.random.default_rng(1)
    for _ in range(5):
        v = rng.standard_normal((8, 8))
        h = 1e-6  # a ReLU network is piecewise linear: central differences are exact off kinks
        fd = (
            explained_output(model, x + h * v, target=c, contrast=(c + 1) % 10)
            - explained_output(model, x - h * v, target=c, contrast=(c + 1) % 10)
        ) / (2 * h)
        assert fd == pytest.approx(np.sum(g * v), rel=1e-6, abs=1e-8)


def test_contrast_is_difference_of_maps(data):
    model = load_model("mlp")
    x = data.x_test[:5]
    both = gradient_x_input(model, x, target=3, contrast=8)
    assert np.allclose(
        both,
        gradient_x_input(model, x, target=3) - gradient_x_input(model, x, target=8),
        atol=1e-12,
    )


def test_gradient_x_input_complete_on_bias_free_relu_network():
    # Euler: a bias-free ReLU network is positively homogeneous, f(x) = <grad f(x), x>.
    model = random_relu_net(3, bias=False, conv=True)
    x = np.random.default_rng(0).random((4, 8, 8))
    r = gradient_x_input(model, x, target=[0, 1, 2, 9])
    f = explained_output(model, x, target=[0, 1, 2, 9])
    assert np.allclose(r.sum(axis=(1, 2)), f, atol=1e-9)


def test_smoothgrad_without_noise_is_the_gradient(data):
    model = load_model("cnn")
    x = data.x_test[:3]
    assert np.allclose(
        smoothgrad(model, x, target=1, noise=0.0, n_samples=3),
        gradient(model, x, target=1),
        atol=1e-12,
    )
    with pytest.raises(ValueError, match="noise"):
        smoothgrad(model, x, target=1, noise=-1.0)


@pytest.mark.parametrize("name", list(MODELS))
def test_ig_completeness_within_riemann_error(name, data):
    """|sum IG - (f(x) - f(0))| <= TV(h) / m for the right Riemann sum of the integrand h."""
    model = load_model(name)
    x, c = data.x_test[:4], data.y_test[:4]
    m = 256
    gap = ig_completeness_gap(model, x, integrated_gradients(model, x, target=c, steps=m), target=c)
    # h(alpha) = <grad f(alpha x), x> is piecewise constant for a ReLU network; its total
    # variation, measured on a fine grid, bounds the Riemann error.
    fine = 1 << 13
    alphas = np.linspace(0, 1, fine + 1)[:, None, None, None] * x[None]
    for i in range(len(x)):
        h = (gradient(model, alphas[:, i], target=int(c[i])) * x[i]).sum(axis=(1, 2))
        tv = np.abs(np.diff(h)).sum()
        assert abs(gap[i]) <= tv / m + 1e-9
    assert np.all(np.abs(gap) < 0.2)  # and, for these images, small in absolute terms


def test_ig_exact_for_linear_model():
    lin = nn.Sequential(nn.Flatten(), nn.Linear(64, 10)).double()
    x = np.random.default_rng(2).random((8, 8))
    for method in QUADRATURES:
        r = integrated_gradients(lin, x, target=4, steps=3, method=method)
        assert abs(ig_completeness_gap(lin, x, r, target=4)) < 1e-12


@pytest.mark.parametrize("method", ["riemann_right", "riemann_middle", "riemann_left"])
def test_ig_matches_captum(method, data):
    captum = pytest.importorskip("captum.attr")
    model = load_model("cnn")
    x, c = data.x_test[:3], data.y_test[:3]
    xt = torch.tensor(x)[:, None]
    ref = captum.IntegratedGradients(model).attribute(
        xt, baselines=xt * 0, target=torch.tensor(c), n_steps=64, method=method
    )
    mine = integrated_gradients(model, x, target=c, steps=64, method=method)
    assert np.allclose(mine, ref.numpy()[:, 0], atol=1e-10)


def test_occlusion_with_1x1_patch_is_the_drop(data):
    model = load_model("mlp")
    x = data.x_test[7]
    r = occlusion(model, x, target=2, patch=1, value=0.0)
    f0 = explained_output(model, x, target=2)
    for row, col in [(0, 0), (3, 4), (7, 7)]:
        y = x.copy()
        y[row, col] = 0.0
        assert r[row, col] == pytest.approx(f0 - explained_output(model, y, target=2), abs=1e-12)


@pytest.mark.parametrize("patch", [2, 3])
def test_occlusion_each_pixel_averages_its_patches(patch, data):
    # Occlusion is linear in f: for the constant-output test f(x)=0 ... use a linear model,
    # where the drop of a patch is the sum of w_i x_i over it.
    lin = nn.Sequential(nn.Flatten(), nn.Linear(64, 10, bias=True)).double()
    x = data.x_test[0]
    w = lin[1].weight.detach().numpy()[5].reshape(8, 8)
    r = occlusion(lin, x, target=5, patch=patch)
    contrib = w * x
    row, col = 4, 4
    drops = [
        contrib[r0 : r0 + patch, c0 : c0 + patch].sum()
        for r0 in range(max(0, row - patch + 1), min(row, 8 - patch) + 1)
        for c0 in range(max(0, col - patch + 1), min(col, 8 - patch) + 1)
    ]
    assert r[row, col] == pytest.approx(np.mean(drops), abs=1e-12)


# ---------------------------------------------------------------------------- LRP
@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    conv=st.booleans(),
    pool=st.sampled_from(["max", "avg"]),
    widths=st.tuples(st.integers(1, 8), st.integers(1, 8)),  # odd and even
    rule_eps=st.sampled_from([("zero", 0.0), ("epsilon", 1e-9)]),
)
def test_lrp_conserves_relevance_on_bias_free_relu_network(seed, conv, pool, widths, rule_eps):
    rule, eps = rule_eps
    model = random_relu_net(seed, bias=False, conv=conv, widths=widths, pool=pool)
    x = np.random.default_rng(seed).random((3, 8, 8))
    target = np.array([0, 4, 7])
    layers = lrp_relevances(model, x, target=target, rule=rule, eps=eps)
    f = explained_output(model, x, target=target)
    for r in layers:  # every layer, not only the input
        # sum R = f_c(x) to 1e-6 (float64 round-off is ~1e-14 here; eps = 1e-9 absorbs ~1e-9)
        assert np.allclose(r.reshape(3, -1).sum(1), f, rtol=0, atol=1e-6)


@pytest.mark.parametrize("rule,alpha", [("alpha_beta", 2.0), ("alpha_beta", 1.5), ("zplus", 1.0)])
def test_lrp_alpha_beta_conserves_where_both_parts_exist(rule, alpha):
    # alpha - beta = 1 conserves relevance neuron by neuron when every neuron has positive and
    # negative contributions: true for a dense first layer fed by a positive image.
    model = random_relu_net(2, bias=False, conv=False, widths=(9, 8))
    x = 0.1 + np.random.default_rng(1).random((8, 8))
    r = lrp_relevances(model, x, target=3, rule=rule, alpha=alpha)
    f = explained_output(model, x, target=3)
    assert r[0].sum() == pytest.approx(f, abs=1e-9)


def test_lrp_zb_conserves_relevance_at_the_input():
    model = random_relu_net(4, bias=False, conv=True)
    x = np.random.default_rng(4).random((8, 8))
    r = lrp_relevances(model, x, target=6, rule="zero", input_rule="zB", bounds=(0.0, 1.0))
    assert r[0].sum() == pytest.approx(r[1].sum(), abs=1e-9)
    assert r[0].sum() == pytest.approx(explained_output(model, x, target=6), abs=1e-9)


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("conv", [True, False])
def test_lrp_zero_equals_gradient_x_input(bias, conv):
    # R_j = a_j dF/da_j propagates through LRP-0 for ReLU layers, biases or not.
    model = random_relu_net(8, bias=bias, conv=conv)
    x = np.random.default_rng(8).random((5, 8, 8))
    target = np.arange(5)
    assert np.allclose(
        lrp(model, x, target=target, rule="zero"),
        gradient_x_input(model, x, target=target),
        atol=1e-9,
    )


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    rule=st.sampled_from(list(RULES)),
    input_rule=st.sampled_from([None, "zB"]),
    conv=st.booleans(),
    pool=st.sampled_from(["max", "avg"]),
    bias=st.booleans(),
    eps=st.floats(0.0, 2.0),
    alpha=st.floats(1.0, 3.0),
)
def test_every_rule_matches_the_reference(seed, rule, input_rule, conv, pool, bias, eps, alpha):
    model = random_relu_net(seed, bias=bias, conv=conv, widths=(3, 4), pool=pool)
    rng = np.random.default_rng(seed)
    x = rng.random((8, 8))
    target, contrast = int(rng.integers(10)), int(rng.integers(10))
    contrast = None if contrast == target else contrast
    opts = dict(rule=rule, eps=eps, alpha=alpha, input_rule=input_rule)
    fast = lrp_relevances(model, x, target=target, contrast=contrast, **opts)
    slow = lrp_reference(model, x, target=target, contrast=contrast, **opts)
    assert len(fast) == len(slow) == len(model) + 1
    for a, b in zip(fast, slow):
        assert np.allclose(a[0], b, atol=1e-9, rtol=1e-9)


@pytest.mark.parametrize("name", list(MODELS))
@pytest.mark.parametrize("rule", list(RULES))
def test_shipped_models_match_the_reference(name, rule, data):
    model = load_model(name)
    x, c = data.x_test[11], int(data.y_test[11])
    fast = lrp(model, x, target=c, rule=rule, input_rule="zB")
    slow = lrp_reference(model, x, target=c, rule=rule, input_rule="zB")[0][0]
    assert np.allclose(fast, slow, atol=1e-9)


@pytest.mark.parametrize("name", list(MODELS))
@pytest.mark.parametrize("eps", [1e-6, 0.1, 1.0])
def test_lrp_epsilon_matches_captum(name, eps, data):
    lrp_rules = pytest.importorskip("captum.attr._utils.lrp_rules")
    captum = pytest.importorskip("captum.attr")
    model = copy.deepcopy(load_model(name))
    x, c = data.x_test[:4], data.y_test[:4]
    # captum drops custom rules after each `attribute` call: set them before every call.
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            layer.rule = lrp_rules.EpsilonRule(epsilon=eps)
        elif isinstance(layer, (nn.MaxPool2d, nn.Flatten)):
            layer.rule = lrp_rules.EpsilonRule(epsilon=1e-12)  # ~ pass-through / winner-take-all
    with pytest.warns(UserWarning, match="required_grads"):
        ref = captum.LRP(model).attribute(torch.tensor(x)[:, None], target=torch.tensor(c))
    mine = lrp(load_model(name), x, target=c, rule="epsilon", eps=eps)
    # captum's 1e-12 stabiliser on pooling and flatten changes relevances by ~1e-12 relative
    assert np.allclose(mine, ref.detach().numpy()[:, 0], atol=1e-8)


def test_lrp_rejects_bad_options():
    model = load_model("mlp")
    x = np.zeros((8, 8))
    with pytest.raises(ValueError, match="rule must be one of"):
        lrp(model, x, target=0, rule="gamma")
    with pytest.raises(ValueError, match="alpha must be"):
        lrp(model, x, target=0, rule="alpha_beta", alpha=0.5)
    with pytest.raises(ValueError, match="eps must be"):
        lrp(model, x, target=0, eps=float("nan"))
    with pytest.raises(ValueError, match="input_rule"):
        lrp(model, x, target=0, input_rule="w2")
    with pytest.raises(ValueError, match="model must be"):
        lrp(nn.Sequential(nn.Flatten(), nn.Linear(64, 10), nn.Tanh()).double(), x, target=0)


# ---------------------------------------------------------------------------- the registry
@pytest.mark.parametrize("method", [m for m in METHODS if m != "rde"])
def test_every_method_returns_a_finite_map_of_the_input_shape(method, data):
    model = load_model("cnn")
    for x, t in [(data.x_test[0], 1), (data.x_test[:3], [1, 2, 3])]:
        r = explain(model, x, method=method, target=t)
        assert r.shape == np.shape(x) and np.isfinite(r).all()


def test_explain_rejects_unknown_method_and_option():
    model = load_model("mlp")
    with pytest.raises(ValueError, match="method must be one of"):
        explain(model, np.zeros((8, 8)), method="saliency", target=0)
    with pytest.raises(ValueError, match="'steps' is not an option of method 'gradient'"):
        explain(model, np.zeros((8, 8)), method="gradient", target=0, steps=3)
    assert "lam" in method_options("rde") and "steps" in method_options("integrated_gradients")


@settings(max_examples=25, deadline=None)
@given(
    shape=st.lists(st.integers(1, 9), min_size=1, max_size=4).map(tuple),
    method=st.sampled_from([m for m in METHODS if m != "rde"]),
)
def test_bad_shapes_are_rejected_with_a_message(shape, method):
    model = load_model("mlp")
    x = np.zeros(shape)
    if shape == (8, 8) or (len(shape) == 3 and shape[1:] == (8, 8)):
        r = explain(model, x, method=method, target=0)
        assert r.shape == shape
    elif len(shape) == 4 and shape[1:] == (1, 8, 8):
        pass  # a batch already in torch layout is accepted as well
    else:
        with pytest.raises(ValueError, match="x must have shape"):
            explain(model, x, method=method, target=0)


@settings(max_examples=25, deadline=None)
@given(target=st.one_of(st.integers(-5, 15), st.floats(allow_nan=True), st.text(max_size=3)))
def test_bad_targets_are_rejected_with_a_message(target):
    model = load_model("mlp")
    if isinstance(target, int) and 0 <= target <= 9:
        assert gradient(model, np.zeros((8, 8)), target=target).shape == (8, 8)
    else:
        with pytest.raises(ValueError, match="target must be"):
            gradient(model, np.zeros((8, 8)), target=target)
