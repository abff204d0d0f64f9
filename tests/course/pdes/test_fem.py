"""Lecture 08, finite elements: convergence rates on a manufactured solution, exact facts."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse.linalg as spla

from course.pdes import (
    FAMILIES,
    coefficient_family,
    errors,
    load_1d,
    mass_matrix,
    solve,
    stiffness_1d,
    stiffness_matrix,
    unit_square_mesh,
)
from course.rates import fit_rate

PI = np.pi


def u_exact(x, y):
    return np.sin(PI * x) * np.sin(PI * y) * np.exp(x)


def grad_exact(x, y):
    s, c = np.sin(PI * x), np.cos(PI * x)
    return ((PI * c + s) * np.sin(PI * y) * np.exp(x), PI * s * np.cos(PI * y) * np.exp(x))


def a_smooth(x, y):
    return 1.0 + x * x + 0.5 * y


def f_manufactured(x, y):
    # -div(a grad u) = -(a (u_xx + u_yy) + a_x u_x + a_y u_y), u = sin(pi x) sin(pi y) e^x
    sy = np.sin(PI * y)
    s, c, e = np.sin(PI * x), np.cos(PI * x), np.exp(x)
    u_xx = (2 * PI * c + (1 - PI**2) * s) * sy * e
    u_yy = -(PI**2) * s * sy * e
    ux, uy = grad_exact(x, y)
    return -(a_smooth(x, y) * (u_xx + u_yy) + 2 * x * ux + 0.5 * uy)


@pytest.fixture(scope="module")
def convergence():
    ns = [6, 9, 12, 18, 27, 40]  # odd and even sizes
    return ns, [
        errors(solve(unit_square_mesh(n), a_smooth, f_manufactured), u_exact, grad_exact)
        for n in ns
    ]


def test_p1_converges_at_order_two_in_l2_and_one_in_h1(convergence):
    _, errs = convergence
    h = np.array([e.h for e in errs])
    l2 = fit_rate(h, [e.l2 for e in errs])
    h1 = fit_rate(h, [e.h1_semi for e in errs])
    # Brenner-Scott: ||u - u_h||_L2 = O(h^2), |u - u_h|_H1 = O(h); fitted slopes over h = 1/6 ..
    # 1/40 lie within 0.1 of the theory (pre-asymptotic terms at the coarse end)
    assert l2.slope == pytest.approx(2.0, abs=0.1)
    assert h1.slope == pytest.approx(1.0, abs=0.1)


def test_halving_h_quarters_the_l2_error(convergence):
    ns, errs = convergence
    e = {n: err for n, err in zip(ns, errs)}
    assert e[9].l2 / e[18].l2 == pytest.approx(4.0, rel=0.05)
    assert e[9].h1_semi / e[18].h1_semi == pytest.approx(2.0, rel=0.05)


def test_linear_exact_solution_is_reproduced_when_interpolated():
    # u = x is in P1 but not zero on the boundary: the stiffness matrix annihilates
    # constants and gives the exact discrete flux of any linear function (rows sum to zero)
    m = unit_square_mesh(7)
    K = stiffness_matrix(m, a_smooth)
    np.testing.assert_allclose(K @ np.ones(len(m.nodes)), 0.0, atol=1e-12)
    np.testing.assert_allclose((K - K.T).toarray(), 0.0, atol=1e-14)
    M = mass_matrix(m)
    assert M.sum() == pytest.approx(1.0, rel=1e-12)  # the area of the square
    assert np.ones(len(m.nodes)) @ M @ m.nodes[:, 0] == pytest.approx(0.5, rel=1e-12)


def test_fem_agrees_with_a_dense_solve_and_is_positive_for_positive_load():
    m = unit_square_mesh(5)
    s = solve(m)  # f = 20 + 10 x1 - 5 x2 > 0
    K = stiffness_matrix(m).toarray()[np.ix_(m.interior, m.interior)]
    from course.pdes import load_vector
    from course.pdes.fem import default_load

    F = load_vector(m, default_load)[m.interior]
    np.testing.assert_allclose(s.values[m.interior], np.linalg.solve(K, F), rtol=1e-12)
    assert s.values[m.interior].min() > 0  # maximum principle
    boundary = np.setdiff1d(np.arange(len(m.nodes)), m.interior)
    assert np.all(s.values[boundary] == 0)


def test_stiffness_1d_is_the_tridiagonal_matrix_and_converges():
    K = stiffness_1d(5).toarray()
    np.testing.assert_array_equal(K, 5 * (2 * np.eye(4) - np.eye(4, k=1) - np.eye(4, k=-1)))
    # In 1D the Galerkin P1 solution is exact at the nodes when the load is integrated exactly
    # (Simpson is exact for f * phi cubic): -u'' = 6x, u = x - x^3
    for n in (7, 16):
        x = np.arange(1, n) / n
        u = spla.spsolve(stiffness_1d(n).tocsc(), load_1d(n, lambda t: 6 * t))
        np.testing.assert_allclose(u, x - x**3, atol=1e-13)
    # a variable coefficient: rows of K sum to zero except next to the boundary
    K = stiffness_1d(6, lambda t: 1 + t).toarray()
    assert K[2].sum() == pytest.approx(0.0, abs=1e-12)


def test_bad_arguments_name_the_parameter():
    with pytest.raises(ValueError, match="n must be an integer"):
        unit_square_mesh(0)
    with pytest.raises(ValueError, match="a must be positive"):
        solve(unit_square_mesh(3), lambda x, y: x - 0.5)
    with pytest.raises(ValueError, match="n must be an integer"):
        stiffness_1d(1)


@pytest.mark.parametrize("name", list(FAMILIES))
def test_coefficient_families_are_affine_and_elliptic(name):
    fam = coefficient_family(name)
    p = 9 if fam.squares_only else 7
    rng = np.random.default_rng(3)
    x1, x2 = rng.uniform(size=(2, 500))
    y = fam.sample(p, 20, seed=1)
    a = fam(y, x1, x2)
    assert a.shape == (20, 500) and a.min() > 0.05
    # affine in y: a_{(y+z)/2} = (a_y + a_z) / 2
    np.testing.assert_allclose(fam((y[0] + y[1]) / 2, x1, x2), (a[0] + a[1]) / 2, atol=1e-12)
    with pytest.raises(ValueError, match="y must lie in"):
        fam(np.full(p, fam.high + 1.0), x1, x2)
    with pytest.raises(ValueError, match="p must be"):
        fam.sample(8 if fam.squares_only else 65, 3)


def test_chessboard_is_piecewise_constant_on_its_cells():
    fam = coefficient_family("chessboard")
    y = np.linspace(0.1, 1.0, 16)
    x1, x2 = np.array([0.1, 0.3, 0.9]), np.array([0.1, 0.1, 0.9])
    np.testing.assert_allclose(fam(y, x1, x2), [y[0], y[1], y[15]])
