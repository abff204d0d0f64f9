"""Lecture 07: every "What to observe" prompt, driven through the controls it names.

Each test sets the panel's controls as the prompt says and checks the effect the prompt promises,
on the maps the panel computed (its state) and on what it shows (figures, the check lines).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from course.relevance.models import load_digit_images
from widgets.relevance import ComparePanel, EvaluationPanel, ExplainPanel, RateDistortionPanel
from widgets.relevance._common import drawing_to_levels

from .test_relevance import stroke


@pytest.fixture(scope="module")
def data():
    return load_digit_images()


@pytest.fixture
def panel(reuse):
    return reuse("prompt_explain_panel", lambda: ExplainPanel(contrast=-1), 60)


def run(p, timeout=60, **controls):
    for name, value in controls.items():
        p.controls[name].value = value
    assert p.wait(timeout) and p.state.ok, p.state.status
    return p.state.result


def corr(a, b):
    return float(np.corrcoef(np.ravel(a), np.ravel(b))[0, 1])


def check_line(p, start):
    """The line of the panel's check text that starts with ``start``."""
    lines = [s for s in re.split(r"<br>", p.check.value) if s.startswith(start)]
    assert len(lines) == 1, p.check.value
    return lines[0]


# ------------------------------------------------------------------ panel 1, prompt 1
def test_lrp0_is_gradient_x_input_and_only_biases_and_eps_lose_relevance(panel):
    p = panel
    lrp0 = run(p, method="lrp", rule="zero", input_zb=False, index=5).maps["c"]
    assert "exactly" in p.check.value  # the line says why the two networks differ
    # the copy without biases conserves to round-off, the shipped CNN does not
    assert "equal to round-off" in check_line(p, "same weights, biases 0")
    assert "off by" in check_line(p, "shipped CNN")
    gxi = run(p, method="gradient_x_input").maps["c"]
    # LRP-0 is gradient x input on ReLU networks, with or without biases (Montavon et al. 2019):
    # the same computation in another order, so equal to round-off (1e-12 of the map's size)
    assert np.allclose(lrp0, gxi, rtol=0, atol=1e-12 * np.abs(gxi).max())
    assert "equal to round-off" in check_line(p, "same weights, biases 0")
    # with eps, relevance is lost even without biases
    run(p, method="lrp", rule="epsilon", eps=1.0)
    assert "off by" in check_line(p, "same weights, biases 0")


# ------------------------------------------------------------------ panel 1, prompt 2
def test_increasing_eps_shrinks_the_sum_and_keeps_the_pattern(panel):
    p = panel
    run(p, method="lrp", rule="epsilon", index=0)
    maps = [run(p, eps=eps).maps["c"] for eps in (0.01, 0.5, 2.0, 5.0)]
    sums = [float(m.sum()) for m in maps]
    assert all(a > b for a, b in zip(sums, sums[1:])), sums
    assert sums[-1] < 0.5 * sums[0]
    assert f"Σ R = {sums[-1]:.4f}" in check_line(p, "shipped CNN")  # the line shows it
    assert corr(maps[0], maps[-1]) > 0.8  # "the pattern changes little, it mostly fades"


# ------------------------------------------------------------------ panel 1, prompt 3
def test_why_3_and_not_8_sits_in_the_gaps_on_the_left(panel, data):
    p = panel
    threes = np.flatnonzero(data.y_test == 3)[:3]
    for i in threes:
        r = run(p, method="lrp", rule="epsilon", eps=0.1, input_zb=True, index=int(i), target=3)
        r = run(p, contrast=8)
        assert r.prediction == 3 and "why 3 and not 8" in p.figures["maps"].axes[3].get_title()
        m = r.maps["c-k"]
        x = data.x_test[i]
        gaps = np.zeros((8, 8), bool)
        gaps[:, :4] = x[:, :4] < 0.2  # the empty pixels of the left half
        positive = np.clip(m, 0, None)
        # measured on the first ten 3s: 41% to 64% of the positive relevance lies there
        assert positive[gaps].sum() >= 0.35 * positive.sum(), i
        assert m[gaps].sum() > 0, i


# ------------------------------------------------------------------ panel 1, prompt 4
def test_gradient_both_signs_smoothgrad_alike_ig_gap_shrinks(panel, data):
    p = panel
    for i in (0, 1, 2):
        x = data.x_test[i]
        g = run(p, method="gradient", index=i).maps["c"]
        for where in (x > 0, x == 0):  # on and off the strokes
            assert (g[where] > 0).any() and (g[where] < 0).any(), i
        assert min((g > 0).mean(), (g < 0).mean()) >= 0.25, i
        sg = run(p, method="smoothgrad", noise=0.15).maps["c"]
        assert corr(g, sg) > 0.9, i  # measured 0.97: on 8x8 digits they look much alike
    gxi = run(p, method="gradient_x_input", index=0).maps["c"]
    gaps = []
    for m in (1, 4, 64):
        ig = run(p, method="integrated_gradients", ig_steps=m).maps["c"]
        if m == 1:  # one step: the gradient at the end point, times the input
            assert np.allclose(ig, gxi, rtol=0, atol=1e-12 * np.abs(gxi).max())
        shown = re.search(r"= ([+-][0-9.]+e[+-][0-9]+)", check_line(p, "completeness"))
        gaps.append(abs(float(shown.group(1))))
    assert gaps[0] > gaps[1] > gaps[2] and gaps[2] < 0.05 * gaps[0], gaps


