r"""Lecture 06, panel 3: the shearlet coefficients of the true image, visible and invisible.

Results are the same for every student (``cache_shared``): a page at rest shows the stored
default and builds the 256 x 256 shearlet system (70 MB, half a second) only when its first
new value needs it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from course.sparse import shearlet_atoms, shearlet_system
from course.tomography import measured_range, shearlet_visibility

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, IntRange, param
from ._common import PHANTOM_CHOICE, N, image_axes, image_of

SCALES = 3


@functools.lru_cache(maxsize=2)
def _coefficients(name: str) -> np.ndarray:
    return shearlet_system((N, N), scales=SCALES).decompose(image_of(name))


@dataclass(frozen=True)
class ShearletResult:
    """Energy per atom, the split, and the visible and invisible parts of the image."""

    energy: np.ndarray
    visible: np.ndarray
    labels: tuple
    visible_part: np.ndarray
    invisible_part: np.ndarray
    lost_energy: float  # share of the (band-pass) energy in invisible atoms
    phi_deg: int


class ShearletState(LiveState):
    r"""Split :math:`\mathrm{SH}(f)` into :math:`I_{vis}` and :math:`I_{inv}` for
    :math:`[-\Phi, \Phi]`."""

    phantom = param(Choice(default="shepp", options=PHANTOM_CHOICE, label="phantom"))
    phi_deg = param(IntRange(default=60, min=0, max=90, label="$\\Phi$ (degrees)"))
    cache_size = 16
    cache_shared = True

    def compute(self, phantom, phi_deg):
        system = shearlet_system((N, N), scales=SCALES)
        c = _coefficients(phantom)
        split = shearlet_visibility(system, *measured_range(180 - 2 * phi_deg))
        energy = np.sum(c**2, axis=(1, 2))
        vis = split.visible[:, None, None]
        band = energy[1:].sum()
        return ShearletResult(
            energy,
            split.visible,
            tuple(a.label for a in system.atoms),
            system.reconstruct(c * vis),
            system.reconstruct(c * ~vis),
            float(energy[1:][~split.visible[1:]].sum() / band) if band > 0 else 0.0,
            phi_deg,
        )


class ShearletPanel(LivePanel):
    """Energy of every shearlet coefficient channel, coloured visible/invisible, and the image
    made of the visible channels beside the part that the scan cannot see."""

    def __init__(self, **values):
        super().__init__(
            ShearletState(compute_now=False, **values), title="Shearlets: visible and invisible"
        )
        atoms = shearlet_atoms(SCALES)  # the labels: the system itself is built on compute
        fig = new_figure(1080, 620)[0]
        fig.clear()
        grid = fig.add_gridspec(2, 2, height_ratios=(1, 1.3))
        bars = fig.add_subplot(grid[0, :])
        n_atoms = len(atoms)
        self._bars = bars.bar(np.arange(n_atoms), np.ones(n_atoms), color="tab:green")
        bars.set_yscale("log")
        bars.set(ylabel="$\\sum_m |\\langle f, \\psi_{j,k,m}\\rangle|^2$", xlim=(-1, n_atoms))
        starts = [i for i, a in enumerate(atoms) if a.shear == 0 and a.cone == "h"]
        bars.set_xticks([0, *starts], ["low", *[f"scale $j={j}$" for j in range(SCALES)]])
        for s in starts:
            bars.axvline(s - 0.5, color="k", lw=0.6)
        self._bars_axes = bars
        self._vis = image_axes(fig, fig.add_subplot(grid[1, 0]), "$SH^T(SH(f)_{I_{vis}})$")
        self._inv = image_axes(
            fig,
            fig.add_subplot(grid[1, 1]),
            "$SH^T(SH(f)_{I_{inv}})$",
            cmap="RdBu_r",
            vmin=-0.3,
            vmax=0.3,
        )
        self.figures = {"shearlets": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, r: ShearletResult):
        top = float(r.energy.max())
        for bar, e, v in zip(self._bars, r.energy, r.visible):
            bar.set_height(max(float(e), 1e-9 * top))
            bar.set_color("tab:green" if v else "tab:red")
        self._bars_axes.set_ylim(1e-6 * top, 2 * top)
        self._bars_axes.set_title(
            f"energy per atom (green: visible, red: invisible from $[-{r.phi_deg}°, {r.phi_deg}°]$); "
            f"{100 * r.lost_energy:.1f}% of the band-pass energy is invisible"
        )
        self._vis.set_data(r.visible_part)
        m = float(np.abs(r.invisible_part).max()) or 1.0
        self._inv.set_data(r.invisible_part)
        self._inv.set_clim(-m, m)
