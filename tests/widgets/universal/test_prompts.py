"""Lecture 02's "What to observe" prompts, one test each: drive the controls a prompt names on
the headless panels and check the effect it promises (issue 15)."""

from __future__ import annotations

import numpy as np
import pytest

from course.universal import fit_least_squares
from widgets.universal import MAX_CONTRIBUTIONS


def drive(panel, timeout=60, **values):
    for name, value in values.items():
        panel.controls[name].value = value
    assert panel.wait(timeout)
    assert panel.state.ok, panel.state.status
    return panel.state.result


# ----------------------------------------------------------------------------- section 3
def test_doubling_n_divides_the_error_by_4_for_relu_and_by_2_for_heaviside(shallow):
    # "ReLU, construction, sine: double N and the sup error drops by 4. Switch to Heaviside:
    # it drops only by 2."
    for activation, factor in (("relu", 4.0), ("heaviside", 2.0)):
        e = [
            drive(
                shallow, target="sine", method="construction", activation=activation, width=n
            ).approx.sup_error
            for n in (32, 64)
        ]
        assert e[0] / e[1] == pytest.approx(factor, rel=0.01), activation


def test_abs_at_33_and_34(shallow):
    # "Target |x|: compare N = 33 and N = 34. ... one error exactly 1/33 and the other 0"
    odd = drive(shallow, target="abs", method="construction", activation="relu", width=33)
    assert odd.approx.sup_error == pytest.approx(1 / 33, rel=1e-12)
    assert f"{1 / 33:.3g}" in shallow.info.value
    even = drive(shallow, width=34)
    assert even.approx.sup_error < 1e-12


def test_steep_step_plateau_then_decay(shallow):
    # "Steep step, ReLU: up to N = 10 the error hardly falls -- the plateau. From which N on
    # does it fall like N^-2?"
    e = {
        n: drive(
            shallow, target="step", method="construction", activation="relu", width=n
        ).approx.sup_error
        for n in (1, 2, 4, 6, 8, 10, 32, 193, 385)
    }
    assert all(0.3 <= e[n] <= 0.5 for n in (1, 2, 4, 6, 8, 10)), e
    # falling after N ~ 0.2 / delta = 10; like N^-2 once N >> 10 (measured ratio 3.87)
    assert e[32] < 0.1 and e[193] / e[385] == pytest.approx(4.0, rel=0.05)


def test_polynomial_activation_does_not_improve_with_width_but_with_degree(shallow):
    # "Polynomial activation of degree 3 on the sine: raise N from 4 to 2000. Nothing
    # changes -- the error is dist(f, P_3). Now raise the degree instead."
    e = [
        drive(
            shallow,
            target="sine",
            activation="polynomial",
            method="construction",
            degree=3,
            width=n,
        ).approx.sup_error
        for n in (4, 100, 2000)
    ]
    assert e[0] == pytest.approx(e[1], rel=1e-9) and e[0] == pytest.approx(e[2], rel=1e-9)
    assert shallow.controls["degree"].layout.display != "none"  # the control is shown
    e5 = drive(shallow, degree=5).approx.sup_error
    assert e5 < e[0] / 10


def test_least_squares_with_sigmoids_is_accurate_with_huge_cancelling_weights(shallow):
    # "Least squares with sigmoids is astonishingly accurate on the sine (for N ~ 100 the
    # error is near rounding level) -- but tick each neuron: the outer weights are huge and
    # cancel. Compare with the construction's tidy steps."
    r = drive(
        shallow,
        target="sine",
        activation="sigmoid",
        method="least_squares",
        width=100,
        contributions=True,
    )
    assert r.approx.sup_error < 1e-10
    drawn = [ln for ln in shallow.figures["approximation"].axes[0].lines[:MAX_CONTRIBUTIONS]]
    peak = max(np.max(np.abs(ln.get_ydata())) for ln in drawn if len(ln.get_ydata()))
    assert peak > 100  # terms of size > 100 that add up to sin(pi x), of size 1
    tidy = drive(shallow, method="construction")
    tidy_peak = max(
        np.max(np.abs(ln.get_ydata()))
        for ln in shallow.figures["approximation"].axes[0].lines[:MAX_CONTRIBUTIONS]
        if len(ln.get_ydata())
    )
    assert tidy_peak <= 2 * np.pi / 100 + 1e-12  # each step is f(t_k) - f(t_{k-1}) <= h max|f'|
    assert tidy.approx.sup_error > 1e-3
    drive(shallow, contributions=False)


