"""Lecture 04, panel 3: one shearlet (scale j, shear k, cone) in space and in frequency, and
where its large coefficients sit on the cartoon's edge."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course.sparse.shearlets import shearlet_system

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, IntRange, param
from ._common import _cartoon, _cartoon_edge, sig3


# ================================================================================= atoms
@dataclass(frozen=True)
class AtomResult:
    """One shearlet in space and frequency and its coefficients on the cartoon."""

    label: str
    space: np.ndarray
    frequency: np.ndarray
    coefficients: np.ndarray
    scale: int
    shear: int
    cone: str
    extent: tuple  # (length, width) in pixels: spread of |psi|^2 along and across the wedge


CONES = {"h": "horizontal cone", "v": "vertical cone", "seam": "seam (diagonal)"}


class AtomState(LiveState):
    """A shearlet of the undecimated system at 128 x 128, 4 scales."""

    cache_shared = True  # the same for every student: computed once per server

    scale = param(IntRange(default=2, min=0, max=3, label="scale $j$"))
    shear = param(IntRange(default=1, min=-4, max=4, label="shear $k$"))
    cone = param(Choice(default="h", options=CONES, label="cone"))

    def compute(self, scale, shear, cone):
        system = shearlet_system((128, 128), scales=4)
        s = system.shear_levels[scale]
        k = (
            int(np.clip(shear, -(2**s) + 1, 2**s - 1))
            if cone != "seam"
            else (2**s if shear >= 0 else -(2**s))
        )
        i = system.index(scale=scale, shear=k, cone=cone)
        f = _cartoon(0, 128).image
        coeffs = np.abs(system.decompose(f)[i])
        atom = system.atom(i)
        return AtomResult(
            label=system.atoms[i].label + ("" if k == shear else f" (k={shear} clipped to {k})"),
            space=atom,
            frequency=np.fft.fftshift(system.filters[i]),
            coefficients=coeffs,
            scale=scale,
            shear=k,
            cone=cone,
            extent=_extent(atom),
        )


def _extent(atom):
    """Standard deviations of |psi|^2 along its principal axes (pixels): length, width."""
    w = atom**2 / np.sum(atom**2)
    ii, jj = np.indices(atom.shape)
    mi, mj = np.sum(w * ii), np.sum(w * jj)
    cov = np.array(
        [
            [np.sum(w * (ii - mi) ** 2), np.sum(w * (ii - mi) * (jj - mj))],
            [np.sum(w * (ii - mi) * (jj - mj)), np.sum(w * (jj - mj) ** 2)],
        ]
    )
    lo, hi = np.sqrt(np.linalg.eigvalsh(cov))
    return float(hi), float(lo)


class AtomPanel(LivePanel):
    """Shearlet atom explorer: space, frequency, and its coefficients on the cartoon."""

    def __init__(self, **values):
        super().__init__(AtomState(compute_now=False, **values), title="Shearlet atom explorer")
        fig, (a1, a2, a3) = new_figure(880, 320, ncols=3)
        self._space = a1.imshow(np.zeros((80, 80)), cmap="RdBu_r", interpolation="nearest")
        self._freq = a2.imshow(
            np.zeros((128, 128)),
            cmap="magma",
            vmin=0,
            vmax=1,
            extent=(-0.5, 0.5, 0.5, -0.5),
            interpolation="nearest",
        )
        self._coef = a3.imshow(np.zeros((128, 128)), cmap="hot", interpolation="nearest")
        edge = _cartoon_edge(0, 128)
        a3.plot(edge[:, 1], edge[:, 0], "c-", lw=0.6)
        a2.set(xlabel="$\\xi_2$ (cycles/pixel, axis 1)", ylabel="$\\xi_1$ (axis 0)")
        a3.set(xticks=[], yticks=[])
        a3.set_title("coefficients on the cartoon", fontsize=9)
        for a, im, label in (
            (a1, self._space, "$\\psi$"),
            (a2, self._freq, "$|\\hat\\psi|$"),
            (a3, self._coef, "$|\\langle f, \\psi\\rangle|$"),
        ):
            a.grid(False)
            bar = fig.colorbar(im, ax=a, shrink=0.8, pad=0.02)
            bar.ax.tick_params(labelsize=7)
            bar.set_label(label, fontsize=8)
        a1.set(xticks=[], yticks=[])
        self._a1, self._a2 = a1, a2
        self.figures = {"atom": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, r: AtomResult):
        c = 40  # show the central 80 x 80 pixels of the 128 x 128 atom
        sp = r.space[64 - c : 64 + c, 64 - c : 64 + c]
        m = float(np.abs(sp).max()) or 1.0
        self._space.set_data(sp)
        self._space.set_clim(-m, m)
        self._freq.set_data(r.frequency)
        self._coef.set_data(r.coefficients)
        self._coef.set_clim(0, float(r.coefficients.max()) or 1.0)
        length, width = r.extent
        self._a1.set_title(
            f"$\\psi$ {r.label}\nlength {sig3(length)} px, width {sig3(width)} px", fontsize=9
        )
        self._a2.set_title("$\\hat\\psi$ (window in frequency)", fontsize=9)
