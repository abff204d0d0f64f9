"""Lecture 03: Yarotsky's construction in two dimensions, checked against its proven bound."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course.networks import complexity
from course.progress import run_to_end
from course.yarotsky.calculus import linear_combination
from course.yarotsky.smooth import X0, target, target_derivative
from course.yarotsky.smooth2d import (
    _coefficients,
    smooth_rates_2d_steps,
    target2d,
    taylor_network_2d,
)


def _grid(n):
    g = np.linspace(0, 1, n)
    return np.stack(np.meshgrid(g, g), -1).reshape(-1, 2)


@pytest.mark.parametrize("s, n", [(1, 3), (2, 2), (2, 5), (3, 4), (4, 2)])
def test_construction_is_within_its_proven_bound(s, n, rng):
    c = taylor_network_2d(s, n)
    x = np.concatenate([_grid(41), rng.uniform(0, 1, (500, 2))])
    err = np.max(np.abs(c(x) - target2d(x, s)))
    assert err <= c.error_bound
    assert c.taylor_bound == float(n) ** (-s)


@pytest.mark.parametrize("s", [1, 2, 3, 5])
def test_local_polynomials_are_the_taylor_polynomials_of_the_ridge(s, rng):
    # P_jk(t1, t2) = sum_q f^(q)(u0)/q! du^q with du = (t1 + 2 t2)/(3N): compare the 2D
    # coefficients with numpy's evaluation of the 1D Taylor polynomial in du
    n, j, k = 5, 2, 3
    c = _coefficients(s, n, j, k)
    u0 = (j + 2 * k) / (3 * n)
    t = rng.uniform(-1, 1, (200, 2))
    du = (t[:, 0] + 2 * t[:, 1]) / (3 * n)
    taylor = sum(float(target_derivative(u0, s, q)) / math.factorial(q) * du**q for q in range(s))
    two_d = np.polynomial.polynomial.polyval2d(t[:, 0], t[:, 1], c)
    np.testing.assert_allclose(two_d, taylor, rtol=1e-12, atol=1e-15)


def test_patches_vanish_exactly_off_their_support(rng):
    c = taylor_network_2d(2, 3)
    x = rng.uniform(0, 1, (3000, 2))
    for j in (0, 1, 3):
        for k in (0, 2):
            off = (np.abs(3 * x[:, 0] - j) >= 1) | (np.abs(3 * x[:, 1] - k) >= 1)
            values = c.patches[j * 4 + k](x[off])[:, 0]
            assert np.all(values == 0.0)
    # so evaluating patches on their supports only is the same function (up to the rounding
    # of BLAS on batches of different sizes)
    np.testing.assert_allclose(c(x), c.evaluate_full(x), rtol=0, atol=1e-14)


def test_sum_network_has_the_stated_complexity(rng):
    c = taylor_network_2d(2, 1)
    net = linear_combination(c.patches, np.ones(len(c.patches)))
    x = rng.uniform(0, 1, (300, 2))
    np.testing.assert_allclose(net(x)[:, 0], c(x), rtol=0, atol=1e-13)
    assert complexity(net) == c.complexity and net.depth == c.depth


def test_target2d_is_the_ridge_of_the_1d_target():
    x = np.array([[0.1, 0.7], [3 * X0, 0.0], [1.0, 1.0]])
    np.testing.assert_allclose(target2d(x, 3), target((x[:, 0] + 2 * x[:, 1]) / 3, 3))


def test_rates_in_two_dimensions_halve():
    r = run_to_end(smooth_rates_2d_steps(2, n_values=(1, 2, 4)))
    assert r.theorem_slope == -1.0
    assert np.all(r.deep_error <= r.deep_bound)
    assert np.all(np.diff(r.deep_error) < 0) and np.all(np.diff(r.deep_complexity) > 0)
    # pre-asymptotic, but the error falls like C^(-s/d) = C^(-1), not like C^(-2)
    assert -1.6 <= r.deep_fit.slope <= -0.6


@pytest.mark.parametrize(
    "call, word",
    [
        (lambda: taylor_network_2d(0, 2), "s"),
        (lambda: taylor_network_2d(2, 0), "n"),
        (lambda: taylor_network_2d(2, 65), "n"),
        (lambda: next(smooth_rates_2d_steps(2, n_values=(0,))), "n_values"),
    ],
)
def test_bad_arguments_raise_value_errors_naming_them(call, word):
    with pytest.raises(ValueError, match=word):
        call()
