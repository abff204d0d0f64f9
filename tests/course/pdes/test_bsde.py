"""Lecture 08, deep BSDE: agreement with an independent finite-difference solve in d = 1."""

from __future__ import annotations

import numpy as np
import pytest

from course.pdes.bsde import (
    REFERENCE_D100,
    BSDEConfig,
    allen_cahn_reference_1d,
    deep_bsde,
    iter_deep_bsde,
    terminal_condition,
)
from course.pdes.cost import grid_step_seconds, iter_cost_curve
from course.progress import run_to_end


def test_finite_difference_reference_is_converged():
    coarse = allen_cahn_reference_1d(dx=0.02, dt=2e-3)
    fine = allen_cahn_reference_1d(dx=0.01, dt=1e-3)
    wide = allen_cahn_reference_1d(dx=0.02, dt=2e-3, half_width=12.0)
    # second order in dx and dt: the change under refinement bounds the error (~1e-6)
    assert abs(coarse - fine) < 1e-5
    assert abs(coarse - wide) < 1e-10  # the far boundary does not matter
    # the reaction u - u^3 > 0 for 0 < u < 1 lifts u(0, 0) above the heat equation's value
    # E g(sqrt(2) W_T) (Monte Carlo, 1e5 samples, error ~1e-3) and below 1
    w = np.random.default_rng(0).normal(scale=np.sqrt(2 * 0.3), size=(100_000, 1))
    assert terminal_condition(w).mean() + 0.01 < fine < 1


@pytest.mark.slow  # 300 iterations: about 3 s on an idle machine
def test_deep_bsde_in_one_dimension_agrees_with_the_finite_difference_solution():
    reference = allen_cahn_reference_1d()
    r = deep_bsde(
        dim=1, iterations=300, lr=1e-2, lr_boundaries=(150,), lr_values=(2e-3,), record_every=25
    )
    assert r.done and r.reference == pytest.approx(reference)
    # Tolerance 1%: the Euler scheme with N = 20 steps and the noise of batches of 64 paths
    # (measured: 0.04% after 600 iterations, 0.1-0.3% after 300)
    assert r.relative_error < 0.01, (r.estimate, reference)


def test_deep_bsde_yields_progress_and_validates():
    job = iter_deep_bsde(dim=3, iterations=4, record_every=2)
    items = list(job)
    assert [i.fraction for i in items] == [0.5, 1.0]
    assert items[-1].partial.reference is None and np.isnan(items[-1].partial.relative_error)
    assert BSDEConfig().dim == 100 and BSDEConfig().batch_size == 64 and BSDEConfig().n_time == 20
    assert deep_bsde(dim=100, iterations=1).reference == REFERENCE_D100
    with pytest.raises(ValueError, match="dim must be an integer"):
        deep_bsde(dim=0)


def test_cost_curve_grid_grows_exponentially_and_network_does_not():
    curve = run_to_end(iter_cost_curve(dims=(1, 10), probe=1, measured_grid=2, n=16))
    assert curve.done and list(curve.dims) == [1, 10]
    g = curve.grid_seconds
    # extrapolated as n^d times the step count (non-decreasing in d): each dimension costs a
    # factor n = 16 at least
    assert np.all(g[3:] / g[2:-1] >= 16 * (1 - 1e-12))
    assert curve.grid_measured[:2].all() and not curve.grid_measured[2:].any()
    assert np.all(curve.network_seconds > 0)
    assert grid_step_seconds(2, n=8) > 0
