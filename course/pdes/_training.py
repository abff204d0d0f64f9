"""The training loop the PINN and the Deep Ritz method share: Adam, then L-BFGS, with snapshots.

Each recorded step keeps every loss term separately (unweighted) and the relative L2 error on an
evaluation grid; a :class:`Snapshot` is yielded as the partial result of a :class:`Progress`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..progress import Progress
from .config import OPTIMIZERS

if TYPE_CHECKING:  # annotations only: importing this module does not import torch
    import torch

__all__ = ["Snapshot", "OPTIMIZERS", "fit"]

#: Function evaluations one L-BFGS iteration may spend in its strong Wolfe line search. torch
#: defaults ``max_eval`` to ``max_iter * 5 // 4``, which is 1 for ``max_iter=1`` and leaves the
#: line search no trial beyond the first: every rejected first step became a step of length 0.
_LBFGS_LINE_SEARCH_EVALS = 25


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The state of a training run: loss terms, error, solution and points.

    Attributes
    ----------
    method : str
        ``"pinn"`` or ``"ritz"``.
    problem : str
    steps : ndarray of int
        The recorded optimisation steps (Adam steps, then L-BFGS iterations).
    losses : dict of str to ndarray
        Each loss term at the recorded steps, unweighted (``boundary`` is the mean squared
        boundary value, ``total`` what the optimiser minimises).
    rel_l2 : ndarray
        :math:`\\|u_\\theta - u\\|_{\\ell^2} / \\|u\\|_{\\ell^2}` on the evaluation grid.
    x : ndarray, shape (m, d)
        The evaluation grid; ``u`` and ``exact`` are the network and the exact solution on it.
    points, boundary : ndarray
        Interior collocation points (the last ones drawn) and boundary points (empty for a
        hard constraint).
    phase : str
        ``"adam"`` or ``"lbfgs"``: the phase of the last step.
    lbfgs_start : int or None
        The first L-BFGS step (for plots), None without L-BFGS.
    done : bool
    seconds : float
        Training time so far.
    n_params : int
    """

    method: str
    problem: str
    steps: np.ndarray
    losses: dict
    rel_l2: np.ndarray
    x: np.ndarray
    u: np.ndarray
    exact: np.ndarray
    points: np.ndarray
    boundary: np.ndarray
    phase: str
    lbfgs_start: int | None
    done: bool
    seconds: float
    n_params: int
    config: object = field(default=None)

    @property
    def error(self) -> np.ndarray:
        """Pointwise error :math:`|u_\\theta - u|` on the grid."""
        return np.abs(self.u - self.exact)

    @property
    def final_rel_l2(self) -> float:
        return float(self.rel_l2[-1]) if len(self.rel_l2) else float("nan")


def fit(
    model: torch.nn.Module,
    loss_terms: Callable[[int], dict],
    config,
    *,
    method: str,
    problem,
    points: Callable[[], np.ndarray],
    boundary: torch.Tensor,
    record_every: int = 10,
    yield_every: int = 50,
):
    """Minimise ``loss_terms(step)["total"]``; a generator of :class:`Progress` with snapshots.

    ``loss_terms(step)`` returns a dict of scalar tensors (``total`` among them); it may draw new
    points per step. The run's ``config`` (a :class:`~course.pdes.pinn.PINNConfig`) gives the
    optimizer, the numbers of Adam and L-BFGS steps, the learning rate and the boundary
    treatment: the snapshots show the ``boundary`` points only where a soft penalty uses them.
    Returns the final :class:`Snapshot`.
    """
    import torch  # here, not at the top: a stored Snapshot is read without torch

    optimizer, lr = config.optimizer, config.lr
    adam_steps, lbfgs_steps = config.adam_steps, config.lbfgs_steps
    boundary = boundary.numpy() if config.bc == "soft" else boundary.numpy()[:0]
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}; got {optimizer!r}")
    phases = OPTIMIZERS[optimizer]
    plan = {"adam": adam_steps if "adam" in phases else 0}
    plan["lbfgs"] = lbfgs_steps if "lbfgs" in phases else 0
    total = max(1, plan["adam"] + plan["lbfgs"])
    grid = problem.evaluation_grid(101 if problem.dim == 1 else 41)
    xg = torch.as_tensor(grid, dtype=torch.float64)
    exact = problem.exact(grid)
    norm = np.linalg.norm(exact)
    steps, rel, history = [], [], {}
    t0 = time.perf_counter()
    n_params = sum(p.numel() for p in model.parameters())
    lbfgs_start = plan["adam"] if plan["lbfgs"] else None

    def evaluate():
        with torch.no_grad():
            return model(xg).reshape(-1).numpy().copy()

    def record(step, terms):
        u = evaluate()
        steps.append(step)
        rel.append(float(np.linalg.norm(u - exact) / norm))
        for k, v in terms.items():
            history.setdefault(k, []).append(float(v))
        return u

    def snapshot(u, phase, done):
        return Snapshot(
            method,
            problem.name,
            np.array(steps),
            {k: np.array(v) for k, v in history.items()},
            np.array(rel),
            grid,
            u,
            exact,
            points(),
            boundary,
            phase,
            lbfgs_start,
            done,
            time.perf_counter() - t0,
            n_params,
            config,
        )

    step = 0
    u = record(0, {k: v.detach() for k, v in loss_terms(0).items()})
    yield Progress(0.0, snapshot(u, phases[0], False), f"{method}: step 0 of {total}")
    params = [p for p in model.parameters() if p.requires_grad]
    if plan["adam"]:
        opt = torch.optim.Adam(params, lr=lr)
        sched = torch.optim.lr_scheduler.ExponentialLR(
            opt, gamma=0.1 ** (1.0 / max(1, plan["adam"]))
        )
        for _ in range(plan["adam"]):
            opt.zero_grad()
            terms = loss_terms(step)
            terms["total"].backward()
            opt.step()
            sched.step()
            step += 1
            if step % record_every == 0 or step == plan["adam"]:
                u = record(step, {k: v.detach() for k, v in terms.items()})
            if step % yield_every == 0:
                yield Progress(step / total, snapshot(u, "adam", False), f"Adam step {step}")
    if plan["lbfgs"]:
        opt = torch.optim.LBFGS(
            params,
            lr=1.0,
            max_iter=1,
            max_eval=_LBFGS_LINE_SEARCH_EVALS,
            history_size=50,
            line_search_fn="strong_wolfe",
            tolerance_grad=1e-12,
            tolerance_change=1e-15,
        )

        def closure():
            opt.zero_grad()
            loss = loss_terms(step)["total"]
            loss.backward()
            return loss

        for _ in range(plan["lbfgs"]):
            opt.step(closure)
            step += 1
            if step % record_every == 0 or step == total:
                # the line search's last trial need not be the accepted point: evaluate anew
                u = record(step, {k: v.detach() for k, v in loss_terms(step).items()})
            if step % yield_every == 0:
                yield Progress(step / total, snapshot(u, "lbfgs", False), f"L-BFGS step {step}")
    if steps[-1] != step:
        u = record(step, {k: v.detach() for k, v in loss_terms(step).items()})
    return snapshot(u, phases[-1], True)
