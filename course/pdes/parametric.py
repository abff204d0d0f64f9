r"""The parametric diffusion equation and a network for the map :math:`y \mapsto u_y^h`.

For :math:`y \in Y \subset \mathbb{R}^p`, :math:`u_y^h \in \mathbb{R}^D` solves the P1 system
:math:`b_y(u_y^h, v) = f(v)` for all :math:`v` in the finite-element space, with
:math:`b_y(u, v) = \int a_y \nabla u\cdot\nabla v` (the families of :mod:`.coefficients`) and
:math:`f(x) = 20 + 10x_1 - 5x_2`. Kutyniok, Petersen, Raslan, Schneider (2021) prove that a ReLU
network approximates :math:`y \mapsto u_y^h` uniformly to accuracy :math:`\varepsilon` with a size
polynomial in :math:`p` and in the reduced-basis dimension, not exponential in :math:`p`; Geist et
al. (2021) observe it numerically with one fixed architecture (11 layers, leaky ReLU with slope
0.2).

This module: :class:`ParametricSolver` (the FEM map, with the stiffness matrix assembled from the
coefficient by one sparse product, since :math:`a_y` is affine in :math:`y`), the data sets, and
:class:`ParametricModel` (a trained network, evaluated with numpy). The shipped networks are made
by ``python -m course.pdes.train``.

References
----------
.. [1] G. Kutyniok, P. Petersen, M. Raslan, R. Schneider, "A theoretical analysis of deep neural
   networks and parametric PDEs", Constr. Approx. 55, 73-125, 2022 (arXiv 2019).
.. [2] M. Geist, P. Petersen, M. Raslan, R. Schneider, G. Kutyniok, "Numerical solution of the
   parametric diffusion equation by deep neural networks", J. Sci. Comput. 88:22, 2021.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .coefficients import coefficient_family
from .fem import default_load, load_vector, mass_matrix, unit_square_mesh

__all__ = [
    "ParametricSolver",
    "ParametricData",
    "ParametricModel",
    "make_data",
    "relative_errors",
    "load_parametric",
    "weights_dir",
    "LEAKY_SLOPE",
]

LEAKY_SLOPE = 0.2
WEIGHTS = Path(__file__).resolve().parent / "weights"


def weights_dir() -> Path:
    """The folder of the shipped parametric networks."""
    return WEIGHTS


class ParametricSolver:
    """The FEM map :math:`y \\mapsto u_y^h` for one family, parameter dimension and mesh.

    Parameters
    ----------
    family : str
        One of :data:`course.pdes.FAMILIES`.
    p : int
        The parameter dimension.
    n : int
        Squares per side of the mesh (``(n - 1)**2`` unknowns).

    Notes
    -----
    The coefficient enters through its values at the triangles' centroids,
    :math:`a_y = a_0 + B y`; the interior stiffness matrix's entries are :math:`S a_y` for a
    fixed sparse matrix :math:`S` (entries of the CSR pattern by triangles), so a solve is one
    sparse product, one SuperLU factorisation and two triangular solves.
    """

    def __init__(self, family: str, p: int, n: int = 16):
        self.family = coefficient_family(family)
        self.p = self.family.check_p(p)
        self.mesh = unit_square_mesh(n)
        m = self.mesh
        c = m.centroids
        self._a0, self._B = self.family.terms(self.p, c[:, 0], c[:, 1])
        index = np.full(len(m.nodes), -1)
        index[m.interior] = np.arange(m.interior.size)
        local = m.area * np.einsum("tid,tjd->tij", m.gradients, m.gradients)
        rows = index[np.repeat(m.triangles, 3, axis=1)].ravel()
        cols = index[np.tile(m.triangles, (1, 3))].ravel()
        tri = np.repeat(np.arange(len(m.triangles)), 9)
        keep = (rows >= 0) & (cols >= 0)
        rows, cols, tri, vals = rows[keep], cols[keep], tri[keep], local.ravel()[keep]
        n_int = m.interior.size
        keys, position = np.unique(rows * n_int + cols, return_inverse=True)
        self._indices = (keys % n_int).astype(np.int32)
        self._indptr = np.searchsorted(keys // n_int, np.arange(n_int + 1)).astype(np.int32)
        self._S = sp.csr_matrix((vals, (position, tri)), shape=(len(keys), len(m.triangles)))
        self._F = load_vector(m, default_load)[m.interior]
        self.mass = mass_matrix(m)[m.interior][:, m.interior]

    @property
    def n_dofs(self) -> int:
        """D, the number of unknowns (interior nodes)."""
        return int(self.mesh.interior.size)

    def coefficient(self, y) -> np.ndarray:
        """:math:`a_y` at the triangles' centroids."""
        y = self.family.check_y(np.asarray(y, float).reshape(self.p))
        return self._a0 + self._B @ y

    def stiffness(self, y) -> sp.csc_matrix:
        """The interior stiffness matrix :math:`(b_y(\\varphi_j, \\varphi_i))_{ij}`."""
        data = self._S @ self.coefficient(y)
        n = self.n_dofs
        return sp.csr_matrix((data, self._indices, self._indptr), shape=(n, n)).tocsc()

    def solve(self, y) -> np.ndarray:
        """:math:`u_y^h` at the interior nodes, shape (D,)."""
        import scipy.sparse.linalg as spla  # on the first solve (70 ms): a stored view needs none

        return spla.spsolve(self.stiffness(y), self._F)

    def full(self, values) -> np.ndarray:
        """Interior values (D,) or (m, D) with the zero boundary values: all nodes."""
        values = np.asarray(values)
        out = np.zeros(values.shape[:-1] + (len(self.mesh.nodes),))
        out[..., self.mesh.interior] = values
        return out


