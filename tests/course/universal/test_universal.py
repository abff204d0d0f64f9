"""Lecture 02 mathematics: exact errors of the constructions, nested least squares, the
polynomial activation, rates measured against the predicted ones, two dimensions."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.networks import complexity
from course.progress import Progress
from course.universal import (
    RATE_ROWS,
    ShallowNet,
    Target,
    compare_dimensions,
    construct,
    default_widths,
    error_grid,
    error_vs_width,
    error_vs_width_steps,
    expression_target,
    fit_2d,
    fit_least_squares,
    least_squares_residuals,
    make_target,
    measure,
    polynomial_construction,
    predicted_rate,
    random_features,
    rate_studies,
    rates_table,
    relu_interpolant,
    step_sum,
    train_sgd_steps,
    width_vs_frequency_steps,
)
from course.universal.fitting import _pool_size, fit_points


def square(a=-1.0, b=1.0):
    return Target("square", "x^2", "smooth", lambda x: x * x, (a, b))


# ----------------------------------------------------------------------------- constructions
@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 16, 33, 100, 1001])
@pytest.mark.parametrize("domain", [(-1.0, 1.0), (0.0, 1.0), (-0.3, 2.5)])
def test_relu_interpolant_of_x_squared_has_sup_error_h2_over_4(n, domain):
    t = square(*domain)
    h = (domain[1] - domain[0]) / n
    r = measure(relu_interpolant(t, n), t)
    # On each cell x^2 - Phi(x) = (x - t_k)(t_{k+1} - x), maximal h^2/4 at the midpoint, which
    # is on the error grid. Rounding: f is O(max |x|^2) and the error is h^2/4, so the relative
    # accuracy is ~ 1e-16 * max(x^2) / (h^2 / 4) <= 1e-9 here.
    assert r.sup_error == pytest.approx(h * h / 4, rel=1e-8)
    knots = np.linspace(*domain, n + 1)
    np.testing.assert_allclose(relu_interpolant(t, n)(knots), knots**2, atol=1e-12)


def test_relu_interpolant_is_a_network_with_one_neuron_per_piece():
    t = make_target("sine")
    net = relu_interpolant(t, 37)
    assert net.width == 37
    ref = net.to_network()  # the lead's Network evaluates through its weight matrices
    x = np.linspace(-1, 1, 1001)
    np.testing.assert_allclose(net(x), ref(x).ravel(), atol=1e-12)
    assert net.complexity == complexity(ref)
    assert ref.widths == (1, 37, 1)


@pytest.mark.parametrize("n", [3, 5, 51, 1001])
def test_kink_error_is_exactly_one_over_n_for_odd_n_and_zero_for_even_n(n):
    t = make_target("abs")
    # odd N: 0 is the midpoint of a cell of width h = 2/N, the error there is h/2 = 1/N
    assert construct(t, width=n).sup_error == pytest.approx(1.0 / n, rel=1e-12)
    # even N: 0 is a knot and |x| is piecewise linear on the knots: exact
    assert construct(t, width=n + 1).sup_error < 1e-14


@pytest.mark.parametrize("n", [2, 5, 16, 101, 1000])
def test_heaviside_steps_are_the_nearest_knot_values(n):
    t = make_target("sine")
    net = step_sum(t, n, activation="heaviside")
    knots = np.linspace(-1, 1, n + 1)
    h = 2.0 / n
    # a point strictly inside a cell: the value of the nearest knot
    rng = np.random.default_rng(n)
    x = rng.uniform(-1, 1, 500)
    nearest = knots[np.clip(np.round((x + 1) / h).astype(int), 0, n)]
    off = np.abs(np.abs(x - nearest) - h / 2) > 1e-9  # not on a jump
    np.testing.assert_allclose(net(x)[off], np.sin(np.pi * nearest[off]), atol=1e-12)
    # |f - Phi| <= max|f'| h / 2
    assert construct(t, activation="heaviside", width=n).sup_error <= np.pi * h / 2 + 1e-12


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("n", [3, 8, 64, 513])
def test_sigmoid_step_sums_obey_the_stated_bound(activation, n):
    t = make_target("bump")
    rate = predicted_rate(t, activation=activation)
    assert rate.exponent == -1.0
    assert construct(t, activation=activation, width=n).sup_error <= rate(n)


def test_sigmoid_and_tanh_constructions_are_the_same_function():
    # tanh(v) = 2 sigma(2v) - 1, and the construction uses exactly that identity
    t = make_target("bump")
    x = np.linspace(-1, 1, 777)
    np.testing.assert_allclose(
        step_sum(t, 21, activation="sigmoid")(x), step_sum(t, 21, activation="tanh")(x), atol=1e-12
    )


# ----------------------------------------------------------------------------- fast evaluation
@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 60),
    activation=st.sampled_from(["relu", "heaviside", "sigmoid", "tanh"]),
    seed=st.integers(0, 10**6),
)
def test_fast_evaluation_matches_the_network_reference(n, activation, seed):
    rng = np.random.default_rng(seed)
    w = rng.normal(size=n) * rng.integers(0, 2, n)  # some w = 0: constant neurons
    net = ShallowNet(rng.normal(size=n), w, rng.normal(size=n), rng.normal(), activation)
    x = np.concatenate([rng.uniform(-2, 2, 301), net.shift[w != 0] / w[w != 0] + 1e-3])
    ref = net.to_network()(x).ravel()
    np.testing.assert_allclose(net(x), ref, atol=1e-10 * (1 + np.abs(ref).max()))


def test_two_dimensional_net_matches_the_network_reference(rng):
    net = ShallowNet(rng.normal(size=9), rng.normal(size=(9, 2)), rng.normal(size=9), 0.3)
    x = rng.uniform(0, 1, (200, 2))
    np.testing.assert_allclose(net(x), net.to_network()(x).ravel(), atol=1e-12)


def test_shallow_net_validates_its_arguments():
    with pytest.raises(ValueError, match="activation must be one of"):
        ShallowNet([1.0], [1.0], [0.0], activation="softmax")
    with pytest.raises(ValueError, match="must agree"):
        ShallowNet([1.0, 2.0], [1.0], [0.0])
    with pytest.raises(ValueError, match="degree must be an integer in"):
        ShallowNet([1.0], [1.0], [0.0], activation="polynomial", degree=0)
    with pytest.raises(ValueError, match="not in course.activations"):
        ShallowNet([1.0], [1.0], [0.0], activation="polynomial").to_network()
    with pytest.raises(ValueError, match="width must be"):
        construct(make_target("sine"), width=0)


def test_error_grid_contains_breakpoints_midpoints_and_singular_points():
    net = relu_interpolant(make_target("sine"), 7)
    bps = net.breakpoints(-1, 1)  # the interior knots: a neuron sits at each
    assert bps.size == 6
    x = error_grid(-1, 1, n=11, points=np.r_[bps, 0.0])
    assert np.all(np.diff(x) > 0)
    assert set(np.round(bps, 14)) <= set(np.round(x, 14))
    mids = 0.5 * (bps[1:] + bps[:-1])
    assert set(np.round(mids, 14)) <= set(np.round(x, 14))
    with pytest.raises(ValueError, match="a < b"):
        error_grid(1.0, 0.0)


# ----------------------------------------------------------------------------- polynomial
def _exact_ints(values):
    # every value is an integer below 2**53 in magnitude, so float64 holds it exactly
    assert np.all(np.abs(values) < 2.0**53)
    assert np.all(values == np.round(values))
    return [int(v) for v in values]


def _differences(values, order):
    for _ in range(order):
        values = [b - a for a, b in zip(values, values[1:])]
    return values


@settings(max_examples=60, deadline=None)
@given(
    degree=st.integers(1, 6),
    n=st.integers(1, 2000),
    seed=st.integers(0, 10**6),
)
def test_polynomial_activation_gives_a_polynomial_of_degree_at_most_k(degree, n, seed):
    """Exactly: integer weights, integer points, integer finite differences.

    A function on consecutive integers is a polynomial of degree <= k iff its (k+1)-th
    differences vanish; the k-th difference is then k! times the leading coefficient,
    here k! sum_j a_j w_j^k.
    """
    rng = np.random.default_rng(seed)
    a = rng.integers(-3, 4, n).astype(float)
    w = rng.integers(-2, 3, n).astype(float)
    b = rng.integers(-3, 4, n).astype(float)
    net = ShallowNet(a, w, b, 5.0, "polynomial", degree)
    x = np.arange(-4, degree + 8, dtype=float)
    vals = _exact_ints(net(x))
    assert all(v == 0 for v in _differences(vals, degree + 1))
    lead = sum(int(ai) * int(wi) ** degree for ai, wi in zip(a, w))
    assert all(v == math.factorial(degree) * lead for v in _differences(vals, degree))


@pytest.mark.parametrize("degree", [1, 3, 6])
def test_polynomial_construction_is_the_least_squares_polynomial_and_stalls(degree):
    t = make_target("bump")
    x = np.linspace(-1, 1, 4001)
    # numpy's own least-squares polynomial on the same points: a trusted second computation
    p = np.polynomial.Polynomial.fit(x, t(x), deg=degree)
    best = np.max(np.abs(t(x) - p(x)))
    errors = [
        np.max(np.abs(t(x) - polynomial_construction(t, n, degree=degree)(x)))
        for n in (degree, degree + 1, 50, 2000)
    ]
    # Width >= k already spans P_k (with the bias); the tolerance covers the conditioning of
    # the shifted-power basis (about 1e-9 for k = 6).
    np.testing.assert_allclose(errors, best, rtol=1e-6)
    rate = predicted_rate(t, activation="polynomial", degree=degree)
    assert rate.exponent == 0 and rate.constant == pytest.approx(best, rel=1e-6)


def test_least_squares_with_polynomial_activation_stalls_while_relu_converges():
    t = make_target("sine")
    poly = [
        fit_least_squares(t, activation="polynomial", degree=3, width=n).sup_error
        for n in (4, 64, 1000)
    ]
    relu = [fit_least_squares(t, activation="relu", width=n).sup_error for n in (4, 64, 1000)]
    # the best cubic is ~0.2 from sin(pi x); more neurons cannot bring it below that
    assert min(poly) > 0.19 and max(poly) < 0.21
    assert relu[-1] < 1e-3 < relu[0]


# ----------------------------------------------------------------------------- least squares
@pytest.mark.parametrize("activation", ["relu", "heaviside", "sigmoid", "tanh"])
def test_least_squares_error_never_increases_with_nested_features(activation):
    t = make_target("bump")
    widths = list(range(1, 257))
    res = least_squares_residuals(t, widths, activation=activation)
    # the features of width N are the first N of width N + 1: the minimum can only drop
    # (up to rounding of the residual formula, ~1e-13 relative to |f|)
    assert np.all(np.diff(res) <= 1e-12)
    assert res[-1] < res[0]


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
@pytest.mark.parametrize("n", [1, 8, 31, 200])
def test_least_squares_matches_numpy_lstsq(activation, n):
    t = make_target("sine")
    x = fit_points(t, activation, _pool_size(n))
    w, b = random_features(activation, n)
    from course.universal import activation_function

    A = np.column_stack([np.ones_like(x), activation_function(activation)(np.outer(x, w) - b)])
    coef, *_ = np.linalg.lstsq(A, t(x), rcond=None)
    ref = np.sqrt(np.mean((A @ coef - t(x)) ** 2))
    ours = least_squares_residuals(t, [n], activation=activation)[0]
    # Both minimise the same sum of squares. For well-conditioned features they agree to
    # rounding; for steep sigmoids the features are nearly dependent and numpy's SVD cuts
    # singular values below 1e-16 * s_max, so its minimum may be larger; below ~1e-10 (|f| ~ 1)
    # both are zero to working accuracy.
    assert ours <= ref * (1 + 1e-6) + 1e-13
    assert ours >= ref * (1 - 1e-3) or ref < 1e-10
    fit = fit_least_squares(t, activation=activation, width=n)
    ours_eval = np.sqrt(np.mean((fit.net(x) - t(x)) ** 2))
    assert ours_eval == pytest.approx(ours, rel=1e-3, abs=1e-12)


def test_random_features_are_nested_and_seeded():
    w1, b1 = random_features("relu", 10, seed=3)
    w2, b2 = random_features("relu", 100, seed=3)
    np.testing.assert_array_equal(w1, w2[:10])
    np.testing.assert_array_equal(b1, b2[:10])
    assert not np.array_equal(random_features("relu", 10, seed=4)[1], b1)
    with pytest.raises(ValueError, match="n must be in"):
        random_features("relu", 5000)


# ----------------------------------------------------------------------------- SGD
def test_sgd_streams_progress_and_lowers_the_error():
    t = make_target("sine")
    job = train_sgd_steps(t, width=16, steps=300, report_every=30)
    fractions, partials = [], []
    while True:
        try:
            item = next(job)
        except StopIteration as stop:
            final = stop.value
            break
        assert isinstance(item, Progress)
        fractions.append(item.fraction)
        if item.partial is not None:
            partials.append(item.partial)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    # the starting network first (before torch is imported), then every 30 of 300 steps
    assert len(fractions) == 11 and fractions[0] == 0.0 and partials
    start = partials[0]
    assert start.method == "sgd" and np.all(start.net.outer == 0)
    np.testing.assert_allclose(start.phi, start.net.bias)  # Phi = mean f: a constant
    assert final.method == "sgd" and final.net.width == 16
    # from zero outer weights (error = max|sin - mean| = 1) to a fit
    assert final.sup_error < 0.5


def test_sgd_stops_when_closed():
    job = train_sgd_steps(make_target("bump"), width=8, steps=10_000, report_every=1)
    next(job)
    job.close()  # what the runner does on Stop: no exception, no further work
    with pytest.raises(StopIteration):
        next(job)


def test_importing_the_lecture_does_not_import_torch():
    code = "import sys, course.universal; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ----------------------------------------------------------------------------- rates
@pytest.mark.parametrize(
    ("name", "activation", "slope"),
    [
        ("sine", "relu", -2.0),
        ("bump", "relu", -2.0),
        ("abs", "relu", -1.0),
        ("sine", "heaviside", -1.0),
        ("abs", "sigmoid", -1.0),
        ("step", "relu", -2.0),
        ("sine", "polynomial", 0.0),
    ],
)
def test_measured_slopes_match_the_predicted_rates(name, activation, slope):
    t = make_target(name)
    # the steep step reaches its asymptotic regime at N ~ 1/delta = 50
    fit_min = 100 if name == "step" else 16
    s = error_vs_width(t, activation=activation, fit_min=fit_min)
    assert s.predicted.exponent == slope
    assert s.fit.slope == pytest.approx(slope, abs=0.05)
    assert s.fit.n_min >= fit_min and s.fit.n_max == s.widths.max()
    # the predicted line is an upper bound for every width measured
    assert np.all(s.errors <= s.predicted(s.widths) * (1 + 1e-9))


def test_the_lectures_table_of_rates_measures_the_predicted_rate_in_every_row():
    # lecture 02, section 4: the cell renders rates_table(); every measured slope (on the fit
    # range the row names, up to N = 2047) is the rate its construction predicts, within 0.05
    studies = rate_studies()
    rows = rates_table(studies=studies).splitlines()[2:]
    assert len(rows) == len(RATE_ROWS) == len(studies)
    for row, (*_, name, activation, fit_min), s in zip(rows, RATE_ROWS, studies):
        assert s.target == make_target(name) and s.activation == activation
        assert s.fit.n_min >= fit_min and s.fit.n_max == 2047
        assert s.fit.slope == pytest.approx(s.predicted.exponent, abs=0.05), (name, activation)
        assert f"${round(s.fit.slope, 2) + 0.0:.2f}$ (${s.fit.n_min:g} \\le N" in row
    # the constructions' exponents are the lecture's: N^-2 for ReLU on C^2 targets, N^-1 for
    # kinks and steps, none for a polynomial activation
    exponents = {(r[3], r[4]): s.predicted.exponent for r, s in zip(RATE_ROWS, studies)}
    assert exponents[("sine", "relu")] == exponents[("step", "relu")] == -2.0
    assert exponents[("abs", "relu")] == exponents[("step", "heaviside")] == -1.0
    assert exponents[("sine", "tanh")] == exponents[("sine", "sigmoid")] == -1.0
    assert exponents[("sine", "polynomial")] == 0.0


def test_sgd_sweep_is_a_generator_over_training_runs(drain):
    job = error_vs_width_steps(
        make_target("sine"), method="sgd", widths=[3, 9], sgd_steps=100, fit_min=3
    )
    items, study = drain(job)
    assert all(isinstance(i, Progress) for i in items)
    assert [i.fraction for i in items] == sorted(i.fraction for i in items)
    assert items[0].partial is None  # no point yet while the first run trains
    assert study.method == "sgd" and list(study.widths) == [3, 9] and study.fit is not None
    with pytest.raises(ValueError, match="method must be one of"):
        next(error_vs_width_steps(make_target("sine"), method="newton"))


def test_steep_step_has_a_plateau_before_its_rate():
    s = error_vs_width(make_target("step"), widths=[1, 3, 5])
    assert np.all(s.errors > 0.3)  # N << 1/delta: no decay yet


def test_default_widths_are_odd():
    w = default_widths()
    assert np.all(w % 2 == 1) and w[0] == 3 and w[-1] == 2047


def test_width_needed_grows_linearly_with_the_frequency():
    freqs = [1.0, 2.0, 4.0, 8.0]
    job = width_vs_frequency_steps(freqs, 1e-2)
    while True:
        try:
            next(job)
        except StopIteration as stop:
            f, needed, predicted = stop.value
            break
    assert np.all(np.diff(needed) > 0)
    # N(eps) ~ (b - a) sqrt(max|f''| / (8 eps)), and max|f''| ~ omega^2
    np.testing.assert_allclose(needed / predicted, 1.0, atol=0.03)
    np.testing.assert_allclose(needed / f, needed[0] / f[0], rtol=0.03)


# ----------------------------------------------------------------------------- targets
def test_targets_and_expressions():
    assert make_target("sines", frequency=2.0).key == "sines@2"
    with pytest.raises(ValueError, match="target must be one of"):
        make_target("cosine")
    with pytest.raises(ValueError, match="frequency must be"):
        make_target("sines", frequency=float("nan"))
    with pytest.raises(ValueError, match="not finite at x = 0"):
        expression_target("1/x")
    t = expression_target("abs(x) - x**2")
    assert t.key == expression_target("abs(x) - x**2").key  # cacheable by its text


# ----------------------------------------------------------------------------- 2D
@pytest.mark.slow
def test_two_dimensions_need_more_neurons_for_the_same_accuracy():
    s = compare_dimensions("bump")
    n1 = s.width_for(1e-2, d=1, metric="sup")
    n2 = s.width_for(1e-2, d=2, metric="sup")
    assert n1 is not None and (n2 is None or n2 >= 4 * n1)
    r_small, r_big = fit_2d("bump", width=16), fit_2d("bump", width=1000)
    assert r_big.rms_error < r_small.rms_error / 10
    assert r_big.f.shape == (101, 101) and r_big.complexity == r_big.net.complexity
    with pytest.raises(ValueError, match="width must be an integer in"):
        fit_2d("bump", width=5000)
    with pytest.raises(ValueError, match="target must be one of"):
        fit_2d("square")


def test_targets_pickle_as_the_same_function():
    # a shared result holding a target (the rates study) is pickled into the class's store
    import pickle

    from course.universal import expression_target, make_target
    from course.universal.twod import profile_target

    x = np.linspace(-1, 1, 1001)
    for target in (
        *(make_target(name) for name in ("sine", "bump", "abs", "step")),
        make_target("sines", frequency=4.123456789),
        expression_target("sin(3*x) + abs(x)**0.5"),
        profile_target("disc"),
    ):
        copy = pickle.loads(pickle.dumps(target))
        assert copy == target and copy.recipe == target.recipe
        t = np.linspace(*target.domain, 1001)
        np.testing.assert_array_equal(copy(t), target(t))
    assert not np.array_equal(
        make_target("sines", frequency=4.123456789)(x), make_target("sines", frequency=4.12346)(x)
    )
