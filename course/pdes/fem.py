r"""P1 finite elements for :math:`-\nabla\cdot(a\nabla u) = f` with :math:`u = 0` on the boundary.

The unit square :math:`(0, 1)^2` is cut into :math:`n \times n` squares, each split along its
diagonal into two triangles; the unknowns are the values at the interior nodes. Assembly is
vectorised over triangles (no Python loop over elements): the coefficient enters through its value
at each triangle's centroid, the load through a degree-5 quadrature. The linear system is solved by
``scipy.sparse.linalg`` (SuperLU).

A one-dimensional stiffness matrix (:func:`stiffness_1d`) is here too; the homework builds it by
hand and compares.

References
----------
.. [1] S. C. Brenner and L. R. Scott, *The Mathematical Theory of Finite Element Methods*,
   Springer, 3rd ed., 2008: Theorem 5.4.8 (L2 error O(h^2)) and 0.8 / 4.4 (H1 error O(h)).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = [
    "Mesh",
    "FEMSolution",
    "FEMErrors",
    "unit_square_mesh",
    "stiffness_matrix",
    "mass_matrix",
    "load_vector",
    "solve",
    "errors",
    "stiffness_1d",
    "load_1d",
    "QUADRATURE",
]

# Dunavant's 7-point rule on the reference triangle, exact for polynomials of degree 5:
# barycentric coordinates (rows) and weights relative to the triangle's area (they sum to 1).
_A1, _B1 = 0.059715871789770, 0.470142064105115
_A2, _B2 = 0.797426985353087, 0.101286507323456
QUADRATURE = (
    np.array(
        [
            [1 / 3, 1 / 3, 1 / 3],
            [_A1, _B1, _B1],
            [_B1, _A1, _B1],
            [_B1, _B1, _A1],
            [_A2, _B2, _B2],
            [_B2, _A2, _B2],
            [_B2, _B2, _A2],
        ]
    ),
    np.array([0.225] + [0.132394152788506] * 3 + [0.125939180544827] * 3),
)


@dataclass(frozen=True, eq=False)
class Mesh:
    """A uniform triangulation of the unit square.

    Attributes
    ----------
    n : int
        Squares per side; the mesh width is ``h = 1 / n``; ``(n + 1)**2`` nodes.
    nodes : ndarray, shape (n_nodes, 2)
        Node coordinates; node ``i + (n + 1) * j`` sits at ``(i h, j h)``.
    triangles : ndarray, shape (2 n**2, 3)
        Node indices of each triangle, counter-clockwise.
    interior : ndarray of int
        Indices of the interior nodes (the unknowns), in node order.
    area : float
        The area of every triangle, ``h**2 / 2``.
    gradients : ndarray, shape (n_triangles, 3, 2)
        Gradients of the three barycentric (hat) functions on each triangle.
    """

    n: int
    nodes: np.ndarray
    triangles: np.ndarray
    interior: np.ndarray
    area: float
    gradients: np.ndarray

    @property
    def h(self) -> float:
        return 1.0 / self.n

    @property
    def centroids(self) -> np.ndarray:
        """Centroid of each triangle, shape (n_triangles, 2)."""
        return self.nodes[self.triangles].mean(axis=1)

    def quadrature_points(self) -> np.ndarray:
        """The 7 quadrature points of every triangle, shape (n_triangles, 7, 2)."""
        bary, _ = QUADRATURE
        return np.einsum("qk,tkd->tqd", bary, self.nodes[self.triangles])

    def grid(self, values: np.ndarray) -> np.ndarray:
        """Nodal values as an image, shape (n + 1, n + 1), indexed (row = x2, col = x1)."""
        return np.asarray(values).reshape(self.n + 1, self.n + 1)


def unit_square_mesh(n: int) -> Mesh:
    """The uniform mesh with ``n`` squares per side, each cut into two triangles.

    Examples
    --------
    >>> m = unit_square_mesh(4)
    >>> m.nodes.shape, m.triangles.shape, m.interior.size
    ((25, 2), (32, 3), 9)
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or not 1 <= n <= 2048:
        raise ValueError(f"n must be an integer in [1, 2048]; got {n!r}")
    n = int(n)
    x = np.linspace(0.0, 1.0, n + 1)
    X, Y = np.meshgrid(x, x)  # row j = x2 index, column i = x1 index
    nodes = np.column_stack([X.ravel(), Y.ravel()])
    i, j = np.meshgrid(np.arange(n), np.arange(n))
    k = (i + (n + 1) * j).ravel()
    lower = np.column_stack([k, k + 1, k + n + 2])
    upper = np.column_stack([k, k + n + 2, k + n + 1])
    triangles = np.vstack([lower, upper])
    on_boundary = (
        np.isclose(nodes[:, 0], 0)
        | np.isclose(nodes[:, 0], 1)
        | np.isclose(nodes[:, 1], 0)
        | np.isclose(nodes[:, 1], 1)
    )
    interior = np.flatnonzero(~on_boundary)
    p = nodes[triangles]  # (T, 3, 2)
    # gradients of barycentric coordinates: rows of inv([[1, x, y]])[1:, :].T
    mat = np.concatenate([np.ones((len(triangles), 3, 1)), p], axis=2)  # (T, 3, 3)
    inv = np.linalg.inv(mat)  # columns: coefficients of lambda_k = c0 + c1 x + c2 y
    gradients = np.transpose(inv[:, 1:, :], (0, 2, 1))  # (T, 3, 2)
    area = 0.5 / n**2
    return Mesh(n, nodes, triangles, interior, area, gradients)


