"""Lecture 05 panels, headless: every control changes the state and the figures' data."""

from __future__ import annotations

import numpy as np
import pytest

from course.double_descent import (
    curve_1d,
    feature_grid,
    fit_1d,
    load_digits_split,
    make_regression_1d,
    model_sweep,
    n_params,
    threshold_width,
    width_grid,
)
from widgets.double_descent import (
    DigitsCurvePanel,
    IntuitionPanel,
    IntuitionState,
    SampleWisePanel,
    WidthPanel,
    digits_effects,
    ridge_effect_1d,
)
from widgets.live import NOT_COMPUTED


@pytest.fixture
def intuition(reuse):
    return reuse("intuition", lambda: IntuitionPanel(), 30)


@pytest.fixture
def digits(reuse):
    return reuse("digits", lambda: DigitsCurvePanel(n_train=100), 60)


@pytest.fixture
def samples(reuse):
    return reuse("samples", lambda: SampleWisePanel(n_features=100), 60)


def lines(fig, ax=0):
    return fig.axes[ax].lines


def marker(fig, ax, gid):
    """The vertical line with this gid ("threshold" or "cursor") on axes ``ax``: its x."""
    (line,) = [ln for ln in fig.axes[ax].lines if ln.get_gid() == gid]
    return list(np.asarray(line.get_xdata(), float))


def xy(line):
    return np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)


def hostile(panel, name):
    """A client sends values the slider must refuse: the state keeps its value, says why."""
    before = getattr(panel.state, name)
    for bad in (1e9, float("nan"), "abc", -1e9):
        panel.controls[name].set_state({"value": bad})
        assert panel.state.ok is False
        assert name in panel.state.status
        assert getattr(panel.state, name) == before


# ------------------------------------------------------------------ 1D intuition
def test_intuition_fit_is_drawn(intuition):
    p = intuition
    p.controls["n_samples"].value = 15
    p.controls["n_features"].value = 15
    p.controls["noise"].value = 0.3
    p.controls["function"].value = "wiggly"
    p.controls["kind"].value = "fourier"
    p.controls["sigma"].value = 0.04
    p.controls["ridge"].value = 0.0
    p.controls["seed"].value = 3
    assert p.wait(30) and p.state.ok
    data = make_regression_1d(15, noise=0.3, function="wiggly", seed=3)
    fit = fit_1d(data, 15, sigma=0.04, seed=3)
    truth, drawn, samples = lines(p.figures["fit"])
    np.testing.assert_allclose(xy(drawn)[1], fit.prediction, rtol=1e-10)
    np.testing.assert_allclose(xy(truth)[1], data.f_grid)
    np.testing.assert_allclose(xy(samples)[1], data.y_train)
    # the threshold line sits at N = n, the marker at the current N
    test_line, _, _, here = lines(p.figures["curve"])
    assert marker(p.figures["curve"], 0, "threshold") == [15, 15]
    assert xy(here)[0][0] == 15
    sizes, test = xy(test_line)
    ref = curve_1d(data, sizes.astype(int), sigma=0.04, seed=3)[1]
    np.testing.assert_allclose(test, ref, rtol=1e-6)
    assert "interpolation threshold" in p.figures["fit"].axes[0].get_title()


def test_intuition_threshold_is_the_peak(intuition):
    p = intuition
    p.state.set(
        n_samples=20,
        noise=0.2,
        function="smooth",
        kind="fourier",
        sigma=0.06,
        ridge=0.0,
        seed=0,
        n_features=20,
    )
    assert p.wait(30) and p.state.ok
    r = p.state.result
    near = (r.sizes >= 17) & (r.sizes <= 23)
    assert r.test_loss[near].max() == r.test_loss.max()
    assert r.test_loss[-1] < r.test_loss[r.sizes <= 10].min()  # second descent beats the first


