"""The settings of a PINN or Deep Ritz run, without torch.

What a panel needs to describe, validate and look up a run (the option names, :class:`PINNConfig`,
:data:`RITZ_DEFAULTS`) lives here, so that a stored result can be shown, and its settings
checked, without importing torch; :mod:`.pinn`, :mod:`.ritz`, :mod:`.nets` and :mod:`._training`
re-export these names and import torch to train.
"""

from __future__ import annotations

from dataclasses import dataclass

from .problems import get_problem

__all__ = ["ACTIVATION_NAMES", "BOUNDARY", "OPTIMIZERS", "PINNConfig", "RITZ_DEFAULTS"]

#: The activations of :data:`course.pdes.nets.ACTIVATIONS`, by name: smooth ones (the residual
#: needs second derivatives), and ReLU to show why.
ACTIVATION_NAMES = ("tanh", "sin", "softplus", "gelu", "relu")

#: How the boundary condition is imposed.
BOUNDARY = {"soft": "soft (penalty)", "hard": "hard (ansatz)"}

#: The optimiser schedules: which phases run.
OPTIMIZERS = {"adam": ("adam",), "lbfgs": ("lbfgs",), "adam+lbfgs": ("adam", "lbfgs")}


@dataclass(frozen=True)
class PINNConfig:
    """Settings of a PINN run.

    The defaults reach a relative L2 error below 1e-3 in 1D some 30 L-BFGS iterations after 200
    Adam steps, and end near 1e-5 (``benchmarks/bench_l08.py pinn`` measures the time). Adam
    finds the basin; L-BFGS, far faster near a minimum, does the rest: with 1000 Adam steps the
    error only reached 1e-3 at step 500.
    """

    problem: str = "interval"
    width: int = 20
    depth: int = 3
    activation: str = "tanh"
    n_points: int = 64
    optimizer: str = "adam+lbfgs"
    adam_steps: int = 200
    lbfgs_steps: int = 300
    lr: float = 1e-2
    bc: str = "soft"
    bc_weight: float = 10.0
    n_boundary: int = 64
    seed: int = 0

    def check(self) -> PINNConfig:
        get_problem(self.problem)
        if self.activation not in ACTIVATION_NAMES:
            raise ValueError(
                f"activation must be one of {', '.join(ACTIVATION_NAMES)}; got {self.activation!r}"
            )
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(
                f"optimizer must be one of {', '.join(OPTIMIZERS)}; got {self.optimizer!r}"
            )
        if self.bc not in BOUNDARY:
            raise ValueError(f"bc must be one of {', '.join(BOUNDARY)}; got {self.bc!r}")
        for name, lo, hi in (
            ("n_points", 1, 100_000),
            ("adam_steps", 0, 100_000),
            ("lbfgs_steps", 0, 100_000),
            ("n_boundary", 4, 100_000),
        ):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ValueError(f"{name} must be an integer in [{lo}, {hi}]; got {v!r}")
        for name, lo, hi in (("lr", 1e-6, 1.0), ("bc_weight", 0.0, 1e6)):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or not lo <= v <= hi:
                raise ValueError(f"{name} must be a number in [{lo:g}, {hi:g}]; got {v!r}")
        return self


#: Defaults of a Ritz run (a :class:`PINNConfig` read as Ritz settings: ``n_points`` points per
#: step, Adam only).
RITZ_DEFAULTS = dict(
    n_points=256, optimizer="adam", adam_steps=1500, lbfgs_steps=0, lr=5e-3, bc_weight=100.0
)
