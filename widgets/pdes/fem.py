"""Lecture 08, panel 1: P1 finite elements for the parametric diffusion equation, and their rate."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import NullFormatter

from course.pdes import FAMILIES, coefficient_family, errors, solve, unit_square_mesh
from course.pdes.fem import default_load

from ..cache import computed_once
from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, IntRange, param
from ._common import image_limits

__all__ = ["FEMState", "FEMPanel", "convergence_table"]

_PIXELS = 129
MESHES = (4, 6, 8, 12, 16, 24, 32, 48, 64)


def _u(x, y):
    return np.sin(np.pi * x) * np.sin(np.pi * y)


def _grad(x, y):
    return (
        np.pi * np.cos(np.pi * x) * np.sin(np.pi * y),
        np.pi * np.sin(np.pi * x) * np.cos(np.pi * y),
    )


@functools.lru_cache(maxsize=1)
@computed_once
def convergence_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(h, L2 error, H1 error)`` of -Laplace u = 2 pi^2 sin sin on the meshes of the panel
    (the same for everyone: computed once for the class, kept once per kernel)."""
    rows = [
        errors(solve(unit_square_mesh(n), None, lambda x, y: 2 * np.pi**2 * _u(x, y)), _u, _grad)
        for n in MESHES
    ]
    return tuple(np.array([getattr(r, k) for r in rows]) for k in ("h", "l2", "h1_semi"))


@dataclass(frozen=True, eq=False)
class FEMResult:
    n: int
    family: str
    coefficient: np.ndarray  # a_y on a pixel grid
    solution: np.ndarray  # nodal values (n + 1, n + 1)
    table: tuple


class FEMState(LiveState):
    """One parameter y, its coefficient a_y and the P1 solution on an n x n mesh."""

    n = param(IntRange(default=16, min=4, max=64, label="mesh $n$"))
    family = param(Choice(default="trigonometric", options=tuple(FAMILIES), label="family"))
    sample = param(IntRange(default=0, min=0, max=99, label="sample $y$"))

    cache_shared = True  # the same for everyone: the page's first view is read from the store

    def compute(self, n, family, sample):
        fam = coefficient_family(family)
        y = fam.sample(4, 100, seed=2021)[sample]
        t = np.linspace(0, 1, _PIXELS)
        X1, X2 = np.meshgrid(t, t)
        a = fam(y, X1, X2)
        mesh = unit_square_mesh(n)
        u = solve(mesh, lambda x1, x2: fam(y, x1, x2), default_load)
        return FEMResult(n, family, a, u.grid, convergence_table())


class FEMPanel(LivePanel):
    """Coefficient, solution, and the error of P1 elements against h (orders 2 and 1)."""

    def __init__(self, **values):
        super().__init__(
            FEMState(compute_now=False, **values),
            title=(
                r"P1 finite elements: $-\nabla\cdot(a_y \nabla u) = 20 + 10 x_1 - 5 x_2$, "
                "with $p = 4$ parameters"
            ),
        )
        fig, (aax, uax, rax) = new_figure(1120, 330, ncols=3)
        self._a = aax.imshow(np.ones((2, 2)), extent=(0, 1, 0, 1), origin="lower")
        self._u = uax.imshow(np.zeros((2, 2)), extent=(0, 1, 0, 1), origin="lower", cmap="viridis")
        fig.colorbar(self._a, ax=aax, shrink=0.85, label="$a_y(x)$")
        fig.colorbar(self._u, ax=uax, shrink=0.85, label="$u_y^h(x)$")
        for ax in (aax, uax):
            ax.set(xlabel="$x_1$", ylabel="$x_2$")
            ax.grid(False)
        aax.set_title("coefficient $a_y$")
        (self._l2,) = rax.loglog([], [], "o-", color="C0", label=r"$\|u - u_h\|_{L^2}$")
        (self._h1,) = rax.loglog([], [], "s-", color="C1", label=r"$|u - u_h|_{H^1}$")
        (self._r2,) = rax.loglog([], [], ":", color="C0", label=r"$\propto h^2$")
        (self._r1,) = rax.loglog([], [], ":", color="C1", label=r"$\propto h$")
        self._here = rax.axvline(1 / 16, color="0.4", ls="--", lw=1, label="this mesh")
        rax.set(
            xlabel="mesh width $h = 1/n$",
            ylabel="error",
            title=r"$-\Delta u = 2\pi^2\sin\pi x_1\sin\pi x_2$",
        )
        rax.legend(fontsize=7, loc="lower right")
        rax.set_xticks([1 / 64, 1 / 16, 1 / 4], ["1/64", "1/16", "1/4"])
        rax.xaxis.set_minor_formatter(NullFormatter())
        self.figures = {"fem": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, r: FEMResult):
        self._a.set_data(r.coefficient)
        self._a.set_clim(*image_limits(r.coefficient))
        self._u.set_data(r.solution)
        self._u.set_clim(*image_limits(r.solution))
        self._u.set_extent((0, 1, 0, 1))
        self.figures["fem"].axes[1].set_title(
            f"$u_y^h$ on {r.n} × {r.n} squares ({(r.n - 1) ** 2} unknowns)",
            pad=10,  # above the y axis's top tick label, which the wide title overhangs
        )
        self.figures["fem"].axes[0].set_title(f"coefficient $a_y$ ({r.family})")
        h, l2, h1 = r.table
        self._l2.set_data(h, l2)
        self._h1.set_data(h, h1)
        self._r2.set_data(h, l2[-1] * (h / h[-1]) ** 2)
        self._r1.set_data(h, h1[-1] * (h / h[-1]))
        ax = self.figures["fem"].axes[2]
        ax.set_xlim(h.min() / 1.3, h.max() * 1.3)
        ax.set_ylim(l2.min() / 3, h1.max() * 3)
        self._here.set_xdata([1 / r.n] * 2)