def test_intuition_ridge_and_kind_change_the_fit(intuition):
    p = intuition
    p.state.set(n_features=20, n_samples=20, sigma=0.05, ridge=0.0, kind="fourier")
    assert p.wait(30)
    free = p.state.result.fit
    p.controls["ridge"].value = 1e-2
    assert p.wait(30) and p.state.ok
    assert p.state.result.fit.coef_norm < free.coef_norm  # ridge shrinks a
    p.controls["kind"].value = "relu"
    assert p.wait(30) and p.state.ok
    assert p.state.kind == "relu"
    assert "relu" not in p.state.status
    p.controls["ridge"].value = 0.0
    p.controls["kind"].value = "fourier"
    assert p.wait(30)


@pytest.mark.parametrize("name", ["n_features", "n_samples", "noise", "sigma", "seed"])
def test_intuition_rejects_hostile_values(intuition, name):
    hostile(intuition, name)
    intuition.controls[name].value = intuition.controls[name].value  # still usable
    intuition.state.set(**{name: getattr(intuition.state, name)})


@pytest.mark.parametrize("name", ["function", "kind", "ridge"])
def test_intuition_rejects_unknown_choices(intuition, name):
    before = getattr(intuition.state, name)
    intuition.controls[name].set_state({"value": "bogus"})
    assert intuition.state.ok is False and name in intuition.state.status
    assert getattr(intuition.state, name) == before


# ------------------------------------------------------------------ digits curve
def test_digits_curve_is_the_sweep(digits):
    p = digits
    p.controls["label_noise"].value = 0.1
    p.controls["sigma"].value = 4.0
    p.controls["ridge"].value = 1e-4
    p.controls["kind"].value = "fourier"
    p.controls["seed"].value = 2
    assert p.wait(60) and p.state.ok
    r = p.state.result
    assert r.sweep.complete and p.state.final
    data = load_digits_split(100, label_noise=0.1, seed=2)
    ref = model_sweep(data, feature_grid(100, stop=20.0), sigma=4.0, ridge=1e-4, seed=2)
    np.testing.assert_allclose(r.sweep.test_loss, ref.test_loss, rtol=1e-8)
    test_line, train_line = lines(p.figures["curve"])[:2]
    np.testing.assert_allclose(xy(test_line)[1], ref.test_loss, rtol=1e-8)
    np.testing.assert_array_equal(xy(test_line)[0], ref.sizes)
    # ||a|| on the twin axis
    norm_line = p.figures["curve"].axes[2].lines[0]
    np.testing.assert_allclose(xy(norm_line)[1], ref.coef_norm, rtol=1e-8)
    # the threshold is marked at N = n on both axes
    for ax in (0, 1):
        assert marker(p.figures["curve"], ax, "threshold") == [100, 100]


def test_digits_cursor_shows_that_model(digits):
    p = digits
    p.controls["cursor"].value = 1.0
    assert p.wait(30) and p.state.ok
    r = p.state.result
    assert r.n_features == 100
    confusion = np.asarray(p.figures["cursor"].axes[0].images[0].get_array())
    assert confusion.sum() == r.data.n_test
    wrong = r.data.n_test - np.trace(confusion)
    assert wrong / r.data.n_test == pytest.approx(r.test_error)
    pred = r.sweep.test_pred[r.index]
    assert np.all(pred[r.mistakes] != r.data.y_test[r.mistakes])
    texts = [t.get_text() for t in p.figures["cursor"].axes[1].texts]
    j = r.mistakes[0]
    assert texts[0] == f"{r.data.y_test[j]}\u2192{pred[j]}"
    # the cursor line moves with the cursor
    p.controls["cursor"].value = 10.0
    assert p.wait(30)
    sizes = p.state.result.sweep.sizes
    nearest = int(sizes[np.argmin(np.abs(np.log(sizes / 1000)))])  # grid point nearest 10 n
    assert p.state.result.n_features == nearest
    assert marker(p.figures["curve"], 0, "cursor") == [nearest, nearest]
    assert marker(p.figures["curve"], 1, "cursor") == [nearest, nearest]


