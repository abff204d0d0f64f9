r"""Physics-informed neural networks: a network :math:`u_\theta` with :math:`-\Delta u_\theta \approx f`.

The loss is the mean squared residual at collocation points :math:`x_i` in the domain, plus, for
*soft* boundary conditions, a penalty on the boundary values,

.. math::

    L(\theta) = \frac{1}{n}\sum_{i=1}^n \big(-\Delta u_\theta(x_i) - f(x_i)\big)^2
              + \lambda\,\frac{1}{n_b}\sum_{j=1}^{n_b} u_\theta(z_j)^2 ,

with :math:`\Delta u_\theta` computed by automatic differentiation. *Hard* boundary conditions
use the ansatz :math:`u_\theta = B\,N_\theta` with :math:`B = 0` on the boundary (Lagaris et al.),
and the penalty disappears. Training: Adam, then L-BFGS (Raissi et al. 2019).

References
----------
.. [1] I. E. Lagaris, A. Likas, D. I. Fotiadis, "Artificial neural networks for solving ordinary
   and partial differential equations", IEEE Trans. Neural Networks 9(5), 1998.
.. [2] M. Raissi, P. Perdikaris, G. E. Karniadakis, "Physics-informed neural networks: a deep
   learning framework for solving forward and inverse problems involving nonlinear partial
   differential equations", J. Comput. Phys. 378, 2019.
"""

from __future__ import annotations

from dataclasses import replace

import torch

from ..progress import run_to_end
from ._training import Snapshot, fit
from .config import BOUNDARY, PINNConfig
from .nets import HardConstraint, laplacian, mlp
from .problems import get_problem

__all__ = [
    "PINNConfig",
    "BOUNDARY",
    "pinn_network",
    "pinn_residual",
    "pinn_losses",
    "iter_pinn",
    "train_pinn",
]


def pinn_network(config: PINNConfig) -> torch.nn.Module:
    """The network of a run: an MLP, wrapped in the hard-constraint ansatz when ``bc == "hard"``."""
    problem = get_problem(config.problem)
    net = mlp(problem.dim, config.width, config.depth, config.activation, seed=config.seed)
    return HardConstraint(net, problem.boundary_factor) if config.bc == "hard" else net


def pinn_residual(u, x: torch.Tensor, problem) -> torch.Tensor:
    r"""The residual :math:`-\Delta u(x) - f(x)` at points ``x`` (shape (m, d)) by autograd.

    ``u`` is any differentiable function of the points: a network, or an exact solution.

    Examples
    --------
    >>> import torch
    >>> from course.pdes.problems import get_problem
    >>> x = torch.linspace(0, 1, 5, dtype=torch.float64)[:, None]
    >>> r = pinn_residual(lambda x: torch.sin(torch.pi * x), x, get_problem("interval"))
    >>> float(r.detach().abs().max()) < 1e-12
    True
    """
    _, lap = laplacian(u, x)
    return -lap - problem.f(x)


def pinn_losses(model, config: PINNConfig, points: torch.Tensor, boundary: torch.Tensor) -> dict:
    """The loss terms, each separately: ``residual``, ``boundary`` (unweighted) and ``total``."""
    problem = get_problem(config.problem)
    r = pinn_residual(model, points, problem)
    terms = {"residual": torch.mean(r**2)}
    if config.bc == "soft":
        terms["boundary"] = torch.mean(model(boundary).reshape(-1) ** 2)
        terms["total"] = terms["residual"] + config.bc_weight * terms["boundary"]
    else:
        terms["total"] = terms["residual"]
    return terms


def iter_pinn(config: PINNConfig | None = None, **changes):
    """Train a PINN; a generator of :class:`~course.progress.Progress` whose partial results are
    :class:`~course.pdes._training.Snapshot` objects (loss terms, error, solution, points).

    The collocation points are drawn once (uniform, seeded) and kept; the boundary points are
    the end points (1D) or evenly spread (2D). Returns the final snapshot.
    """
    config = replace(config or PINNConfig(), **changes).check()
    problem = get_problem(config.problem)
    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(config.seed + 1)
    x = problem.interior_points(config.n_points, gen, torch.float64)
    zb = problem.boundary_points(config.n_boundary, torch.float64)
    model = pinn_network(config)
    return (
        yield from fit(
            model,
            lambda step: pinn_losses(model, config, x, zb),
            config,
            method="pinn",
            problem=problem,
            points=lambda: x.numpy(),
            boundary=zb,
        )
    )


def train_pinn(config: PINNConfig | None = None, **changes) -> Snapshot:
    """Run :func:`iter_pinn` to the end; returns the final snapshot."""
    return run_to_end(iter_pinn(config, **changes))