def _coefficient_on_triangles(mesh: Mesh, a) -> np.ndarray:
    """The coefficient's value on each triangle: a callable is evaluated at the centroids."""
    if a is None:
        return np.ones(len(mesh.triangles))
    if callable(a):
        c = mesh.centroids
        values = np.broadcast_to(np.asarray(a(c[:, 0], c[:, 1]), float), (len(c),))
    else:
        values = np.asarray(a, float)
        if values.shape != (len(mesh.triangles),):
            raise ValueError(
                f"a must be a callable or an array of shape ({len(mesh.triangles)},); "
                f"got shape {values.shape}"
            )
    if not np.all(np.isfinite(values)) or values.min() <= 0:
        raise ValueError(f"a must be positive and finite; its minimum is {values.min():g}")
    return values


def stiffness_matrix(mesh: Mesh, a=None) -> sp.csr_matrix:
    r"""The full stiffness matrix :math:`K_{ij} = \int a \nabla\varphi_j\cdot\nabla\varphi_i`.

    Parameters
    ----------
    mesh : Mesh
    a : callable ``a(x1, x2)``, array of shape (n_triangles,), or None
        The diffusion coefficient (its value at each triangle's centroid, or given per
        triangle); None means 1.

    Returns
    -------
    scipy.sparse.csr_matrix, shape (n_nodes, n_nodes)
        Boundary rows included; :func:`solve` keeps the interior block.
    """
    values = _coefficient_on_triangles(mesh, a)
    local = mesh.area * np.einsum("tid,tjd->tij", mesh.gradients, mesh.gradients)
    data = (values[:, None, None] * local).ravel()
    rows = np.repeat(mesh.triangles, 3, axis=1).ravel()
    cols = np.tile(mesh.triangles, (1, 3)).ravel()
    n_nodes = len(mesh.nodes)
    return sp.csr_matrix((data, (rows, cols)), shape=(n_nodes, n_nodes))


def mass_matrix(mesh: Mesh) -> sp.csr_matrix:
    r"""The mass matrix :math:`M_{ij} = \int \varphi_j \varphi_i` (for discrete L2 norms)."""
    local = mesh.area / 12.0 * (np.ones((3, 3)) + np.eye(3))
    data = np.tile(local.ravel(), len(mesh.triangles))
    rows = np.repeat(mesh.triangles, 3, axis=1).ravel()
    cols = np.tile(mesh.triangles, (1, 3)).ravel()
    n_nodes = len(mesh.nodes)
    return sp.csr_matrix((data, (rows, cols)), shape=(n_nodes, n_nodes))


def load_vector(mesh: Mesh, f: Callable) -> np.ndarray:
    r"""The load vector :math:`F_i = \int f \varphi_i` (7-point quadrature per triangle)."""
    bary, weights = QUADRATURE
    q = mesh.quadrature_points()
    fq = np.broadcast_to(np.asarray(f(q[..., 0], q[..., 1]), float), q.shape[:2])  # (T, 7)
    local = mesh.area * np.einsum("tq,q,qk->tk", fq, weights, bary)  # (T, 3)
    return np.bincount(mesh.triangles.ravel(), local.ravel(), minlength=len(mesh.nodes))


@dataclass(frozen=True, eq=False)
class FEMSolution:
    """The P1 solution: nodal values (zero on the boundary) on ``mesh``."""

    mesh: Mesh
    values: np.ndarray

    @property
    def grid(self) -> np.ndarray:
        """Nodal values as an ``(n + 1, n + 1)`` image (row = x2, column = x1)."""
        return self.mesh.grid(self.values)


