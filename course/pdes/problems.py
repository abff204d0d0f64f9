r"""The model problems of the physics-informed networks and of the Deep Ritz method.

``interval``
    :math:`-u'' = \pi^2 \sin(\pi x)` on :math:`(0, 1)`, :math:`u(0) = u(1) = 0`;
    :math:`u = \sin(\pi x)`.
``square``
    :math:`-\Delta u = 2\pi^2 \sin(\pi x_1)\sin(\pi x_2)` on :math:`(0, 1)^2`, :math:`u = 0` on the
    boundary; :math:`u = \sin(\pi x_1)\sin(\pi x_2)`.

Both are Poisson problems :math:`-\Delta u = f` with zero Dirichlet data, so the energy of the Deep
Ritz method is :math:`E(v) = \int \tfrac12 |\nabla v|^2 - f v`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # annotations only: importing this module does not import torch
    import torch

__all__ = ["Problem", "PROBLEMS", "get_problem"]


@dataclass(frozen=True)
class Problem:
    """A Poisson problem :math:`-\\Delta u = f` on :math:`(0, 1)^d`, :math:`u = 0` on the boundary.

    Attributes
    ----------
    name : str
    dim : int
        The space dimension d (1 or 2).
    title : str
        The equation, in mathtext.
    """

    name: str
    dim: int
    title: str

    def f(self, x: torch.Tensor) -> torch.Tensor:
        """The right-hand side at points ``x`` of shape (m, d); returns shape (m,)."""
        import torch  # in the methods on tensors: the problems are described without torch

        return self.dim * np.pi**2 * torch.prod(torch.sin(np.pi * x), dim=1)

    def exact(self, x):
        """The exact solution (torch tensor or numpy array of shape (m, d)); shape (m,)."""
        torch = sys.modules.get("torch")  # a tensor exists only once torch is imported
        if torch is not None and isinstance(x, torch.Tensor):
            return torch.prod(torch.sin(np.pi * x), dim=1)
        return np.prod(np.sin(np.pi * np.asarray(x)), axis=1)

    def boundary_factor(self, x: torch.Tensor) -> torch.Tensor:
        r""":math:`B(x) = \prod_i 4 x_i (1 - x_i)`: zero exactly on the boundary, 1 at the centre."""
        import torch

        return torch.prod(4.0 * x * (1.0 - x), dim=1)

    def interior_points(self, n: int, generator: torch.Generator, dtype) -> torch.Tensor:
        """``n`` points drawn uniformly in the open cube, shape (n, d)."""
        import torch

        return torch.rand(n, self.dim, generator=generator, dtype=dtype)

    def boundary_points(self, n: int, dtype) -> torch.Tensor:
        """Points on the boundary: the two end points in 1D, ``n`` evenly spread in 2D."""
        import torch

        if self.dim == 1:
            return torch.tensor([[0.0], [1.0]], dtype=dtype)
        per_side = max(1, n // 4)
        t = (torch.arange(per_side, dtype=dtype) + 0.5) / per_side
        zero, one = torch.zeros_like(t), torch.ones_like(t)
        return torch.cat(
            [
                torch.stack([t, zero], 1),
                torch.stack([one, t], 1),
                torch.stack([1 - t, one], 1),
                torch.stack([zero, 1 - t], 1),
            ]
        )

    def evaluation_grid(self, n: int = 101) -> np.ndarray:
        """A uniform grid including the boundary, shape (n, 1) or (n * n, 2)."""
        t = np.linspace(0.0, 1.0, n)
        if self.dim == 1:
            return t[:, None]
        X1, X2 = np.meshgrid(t, t)
        return np.column_stack([X1.ravel(), X2.ravel()])


PROBLEMS: dict[str, Problem] = {
    "interval": Problem("interval", 1, r"$-u'' = \pi^2 \sin(\pi x)$ on $(0, 1)$"),
    "square": Problem(
        "square", 2, r"$-\Delta u = 2\pi^2 \sin(\pi x_1)\sin(\pi x_2)$ on $(0, 1)^2$"
    ),
}


def get_problem(name: str) -> Problem:
    """The problem called ``name`` (``"interval"`` or ``"square"``)."""
    if name not in PROBLEMS:
        raise ValueError(f"problem must be one of {', '.join(PROBLEMS)}; got {name!r}")
    return PROBLEMS[name]
