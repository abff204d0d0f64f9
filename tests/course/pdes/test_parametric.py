"""Lecture 08, parametric diffusion: the FEM map, the shipped networks' error against p."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from course.pdes import solve, unit_square_mesh
from course.pdes.parametric import (
    ParametricSolver,
    load_parametric,
    make_data,
    relative_errors,
    weights_dir,
)
from course.pdes.train import CONFIGS, train


def test_affine_solver_matches_the_assembled_fem_solve():
    s = ParametricSolver("cookies", 9, 11)  # odd mesh size
    y = s.family.sample(9, 1, seed=5)[0]
    ref = solve(unit_square_mesh(11), s.coefficient(y))
    np.testing.assert_allclose(s.solve(y), ref.values[s.mesh.interior], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(s.full(s.solve(y)), ref.values, atol=1e-14)
    with pytest.raises(ValueError, match="y must lie in"):
        s.solve(np.full(9, 5.0))


@pytest.fixture(scope="module")
def models():
    return load_parametric()


def test_shipped_networks_fit_the_budget_and_the_architecture(models):
    assert set(models) == set(CONFIGS)
    size = sum(f.stat().st_size for f in weights_dir().iterdir())
    assert size <= 5 * 2**20
    for m in models.values():
        assert m.n_layers == 11  # 10 hidden layers + the output layer, as in Geist et al.
        assert m.weights[-1].shape[1] == (m.n - 1) ** 2


def test_error_against_p_is_reported_per_p_and_does_not_grow_exponentially(models):
    # fresh test parameters (seed 999, never seen in training): relative L2 error per p
    ps = sorted(m.p for m in models.values() if m.family == "trigonometric")
    assert ps == [2, 4, 8, 16]
    errors = {}
    for p in ps:
        m = models[f"trigonometric_p{p}"]
        data = make_data("trigonometric", p, 40, n=m.n, seed=999)
        mass = ParametricSolver("trigonometric", p, m.n).mass
        errors[p] = float(relative_errors(m.predict(data.y), data.u, mass).mean())
    assert all(e < 0.05 for e in errors.values()), errors
    # an error exponential in p would grow by a larger factor at each doubling of p (e^{cp});
    # the factors here shrink, and from p = 8 to 16 the error does not even double
    factors = [errors[2 * p] / errors[p] for p in ps[:-1]]
    assert factors == sorted(factors, reverse=True), errors
    assert factors[-1] < 2.0, errors


def test_network_reproduces_fem_better_than_the_mean_solution(models):
    for m in models.values():
        data = make_data(m.family, m.p, 20, n=m.n, seed=7)
        mass = ParametricSolver(m.family, m.p, m.n).mass
        net = relative_errors(m.predict(data.y), data.u, mass).mean()
        mean = relative_errors(np.broadcast_to(m.u_mean, data.u.shape), data.u, mass).mean()
        assert net < 0.6 * mean, (m.family, m.p, net, mean)
    with pytest.raises(ValueError, match="columns"):
        models["trigonometric_p2"].predict(np.zeros((3, 4)))


@pytest.mark.slow
def test_training_is_deterministic_from_the_seed():
    c = replace(CONFIGS["trigonometric_p2"], n_train=64, n_test=16, epochs=2, width=8)
    a, info_a = train(c)
    b, info_b = train(c)
    for wa, wb in zip(a.weights, b.weights):
        np.testing.assert_array_equal(wa, wb)
    assert info_a["test_relative_error_mean"] == info_b["test_relative_error_mean"]
