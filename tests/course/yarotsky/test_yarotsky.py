"""Lecture 03: Yarotsky's constructions and the network calculus, checked against facts.

References are formulas evaluated directly (the tooth composed as a function, the interpolant of
x^2 by ``numpy.interp``, polynomials by ``numpy.polynomial``), never the code's own outputs.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from course.networks import (
    Network,
    complexity,
    count_linear_pieces_1d,
    linear_pieces_1d,
    random_network,
)
from course.yarotsky import (
    affine,
    compose,
    identity,
    linear_combination,
    multiply,
    multiply_error_bound,
    network_sum,
    pad,
    parallel,
    polynomial,
    sawtooth,
    sawtooth_complexity,
    square,
    square_complexity,
    square_error,
    tooth,
)


# ----------------------------------------------------------------------------- references
def g_ref(x):
    """The tooth as a formula: 2x on [0, 1/2], 2(1 - x) on [1/2, 1]."""
    return np.where(x <= 0.5, 2 * x, 2 * (1 - x))


def g_s_ref(x, s):
    for _ in range(s):
        x = g_ref(x)
    return x


def f_m_ref(x, m):
    """Yarotsky's formula f_m = x - sum_s g_s / 4^s, line by line."""
    return x - sum(g_s_ref(x, s) / 4.0**s for s in range(1, m + 1))


# ----------------------------------------------------------------------------- sawtooth
def test_tooth_is_the_stated_relu_combination(rng):
    x = rng.uniform(-1, 2, 1001)
    relu = lambda t: np.maximum(t, 0)  # noqa: E731
    want = 2 * relu(x) - 4 * relu(x - 0.5) + 2 * relu(x - 1)
    np.testing.assert_array_equal(tooth()(x)[:, 0], want)


@pytest.mark.parametrize("s", range(1, 13))
def test_sawtooth_has_exactly_2_to_the_s_pieces(s):
    net = sawtooth(s)
    assert count_linear_pieces_1d(net, 0.0, 1.0) == 2**s
    bps, slopes, _ = linear_pieces_1d(net, 0.0, 1.0)
    # the breakpoints are the dyadic points k / 2^s, the slopes alternate +-2^s
    np.testing.assert_allclose(bps, np.arange(2**s + 1) / 2**s, rtol=0, atol=1e-12)
    np.testing.assert_allclose(slopes[:, 0], 2.0**s * (-1.0) ** np.arange(2**s), rtol=1e-12)
    assert net.depth == s + 1 and net.widths == (1,) + (3,) * s + (1,)
    assert complexity(net) == sawtooth_complexity(s) == 11 * s - 3


@pytest.mark.parametrize("s", [1, 2, 5, 8])
def test_sawtooth_matches_the_composed_tooth(s, rng):
    x = rng.uniform(0, 1, 2001)
    # the dyadic arithmetic of g is exact up to one rounding per layer: 2^s ulps at most
    np.testing.assert_allclose(sawtooth(s)(x)[:, 0], g_s_ref(x, s), rtol=0, atol=2.0**s * 1e-15)
    # 2^(s-1) teeth: the value 1 is reached at the 2^(s-1) points (2k+1)/2^s
    peaks = (2 * np.arange(2 ** (s - 1)) + 1) / 2**s
    np.testing.assert_allclose(sawtooth(s)(peaks)[:, 0], 1.0, atol=1e-12)


# ----------------------------------------------------------------------------- square
@pytest.mark.parametrize("m", range(0, 11))
def test_square_network_sup_error_is_exactly_2_to_minus_2m_minus_2(m):
    net = square(m)
    x = np.arange(2 ** (m + 1) + 1) / 2 ** (m + 1)  # all breakpoints k/2^m and midpoints
    err = net(x)[:, 0] - x**2
    # dyadic weights (powers of 2) and dyadic inputs: only the final squares round (1e-16)
    assert abs(np.max(np.abs(err)) - 2.0 ** (-2 * m - 2)) <= 1e-12
    assert square_error(m) == 2.0 ** (-2 * m - 2)
    # f_m interpolates x^2 at the nodes and lies above it
    nodes = x[::2]
    np.testing.assert_allclose(net(nodes)[:, 0], nodes**2, rtol=0, atol=1e-12)
    assert np.all(err >= -1e-15)


@pytest.mark.parametrize("m", [1, 3, 6, 9])
def test_square_is_the_interpolant_and_yarotskys_formula(m, rng):
    x = np.concatenate([rng.uniform(0, 1, 3001), [0.0, 1.0]])
    nodes = np.arange(2**m + 1) / 2**m
    got = square(m)(x)[:, 0]
    # numpy's interp is the trusted piecewise-linear interpolant; tolerance: a few roundings
    np.testing.assert_allclose(got, np.interp(x, nodes, nodes**2), rtol=0, atol=1e-14)
    np.testing.assert_allclose(got, f_m_ref(x, m), rtol=0, atol=1e-14)
    assert np.max(got - x**2) <= square_error(m) + 1e-15


