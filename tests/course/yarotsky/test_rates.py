"""Lecture 03: rates (x^2 deep vs shallow, C^s construction) and depth separation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.networks import (
    Network,
    complexity,
    count_linear_pieces_1d,
    linear_pieces_1d,
    random_network,
)
from course.progress import run_to_end
from course.yarotsky import sawtooth
from course.yarotsky.depth import (
    _shallow_grads,
    depth_separation_steps,
    shallow_sawtooth,
    shallow_width_needed,
    train_shallow_steps,
)
from course.yarotsky.smooth import (
    X0,
    switched_product_clamp,
    target,
    target_derivative,
    taylor_network,
)
from course.yarotsky.smooth_rates import evaluate_shallow, shallow_interpolant, smooth_rates_steps
from course.yarotsky.squares import square_curve, square_rates


# ----------------------------------------------------------------------------- x^2 rates
def test_square_rates_deep_exponential_shallow_quadratic():
    r = square_rates(12)
    np.testing.assert_array_equal(r.deep_error, 2.0 ** (-2 * r.m - 2))
    n = r.shallow_width
    # the uniform interpolant of x^2 with n pieces has error exactly 1/(4 n^2); the cumulative
    # slopes of the shallow evaluation round at 1e-16 absolute
    np.testing.assert_allclose(r.shallow_error, 1 / (4.0 * n**2), rtol=0, atol=1e-14)
    assert np.all(r.shallow_complexity[1:] <= r.deep_complexity[1:])  # m = 0: C(f_0) = 1
    # log2 error = -2m - 2 and C = 15 m - 5: slope -2/15 per weight, exactly
    assert r.deep_exponential.slope == pytest.approx(-2 / 15, rel=1e-9)
    assert r.shallow_fit.slope == pytest.approx(-2.0, abs=0.05)
    assert r.deep_fit.slope < -8  # steeper than any power law the shallow net could reach


@pytest.mark.parametrize("m", [0, 1, 4, 12])
def test_square_curve_sup_is_the_exact_error(m):
    c = square_curve(m)
    assert c.sup_error == pytest.approx(c.exact_error, rel=0, abs=1e-12)
    assert c.complexity == (1 if m == 0 else 15 * m - 5)


# ----------------------------------------------------------------------------- C^s target
@pytest.mark.parametrize("s", [1, 2, 3, 4, 5])
def test_target_derivatives_by_finite_differences(s, rng):
    x = rng.uniform(0, 1, 50)
    x = x[np.abs(x - X0) > 1e-3]
    h = 1e-6
    for k in range(s):
        fd = (target_derivative(x + h, s, k) - target_derivative(x - h, s, k)) / (2 * h)
        # central differences: O(h^2) truncation, O(eps/h) rounding on values of size s!
        np.testing.assert_allclose(fd, target_derivative(x, s, k + 1), rtol=1e-6, atol=1e-6)
    top = target_derivative(np.array([X0 - 0.1, X0 + 0.1]), s, s)
    np.testing.assert_array_equal(top, [-math.factorial(s), math.factorial(s)])


@pytest.mark.parametrize("s, n", [(1, 3), (2, 4), (2, 7), (3, 5), (4, 8), (5, 4)])
def test_taylor_construction_is_within_its_proven_bound(s, n):
    c = taylor_network(s, n)
    x = np.concatenate([np.linspace(0, 1, 4097), [X0]])
    err = np.max(np.abs(c(x) - target(x, s)))
    assert err <= c.error_bound
    assert c.taylor_bound == float(n) ** (-s)
    assert c.network_bound <= c.taylor_bound  # multipliers sized to stay below Taylor


@pytest.mark.parametrize("s, n", [(2, 3), (3, 4)])
def test_taylor_construction_as_one_network(s, n, rng):
    c = taylor_network(s, n)
    net = c.network()
    x = rng.uniform(0, 1, 701)
    # skipping patches where phi_j = 0 changes nothing: the products are exactly 0 there
    np.testing.assert_array_equal(c(x), c.evaluate_full(x))
    np.testing.assert_allclose(net(x)[:, 0], c(x), rtol=0, atol=1e-13)
    assert complexity(net) == c.complexity
    assert net.depth == c.depth


@pytest.mark.parametrize("s", [2, 3, 4])
def test_deep_rate_follows_the_theorem_and_shallow_saturates(s):
    r = run_to_end(smooth_rates_steps(s))
    assert np.all(r.deep_error <= r.deep_bound)
    # theorem: error <~ C^(-s/d) up to a log factor, d = 1: the fitted slope lies a little
    # above -s (the log), and well below the shallow saturation -2 once s >= 3
    assert -s - 0.3 <= r.deep_fit.slope <= -s + 0.5
    assert r.shallow_fit.slope == pytest.approx(-2.0, abs=0.05)


def test_smooth_rates_streams_partial_results():
    items = list(smooth_rates_steps(2, n_values=(1, 2, 4)))
    assert [len(i.partial.n_patches) for i in items] == [1, 2, 3]
    assert [i.fraction for i in items] == pytest.approx([1 / 3, 2 / 3, 1.0])


@settings(max_examples=60, deadline=None)
@given(
    st.floats(0.01, 100),
    st.lists(st.tuples(st.floats(0, 1), st.floats(-1e3, 1e3)), min_size=1, max_size=20),
)
def test_switched_product_clamp_is_numpys_clip(bound, pairs):
    x = np.array(pairs, dtype=float)
    out = switched_product_clamp(bound)(x)[:, 0]
    want = np.clip(x[:, 1], -bound * x[:, 0], bound * x[:, 0])
    # a few roundings of numbers of size |v| + 2 B phi
    assert np.all(np.abs(out - want) <= 1e-12 * (1 + np.abs(x[:, 1]) + bound))
    assert np.all(out[x[:, 0] == 0] == 0.0)  # exactly 0 where phi = 0, whatever v is


# ----------------------------------------------------------------------------- shallow
@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 40), st.floats(0.0, 0.7))
def test_evaluate_shallow_equals_the_matrices(seed, width, sparsity):
    net = random_network((1, width, 1), seed=seed, sparsity=sparsity)
    x = np.random.default_rng(seed).uniform(-3, 3, 257)
    # cumulative sums instead of one dot product: rounding of size eps * sum |a_i (w_i x + b_i)|
    np.testing.assert_allclose(evaluate_shallow(net, x), net(x)[:, 0], rtol=1e-9, atol=1e-9)


def test_shallow_interpolant_equals_numpy_interp(rng):
    for n in (1, 2, 7, 64):
        nodes = np.linspace(0, 1, n + 1)
        v = rng.standard_normal(n + 1)
        net = shallow_interpolant(v)
        x = rng.uniform(0, 1, 999)
        np.testing.assert_allclose(net(x)[:, 0], np.interp(x, nodes, v), atol=1e-12)
        assert net.widths == (1, n, 1) and complexity(net) <= 3 * n + 1


@pytest.mark.parametrize("k", [1, 2, 3, 5, 8])
def test_shallow_sawtooth_equals_g_k_with_width_2_to_the_k(k, rng):
    net = shallow_sawtooth(k)
    assert net.widths == (1, 2**k, 1) and shallow_width_needed(k) == 2**k
    x = rng.uniform(0, 1, 2001)
    np.testing.assert_allclose(net(x), sawtooth(k)(x), rtol=0, atol=1e-9)
    assert count_linear_pieces_1d(net, 0.0, 1.0) == 2**k


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 30))
def test_one_hidden_layer_has_at_most_width_plus_one_pieces(seed, width):
    net = random_network((1, width, 1), seed=seed)
    assert count_linear_pieces_1d(net, -5.0, 5.0) <= width + 1


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-10, 10, allow_nan=False),
    st.floats(-10, 10, allow_nan=False),
    st.floats(-10, 10, allow_nan=False),
    st.floats(-2, 2, allow_nan=False),
)
def test_one_neuron_cannot_represent_g_1(w, b, a, c):
    # width 2^k - 1 = 1 for k = 1: the single kink must sit at 1/2, and on one side of it the
    # neuron is off, so one piece has slope 0, while g_1 has slopes 2 and -2 (the parity
    # argument of shallow_width_needed, which shows width 2^k is needed for every k)
    net = Network([[[w]], [[a]]], [[b], [c]])
    _, slopes, _ = linear_pieces_1d(net, 0.0, 1.0)
    g1 = np.array([[2.0], [-2.0]])
    assert not (slopes.shape == (2, 1) and np.allclose(slopes, g1))


def test_shallow_gradients_by_finite_differences(rng):
    x, y = rng.uniform(0, 1, 40), rng.standard_normal(40)
    params = [
        rng.standard_normal(6),
        rng.standard_normal(6),
        rng.standard_normal(6),
        np.array([0.3]),
    ]

    def loss(p):
        h = np.maximum(np.outer(x, p[0]) + p[1], 0.0)
        return np.mean((h @ p[2] + p[3][0] - y) ** 2)

    grads = _shallow_grads(params, x, y)
    h = 1e-6
    for i, p in enumerate(params):
        for j in range(p.size):
            up = [q.copy() for q in params]
            down = [q.copy() for q in params]
            up[i][j] += h
            down[i][j] -= h
            # central difference of a piecewise-quadratic loss (no kink crossed at this h)
            assert (loss(up) - loss(down)) / (2 * h) == pytest.approx(grads[i][j], abs=1e-6)


def test_trained_shallow_network_obeys_the_piece_bound():
    fit = run_to_end(train_shallow_steps(3, 12, steps=100))
    assert fit.pieces <= fit.width + 1
    assert 0 <= fit.rms_error <= fit.sup_error


def test_depth_separation_table():
    r = run_to_end(depth_separation_steps((1, 2, 3), tol=0.06, steps=100))
    np.testing.assert_array_equal(r.ks, [1, 2, 3])
    np.testing.assert_array_equal(r.bound, [2, 4, 8])
    np.testing.assert_array_equal(r.deep_complexity, [8, 19, 30])
    ok = ~np.isnan(r.width_needed)
    assert np.all(r.error_at_width[ok] <= 0.06)
    # a network that reaches the tolerance has at most width + 1 pieces: it cannot have fewer
    # neurons than needed to come that close (here: at least 2^k / 2)
    assert np.all(r.width_needed[ok] >= 2.0 ** r.ks[ok] / 2)


@pytest.mark.parametrize(
    "call, word",
    [
        (lambda: target(0.5, 0), "s"),
        (lambda: target(0.5, 6), "s"),
        (lambda: target_derivative(0.5, 2, 3), "k"),
        (lambda: taylor_network(2, 0), "n"),
        (lambda: shallow_interpolant([1.0]), "values"),
        (lambda: evaluate_shallow(sawtooth(2), [0.5]), "one-hidden-layer"),
        (lambda: next(smooth_rates_steps(2, n_values=())), "n_values"),
        (lambda: shallow_sawtooth(0), "k"),
        (lambda: next(train_shallow_steps(2, 0)), "width"),
        (lambda: next(train_shallow_steps(2, 4, lr=-1.0)), "lr"),
        (lambda: next(depth_separation_steps((2,), tol=1.5)), "tol"),
        (lambda: next(depth_separation_steps(())), "ks"),
    ],
)
def test_bad_arguments_raise_value_errors_naming_them(call, word):
    with pytest.raises(ValueError, match=word):
        call()


# ----------------------------------------------------------------------------- xy rates
@pytest.mark.parametrize("n", [1, 3, 8, 13])
def test_shallow_multiplier_error_is_one_over_n_squared(n):
    from course.yarotsky.products import shallow_multiply

    net = shallow_multiply(n)
    assert net.depth == 2 and net.widths == (2, 2 * n, 1)
    g = np.arange(-n, n + 1) / n  # contains the points where the error peaks
    xx, yy = np.meshgrid(g, g)
    pts = np.c_[xx.ravel(), yy.ravel()]
    err = net(pts)[:, 0] - pts[:, 0] * pts[:, 1]
    # each interpolant of u^2 overestimates by at most h^2/4 = 4/n^2; the difference over 4
    # reaches 1/n^2 where x + y is a midpoint and x - y a node (rounding: 1e-13)
    assert np.max(np.abs(err)) == pytest.approx(1.0 / n**2, rel=1e-12, abs=1e-13)
    rng = np.random.default_rng(0)
    pts = rng.uniform(-1, 1, (2000, 2))
    assert np.max(np.abs(net(pts)[:, 0] - pts[:, 0] * pts[:, 1])) <= 1.0 / n**2 + 1e-13


def test_deep_multiplier_overtakes_shallow_exponentially():
    from course.yarotsky.products import multiply_comparison

    rs = [multiply_comparison(m) for m in range(0, 11)]
    deep = np.array([r.deep_error for r in rs])
    np.testing.assert_array_equal(deep, 2.0 ** (-2 * np.arange(11)))  # Proposition 3, attained
    assert all(r.shallow_complexity <= r.deep_complexity for r in rs)
    shallow = np.array([r.shallow_error for r in rs])
    np.testing.assert_allclose(shallow, [1 / r.shallow_pieces**2 for r in rs], rtol=1e-9)
    ratio = shallow / deep
    # m = 0, 1 are degenerate (f_0(t) = |t|); from m = 2 on the deep advantage grows with
    # every m, towards 4 per step (2^-2m against 1/n^2 with n ~ C/8 ~ 45m/8)
    assert np.all(np.diff(ratio[2:]) > 0)
    assert 2.5 < ratio[-1] / ratio[-2] < 4.0
    assert ratio[0] < 1 < ratio[-1]  # shallow first, deep from some m on
    assert ratio[-1] > 100
