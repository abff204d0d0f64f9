"""Lecture 03's "What to observe" prompts, one test each: drive the controls the prompt names,
check the effect it promises on the panel's state and on the data drawn."""

from __future__ import annotations

import numpy as np
import pytest

from course.networks import complexity
from course.yarotsky import multiply, sawtooth_complexity
from course.yarotsky.smooth import target_derivative
from widgets.live import NOT_COMPUTED
from widgets.yarotsky import (
    POLYNOMIALS,
    DepthPanel,
    ProductPanel,
    SawtoothPanel,
    SmoothPanel,
    SquarePanel,
)
from widgets.yarotsky.products import surface_window
from widgets.yarotsky.smooth import shallow_error_at


def data(fig, k, ax=0):
    artist = fig.axes[ax].lines[k]
    return np.asarray(artist.get_xdata(), float), np.asarray(artist.get_ydata(), float)


def set_and_wait(p, timeout=120, **values):
    for name, value in values.items():
        p.controls[name].value = value
    assert p.wait(timeout) and p.state.ok, p.state.status
    return p.state.result


# ----------------------------------------------------------------------------- 1. sawtooth
@pytest.fixture
def sawtooth_panel(reuse):
    return reuse("sawtooth", SawtoothPanel)


def test_each_layer_doubles_the_pieces_at_11_weights_a_layer(sawtooth_panel):
    # "Each extra layer doubles the number of pieces: 2^s pieces from 11s - 3 weights."
    pieces, weights = [], []
    for s in range(1, 13):
        r = set_and_wait(sawtooth_panel, s=s)
        x, _ = data(sawtooth_panel.figures["sawtooth"], 0)
        assert len(x) - 1 == r.pieces  # the curve is drawn through the pieces counted
        pieces.append(r.pieces)
        weights.append(r.complexity)
    assert pieces == [2**s for s in range(1, 13)]
    assert np.all(np.diff(pieces[1:]) == np.array(pieces[1:-1]))  # doubling
    assert weights == [11 * s - 3 for s in range(1, 13)]


def test_the_graph_has_width_3_and_rank_one_merged_maps(sawtooth_panel):
    # "width 3 throughout; composing two teeth merged the output map (2,-4,2) of one with the
    # input map (1,1,1)^T of the next into one rank-one 3x3 matrix"
    r = set_and_wait(sawtooth_panel, s=5)
    net = r.network
    assert net.widths == (1, 3, 3, 3, 3, 3, 1)
    for w in net.weights[1:-1]:
        assert w.shape == (3, 3) and np.linalg.matrix_rank(w) == 1
        np.testing.assert_array_equal(w, np.outer(np.ones(3), [2.0, -4.0, 2.0]))
    # the drawn graph has the network's 3-neuron layers
    nodes = sawtooth_panel.figures["network"].axes[0].lines[0]
    x = np.asarray(nodes.get_xdata())
    assert [int(np.sum(x == v)) for v in sorted(set(x.tolist()))] == [1, 3, 3, 3, 3, 3, 1]


def test_at_s_12_a_shallow_network_needs_4096_neurons_against_36(sawtooth_panel):
    r = set_and_wait(sawtooth_panel, s=12)
    assert r.shallow_width == 4096
    assert sum(r.network.widths[1:-1]) == 36
    assert "<b>4096</b>" in sawtooth_panel.info.value


# ----------------------------------------------------------------------------- 2. square
@pytest.fixture
def square_panel(reuse):
    return reuse("square", SquarePanel)


def test_sup_error_is_exact_at_the_midpoints_and_f_m_lies_above(square_panel):
    for m in (1, 4, 9, 12):
        r = set_and_wait(square_panel, m=m)
        c = r.curve
        assert c.sup_error == c.exact_error == 2.0 ** (-2 * m - 2)  # to the last digit
        assert np.all(c.error >= 0)  # f_m >= x^2
        peaks = c.x[c.error == c.sup_error]
        np.testing.assert_array_equal(peaks, (np.arange(2**m) + 0.5) / 2**m)  # the midpoints
        # the error plot shows the peaks at the level drawn
        x, e = data(square_panel.figures["square"], 0, ax=1)
        assert np.max(e) == c.exact_error
        np.testing.assert_array_equal(x[e == e.max()], peaks[: np.count_nonzero(e == e.max())])


def test_one_more_layer_divides_the_error_by_four(square_panel):
    # depth L = m + 1: error 2^(-2m-2) = 4^(-L), measured through the network's matrices
    errors, depths = [], []
    for m in range(0, 13):
        c = set_and_wait(square_panel, m=m).curve
        errors.append(c.sup_error)
        depths.append(c.depth)
    errors, depths = np.array(errors), np.array(depths)
    np.testing.assert_array_equal(depths, np.arange(13) + 1)
    np.testing.assert_array_equal(errors, 4.0**-depths)
    np.testing.assert_array_equal(errors[:-1] / errors[1:], 4.0)