def solve(mesh: Mesh, a=None, f: Callable | None = None) -> FEMSolution:
    r"""Solve :math:`-\nabla\cdot(a\nabla u) = f` in :math:`(0,1)^2`, :math:`u = 0` on the boundary.

    Parameters
    ----------
    mesh : Mesh
    a : callable, array (n_triangles,) or None
        Diffusion coefficient, see :func:`stiffness_matrix`.
    f : callable ``f(x1, x2)``, optional
        Right-hand side; default :math:`f(x) = 20 + 10 x_1 - 5 x_2` (Geist et al. 2021).

    Examples
    --------
    >>> s = solve(unit_square_mesh(2), f=lambda x, y: 1.0 + 0 * x)
    >>> round(float(s.values[4]), 6)  # one unknown: K = 4, F = h^2 = 1/4
    0.0625
    """
    if f is None:
        f = default_load
    K = stiffness_matrix(mesh, a)
    F = load_vector(mesh, f)
    inner = mesh.interior
    A = K[inner][:, inner].tocsc()
    u = np.zeros(len(mesh.nodes))
    if inner.size:
        import scipy.sparse.linalg as spla  # on the first solve (70 ms): a stored view needs none

        u[inner] = spla.spsolve(A, F[inner])
    return FEMSolution(mesh, u)


def default_load(x1, x2):
    """The right-hand side of Geist et al. (2021): ``20 + 10 x1 - 5 x2``."""
    return 20.0 + 10.0 * np.asarray(x1) - 5.0 * np.asarray(x2)


@dataclass(frozen=True)
class FEMErrors:
    """Errors of a P1 solution against an exact one (degree-5 quadrature on every triangle)."""

    h: float
    l2: float
    h1_semi: float


def errors(solution: FEMSolution, u: Callable, grad_u: Callable) -> FEMErrors:
    r""":math:`\|u - u_h\|_{L^2}` and :math:`|u - u_h|_{H^1}`.

    Parameters
    ----------
    solution : FEMSolution
    u : callable ``u(x1, x2)``
    grad_u : callable returning ``(du/dx1, du/dx2)``
    """
    mesh = solution.mesh
    bary, weights = QUADRATURE
    q = mesh.quadrature_points()
    vals = solution.values[mesh.triangles]  # (T, 3)
    uh = vals @ bary.T  # (T, 7)
    e = np.asarray(u(q[..., 0], q[..., 1])) - uh
    l2 = np.sqrt(mesh.area * np.sum(e**2 * weights))
    gh = np.einsum("tk,tkd->td", vals, mesh.gradients)  # constant on each triangle
    g1, g2 = grad_u(q[..., 0], q[..., 1])
    eh = (np.asarray(g1) - gh[:, None, 0]) ** 2 + (np.asarray(g2) - gh[:, None, 1]) ** 2
    h1 = np.sqrt(mesh.area * np.sum(eh * weights))
    return FEMErrors(mesh.h, float(l2), float(h1))


def stiffness_1d(n: int, a: Callable | None = None) -> sp.csr_matrix:
    r"""Stiffness matrix of P1 elements for :math:`-(a u')' = f` on (0, 1), :math:`u(0)=u(1)=0`.

    ``n`` intervals of width ``h = 1/n``; the ``n - 1`` interior hat functions. With the
    coefficient taken at the interval midpoints :math:`a_{k+1/2}`,

    .. math:: K_{kk} = \frac{a_{k-1/2} + a_{k+1/2}}{h}, \qquad K_{k,k+1} = -\frac{a_{k+1/2}}{h}.

    Examples
    --------
    >>> (stiffness_1d(4).toarray() / 4).astype(int).tolist()
    [[2, -1, 0], [-1, 2, -1], [0, -1, 2]]
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or not 2 <= n <= 10**7:
        raise ValueError(f"n must be an integer in [2, 10000000]; got {n!r}")
    h = 1.0 / n
    mid = (np.arange(n) + 0.5) * h
    am = np.ones(n) if a is None else np.broadcast_to(np.asarray(a(mid), float), (n,))
    main = (am[:-1] + am[1:]) / h
    off = -am[1:-1] / h
    return sp.diags([off, main, off], [-1, 0, 1], format="csr")


def load_1d(n: int, f: Callable) -> np.ndarray:
    r"""Load vector :math:`F_k = \int f\varphi_k` on (0, 1), ``n`` intervals (Simpson per interval,
    exact for f of degree 2)."""
    h = 1.0 / n
    x = np.arange(1, n) * h
    # Simpson on each half-support: phi is 1 at x_k, 1/2 at the midpoints, 0 at x_{k -+ 1}
    left, right = f(x - h / 2), f(x + h / 2)
    return h / 3.0 * (np.asarray(f(x)) + np.asarray(left) + np.asarray(right))