def test_digits_cursor_does_not_restart_the_sweep(digits):
    p = digits
    p.state.set(n_train=150, kind="relu", ridge=0.0, label_noise=0.0, seed=0)
    for v in (0.5, 2.0, 5.0):  # cursor moves while the curve streams in
        p.controls["cursor"].value = v
    assert p.wait(60) and p.state.ok
    r = p.state.result
    assert r.sweep.complete and r.sweep.kind == "relu"
    entries = [k for k in p.state._entries if k[0] == 150]
    assert len(entries) == 1
    ref = model_sweep(load_digits_split(150, seed=0), feature_grid(150, stop=20.0), kind="relu")
    np.testing.assert_allclose(r.sweep.test_loss, ref.test_loss, rtol=1e-8)


def test_digits_stop_keeps_the_partial_curve_and_resumes():
    import threading

    p = DigitsCurvePanel(n_train=600, seed=5)
    started = threading.Event()

    def on_result(change):
        if change["new"] is not None and len(change["new"].sweep.sizes) >= 2:
            started.set()

    p.state.observe(on_result, names="result")
    assert started.wait(60)
    p.stop_button.click()
    assert p.wait(30) and p.state.ok
    partial = p.state.result.sweep
    assert not partial.complete
    assert "values of N" in p.figures["curve"].axes[0].get_title()
    p.state.request()  # e.g. the next cursor move: the sweep resumes where it stopped
    assert p.wait(120) and p.state.ok
    full = p.state.result.sweep
    assert full.complete and len(full.sizes) == len(full.planned)
    k = len(partial.sizes)
    np.testing.assert_array_equal(full.test_loss[:k], partial.test_loss)
    assert len([key for key in p.state._entries if key[0] == 600]) == 1


@pytest.mark.parametrize("name", ["n_train", "label_noise", "sigma", "seed", "cursor"])
def test_digits_rejects_hostile_values(digits, name):
    hostile(digits, name)


# ------------------------------------------------------------------ sample-wise
def test_sample_wise_marks_n_equals_N(samples):
    p = samples
    p.controls["n_features"].value = 120
    p.controls["label_noise"].value = 0.2
    p.controls["sigma"].value = 6.0
    p.controls["ridge"].value = 0.0
    p.controls["kind"].value = "fourier"
    assert p.wait(60) and p.state.ok
    s = p.state.result.sweep
    assert s.complete and 120 in s.sizes
    assert marker(p.figures["curve"], 0, "threshold") == [120, 120]
    # n <= N: interpolation; the test loss peaks near n = N (label noise sharpens it)
    assert np.all(s.train_loss[s.sizes <= 120] < 1e-12)
    peak = s.sizes[np.argmax(s.test_loss)]
    assert 0.8 * 120 <= peak <= 1.25 * 120
    np.testing.assert_allclose(xy(lines(p.figures["curve"], 0)[0])[1], s.test_loss)


def test_sample_wise_ridge_removes_the_peak(samples):
    p = samples
    p.state.set(n_features=120, label_noise=0.2, sigma=6.0, kind="fourier", ridge=1e-2)
    assert p.wait(60) and p.state.ok
    s = p.state.result.sweep
    assert s.test_loss.max() < 2.0


@pytest.mark.parametrize("name", ["n_features", "label_noise", "sigma"])
def test_sample_wise_rejects_hostile_values(samples, name):
    hostile(samples, name)


# ------------------------------------------------------------------ network widths
def test_width_panel_trains_on_demand_and_caches():
    p = WidthPanel(n_train=100, steps=200, seed=7)
    p.state.widths = (2, 8)
    p.state.request()
    assert p.wait(30) and p.state.ok
    assert p.state.result is NOT_COMPUTED  # nothing heavy without the button
    assert "not trained" in p.figures["curve"].axes[0].get_title()
    p.start_button.click()
    assert p.wait(120) and p.state.ok
    r = p.state.result
    assert r.complete and list(r.widths) == [2, 8] and not p.state.from_cache
    test_line = lines(p.figures["curve"])[0]
    np.testing.assert_allclose(xy(test_line)[1], r.test_loss)
    assert marker(p.figures["curve"], 0, "threshold") == [1000, 1000]  # n K parameters
    p.controls["seed"].value = 8  # not trained: a placeholder, no training
    assert p.wait(30) and p.state.result is NOT_COMPUTED
    p.controls["seed"].value = 7  # trained before: from the cache, at once
    assert p.wait(30) and p.state.from_cache and p.state.result is r
    p.controls["label_noise"].value = 0.3
    p.controls["n_train"].value = 150
    p.controls["steps"].value = 300
    assert p.wait(30) and p.state.result is NOT_COMPUTED