def test_shallow_errors_lie_on_slope_minus_2_deep_errors_bend_down(square_panel):
    q = set_and_wait(square_panel, m=6).rates
    assert q.shallow_fit.slope == pytest.approx(-2.0, abs=0.05) and q.shallow_fit.r2 > 0.999
    # the local power-law slope of the deep curve keeps steepening with m: no line fits it
    c, e = q.deep_complexity[1:], q.deep_error[1:]
    local = np.diff(np.log(e)) / np.diff(np.log(c))
    assert np.all(np.diff(local) < 0)
    assert q.deep_exponential.slope == pytest.approx(-2 / 15, rel=1e-9)
    # the drawn lines are the measured ones
    x, y = data(square_panel.figures["rates"], 0)
    np.testing.assert_array_equal(x, q.deep_complexity)
    np.testing.assert_array_equal(y, q.deep_error)


def test_at_m_12_the_deep_error_is_a_thousand_times_smaller(square_panel):
    r = set_and_wait(square_panel, m=12)
    q = r.rates
    assert q.shallow_complexity[12] <= q.deep_complexity[12] == 175
    assert q.shallow_error[12] > 1000 * q.deep_error[12]
    info = square_panel.info.value
    assert f"{q.shallow_error[12]:.3g}" in info and f"{r.curve.sup_error:.6g}" in info


# ----------------------------------------------------------------------------- 3. products
@pytest.fixture
def product_panel(reuse):
    return reuse("product", ProductPanel)


@pytest.mark.parametrize("m", [0, 2, 5, 8])
def test_multiplier_error_in_its_band_and_zero_on_the_axes(product_panel, m):
    r = set_and_wait(product_panel, m=m)
    bound = 2.0 ** (-2 * m)
    assert r.bound == bound
    assert r.error.max() <= 0.0 and r.error.min() >= -bound
    assert r.max_error == bound  # the band's edge is reached on the grid
    mid = r.axis.size // 2
    assert r.axis[mid] == 0.0
    assert np.all(r.error[mid, :] == 0.0) and np.all(r.error[:, mid] == 0.0)
    assert r.zero_max == 0.0 and "= 0$" in product_panel.info.value
    # the image shows the error in units of the bound
    image = product_panel.figures["surface"].axes[0].images[0]
    np.testing.assert_array_equal(np.asarray(image.get_array()) * bound, r.error)