@dataclass(frozen=True, eq=False)
class ParametricData:
    """Parameters ``y`` (m, p) and FEM solutions ``u`` (m, D) of one family."""

    family: str
    p: int
    n: int
    y: np.ndarray
    u: np.ndarray


def make_data(family: str, p: int, m: int, *, n: int = 16, seed: int = 0) -> ParametricData:
    """``m`` parameters drawn uniformly (seeded) and their FEM solutions."""
    solver = ParametricSolver(family, p, n)
    y = solver.family.sample(p, m, seed=seed)
    u = np.stack([solver.solve(v) for v in y]) if m else np.zeros((0, solver.n_dofs))
    return ParametricData(family, solver.p, n, y, u)


def relative_errors(pred: np.ndarray, u: np.ndarray, mass: sp.spmatrix) -> np.ndarray:
    r"""Per sample :math:`\|\Phi(y) - u_y^h\|_{L^2} / \|u_y^h\|_{L^2}` (the mass-matrix norm)."""
    e = pred - u
    num = np.einsum("mi,mi->m", e, (mass @ e.T).T)
    den = np.einsum("mi,mi->m", u, (mass @ u.T).T)
    return np.sqrt(num / den)


@dataclass(frozen=True, eq=False)
class ParametricModel:
    """A trained network :math:`\\Phi: Y \\to \\mathbb{R}^D`, evaluated with numpy (float32).

    :math:`\\Phi(y) = \\bar u + s\\,N(2(y - \\ell)/(h - \\ell) - 1)` where :math:`N` is a
    fully connected network with leaky ReLU (slope 0.2) between its layers, :math:`[\\ell, h]` the
    parameter box, :math:`\\bar u` and :math:`s` the training data's mean and scale.
    """

    family: str
    p: int
    n: int
    weights: tuple
    biases: tuple
    u_mean: np.ndarray
    u_scale: float
    meta: dict

    @property
    def family_obj(self):
        return coefficient_family(self.family)

    @property
    def n_layers(self) -> int:
        return len(self.weights)

    @property
    def n_params(self) -> int:
        return int(sum(w.size + b.size for w, b in zip(self.weights, self.biases)))

    def predict(self, y) -> np.ndarray:
        """:math:`\\Phi(y)` for parameters of shape (p,) or (m, p): interior values."""
        fam = self.family_obj
        y = np.asarray(y, float)
        single = y.ndim == 1
        y = fam.check_y(np.atleast_2d(y))
        if y.shape[1] != self.p:
            raise ValueError(f"y must have {self.p} columns for this network; got {y.shape[1]}")
        h = (2.0 * (y - fam.low) / (fam.high - fam.low) - 1.0).astype(np.float32)
        last = len(self.weights) - 1
        for k, (w, b) in enumerate(zip(self.weights, self.biases)):
            h = h @ w + b
            if k < last:
                h = np.maximum(h, LEAKY_SLOPE * h)
        out = self.u_mean + self.u_scale * h.astype(np.float64)
        return out[0] if single else out

    @classmethod
    def load(cls, path: Path) -> ParametricModel:
        path = Path(path)
        meta = json.loads(path.with_suffix(".json").read_text())
        with np.load(path) as z:
            k = meta["n_layers"]
            weights = tuple(z[f"W{i}"] for i in range(k))
            biases = tuple(z[f"b{i}"] for i in range(k))
            u_mean, u_scale = z["u_mean"].astype(np.float64), float(z["u_scale"])
        return cls(meta["family"], meta["p"], meta["n"], weights, biases, u_mean, u_scale, meta)


def load_parametric(folder: Path | None = None) -> dict[str, ParametricModel]:
    """The shipped networks by name (``"<family>_p<p>"``), sorted by family and p."""
    folder = WEIGHTS if folder is None else Path(folder)
    models = [ParametricModel.load(f) for f in folder.glob("*_p*.npz")]
    models.sort(key=lambda m: (m.family, m.p))
    return {f"{m.family}_p{m.p}": m for m in models}