@pytest.mark.parametrize("m", [0, 1, 2, 3, 7, 12, 20])
def test_square_complexity_formula(m):
    net = square(m)
    assert complexity(net) == square_complexity(m) == (1 if m == 0 else 15 * m - 5)
    assert net.depth == m + 1
    assert net.widths == (1,) + (4,) * m + (1,)


def test_square_pieces_are_2_to_the_m():
    for m in range(0, 9):
        assert count_linear_pieces_1d(square(m), 0.0, 1.0) == 2**m


# ----------------------------------------------------------------------------- products
@pytest.mark.parametrize("m", [0, 1, 2, 4, 7])
@pytest.mark.parametrize("bound", [1.0, (2.0, 0.5), 3.0])
def test_multiplication_is_within_its_bound_and_never_above(m, bound, rng):
    bx, by = (bound, bound) if np.isscalar(bound) else bound
    xy = rng.uniform(-1, 1, (20001, 2)) * [bx, by]
    err = multiply(m, bound=bound)(xy)[:, 0] - xy[:, 0] * xy[:, 1]
    b = multiply_error_bound(m, bound)
    assert b == bx * by * 2.0 ** (-2 * m)
    # rounding of a dozen operations on numbers of size bx*by: 1e-14 relative
    assert np.all(err <= 1e-14 * bx * by)
    assert np.all(err >= -b - 1e-14 * bx * by)


@pytest.mark.parametrize("m", [1, 3, 6])
def test_multiplication_bound_is_attained(m):
    h = 2.0**-m  # x = y = h: (x+y)/2 is a node, x/2 and y/2 are midpoints
    out = multiply(m)([[h, h]])[0, 0]
    assert out == pytest.approx(0.0, abs=1e-15)
    assert out - h * h == pytest.approx(-multiply_error_bound(m), rel=1e-12)


@pytest.mark.parametrize("m", [0, 2, 5, 9])
def test_multiplication_is_exactly_zero_on_the_axes(m, rng):
    net = multiply(m, bound=(1.0, 2.5))
    other = np.concatenate([rng.uniform(-2.5, 2.5, 2000), rng.uniform(-1e3, 1e3, 500)])
    zeros = np.zeros_like(other)
    assert np.all(net(np.c_[zeros, other])[:, 0] == 0.0)
    assert np.all(net(np.c_[other[:1500] / 2.5, zeros[:1500]])[:, 0] == 0.0)


def test_multiplication_is_symmetric_and_built_as_stated(rng):
    net = multiply(4)
    xy = rng.uniform(-1, 1, (501, 2))
    np.testing.assert_allclose(net(xy), net(xy[:, ::-1]), rtol=0, atol=1e-15)
    assert net.depth == 4 + 3 and net.widths == (2, 6) + (12,) * 4 + (3, 1)


@pytest.mark.parametrize(
    "coefficients",
    [[0.3], [0.2, -1.0], [0.0, 0.0, 1.0], [1.0, 0.0, -8.0, 0.0, 8.0], [0.2, -1, 0, 2, 0.5]],
)
@pytest.mark.parametrize("m", [2, 5, 8])
def test_polynomial_network_is_within_its_proven_bound(coefficients, m):
    p = polynomial(coefficients, m)
    x = np.linspace(-1, 1, 4001)
    want = np.polynomial.polynomial.polyval(x, coefficients)
    err = np.max(np.abs(p.network(x)[:, 0] - want))
    assert err <= p.error_bound + 1e-12
    n = len(coefficients) - 1
    if n >= 1:
        assert p.network.depth == n * (m + 2) + 1


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.floats(-2, 2, allow_nan=False), min_size=1, max_size=5),
    st.integers(0, 6),
)
@example([0.0, 2.225073858507e-311], 0)  # a subnormal coefficient once gave NaN
def test_polynomial_bound_holds_for_any_coefficients(coefficients, m):
    p = polynomial(coefficients, m)
    x = np.linspace(-1, 1, 1001)
    err = np.max(np.abs(p.network(x)[:, 0] - p.exact(x)))
    assert err <= p.error_bound * (1 + 1e-9) + 1e-12


def test_polynomial_error_shrinks_like_4_to_the_minus_m():
    errs = [polynomial([0, 0, 0, 1.0], m).error_bound for m in (4, 5, 6)]
    # each step adds B_k 4^-m; B_k grows by the (tiny) errors of the steps before: ratio ~ 4
    assert errs[0] / errs[1] == pytest.approx(4.0, rel=0.01)
    assert errs[1] / errs[2] == pytest.approx(4.0, rel=0.01)


