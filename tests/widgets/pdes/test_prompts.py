"""Every "What to observe" prompt of lecture 08, driven headless: the controls the prompt names
are set, and the effect it promises is checked on the panel's state and figures. Trainings use
small budgets set through the controls; what needs the default run is marked slow.

Prompts already checked in test_pdes_panels.py (not repeated here):

* PINN, "with the defaults ... once L-BFGS takes over the relative error falls by orders of
  magnitude within a fraction of its steps" (measured: below 1e-3 within the first 100 of its
  300 steps, and below 1e-4 at the end):
  test_pinn_panel_defaults_reach_1e_3_in_the_first_100_lbfgs_steps.
* Parametric, "the difference image shows where the network errs" (network minus FEM):
  test_parametric_panel_compares_fem_and_network.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from course.pdes.pinn import BOUNDARY, PINNConfig
from course.pdes.problems import get_problem
from course.pdes.ritz import RITZ_DEFAULTS, ritz_default_errors
from widgets.pdes import BSDEPanel, CostPanel, FEMPanel, ParametricPanel, PINNPanel, RitzPanel
from widgets.pdes.parametric import test_errors as parametric_test_errors

torch.set_num_threads(1)
REFERENCE = Path(__file__).resolve().parents[3] / "benchmarks" / "reference"


def _train(panel_class, **values):
    p = panel_class(**values)
    assert p.wait(30)
    p.state.trigger()
    assert p.wait(600) and p.state.ok, p.state.status
    assert p.state.result.done
    return p, p.state.result


# ------------------------------------------------------------------ Section 2: FEM
def test_fem_errors_lie_on_h2_and_h_and_the_unknowns_grow_like_n2():
    p = FEMPanel()
    assert p.wait(120) and p.state.ok
    h, l2, h1 = p.state.result.table
    assert np.polyfit(np.log(h), np.log(l2), 1)[0] == pytest.approx(2, abs=0.15)
    assert np.polyfit(np.log(h), np.log(h1), 1)[0] == pytest.approx(1, abs=0.15)
    # halving h: L2 error / 4, H1 error / 2 (the meshes double)
    assert np.all(np.abs(np.log2(l2[:-1] / l2[1:]) / np.log2(h[:-1] / h[1:]) - 2) < 0.2)
    ax = p.figures["fem"].axes[2]
    drawn = {ln.get_label(): ln for ln in ax.lines}
    assert any(np.allclose(ln.get_ydata(), l2) for ln in drawn.values())
    for n in (8, 16, 32):
        p.controls["n"].value = n
        assert p.wait(60) and p.state.ok
        assert f"({(n - 1) ** 2} unknowns)" in p.figures["fem"].axes[1].get_title()


@pytest.mark.parametrize("family", ["chessboard", "cookies"])
def test_jumping_coefficients_still_give_a_positive_solution(family):
    p = FEMPanel()
    assert p.wait(120)
    p.controls["family"].value = family
    for sample in (0, 5):
        p.controls["sample"].value = sample
        assert p.wait(60) and p.state.ok
        r = p.state.result
        assert np.unique(r.coefficient).size <= 16  # piecewise constant: it jumps
        u = r.solution
        assert u[1:-1, 1:-1].min() > 0 and np.allclose(u[[0, -1], :], 0)


# ------------------------------------------------------------------ Section 3: PINN
def test_lbfgs_alone_beats_adam_alone():
    _, adam = _train(PINNPanel, optimizer="adam", adam_steps=300)
    _, lbfgs = _train(PINNPanel, optimizer="lbfgs", lbfgs_steps=100)
    assert lbfgs.phase == "lbfgs" and adam.phase == "adam"
    assert lbfgs.final_rel_l2 < 0.1 * adam.final_rel_l2


def test_a_small_bc_weight_fits_the_equation_with_wrong_boundary_values():
    _, s = _train(PINNPanel, bc_weight=0.01, adam_steps=200, lbfgs_steps=50)
    assert s.losses["residual"][-1] < 1e-2 * s.losses["residual"][0]  # -u'' = f is fitted
    assert s.losses["boundary"][-1] > 0.1  # measured 0.82: u(0), u(1) far from 0
    assert np.mean(s.u - s.exact) > 0.3 and s.final_rel_l2 > 0.5  # the solution is shifted


def test_a_large_bc_weight_makes_the_residual_decrease_slowly():
    at = {}
    for weight in (10.0, 1000.0):
        _, s = _train(PINNPanel, bc_weight=weight, adam_steps=200, lbfgs_steps=0)
        at[weight] = s.losses["residual"][np.searchsorted(s.steps, 100)]
        first = s.losses["residual"][0]
    assert at[1000.0] > 0.5 * first  # measured 49.3 of 49.4 after 100 Adam steps
    assert at[10.0] < 1e-2 * first and at[1000.0] > 100 * at[10.0]


def test_hard_boundary_conditions_drop_the_boundary_term_and_lower_the_error():
    _, soft = _train(PINNPanel, bc="soft", adam_steps=200, lbfgs_steps=50)
    p, hard = _train(PINNPanel, bc="hard", adam_steps=200, lbfgs_steps=50)
    assert "boundary" in soft.losses and "boundary" not in hard.losses
    assert hard.boundary.size == 0
    drawn = p.figures["training"].axes[0].lines
    assert all(len(ln.get_xdata()) == 0 for ln in drawn if ln.get_label().startswith("boundary"))
    assert hard.final_rel_l2 < soft.final_rel_l2  # measured 1.5e-4 against 5.2e-4


def test_relu_cannot_lower_the_residual_below_the_mean_square_of_f():
    _, s = _train(PINNPanel, activation="relu", adam_steps=200, lbfgs_steps=20)
    f = get_problem("interval").f(torch.as_tensor(s.points, dtype=torch.float64))
    floor = float(torch.mean(f**2))
    assert s.losses["residual"].min() == pytest.approx(floor, rel=1e-6)
    assert s.final_rel_l2 > 0.5


def test_the_square_trains_more_slowly_than_the_interval():
    budget = dict(optimizer="adam", adam_steps=300)
    _, line = _train(PINNPanel, problem="interval", **budget)
    p, square = _train(PINNPanel, problem="square", **budget)
    assert square.x.shape[1] == 2 and square.n_params > line.n_params
    assert f"{square.n_params} weights" in p.info.value
    assert square.final_rel_l2 > 10 * line.final_rel_l2  # measured 0.14 against 0.0018


# ------------------------------------------------------------------ Section 3: Deep Ritz
@pytest.mark.slow
@pytest.mark.parametrize("bc, low, high", [("soft", 2e-2, 8e-2), ("hard", 2.5e-3, 1e-2)])
def test_deep_ritz_stalls_near_the_prompts_errors(bc, low, high):
    # the panel's default run (1500 Adam steps, 256 points), whose errors the lecture's cell
    # prints with ritz_default_errors(): measured 4.0e-2 soft, 5.3e-3 hard
    _, s = _train(RitzPanel, bc=bc)
    assert low < s.final_rel_l2 < high
    assert s.final_rel_l2 > 10 * 1e-4  # where the PINN ends


def test_the_printed_ritz_errors_are_the_panels_defaults_and_stall_far_above_the_pinn():
    # the cell after the Ritz panel prints ritz_default_errors(): the panel's default runs
    for bc in BOUNDARY:
        state = RitzPanel(bc=bc).state
        assert state.config(**state.params()) == PINNConfig(**{**RITZ_DEFAULTS, "bc": bc})
    errors = ritz_default_errors()
    assert set(errors) == set(BOUNDARY)
    # "the error stalls at the level printed above, several times lower with hard boundary
    # conditions, and far above where the PINN ends" (below 1e-4, test_pdes_panels.py);
    # measured 4.0e-2 soft, 5.3e-3 hard
    assert min(errors.values()) > 10 * 1e-4
    assert errors["soft"] > 4 * errors["hard"]


def test_more_ritz_points_per_step_lower_the_error_floor():
    last = {}
    for n in (64, 1024):
        _, s = _train(RitzPanel, bc="hard", adam_steps=300, n_points=n)
        last[n] = np.median(s.rel_l2[-10:])
    assert last[1024] < last[64]  # measured 0.026 against 0.048


def test_soft_ritz_lowers_the_energy_by_violating_the_boundary_condition():
    _, soft = _train(RitzPanel, bc="soft", bc_weight=1.0, adam_steps=300)
    assert soft.losses["energy gap"].min() < 0  # below the exact energy: impossible if u = 0
    assert soft.losses["boundary"][-1] > 0
    _, hard = _train(RitzPanel, bc="hard", adam_steps=300)
    assert "boundary" not in hard.losses


# ------------------------------------------------------------------ Section 4: deep BSDE
def test_bsde_in_one_dimension_enters_the_one_percent_band():
    p, r = _train(BSDEPanel, dim=1, iterations=800)
    band = p._band
    assert band.get_visible()
    assert band.get_y() == pytest.approx(0.99 * r.reference)
    assert band.get_height() == pytest.approx(0.02 * r.reference)
    inside = np.abs(r.y0 / r.reference - 1) < 0.01
    first = int(np.argmax(inside))
    assert inside.any() and inside[first:].all() and r.iterations[first] <= 800


def test_the_d_100_prompt_matches_the_benchmark():
    bench = json.loads((REFERENCE / "l08-bsde.json").read_text())["results"]["bsde"]
    assert bench["dim"] == 100 and bench["iterations"] == 4000 and bench["reference"] == 0.052802
    # "settles within 1% of 0.052802, as in the course's benchmark run of 4000 iterations"
    # (the benchmark measured 0.44%)
    assert abs(bench["estimate"] / bench["reference"] - 1) == pytest.approx(bench["relative_error"])
    assert bench["relative_error"] < 0.01
    assert 10 * 60 < bench["seconds"] < 40 * 60  # "a long run on a laptop CPU": 10 to 40 minutes
    from course.pdes.bsde import allen_cahn_reference_1d

    # "from the finite-difference value printed above (d = 1) to 0.0528 (d = 100)": it falls
    assert allen_cahn_reference_1d() > 10 * bench["reference"]
    assert f"{allen_cahn_reference_1d():.2f}" == "0.57" and f"{bench['reference']:.4f}" == "0.0528"
    y0 = np.asarray(bench["y0_every_250"])
    assert 0.3 <= y0[0] <= 0.6 and np.all(np.diff(y0[:9]) < 0)


def test_cost_grid_passes_the_age_of_the_universe_and_the_network_stays_near_linear():
    p = CostPanel()
    assert p.wait(30)
    p.start_button.click()
    assert p.wait(600) and p.state.ok, p.state.status
    c = p.state.result
    assert c.done and c.n == 32 and c.grid_measured[:4].all() and not c.grid_measured[4:].any()
    first = {t: int(c.grid_dims[np.argmax(c.grid_seconds > t)]) for t in (3600, 3.15e7, 4.35e17)}
    assert first[3600] < first[3.15e7] < first[4.35e17] < 50
    # the network: no faster than linear growth (with a factor 3 for a loaded machine)
    d, s = c.dims, c.network_seconds
    assert s[-1] / s[d.tolist().index(5)] < 3 * d[-1] / 5
    drawn = p.figures["cost"].axes[0].lines
    assert any(np.allclose(ln.get_ydata(), s) for ln in drawn)


# ------------------------------------------------------------------ Section 5: parametric
@pytest.fixture(scope="module")
def errors():
    return {
        (family, p): (mean, worst) for family, p, mean, worst in parametric_test_errors().values()
    }


def test_trigonometric_test_error_grows_to_p8_then_stays_flat(errors):
    trig = [errors["trigonometric", p][0] for p in (2, 4, 8, 16)]
    assert trig[0] < trig[1] < trig[2]
    assert trig[3] < 1.5 * trig[2]  # flat: measured 0.021 and 0.020


def test_jumping_families_are_worse_about_ten_percent(errors):
    for family in ("chessboard", "cookies"):
        mean = errors[family, 4][0]
        assert 0.05 < mean < 0.2 and mean > 3 * errors["trigonometric", 16][0]


def test_the_network_is_faster_than_one_fem_solve_and_the_benchmark_gives_the_ranges():
    p = ParametricPanel()
    assert p.wait(300) and p.state.ok
    r = p.state.result
    assert r.net_ms < r.fem_ms
    fig = p.figures["sample"]
    assert f"{r.fem_ms:.2f} ms" in fig.axes[1].get_title()
    assert f"{r.net_ms:.3f} ms" in fig.axes[2].get_title()
    bench = json.loads((REFERENCE / "l08-parametric.json").read_text())["results"]["parametric"]
    single = [b["speed_up_single"] for b in bench.values()]
    batched = [b["speed_up_batched"] for b in bench.values()]
    assert min(single) >= 10  # "already many times faster"
    # "evaluated for many parameters at once (a batch of 256), hundreds of times" (measured
    # 170 to 520 times)
    assert min(batched) >= 100 and min(batched) > max(single)