def test_sgd_with_16_neurons_beats_least_squares(shallow):
    # "SGD: start it with N = 16; watch Phi move (tested in test_universal.py). Does it reach
    # the error of the least-squares fit with the same N?" -- it does better: it moves the
    # breakpoints, least squares cannot
    ls = drive(
        shallow, target="sine", activation="relu", method="least_squares", width=16
    ).approx.sup_error
    assert ls == pytest.approx(fit_least_squares_sine16(), rel=1e-12)
    sgd = drive(shallow, timeout=300, method="sgd", steps=2000).approx
    assert sgd.method == "sgd" and shallow.state.final
    assert sgd.sup_error < ls / 2
    drive(shallow, method="construction")


def fit_least_squares_sine16():
    from course.universal import make_target

    return fit_least_squares(make_target("sine"), width=16).sup_error


# ----------------------------------------------------------------------------- section 4
def test_fit_range_in_the_legend_and_the_plateau_spoils_a_fit_from_3(rates):
    # "Read the fitted slope and its range in the legend. Set fit from to 3 for the steep
    # step: the plateau spoils the fit. Where does the asymptotic regime begin?"
    base = dict(target="step", activation="relu", method="construction")
    spoiled = drive(rates, **base, fit_min=3).study
    fitted = rates.figures["rates"].axes[0].lines[1].get_label()
    assert f"{spoiled.fit.slope:.2f}" in fitted and f"{spoiled.fit.n_min:g}" in fitted
    asymptotic = drive(rates, fit_min=97).study
    assert asymptotic.fit.slope == pytest.approx(-2.0, abs=0.05)
    assert abs(spoiled.fit.slope - asymptotic.fit.slope) > 0.3
    drive(rates, target="sine", fit_min=16)


def test_polynomial_points_lie_on_the_predicted_floor(rates):
    # "Polynomial activation: the measured points are a horizontal line on the predicted floor."
    s = drive(rates, target="sine", activation="polynomial", method="construction", degree=3).study
    np.testing.assert_allclose(s.errors, s.predicted.constant, rtol=1e-9)
    measured, _, predicted = rates.figures["rates"].axes[0].lines
    np.testing.assert_allclose(measured.get_ydata(), predicted.get_ydata(), rtol=1e-9)
    drive(rates, activation="relu")


def test_least_squares_relu_slope_differs_and_points_scatter(rates):
    # "Least squares with ReLU: the slope is not that of the interpolant, and the points scatter."
    s = drive(rates, target="sine", activation="relu", method="least_squares", fit_min=16).study
    assert s.fit.slope > -1.6  # the interpolant's is -2.00
    assert s.fit.r2 < 0.98  # scatter about the fitted line
    # not monotone in steps of N^-2: some wider networks are barely better
    assert np.any(s.errors[1:] > 0.8 * s.errors[:-1])
    drive(rates, method="construction")


def test_a_kink_off_the_midpoints_scatters_as_j_delta_predicts(rates):
    # "Type abs(x - 1/3): the kink is no longer at a cell midpoint for odd N. Predict the
    # scatter of the points from J delta (h - delta) / h."
    s = drive(
        rates, activation="relu", method="construction", fit_min=16, expression="abs(x - 1/3)"
    ).study
    assert rates.state.target == "expression"  # typing the formula chose it
    n = s.widths
    h = 2.0 / n
    delta = np.array([np.min(np.abs(-1 + np.arange(k + 1) * 2.0 / k - 1 / 3)) for k in n])
    predicted = 2.0 * delta * (h - delta) / h  # J = 2
    # the error grid of a typed formula does not know where the kink is (no singular points):
    # the measured error is the prediction less J times the distance of the kink from the
    # nearest grid point (measured: at most 4.5e-4)
    assert np.all(s.errors <= predicted + 1e-12)
    np.testing.assert_allclose(s.errors, predicted, atol=5e-4)
    assert s.fit.r2 < 0.5  # scatter: N = 3, 27, 63, 555 put a knot on the kink (error 0)
    drive(rates, target="sine")