def test_width_panel_before_train_shows_what_it_will_show():
    p = WidthPanel()
    assert p.wait(30) and p.state.result is NOT_COMPUTED
    fig = p.figures["curve"]
    lax, eax = fig.axes[:2]
    planned = [n_params(h) for h in width_grid(100)]
    (ticks,) = [ln for ln in eax.lines if ln.get_marker() == "|"]
    assert list(ticks.get_xdata()) == planned  # where the widths will be
    lo, hi = lax.get_xlim()
    assert lo < planned[0] and hi > planned[-1]
    assert marker(fig, 0, "threshold") == [1000, 1000]  # p = n K
    text = " ".join(t.get_text() for t in lax.texts)
    assert "12 widths" in text and "3 seeds" in text and "nK = 1000" in text
    assert "Train" in p.info.value
    p.controls["n_train"].value = 200  # the frame follows the settings
    assert p.wait(30) and p.state.result is NOT_COMPUTED
    assert marker(fig, 0, "threshold") == [2000, 2000]
    assert list(ticks.get_xdata()) == [n_params(h) for h in width_grid(200)]


@pytest.mark.slow
def test_width_panel_prompts():
    """Lecture 05's prompts on the trained networks, at the panel's defaults (n = 100, 20%
    label noise, 4,000 steps, seeds 0-2), on five of its twelve widths (each width is trained
    on its own: the same values as in the full sweep)."""
    p = WidthPanel()
    p.state.widths = (2, 9, threshold_width(100), 22, width_grid(100)[-1])
    seen = []
    p.state.observe(lambda c: seen.append(getattr(c["new"], "widths", None)), names="result")
    p.start_button.click()
    assert p.wait(900) and p.state.ok
    r = p.state.result
    assert r.complete and r.seeds == (0, 1, 2) and not p.state.from_cache
    # finished widths were drawn as they came (partials arrive at most 10 per second, the
    # newest wins: some may be skipped, never reordered)
    counts = [len(w) for w in seen if w is not None]
    assert counts == sorted(counts) and counts[0] < 5 and counts[-1] == 5
    assert all(list(w) == list(r.widths[: len(w)]) for w in seen if w is not None)
    # "the training loss reaches (almost) zero around the red line; the test loss is largest
    # there, and falls again for wider networks"
    peak = int(np.argmax(r.test_loss))
    assert r.widths[peak] == threshold_width(100)
    assert n_params(r.widths[peak] - 1) < 1000 <= r.n_params[peak]  # the red line is there
    assert r.train_loss[3] < 0.05 * r.train_loss[0] and r.train_loss[-1] < 1e-2
    assert r.test_loss[peak] > 2 * r.test_loss[0] and r.test_loss[peak] > 2 * r.test_loss[-1]
    # the figure: the mean curve and the band of the seeds
    lax = p.figures["curve"].axes[0]
    np.testing.assert_allclose(xy(lax.lines[0])[1], r.test_loss)
    band = next(a for a in lax.patches if a.get_label() == "seed range").get_xy()
    assert band[:, 1].max() == pytest.approx(r.test_loss_seeds.max())
    assert band[:, 1].min() == pytest.approx(r.test_loss_seeds.min())
    assert "largest mean test loss" in p.info.value
    # "set label noise to 0 and train again: the bump is much smaller"
    p.controls["label_noise"].value = 0.0
    assert p.wait(30) and p.state.result is NOT_COMPUTED
    p.start_button.click()
    assert p.wait(900) and p.state.ok
    clean = p.state.result
    assert clean.label_noise == 0.0
    assert clean.test_loss.max() < 0.5 * r.test_loss.max()
    assert clean.test_loss[peak] < 2 * clean.test_loss[0]
    # "with 500 Adam steps the peak is gone": stopping early regularises
    p.controls["label_noise"].value = 0.2
    assert p.wait(30) and p.state.from_cache and p.state.result is r
    p.controls["steps"].value = 500
    p.start_button.click()
    assert p.wait(900) and p.state.ok
    early = p.state.result
    assert early.steps == 500
    assert early.test_loss[peak] < early.test_loss[0]