@pytest.mark.parametrize("m", [1, 3, 5, 8])
def test_error_pattern_repeats_on_the_dyadic_grid(product_panel, m):
    # "repeats on the dyadic grid of spacing 2^(1-m) and vanishes at its nodes"
    r = set_and_wait(product_panel, m=m)
    step = r.axis[1] - r.axis[0]
    period = 2.0 ** (1 - m)
    k = round(period / step)
    assert k * step == period
    e = r.error
    np.testing.assert_array_equal(e[:, k:], e[:, :-k])
    np.testing.assert_array_equal(e[k:, :], e[:-k, :])
    nodes = np.isclose(np.mod(r.axis, period), 0) | np.isclose(np.mod(r.axis, period), period)
    assert np.all(e[np.ix_(nodes, nodes)] == 0.0)
    # half the period is not a period: the pattern's cell is 2^(1-m), not 2^-m
    assert not np.array_equal(e[:, k // 2 :], e[:, : -(k // 2)])


def test_the_window_shows_the_max_over_the_whole_square():
    # from m = 5 on the window [-2^(4-m), 2^(4-m)]^2 is drawn; the pattern repeats, so its
    # max error is the max over all of [-1, 1]^2 on the same grid
    for m in (5, 6):
        a = surface_window(m)
        assert a == 2.0 ** (4 - m)
        step = 2 * a / 128
        g = np.arange(-1.0, 1.0 + step / 2, step)
        xx, yy = np.meshgrid(g, g)
        pts = np.c_[xx.ravel(), yy.ravel()]
        full = multiply(m)(pts)[:, 0] - pts[:, 0] * pts[:, 1]
        p = ProductPanel(m=m)
        assert p.wait(30)
        assert p.state.result.max_error == float(np.max(np.abs(full)))
    assert surface_window(4) == 1.0


@pytest.mark.parametrize("poly", list(POLYNOMIALS))
def test_polynomial_error_in_its_bound_shrinking_by_about_4_per_m(product_panel, poly):
    errors, depths = [], []
    for m in range(2, 9):
        r = set_and_wait(product_panel, m=m, poly=poly)
        assert r.poly_error <= r.poly_bound
        x, phi = data(product_panel.figures["polynomial"], 1)
        assert np.max(np.abs(phi - r.exact)) == r.poly_error
        errors.append(r.poly_error)
        depths.append(r.poly_depth)
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    # "about 4": the geometric mean of the per-step ratios, each step within a factor 2 of 4
    assert np.exp(np.mean(np.log(ratios))) == pytest.approx(4.0, rel=0.15)
    assert np.all((ratios > 2.0) & (ratios < 8.0))
    assert len(set(np.diff(depths))) == 1 and np.diff(depths)[0] > 0  # linear in m


def test_polynomial_depth_grows_linearly_with_the_degree(product_panel):
    # Horner: one multiplier per degree; the same m for every polynomial
    depth = {}
    for poly in POLYNOMIALS:
        r = set_and_wait(product_panel, m=4, poly=poly)
        depth[len(POLYNOMIALS[poly][2]) - 1] = r.poly_depth
    per_degree = {d: v / d for d, v in depth.items()}
    per = set(np.diff([depth[d] for d in sorted(depth)]) / np.diff(sorted(depth)))
    assert len(per) == 1, per_degree


# ----------------------------------------------------------------------------- 4. C^s rates
@pytest.fixture
def smooth_panel(reuse):
    return reuse("smooth", SmoothPanel)


@pytest.mark.parametrize("s", [2, 3, 4, 5])
def test_deep_slope_follows_minus_s_and_shallow_saturates_at_minus_2(smooth_panel, s):
    r = set_and_wait(smooth_panel, s=s)
    assert abs(r.deep_fit.slope - r.theorem_slope) <= 0.3 and r.theorem_slope == -s
    assert r.deep_fit.n_points == 4 and r.deep_fit.n_min == r.deep_complexity[-4]
    assert r.shallow_fit.slope == pytest.approx(-2.0, abs=0.05)
    info = smooth_panel.info.value
    assert f"${r.deep_fit.slope:.2f}$" in info and f"${r.shallow_fit.slope:.2f}$" in info


@pytest.mark.parametrize("s", [3, 4, 5])
def test_measured_shallow_wins_extrapolated_deep_wins_beyond_the_crossover(smooth_panel, s):
    r = set_and_wait(smooth_panel, s=s)
    # measured: at every deep network's size the shallow interpolant has the smaller error
    assert np.all(shallow_error_at(r, r.deep_complexity) < r.deep_error)
    # extrapolated: the fitted lines meet at C*, beyond the largest network measured
    c = r.crossover
    assert c is not None and c > r.deep_complexity[-1]
    assert r.deep_fit(c) == pytest.approx(r.shallow_fit(c), rel=1e-9)
    assert r.deep_fit(2 * c) < r.shallow_fit(2 * c) and r.deep_fit(c / 2) > r.shallow_fit(c / 2)
    # drawn: the dashed fits run past C*, the star sits on it, the shaded region starts at the
    # largest measured C; the text says what is measured and what is extrapolated
    fig = smooth_panel.figures["rates"]
    for k in (3, 4):
        x, _ = data(fig, k)
        assert x.max() > c and fig.axes[0].lines[k].get_linestyle() == "--"
    cx, cy = data(fig, 6)
    assert cx[0] == c and cy[0] == pytest.approx(r.shallow_fit(c), rel=1e-9)
    assert fig.axes[0].get_xlim()[1] > c
    shade = fig.axes[0].patches[0]
    assert shade.get_x() == r.deep_complexity[-1]
    info = smooth_panel.info.value
    assert "<b>measured</b>" in info and "<b>extrapolated</b>" in info
    assert "shallow interpolant is the smaller error" in info
    from widgets.yarotsky._common import sci

    assert sci(c, 2) in info and "crossover" in fig.axes[0].get_legend().get_texts()[-1].get_text()


@pytest.mark.parametrize("s", [1, 2])
def test_no_crossover_for_s_at_most_2(smooth_panel, s):
    r = set_and_wait(smooth_panel, s=s)
    assert r.crossover is None and r.deep_fit.slope > r.shallow_fit.slope
    assert np.all(shallow_error_at(r, r.deep_complexity) < r.deep_error)  # measured, too
    assert "shallow interpolant is the smaller error" in smooth_panel.info.value
    x, _ = data(smooth_panel.figures["rates"], 6)
    assert x.size == 0 and "no crossover" in smooth_panel.info.value


def test_two_dimensions_halve_the_rate(smooth_panel):
    # "Switch to d = 2: the same smoothness buys only half the rate, C^(-s/2); the fitted slopes
    # on N <= 8 are pre-asymptotic and come out a little steeper than -s/2"
    r1 = set_and_wait(smooth_panel, s=2, d=1)
    r2 = set_and_wait(smooth_panel, s=2, d=2)
    assert r2.theorem_slope == r1.theorem_slope / 2 == -1.0
    assert r2.n_patches.max() == 8
    assert r2.theorem_slope - 0.6 < r2.deep_fit.slope < r2.theorem_slope
    assert r2.deep_fit.slope > r1.deep_fit.slope  # flatter than in d = 1
    assert "d = 2" in smooth_panel.info.value


@pytest.mark.parametrize("s", [3, 4])
def test_deep_error_spread_shallow_error_where_f2_is_large(smooth_panel, s):
    r = set_and_wait(smooth_panel, s=s)
    deep = np.abs(r.deep_curve - r.f)
    shallow = np.abs(r.shallow_curve - r.f)
    quarters = np.array_split(np.arange(r.x.size), 4)
    deep_q = np.array([deep[q].max() for q in quarters])
    assert deep_q.min() > 0.1 * deep_q.max()  # every quarter has error of the same order
    f2 = np.abs(target_derivative(r.x, s, 2))
    sh_q = np.array([shallow[q].max() for q in quarters])
    f2_q = np.array([f2[q].max() for q in quarters])
    assert np.argmax(sh_q) == np.argmax(f2_q)
    # interpolation error h^2 |f''| / 8 on each piece: the shallow error follows |f''|
    ratio = sh_q / f2_q
    assert ratio.max() < 1.5 * ratio.min()


# ----------------------------------------------------------------------------- 5. depth
def test_before_train_the_panel_shows_what_train_will_add():
    p = DepthPanel(k_max=4, tol=0.1)
    assert p.wait(30) and p.state.result is NOT_COMPUTED
    fig = p.figures["widths"]
    k, bound = data(fig, 1)
    np.testing.assert_array_equal(k, [1, 2, 3, 4])
    np.testing.assert_array_equal(bound, 2.0**k)
    _, deep = data(fig, 2)
    np.testing.assert_array_equal(deep, 3)
    trained, _ = data(fig, 0)
    assert trained.size == 0
    message = fig.axes[0].texts[0]
    assert message.get_visible() and "press Train" in message.get_text()
    x, g = data(p.figures["fit"], 0)
    assert x.size > 0 and g.max() == pytest.approx(1.0)
    p.controls["k_max"].value = 2  # still not trained: the message follows the controls
    assert p.wait(30) and p.state.result is NOT_COMPUTED
    assert "k = 1, \\dots, 2" in message.get_text()


def test_trained_widths_grow_with_k_and_with_a_smaller_tolerance():
    # "The trained width needed grows with k and stays at or above the exact-representation
    # width 2^k; ... make the tolerance smaller and watch the widths grow." Pieces never exceed
    # width + 1. (Seeded training: the same widths on every run.)
    p = DepthPanel(k_max=3, tol=0.2)
    assert p.wait(30)
    widths = {}
    for tol in (0.2, 0.05):
        p.controls["tol"].value = tol
        assert p.wait(30)
        p.start_button.click()
        assert p.wait(300) and p.state.ok, p.state.status
        r = p.state.result
        assert np.all(np.isfinite(r.width_needed))
        assert np.all(np.diff(r.width_needed) >= 0) and r.width_needed[-1] > r.width_needed[0]
        assert np.all(r.width_needed >= r.bound)
        for f in r.fits:
            assert f.pieces <= f.width + 1
        assert not p.figures["widths"].axes[0].texts[0].get_visible()
        np.testing.assert_array_equal(r.deep_complexity, [sawtooth_complexity(k) for k in r.ks])
        widths[tol] = r.width_needed
    assert np.all(widths[0.05] >= widths[0.2]) and np.any(widths[0.05] > widths[0.2])
    assert complexity(p.state.result.fits[-1].network) > 0


def test_the_box_compares_with_a_shallow_multiplier_of_as_many_weights(product_panel):
    # "the box compares it with a one-hidden-layer network with as many weights: the shallow one
    # is better for small m, the deep one from a middle m on, by a factor that grows with m"
    ratios = []
    for m in range(0, 9):
        r = set_and_wait(product_panel, m=m)
        c = r.comparison
        assert c.deep_error == r.max_error and c.shallow_complexity <= r.times_complexity
        ratios.append(c.shallow_error / c.deep_error)
        info = product_panel.info.value
        assert f"$C = {c.shallow_complexity}$" in info
        assert ("times smaller" in info) == (ratios[-1] < 1)
    assert ratios[0] < 1 < ratios[-1] and np.all(np.diff(ratios[2:]) > 0)  # from m = 2 on
