r"""The Deep Ritz method: minimise the energy of the Poisson problem over networks.

For :math:`-\Delta u = f`, :math:`u = 0` on the boundary, the solution minimises

.. math:: E(v) = \int_\Omega \tfrac12 |\nabla v|^2 - f\,v \,dx

over :math:`H^1_0(\Omega)`, and :math:`E(v) - E(u) = \tfrac12 |v - u|_{H^1}^2` there. The Deep Ritz
method (E and Yu 2018) minimises a Monte-Carlo estimate of :math:`E(u_\theta)` with new uniform
points at every step (only first derivatives are needed), plus :math:`\beta\int_{\partial\Omega}
u_\theta^2` for soft boundary conditions, or uses the hard-constraint ansatz. The L-BFGS phase, if
chosen, keeps the last points fixed (a quasi-Newton method needs a deterministic loss).

References
----------
.. [1] W. E and B. Yu, "The Deep Ritz method: a deep learning-based numerical algorithm for
   solving variational problems", Commun. Math. Stat. 6, 2018.
"""

from __future__ import annotations

import numpy as np
import torch

from ..progress import run_to_end
from ._training import Snapshot, fit
from .config import BOUNDARY, RITZ_DEFAULTS, PINNConfig
from .nets import gradient
from .pinn import pinn_network
from .problems import get_problem

__all__ = [
    "ritz_energy",
    "exact_energy",
    "iter_ritz",
    "train_ritz",
    "ritz_default_errors",
    "RITZ_DEFAULTS",
]


def ritz_energy(u, x: torch.Tensor, problem) -> torch.Tensor:
    r"""Monte-Carlo estimate of :math:`E(u)` from uniform points ``x`` in the unit cube."""
    values, g = gradient(u, x)
    return torch.mean(0.5 * torch.sum(g**2, dim=1) - problem.f(x) * values)


def exact_energy(problem) -> float:
    r""":math:`E(u) = -\tfrac12\int f u = -\tfrac{d\pi^2}{2}\,2^{-d}` for
    :math:`u = \prod_i \sin(\pi x_i)`."""
    return -0.5 * problem.dim * np.pi**2 * 0.5**problem.dim


def iter_ritz(config: PINNConfig | None = None, **changes):
    """Train by the Deep Ritz method; yields :class:`~course.progress.Progress` with snapshots.

    The loss terms recorded are ``energy gap`` (:math:`E(u_\\theta) - E(u)`, estimated),
    ``boundary`` (soft only) and ``total``.
    """
    base = PINNConfig(**RITZ_DEFAULTS) if config is None else config
    config = base.__class__(**{**base.__dict__, **changes}).check()
    problem = get_problem(config.problem)
    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(config.seed + 1)
    zb = problem.boundary_points(config.n_boundary, torch.float64)
    model = pinn_network(config)
    e_star = exact_energy(problem)
    state = {"x": problem.interior_points(config.n_points, gen, torch.float64), "step": -1}

    def terms(step):
        if step != state["step"] and step < config.adam_steps * ("adam" in config.optimizer):
            state["x"] = problem.interior_points(config.n_points, gen, torch.float64)
        state["step"] = step
        energy = ritz_energy(model, state["x"], problem)
        out = {"energy gap": energy - e_star}
        if config.bc == "soft":
            out["boundary"] = torch.mean(model(zb).reshape(-1) ** 2)
            out["total"] = energy + config.bc_weight * out["boundary"]
        else:
            out["total"] = energy
        return out

    return (
        yield from fit(
            model,
            terms,
            config,
            method="ritz",
            problem=problem,
            points=lambda: state["x"].numpy(),
            boundary=zb,
        )
    )


def train_ritz(config: PINNConfig | None = None, **changes) -> Snapshot:
    """Run :func:`iter_ritz` to the end; returns the final snapshot."""
    return run_to_end(iter_ritz(config, **changes))


def ritz_default_errors(problem: str = "interval") -> dict:
    """Final relative L2 error of a default Deep Ritz run (:data:`RITZ_DEFAULTS`, the Ritz
    panel's defaults) for each way of imposing the boundary condition: ``{"soft": e, "hard": e}``.

    Lecture 08 prints them for the interval.
    """
    return {bc: train_ritz(problem=problem, bc=bc).final_rel_l2 for bc in BOUNDARY}