def test_width_panel_stop():
    p = WidthPanel(n_train=100, steps=5000, seed=11)
    p.state.widths = (4, 8)
    p.start_button.click()
    p.stop_button.click()
    assert p.wait(60)
    assert not p.state.cached()  # nothing partial is cached
    r = p.state.result
    assert r is None or r is NOT_COMPUTED or not r.complete


@pytest.mark.parametrize("name", ["n_train", "label_noise", "steps", "n_seeds", "seed"])
def test_width_rejects_hostile_values(name):
    p = WidthPanel()
    hostile(p, name)


@pytest.mark.parametrize(
    "panel, values, name",
    [
        (IntuitionPanel, {"n_features": 0}, "n_features"),
        (DigitsCurvePanel, {"n_train": 5}, "n_train"),
        (SampleWisePanel, {"kind": "sine"}, "kind"),
        (WidthPanel, {"steps": 10**7}, "steps"),
    ],
)
def test_constructors_validate_values(panel, values, name):
    with pytest.raises(ValueError, match=name):
        panel(**values)


def test_constructor_values_reach_the_first_result():
    p = SampleWisePanel(n_features=90, ridge=1e-2)
    assert p.wait(60) and p.state.ok
    s = p.state.result.sweep
    assert s.complete and s.ridge == 1e-2 and np.all(s.n_features == 90)


# ------------------------------------------------------------------ the lecture's prompts
def test_intuition_prompts_at_the_threshold(intuition):
    """'Start at N = n: the fit passes through every sample and swings wildly; ||a|| is
    enormous'; 'N = 10 n: the fit still interpolates but is tame, test loss lower than anywhere
    in the classical regime'; 'the training loss is exactly 0 from N = n on'."""
    p = intuition
    p.state.set(**{k: s.default for k, s in p.state.param_specs().items()})
    assert p.wait(30) and p.state.ok
    r, n = p.state.result, p.state.n_samples
    assert r.fit.n_features == n and r.fit.train_loss < 1e-20
    assert np.abs(r.fit.prediction).max() > 3 * np.abs(r.data.f_grid).max()  # swings
    assert r.sizes[np.argmax(r.coef_norm)] == n and r.fit.coef_norm > 1000
    assert np.all(r.train_loss[r.sizes >= n] < 1e-20)
    p.controls["n_features"].value = 10 * n
    assert p.wait(30) and p.state.ok
    wide = p.state.result.fit
    assert wide.train_loss < 1e-20 and wide.coef_norm < 1e-2 * r.fit.coef_norm
    assert wide.test_loss < r.test_loss[r.sizes < n].min()
    p.controls["n_features"].value = n


def test_intuition_prompt_ridge_is_exact():
    """The ridge prompt, with the numbers ridge_effect_1d prints in the notebook."""
    e = ridge_effect_1d()
    (norm0, norm2), (top0, top2), (small0, small2) = (
        e.norm_at_threshold,
        e.max_test_loss,
        e.small_models,
    )
    assert norm2 < norm0 / 300  # "falls by a factor of several hundred"
    assert top0 > 4 * small0  # the spike without ridge
    assert top2 <= small2 * (1 + 1e-9)  # with ridge: the level of the smallest models
    s1 = ridge_effect_1d(seed=1)
    assert s1.max_test_loss[1] > 2 * s1.small_models[1] and 20 <= s1.argmax[1] <= 30
    # "set the noise to 0: the peak is lower but does not vanish"
    st = IntuitionState(compute_now=False)
    noisy = st.compute(**st.params())
    clean = st.compute(**{**st.params(), "noise": 0.0})
    assert clean.test_loss.max() < noisy.test_loss.max()
    assert clean.test_loss.max() > 5 * clean.test_loss[clean.sizes >= 40].min()
    # "switch to ReLU features (seed 0): the peak moves to the right of N = n"
    relu = st.compute(**{**st.params(), "kind": "relu"})
    assert relu.sizes[np.argmax(relu.test_loss)] > st.n_samples


