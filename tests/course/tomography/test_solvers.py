"""The l1-shearlet and TV solvers: objective towards its minimum, nonnegative iterates."""

from __future__ import annotations

import numpy as np
import pytest

from course.progress import run_to_end
from course.tomography import (
    REGULARISERS,
    add_noise,
    analytic_sinogram,
    fbp,
    radon_operator,
    random_ellipses,
    rasterize,
    reconstruct,
    reconstruct_steps,
    scan_angles,
)
from course.tomography.solvers import _TV, _Shearlet

N = 32


@pytest.fixture(scope="module")
def problem():
    angles = scan_angles(60, step_deg=3.0)
    op = radon_operator(N, angles)
    ph = random_ellipses(4)
    g = add_noise(analytic_sinogram(ph, angles, op.geometry.detectors()), 0.01, seed=1)
    return angles, g, rasterize(ph, N)


@pytest.mark.parametrize("name", list(REGULARISERS))
def test_regulariser_adjoints_are_exact(name, rng):
    reg = REGULARISERS[name]((N, N), 2)
    f = rng.standard_normal((3, N, N))
    c = rng.standard_normal(reg.forward(f).shape)
    lhs, rhs = np.sum(reg.forward(f) * c), np.sum(f * reg.adjoint(c))
    assert abs(lhs - rhs) < 1e-10 * abs(lhs)
    # the norms used for the step sizes bound the operators (power iteration)
    x = rng.standard_normal((N, N))
    for _ in range(100):
        x = reg.adjoint(reg.forward(x))
        x /= np.linalg.norm(x)
    assert np.linalg.norm(reg.forward(x)) <= reg.norm * (1 + 1e-9)


@pytest.mark.parametrize("name", list(REGULARISERS))
def test_objective_converges_to_the_minimum_and_iterates_stay_nonnegative(problem, name):
    angles, g, _ = problem
    alpha = 1e-3
    long = reconstruct(g, angles, regulariser=name, alpha=alpha, iterations=2000, every=2000)
    best = long.objective[-1]
    job = reconstruct_steps(g, angles, regulariser=name, alpha=alpha, iterations=400, every=50)
    values = []
    for item in job:
        assert item.partial.image.min() >= 0.0
        values.append(item.partial.objective[-1])
    # Chambolle-Pock: P(f^k) -> min P (not monotonically); the distance to the value after 2000
    # iterations shrinks by a factor >= 5 from iteration 50 to 400 and ends within 1%
    gaps = np.array(values) - best
    assert gaps[-1] < 0.01 * best
    assert abs(gaps[-1]) * 5 < gaps[0]
    # the minimum lies below the objective of the (clipped) FBP and of zero
    op = radon_operator(N, angles)
    reg = (_Shearlet if name == "shearlet" else _TV)((N, N), 3)

    def objective(f):
        return 0.5 * np.sum((op.forward(f) - g) ** 2) + alpha * reg.penalty(f)

    assert best <= objective(np.maximum(fbp(g, angles), 0)) and best <= objective(np.zeros((N, N)))
    assert abs(objective(long.image) - best) < 1e-9 * best


def test_regularised_reconstruction_beats_fbp_at_a_missing_wedge(problem):
    angles, g, truth = problem
    err = {
        "fbp": np.linalg.norm(fbp(g, angles) - truth),
        "shearlet": np.linalg.norm(
            reconstruct(g, angles, alpha=3e-4, iterations=300, every=300).image - truth
        ),
    }
    assert err["shearlet"] < err["fbp"]


def test_a_stack_is_solved_like_each_image(problem):
    angles, g, _ = problem
    both = reconstruct(np.stack([g, 2 * g]), angles, iterations=30, every=30)
    one = reconstruct(g, angles, iterations=30, every=30)
    np.testing.assert_allclose(both.image[0], one.image, atol=1e-12)


def test_bad_options_are_refused(problem):
    angles, g, _ = problem
    with pytest.raises(ValueError, match="regulariser must be one of"):
        run_to_end(reconstruct_steps(g, angles, regulariser="l0"))
    with pytest.raises(ValueError, match="alpha"):
        run_to_end(reconstruct_steps(g, angles, alpha=-1.0))
    with pytest.raises(ValueError, match="iterations"):
        run_to_end(reconstruct_steps(g, angles, iterations=0))