@pytest.mark.slow
@pytest.mark.timeout(1500)  # eight SGD trainings up to width 513: minutes on two busy cores
def test_sgd_slope_is_far_from_the_construction(rates):
    # "SGD: the slope is far from the construction's."
    s = drive(rates, timeout=1400, target="sine", activation="relu", method="sgd", fit_min=3).study
    assert s.method == "sgd" and s.fit.slope > -1.6
    drive(rates, method="construction", fit_min=16)


def test_halving_eps_and_doubling_omega(rates):
    # "Right plot: halve eps. By which factor does N(eps) grow? And when omega doubles?"
    # N(eps) ~ omega / sqrt(eps): by sqrt(2), and by 2 (up to rounding N to an integer)
    assert rates.controls["eps"].value == 0.01
    r1 = drive(rates, eps=0.01)
    freqs = np.asarray(r1.frequencies)
    r2 = drive(rates, eps=0.005)
    big = r1.widths_needed >= 20  # integers: relative rounding below 5%
    np.testing.assert_allclose(r2.widths_needed[big] / r1.widths_needed[big], np.sqrt(2), rtol=0.05)
    for w in (4.0, 8.0, 16.0):
        i, j = np.flatnonzero(freqs == w)[0], np.flatnonzero(freqs == 2 * w)[0]
        assert r1.widths_needed[j] / r1.widths_needed[i] == pytest.approx(2.0, rel=0.06)
    drive(rates, eps=0.01)


# ----------------------------------------------------------------------------- section 5
def test_two_d_needs_ten_times_the_neurons(two_d):
    # "Read the two widths next to the plot: how many neurons reach the sup error eps on the 1D
    # section of the bump, and how many in 2D? The same accuracy needs many times as many
    # neurons in two dimensions." (measured: N = 64 suffices in 1D, 2D needs over ten times)
    r = drive(two_d, target="bump", metric="sup", eps=0.01, width=64)
    s = r.study
    one = s.sup_1d[np.flatnonzero(s.widths <= 64)[-1]]
    assert one <= 0.02
    n1 = s.width_for(0.01, d=1, metric="sup")
    n2 = s.width_for(0.01, d=2, metric="sup")
    assert n1 is not None and n1 <= 100
    assert n2 is None or n2 > 10 * n1
    assert f"$d = 1$: $N = {n1}$" in two_d.info.value
    assert ("not reached" if n2 is None else f"$N = {n2}$") in two_d.info.value


def test_two_d_error_forms_stripes_along_the_ridges(two_d):
    # "Look at |f - Phi| for small N: the error forms stripes along the ridges": Phi is
    # affine between the lines <w_k, x> = b_k, so its second differences live on those lines
    r = drive(two_d, target="bump", width=6)
    net, t = r.approx.net, r.approx.axis
    xx, yy = np.meshgrid(t, t)
    pts = np.c_[xx.ravel(), yy.ravel()]
    dist = np.abs(pts @ net.inner.T - net.shift) / np.linalg.norm(net.inner, axis=1)
    active = net.outer != 0
    near = (dist[:, active] < 2.5 * (t[1] - t[0])).any(axis=1).reshape(t.size, t.size)
    phi = r.approx.phi
    lap = np.zeros_like(phi)
    lap[1:-1, 1:-1] = (
        phi[2:, 1:-1] + phi[:-2, 1:-1] + phi[1:-1, 2:] + phi[1:-1, :-2] - 4 * phi[1:-1, 1:-1]
    )
    inner = np.zeros_like(near)
    inner[1:-1, 1:-1] = True
    assert np.max(np.abs(lap[inner & ~near])) < 1e-12  # affine off the ridges' lines
    assert np.max(np.abs(lap[inner & near])) > 1e-4  # kinks on them
    err = two_d.figures["images"].axes[2].images[0].get_array()
    np.testing.assert_allclose(err, np.abs(r.approx.f - phi))


def test_the_disc_sup_error_stays_above_a_half_and_rms_decays(two_d):
    # "The disc: the sup error stays above 1/2 for every N; the RMS error decays, slowly."
    s = drive(two_d, target="disc", metric="sup", width=64).study
    assert np.all(s.sup_2d >= 0.5 - 1e-9)
    assert s.rms_2d[-1] < s.rms_2d[0] / 2  # decays ...
    rate = np.polyfit(np.log(s.widths[2:]), np.log(s.rms_2d[2:]), 1)[0]
    assert -0.6 < rate < 0  # ... slowly
    drive(two_d, target="bump")