@pytest.fixture(scope="module")
def digits400():
    p = DigitsCurvePanel()
    assert p.wait(300) and p.state.ok
    return p


@pytest.mark.slow
def test_digits_prompts(digits400):
    p = digits400
    r, n = p.state.result, p.state.n_train
    s = r.sweep
    at = lambda N: int(np.argmin(np.abs(s.sizes - N)))  # noqa: E731
    # "peaks at exactly N = n, hundreds to thousands of times its value at N = 10 n (497
    # against 0.15 for seed 0), and ||a|| peaks with it"
    assert s.sizes[np.argmax(s.test_loss)] == n and s.sizes[np.argmax(s.coef_norm)] == n
    assert s.test_loss[at(n)] > 100 * s.test_loss[at(10 * n)]
    assert round(s.test_loss[at(n)]) == 497 and round(s.test_loss[at(10 * n)], 2) == 0.15
    # "cursor at N = n: predictions collapse onto a few classes, error close to chance (90%)"
    p.controls["cursor"].value = 1.0
    assert p.wait(30)
    c = p.state.result.confusion
    assert np.sort(c.sum(axis=0))[-3:].sum() > 0.8 * c.sum() and p.state.result.test_error > 0.8
    # "N = 10 n: only a few dozen digits remain misclassified"
    p.controls["cursor"].value = 10.0
    assert p.wait(30)
    c = p.state.result.confusion
    assert 12 <= c.sum() - np.trace(c) <= 60
    # "the 0-1 error peaks as well but is bounded: compare the rise above N = n/2"
    loss_rise = s.test_loss[at(n)] / s.test_loss[at(n / 2)]
    err_rise = s.test_error[at(n)] / s.test_error[at(n / 2)]
    assert s.test_error.max() <= 1 and loss_rise > 50 * err_rise
    # "add 20% label noise: the peak grows (to about 3,700), beyond it the curve descends but
    # stays above the classical optimum, in squared loss and in 0-1 error"
    p.controls["label_noise"].value = 0.2
    assert p.wait(300) and p.state.ok
    s = p.state.result.sweep
    assert s.test_loss.max() == pytest.approx(3700, rel=0.02)
    assert s.test_loss[-1] < s.test_loss.max() / 1000
    classical = s.sizes <= n / 2
    assert s.test_loss[at(10 * n)] > s.test_loss[classical].min()
    assert s.test_error[at(10 * n)] > s.test_error[classical].min()
    # "ridge 1e-2 removes the peak entirely: the test loss falls with N at every step (0.5%)"
    for noise in (0.2, 0.0):
        p.state.set(ridge=1e-2, label_noise=noise)
        assert p.wait(300) and p.state.ok
        t = p.state.result.sweep.test_loss
        assert np.all(t[1:] <= 1.005 * t[:-1])
    # "very large sigma (20): the model is weaker"
    p.state.set(ridge=0.0, label_noise=0.0, sigma=20.0)
    assert p.wait(300) and p.state.ok
    wide = p.state.result.sweep
    p.state.set(sigma=5.0)
    assert p.wait(300)
    base = p.state.result.sweep
    assert wide.test_loss.min() > base.test_loss.min()
    assert wide.test_error.min() > base.test_error.min()


