r"""The curse of dimensionality in numbers: a grid method against the deep BSDE method.

A finite-difference method for the Allen-Cahn equation on :math:`[-L, L]^d` with :math:`n` points
per axis has :math:`n^d` unknowns; explicit Euler is stable for :math:`\Delta t \le h^2 / (2d)`,
so a solve costs :math:`\sim n^d \cdot T\,2d/h^2` point updates. Here the cost of one time step is
*measured* for small :math:`d` (numpy, one thread) and scaled to the whole solve; beyond, it is
extrapolated as :math:`c\,n^d` with the constant :math:`c` per point update measured at the
largest measured :math:`d`. The deep BSDE cost is the measured time of a few training iterations
at each :math:`d`, times the iterations of the paper's set-up.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..progress import Progress
from .bsde import T_FINAL, BSDEConfig, iter_deep_bsde

__all__ = ["CostCurve", "grid_step_seconds", "iter_cost_curve", "DEFAULT_DIMS"]

DEFAULT_DIMS = (1, 2, 3, 5, 10, 20, 50, 100)


@dataclass(frozen=True, eq=False)
class CostCurve:
    """Seconds to solve for :math:`u(0, 0)` against the dimension.

    Attributes
    ----------
    dims : ndarray
        Dimensions of the network curve.
    network_seconds : ndarray
        Deep BSDE: measured seconds per iteration times ``iterations``.
    grid_dims : ndarray
        Dimensions of the grid curve (1 to 100).
    grid_seconds : ndarray
        The grid method's seconds (measured per step and scaled where ``grid_measured``).
    grid_measured : ndarray of bool
    n : int
        Grid points per axis.
    iterations : int
    done : bool
    """

    dims: np.ndarray
    network_seconds: np.ndarray
    grid_dims: np.ndarray
    grid_seconds: np.ndarray
    grid_measured: np.ndarray
    n: int
    iterations: int
    done: bool


def _grid_steps(d: int, n: int, half_width: float = 8.0) -> float:
    h = 2 * half_width / (n - 1)
    return np.ceil(T_FINAL / (h * h / (2 * d)))


def grid_step_seconds(d: int, n: int = 32, repeats: int = 3) -> float:
    """Measured seconds of one explicit finite-difference step of Allen-Cahn on an ``n**d`` grid."""
    if not 1 <= d <= 4:
        raise ValueError(f"d must be an integer in [1, 4] for a measured grid; got {d!r}")
    x = np.linspace(-8, 8, n)
    mesh = np.meshgrid(*([x] * d), indexing="ij", sparse=True)
    u = 1.0 / (2.0 + 0.4 * sum(m * m for m in mesh))
    h = x[1] - x[0]
    dt = h * h / (2 * d)
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        lap = -2 * d * u
        for axis in range(d):
            lap = lap + np.roll(u, 1, axis) + np.roll(u, -1, axis)
        u = u + dt * (lap / (h * h) + u - u**3)
        best = min(best, time.perf_counter() - t0)
    return best


def iter_cost_curve(dims=DEFAULT_DIMS, *, n: int = 32, probe: int = 4, measured_grid: int = 4):
    """Measure the cost curve; yields :class:`~course.progress.Progress` with partial
    :class:`CostCurve` results, returns the final one.

    ``probe`` training iterations per dimension (after one warm-up) are timed; grids are measured
    up to ``measured_grid`` dimensions.
    """
    iterations = BSDEConfig().iterations
    grid_dims = np.arange(1, 101)
    grid_seconds = np.zeros(100)
    measured = grid_dims <= measured_grid
    per_point = None
    for d in range(1, measured_grid + 1):
        s = grid_step_seconds(d, n)
        grid_seconds[d - 1] = s * _grid_steps(d, n)
        per_point = s / n**d
    for d in range(measured_grid + 1, 101):
        grid_seconds[d - 1] = per_point * float(n) ** d * _grid_steps(d, n)
    net = []
    done_dims = []
    for k, d in enumerate(dims):
        job = iter_deep_bsde(dim=int(d), iterations=probe + 1, record_every=1)
        stamps = [item.partial.seconds[-1] for item in job]
        net.append((stamps[-1] - stamps[0]) / probe * iterations)
        done_dims.append(int(d))
        curve = CostCurve(
            np.array(done_dims),
            np.array(net),
            grid_dims,
            grid_seconds,
            measured,
            n,
            iterations,
            k == len(dims) - 1,
        )
        yield Progress((k + 1) / len(dims), curve, f"d = {d}")
    return curve
