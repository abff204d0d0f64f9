"""Lecture 08, PINN and Deep Ritz: exact residuals, exact boundary values, training helps."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course.pdes.nets import gradient, laplacian, mlp
from course.pdes.pinn import PINNConfig, iter_pinn, pinn_network, pinn_residual, train_pinn
from course.pdes.problems import get_problem
from course.pdes.ritz import exact_energy, ritz_energy, train_ritz
from course.progress import Progress


@pytest.mark.parametrize("name", ["interval", "square"])
def test_residual_of_the_exact_solution_vanishes_to_round_off(name):
    problem = get_problem(name)
    gen = torch.Generator().manual_seed(0)
    x = problem.interior_points(257, gen, torch.float64)  # odd size
    r = pinn_residual(problem.exact, x, problem)
    # f is O(10) here; float64 round-off in sin and two autograd passes: 1e-12 is ~1e4 ulps
    assert float(r.detach().abs().max()) < 1e-12
    # a wrong candidate has a residual of order one: the check can fail
    wrong = pinn_residual(lambda z: 1.1 * problem.exact(z), x, problem)
    assert float(wrong.detach().abs().max()) > 0.5


def test_autograd_laplacian_matches_central_differences():
    net = mlp(2, 12, 2, "tanh", seed=4)
    rng = np.random.default_rng(0)
    x = torch.as_tensor(rng.uniform(0.1, 0.9, size=(9, 2)))
    u, lap = laplacian(net, x)
    _, g = gradient(net, x)
    h = 1e-4
    fd = torch.zeros(9, dtype=torch.float64)
    with torch.no_grad():
        for i in range(2):
            e = torch.zeros(2, dtype=torch.float64)
            e[i] = h
            fd += (net(x + e) - 2 * net(x) + net(x - e)).reshape(-1) / h**2
            gi = (net(x + e) - net(x - e)).reshape(-1) / (2 * h)
            # central differences: O(h^2) = 1e-8 truncation, round-off 1e-16 / h^2 = 1e-8
            np.testing.assert_allclose(g[:, i].detach(), gi, atol=1e-6)
    np.testing.assert_allclose(lap.detach(), fd, atol=1e-5)
    np.testing.assert_allclose(u.detach(), net(x).detach().reshape(-1), rtol=0, atol=0)


@pytest.mark.parametrize("name", ["interval", "square"])
def test_hard_ansatz_meets_the_boundary_exactly(name):
    problem = get_problem(name)
    model = pinn_network(PINNConfig(problem=name, bc="hard", width=8, depth=2, seed=3))
    zb = problem.boundary_points(41, torch.float64)
    with torch.no_grad():
        assert torch.all(model(zb) == 0.0)  # exactly zero: B(x) has a factor 0 there
        inner = model(problem.interior_points(50, torch.Generator().manual_seed(1), torch.float64))
    assert float(inner.abs().max()) > 0  # and is not zero inside
    soft = pinn_network(PINNConfig(problem=name, bc="soft", width=8, depth=2, seed=3))
    with torch.no_grad():
        assert float(soft(zb).abs().max()) > 0  # a plain network does not


def test_short_pinn_training_reduces_the_error_and_records_each_term():
    item = next(iter_pinn(adam_steps=150, lbfgs_steps=20, width=10, depth=2, n_points=32))
    assert isinstance(item, Progress) and item.fraction == 0.0
    first = item.partial
    final = train_pinn(adam_steps=150, lbfgs_steps=20, width=10, depth=2, n_points=32)
    assert set(final.losses) == {"residual", "boundary", "total"}
    assert final.done and final.lbfgs_start == 150 and final.steps[-1] == 170
    assert final.final_rel_l2 < first.final_rel_l2 / 10
    assert final.final_rel_l2 < 0.05
    # the recorded total is the weighted sum of the recorded terms
    np.testing.assert_allclose(
        final.losses["total"], final.losses["residual"] + 10.0 * final.losses["boundary"]
    )
    hard = train_pinn(adam_steps=100, lbfgs_steps=0, optimizer="adam", bc="hard", width=10)
    assert set(hard.losses) == {"residual", "total"} and hard.boundary.size == 0


def test_lbfgs_phase_keeps_lowering_the_loss():
    # torch's L-BFGS with max_iter=1 allows max_eval = 1 * 5 // 4 = 1 evaluation, so its strong
    # Wolfe line search had no trial beyond the first and returned a step of length 0 whenever
    # that one was rejected: the loss stayed exactly where Adam left it
    s = train_pinn(adam_steps=150, lbfgs_steps=40, width=10, depth=2, n_points=32)
    total = s.losses["total"]
    at_switch = total[list(s.steps).index(150)]
    after = total[s.steps > 150]
    assert np.all(np.diff(after) <= 0)  # a line search never accepts an increase
    assert after[-1] < at_switch / 10
    assert s.final_rel_l2 < s.rel_l2[list(s.steps).index(150)] / 3


@pytest.mark.slow
def test_default_pinn_reaches_the_benchmark_accuracy():
    # issue 17's benchmark in steps, not seconds (benchmarks/bench_l08.py times it): the defaults
    # reach relative L2 error 1e-3 soon after the switch to L-BFGS and end well below it
    config = PINNConfig()
    s = train_pinn(config)
    below = s.steps[s.rel_l2 <= 1e-3]
    assert below.size and below[0] <= config.adam_steps + 100
    assert s.final_rel_l2 < 1e-4


def test_ritz_energy_gap_is_half_the_h1_seminorm_squared():
    problem = get_problem("interval")
    x = ((torch.arange(20000, dtype=torch.float64) + 0.5) / 20000)[:, None]  # midpoint rule

    def v(z):
        return torch.sin(torch.pi * z[:, 0]) + 0.1 * torch.sin(2 * torch.pi * z[:, 0])

    gap = float(ritz_energy(v, x, problem).detach()) - exact_energy(problem)
    # E(v) - E(u) = 1/2 |v - u|_H1^2 = 1/2 * 0.01 * (2 pi)^2 / 2 = 0.01 pi^2 (midpoint: 1e-9)
    assert gap == pytest.approx(0.01 * np.pi**2, rel=1e-6)
    assert float(ritz_energy(problem.exact, x, problem).detach()) == pytest.approx(
        exact_energy(problem), rel=1e-8
    )


def test_short_ritz_training_reduces_the_error():
    s = train_ritz(adam_steps=300, bc="hard", width=10, depth=2)
    assert set(s.losses) == {"energy gap", "total"}
    assert s.final_rel_l2 < s.rel_l2[0] / 5


def test_bad_settings_name_the_parameter():
    with pytest.raises(ValueError, match="activation must be one of"):
        train_pinn(activation="swish")
    with pytest.raises(ValueError, match="n_points must be an integer"):
        train_pinn(n_points=0)
    with pytest.raises(ValueError, match="problem must be one of"):
        train_pinn(problem="cube")