@pytest.mark.slow
def test_digits_prompt_numbers_are_computed(digits400):
    """The digits prompt, with the numbers digits_effects prints in the notebook: the same
    curve as the panel's, and the facts the prompt states about them."""
    e = digits_effects()
    s, n = digits400.state.result.sweep, digits400.state.n_train
    at = lambda N: int(np.argmin(np.abs(s.sizes - N)))  # noqa: E731
    # the printed numbers are the panel's (its defaults: n = 400, seed 0, no noise, no ridge)
    assert e.n_train == n and e.peak_at == n
    assert e.loss_at_threshold == s.test_loss[at(n)] and e.loss_at_10n == s.test_loss[at(10 * n)]
    # "hundreds to thousands of times its value at N = 10 n"
    assert 100 < e.loss_at_threshold / e.loss_at_10n < 10_000
    # "the test error is close to chance level (90%)"; "N = 10 n: a few dozen misclassified"
    assert 0.8 < e.error_at_threshold < 1 and 12 <= e.mistakes_at_10n <= 60
    # "add 20% label noise: the peak grows (several times higher)"
    assert e.noisy_label_noise == 0.2 and e.noisy_peak > 3 * e.loss_at_threshold
    # "ridge 1e-2: falls with N at every step, up to rises of a fraction of a percent"
    assert e.ridge == 1e-2 and len(e.ridge_worst_rise) == 2
    assert all(r < 0.01 for r in e.ridge_worst_rise)
    assert f"peaks at N = {n}" in repr(e)


@pytest.mark.slow
def test_sample_wise_prompts():
    p = SampleWisePanel()
    for noise in (0.0, 0.3):  # "an interval of n in which the test loss increases with n"
        p.state.set(label_noise=noise, ridge=0.0)
        assert p.wait(120) and p.state.ok
        s = p.state.result.sweep
        N = p.state.n_features
        half = int(np.argmin(np.abs(s.sizes - N / 2)))
        assert s.test_loss[s.sizes == N][0] > 10 * s.test_loss[half]
    # "with ridge 1e-2: beyond n = 60 the loss rises by at most 3% from one n to the next,
    # small wiggles of up to 10% below"
    p.state.set(label_noise=0.1, ridge=1e-2)
    assert p.wait(120) and p.state.ok
    s = p.state.result.sweep
    rise = s.test_loss[1:] / s.test_loss[:-1]
    assert np.all(rise[s.sizes[1:] > 60] <= 1.03) and np.all(rise <= 1.1)


@pytest.mark.slow
def test_warm_trains_the_width_sweep_into_the_shared_store(tmp_path, monkeypatch):
    """`./mathdl warm 5` fills the store with the trained networks (a button-started, shared
    state); a new panel, as in another student's kernel, then shows them at once."""
    from widgets.cache import warm
    from widgets.double_descent import WidthState
    from widgets.live import LiveState

    monkeypatch.setattr(WidthState, "widths", (2,))  # one narrow width: a short training
    monkeypatch.setattr(LiveState, "store", None)
    assert warm([5], directory=tmp_path, timeout=600) == {"05_double_descent": 4}
    p = WidthPanel()
    assert p.wait(30) and p.state.ok and p.state.from_cache
    r = p.state.result
    assert r.complete and list(r.widths) == [2] and r.seeds == (0, 1, 2) and r.steps == 4000


def test_figures_pass_the_figure_check(intuition, samples, digits):
    """No text outside its figure, no overlaps, legends off the data, typeset text
    (widgets.figcheck), for every panel of lecture 05 after computing (and the width panel
    before Train, and after a short training)."""
    from widgets.figcheck import figure_problems, text_problems

    w = WidthPanel(steps=100, n_seeds=2)
    assert w.wait(30) and w.state.result is NOT_COMPUTED
    problems = [f"width before Train: {x}" for x in figure_problems(w.figures["curve"])]
    w.state.widths = (2, 14, 40)
    w.start_button.click()
    panels = {"intuition": intuition, "samples": samples, "digits": digits, "width": w}
    for name, p in panels.items():
        assert p.wait(120) and p.state.ok
        for key, fig in p.figures.items():
            problems += [f"{name}/{key}: {x}" for x in figure_problems(fig)]
        problems += [f"{name} status: {x}" for x in text_problems(p.status.value, math=False)]
    problems += [f"width info: {x}" for x in text_problems(w.info.value, math=False)]
    assert problems == []