# ----------------------------------------------------------------------------- calculus
@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 10_000),
    st.lists(st.integers(1, 5), min_size=2, max_size=4),
    st.lists(st.integers(1, 5), min_size=1, max_size=3),
)
def test_compose_evaluates_to_the_composition(seed, inner_widths, outer_hidden):
    inner = random_network(inner_widths, seed=seed)
    outer = random_network([inner_widths[-1], *outer_hidden], seed=seed + 1)
    both = compose(outer, inner)
    x = np.random.default_rng(seed).uniform(-2, 2, (17, inner_widths[0]))
    # one extra rounding per merged product: relative 1e-12 is generous
    np.testing.assert_allclose(both(x), outer(inner(x)), rtol=1e-10, atol=1e-10)
    assert both.depth == inner.depth + outer.depth - 1


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.lists(st.integers(1, 5), min_size=1, max_size=4))
def test_parallel_stacks_outputs_and_pads_depth(seed, depths):
    rng = np.random.default_rng(seed)
    nets = [
        random_network([3, *rng.integers(1, 5, size=d - 1), int(rng.integers(1, 3))], seed=seed + i)
        for i, d in enumerate(depths)
    ]
    both = parallel(*nets)
    x = rng.uniform(-2, 2, (11, 3))
    np.testing.assert_allclose(both(x), np.hstack([n(x) for n in nets]), rtol=1e-12, atol=1e-12)
    assert both.depth == max(depths)
    if len(set(depths)) == 1:  # no padding: complexities add up
        assert complexity(both) == sum(complexity(n) for n in nets)


@pytest.mark.parametrize("depth", [1, 2, 3, 6])
def test_identity_and_pad_keep_the_function(depth, rng):
    x = rng.uniform(-5, 5, (9, 2))
    np.testing.assert_array_equal(identity(2, depth=depth)(x), x)
    net = random_network([2, 4, 3], seed=3)
    np.testing.assert_allclose(pad(net, depth + 2)(x), net(x), rtol=0, atol=1e-12)
    assert pad(net, depth + 2).depth == depth + 2


def test_linear_combination_and_sum(rng):
    nets = [
        random_network([2, 5, 1], seed=1),
        random_network([2, 3, 3, 1], seed=2),
        affine([[1.0, -1.0]]),
    ]
    x = rng.uniform(-1, 1, (13, 2))
    comb = linear_combination(nets, [2.0, -0.5, 3.0], bias=0.25)
    want = 2 * nets[0](x) - 0.5 * nets[1](x) + 3 * nets[2](x) + 0.25
    np.testing.assert_allclose(comb(x), want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(network_sum(*nets)(x), sum(n(x) for n in nets), atol=1e-12)
    assert comb.depth == 3  # the combination is merged into the last layer


def test_f1_from_the_calculus_equals_square_1(rng):
    x = rng.uniform(0, 1, 501)
    f1 = linear_combination([affine([[1.0]]), sawtooth(1)], [1.0, -0.25])
    np.testing.assert_allclose(f1(x), square(1)(x), rtol=0, atol=1e-15)


# ----------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "call, word",
    [
        (lambda: sawtooth(0), "s"),
        (lambda: sawtooth(2.5), "s"),
        (lambda: sawtooth(True), "s"),
        (lambda: square(-1), "m"),
        (lambda: square("3"), "m"),
        (lambda: multiply(2, bound=0.0), "bound"),
        (lambda: multiply(2, bound=(1.0, float("nan"))), "bound"),
        (lambda: multiply(2, bound=(1.0, 2.0, 3.0)), "bound"),
        (lambda: polynomial([], 3), "coefficients"),
        (lambda: polynomial([1.0, np.inf], 3), "coefficients"),
        (lambda: polynomial([1.0, 2.0, 3.0], [1]), "m"),
        (lambda: polynomial([1.0, 2.0], 2, ranges=[1e-9]), "ranges"),
        (lambda: compose(tooth(), affine(np.eye(2))), "inner"),
        (lambda: compose("tooth", tooth()), "outer"),
        (lambda: parallel(), "at least one"),
        (lambda: parallel(tooth(), affine([[1.0, 2.0]])), "input dimension"),
        (lambda: pad(square(3), 2), "depth"),
        (lambda: identity(0), "dim"),
        (lambda: linear_combination([tooth(), tooth()], [1.0]), "coefficients"),
    ],
)
def test_bad_arguments_raise_value_errors_naming_them(call, word):
    with pytest.raises(ValueError, match=word):
        call()


def test_pad_refuses_non_relu_networks():
    net = Network([[[1.0]], [[1.0]]], [[0.0], [0.0]], "tanh")
    with pytest.raises(ValueError, match="ReLU"):
        pad(net, 4)