# ------------------------------------------------------------------ panel 1, prompt 5
def test_adding_a_stroke_changes_the_class_and_the_relevance_sits_on_it(panel):
    p = panel
    run(p, method="lrp", rule="epsilon", eps=0.1, input_zb=True, target=-1)
    p.clear_button.click()
    stroke(p, [(4.0, r) for r in np.linspace(1.0, 7.0, 13)])
    one = run(p)
    before = drawing_to_levels(p.state.drawing)
    assert one.prediction == 1
    stroke(p, [(c, 0.0) for c in np.linspace(1.0, 5.0, 9)])  # a bar across the top
    three = run(p)
    new = drawing_to_levels(p.state.drawing) > before
    assert three.prediction == 3 == int(np.argmax(three.probabilities - one.probabilities))
    assert three.maps["c"][new].sum() > 0  # the bar carries positive relevance for 3
    p.state.set(source="test")


# ------------------------------------------------------------------ panel 2
@pytest.fixture
def compare(reuse):
    return reuse("prompt_compare", lambda: ComparePanel(), 90)


def test_which_methods_agree_and_which_look_off_the_strokes(compare, data):
    p = compare
    for i in (0, 9):
        r = run(p, 90, index=i)
        assert p.state.final
        m, x = r.maps, data.x_test[i]
        agree = corr(m["gradient_x_input"], m["integrated_gradients"])
        assert agree >= 0.85 and corr(m["gradient"], m["gradient_x_input"]) < agree, i
        off = x == 0
        # sensitive also where there is no ink; LRP's z^B rule gives empty pixels relevance too
        for name in ("gradient", "smoothgrad", "lrp"):
            assert np.abs(m[name][off]).sum() >= 0.3 * np.abs(m[name]).sum(), (i, name)
        for name in ("gradient_x_input", "integrated_gradients"):  # zero where x = 0
            assert np.all(m[name][off] == 0), (i, name)
        assert m["rde"].min() >= 0 and m["rde"].max() <= 1  # a mask: what must be kept
    cnn = r.maps
    mlp = run(p, 90, model="mlp").maps
    for name in ("gradient_x_input", "lrp", "integrated_gradients"):
        assert corr(cnn[name], mlp[name]) < 0.95, name  # another network, another map


# ------------------------------------------------------------------ panel 3
def test_lrp_and_rde_beat_random_and_the_table_answers_the_questions():
    p = EvaluationPanel(n_images=8, n_steps=8, n_draws=2, with_slow=True)
    assert p.wait(180) and p.state.ok
    r = p.state.result
    for name in ("lrp", "rde"):
        assert r.aopc[name] > r.aopc["random"] + 0.1, name  # flipping: drops faster
        assert r.ordering_area[name] > r.ordering_area["random"] + 0.1, name  # stays high
    # "is RDE also best at pixel flipping?": the table lists both numbers for every method
    for name in ("LRP", "RDE", "random"):
        assert f"<td>{name}</td>" in p.table.value
    assert f"<td>{r.aopc['rde']:.3f}</td>" in p.table.value
    # "how many images do you need": the number of images is a control; other images, other
    # averages
    p.controls["n_images"].value = 3
    p.start_button.click()
    assert p.wait(180) and p.state.ok and p.state.result.n_images == 3
    assert p.state.result.aopc != r.aopc


# ------------------------------------------------------------------ panel 4
def test_rate_distortion_prompts():
    p = RateDistortionPanel(iterations=150)
    assert p.wait(90) and p.state.ok
    low = p.state.result
    # the objective decreases, but noisily (fresh samples of eta at every step)
    assert low.objective[-20:].mean() < 0.7 * low.objective[:10].mean()
    assert (np.diff(low.objective) > 0).sum() >= 10
    # "how many pixels does each method need to keep the distortion below 0.01? The random
    # ordering needs most of the 64 pixels." RDE far fewer
    need = {
        name: next(int(k) for k, d in zip(c.sizes, c.distortion) if d < 0.01)
        for name, c in low.curves.items()
    }
    assert need["random"] >= 40 and need["rde"] <= need["random"] / 2, need
    ax = p.figures["rde"].axes[2]
    assert any(np.allclose(line.get_ydata(), 0.01) for line in ax.lines)  # the 0.01 level
    p.controls["lam"].value = 0.05
    assert p.wait(90) and p.state.ok
    high = p.state.result
    assert high.mask.sum() < low.mask.sum()  # each pixel costs more: a smaller mask
    assert high.distortion[-20:].mean() > low.distortion[-20:].mean()  # a larger distortion
