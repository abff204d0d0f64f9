"""Lecture 08 panels, headless: controls change the state, the figures get the computed data."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course.pdes import coefficient_family
from course.pdes.parametric import load_parametric
from course.pdes.pinn import PINNConfig
from widgets.live import NOT_COMPUTED
from widgets.pdes import BSDEPanel, CostPanel, FEMPanel, ParametricPanel, PINNPanel, RitzPanel

torch.set_num_threads(1)


def test_fem_panel_draws_the_solution_and_marks_the_mesh():
    p = FEMPanel()
    assert p.wait(120) and p.state.ok
    p.controls["n"].value = 9
    p.controls["family"].value = "chessboard"
    assert p.wait(60) and p.state.ok
    fig = p.figures["fem"]
    a_im, u_im = fig.axes[0].images[0], fig.axes[1].images[0]
    assert np.asarray(u_im.get_array()).shape == (10, 10)
    assert set(np.unique(np.asarray(a_im.get_array()))) <= set(
        coefficient_family("chessboard").sample(4, 100, seed=2021)[0]
    )
    here = [ln for ln in fig.axes[2].lines if ln.get_label() == "this mesh"][0]
    assert list(here.get_xdata()) == [1 / 9, 1 / 9]
    for bad in (1e9, float("nan"), "x"):
        p.controls["n"].set_state({"value": bad})
        assert not p.state.ok and "n must be" in p.state.status and p.state.n == 9


@pytest.mark.slow
def test_pinn_panel_defaults_reach_1e_3_in_the_first_100_lbfgs_steps():
    # the first "what to observe" prompt of section 3; a student's first Train runs what
    # benchmarks/bench_l08.py measures (PINNConfig())
    p = PINNPanel()
    assert p.state.config(**p.state.params()) == PINNConfig()
    assert p.wait(30)
    p.start_button.click()
    assert p.wait(300) and p.state.ok, p.state.status
    s = p.state.result
    assert s.done and s.lbfgs_start == 200
    below = s.steps[s.rel_l2 <= 1e-3]
    assert below.size and s.lbfgs_start < below[0] <= s.lbfgs_start + 100
    assert s.final_rel_l2 < 1e-4
    rel = [ln for ln in p.figures["training"].axes[0].lines if "rel." in ln.get_label()][0]
    np.testing.assert_allclose(rel.get_ydata(), s.rel_l2)  # the dashed curve shows it


def test_pinn_panel_starts_on_the_button_and_draws_each_loss_term():
    p = PINNPanel(adam_steps=100, lbfgs_steps=10, width=8, depth=2, n_points=16)
    assert p.wait(30)
    assert p.state.result is NOT_COMPUTED and p.start_button.description == "Train"
    p.start_button.click()
    assert p.wait(300) and p.state.ok, p.state.status
    s = p.state.result
    assert s.done and s.steps[-1] == 110
    lax = p.figures["training"].axes[0]
    drawn = {ln.get_label(): ln for ln in lax.lines}
    res = [ln for k, ln in drawn.items() if k.startswith("residual")][0]
    bnd = [ln for k, ln in drawn.items() if k.startswith("boundary")][0]
    np.testing.assert_allclose(res.get_ydata(), s.losses["residual"])
    np.testing.assert_allclose(bnd.get_ydata(), s.losses["boundary"])
    sol = p.figures["training"].axes[1]
    u_line = [ln for ln in sol.lines if ln.get_label() == r"network $u_\theta$"][0]
    np.testing.assert_allclose(u_line.get_ydata(), s.u)
    pts = [ln for ln in sol.lines if ln.get_label() == "collocation points"][0]
    assert len(pts.get_xdata()) == 16
    # a change shows the cache or NOT_COMPUTED; back to the trained settings: from the cache
    p.controls["width"].value = 12
    assert p.wait(30) and p.state.result is NOT_COMPUTED
    p.controls["width"].value = 8
    assert p.wait(30) and p.state.from_cache and p.state.result is s


def test_ritz_panel_trains_the_hard_ansatz_in_two_dimensions():
    p = RitzPanel(problem="square", bc="hard", adam_steps=60, width=8, depth=2, n_points=64)
    p.state.trigger()
    assert p.wait(300) and p.state.ok, p.state.status
    s = p.state.result
    assert s.method == "ritz" and set(s.losses) == {"energy gap", "total"}
    im = p.figures["training"].axes[1].images[0]
    np.testing.assert_allclose(np.asarray(im.get_array()), s.u.reshape(41, 41))
    assert im.get_visible()


def test_bsde_panel_in_one_dimension_approaches_the_reference():
    p = BSDEPanel(dim=1, iterations=400)
    assert p.wait(30) and p.state.result is NOT_COMPUTED
    p.state.trigger()
    assert p.wait(300) and p.state.ok, p.state.status
    r = p.state.result
    yax = p.figures["bsde"].axes[0]
    np.testing.assert_allclose(yax.lines[0].get_ydata(), r.y0)
    assert yax.lines[1].get_ydata()[0] == pytest.approx(r.reference)
    assert r.relative_error < 0.02  # 400 iterations at the paper's learning rate (seed 0: 0.9%)


def test_cost_panel_measures_on_the_button():
    p = CostPanel(n=8)
    assert p.wait(30) and p.state.result is NOT_COMPUTED
    assert p.start_button.description == "Measure"


def test_parametric_panel_compares_fem_and_network():
    p = ParametricPanel()
    assert p.wait(300) and p.state.ok, p.state.status
    p.controls["network"].value = "cookies_p4"
    p.controls["sample"].value = 7
    assert p.wait(60) and p.state.ok
    r = p.state.result
    model = load_parametric()["cookies_p4"]
    assert r.family == "cookies" and r.p == 4
    np.testing.assert_allclose(r.y, model.family_obj.sample(4, 100, seed=31)[7])
    fig = p.figures["sample"]
    fem, net, diff = (np.asarray(fig.axes[k].images[0].get_array()) for k in (1, 2, 3))
    np.testing.assert_allclose(diff, net - fem)
    assert 0 < r.error < 0.5
    eax = p.figures["error"].axes[0]
    trig = [ln for ln in eax.lines if ln.get_label() == "trigonometric, mean"][0]
    assert list(trig.get_xdata()) == [2, 4, 8, 16]
    # the p axis reads 2, 4, 8, 16 and nothing else (a log axis labelled its minor ticks
    # 3e0, 6e0 and 2e1 on top of them: "162 x 10^1" on the screen)
    p.figures["error"].canvas.draw()
    shown = [
        t.get_text() for t in eax.get_xticklabels(minor=False) + eax.get_xticklabels(minor=True)
    ]
    assert [t for t in shown if t] == ["2", "4", "8", "16"]
