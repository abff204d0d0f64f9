r"""Lecture 06, panel 2: Quinto's visible and invisible edges, and the Fourier slice bowtie."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from course.tomography import bowtie_mask, edge_visibility, measured_range

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, IntRange, param
from ._common import PHANTOM_CHOICE, N, image_axes, image_of, phantom_of


@functools.lru_cache(maxsize=4)
def _log_spectrum(name: str) -> np.ndarray:
    spec = np.abs(np.fft.fftshift(np.fft.fft2(image_of(name))))
    return np.log10(spec + 1e-3 * spec.max())


@dataclass(frozen=True)
class VisibilityResult:
    """Edge points coloured visible/invisible, the phantom's log spectrum and the bowtie."""

    truth: np.ndarray
    visible_points: np.ndarray
    invisible_points: np.ndarray
    fraction_visible: float
    log_spectrum: np.ndarray
    bowtie: np.ndarray  # fftshifted, bool
    phi_deg: int


class VisibilityState(LiveState):
    r"""Which edges of the phantom a scan of :math:`[-\Phi, \Phi]` sees (Quinto 1993)."""

    phantom = param(Choice(default="shepp", options=PHANTOM_CHOICE, label="phantom"))
    phi_deg = param(IntRange(default=60, min=0, max=90, label="$\\Phi$ (degrees)"))

    def compute(self, phantom, phi_deg):
        low, high = measured_range(180 - 2 * phi_deg)
        ev = edge_visibility(phantom_of(phantom), low, high, points_per_ellipse=240)
        return VisibilityResult(
            image_of(phantom),
            ev.points[ev.visible],
            ev.points[~ev.visible],
            ev.fraction_visible,
            _log_spectrum(phantom),
            np.fft.fftshift(bowtie_mask((N, N), low, high)),
            phi_deg,
        )


class VisibilityPanel(LivePanel):
    """Edges coloured by Quinto's rule beside the measured frequencies (the bowtie)."""

    def __init__(self, **values):
        super().__init__(
            VisibilityState(compute_now=False, **values),
            title="Visible and invisible singularities",
        )
        fig, (a0, a1) = new_figure(940, 380, ncols=2)
        self._truth = image_axes(fig, a0, "edges")
        (self._vis,) = a0.plot([], [], ".", ms=2.5, color="tab:green", label="visible")
        (self._inv,) = a0.plot([], [], ".", ms=2.5, color="tab:red", label="invisible")
        a0.legend(loc="lower right", fontsize=8, markerscale=3)
        a0.set(xlim=(-1, 1), ylim=(-1, 1))
        k = N // 2
        self._spec = a1.imshow(
            np.zeros((N, N)), cmap="magma", extent=(-k, k, -k, k), origin="upper"
        )
        self._mask = a1.imshow(
            np.zeros((N, N, 4)), extent=(-k, k, -k, k), origin="upper", interpolation="nearest"
        )
        a1.set(xlabel="$\\xi_1$", ylabel="$\\xi_2$")
        a1.grid(False)
        fig.colorbar(self._spec, ax=a1, shrink=0.8, label="$\\log_{10}|\\hat f(\\xi)|$")
        self._a0, self._a1 = a0, a1
        self.figures = {"visibility": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, r: VisibilityResult):
        self._truth.set_data(r.truth)
        self._vis.set_data(r.visible_points[:, 0], r.visible_points[:, 1])
        self._inv.set_data(r.invisible_points[:, 0], r.invisible_points[:, 1])
        self._a0.set_title(
            f"edges seen from $[-{r.phi_deg}°, {r.phi_deg}°]$:\n"
            f"{100 * r.fraction_visible:.0f}% visible"
        )
        self._spec.set_data(r.log_spectrum)
        self._spec.set_clim(float(r.log_spectrum.min()), float(r.log_spectrum.max()))
        overlay = np.zeros((*r.bowtie.shape, 4))
        overlay[~r.bowtie] = (0.6, 0.6, 0.6, 0.75)  # unmeasured frequencies greyed out
        self._mask.set_data(overlay)
        self._a1.set_title("spectrum and the bowtie of measured $\\xi$\n(grey: not measured)")
