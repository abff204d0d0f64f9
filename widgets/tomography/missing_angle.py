r"""Lecture 06, panel 1: the phantom, its sinogram with the measured range, and FBP live."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, IntRange, param
from ._common import (
    FILTER_CHOICE,
    NOISE_CHOICE,
    PHANTOM_CHOICE,
    N,
    full_scan,
    image_axes,
    image_of,
    missing_angle_fbp,
    shade_missing,
)


@dataclass(frozen=True)
class MissingAngleResult:
    """The truth, the full sinogram, the FBP from ``[-phi, phi]`` and its relative error."""

    truth: np.ndarray
    angles_deg: np.ndarray
    sinogram: np.ndarray
    image: np.ndarray
    phi_deg: int
    n_angles: int
    error: float


class MissingAngleState(LiveState):
    r"""FBP from the angles in :math:`[-\Phi, \Phi]` only: one subtraction of prefix sums."""

    phantom = param(Choice(default="shepp", options=PHANTOM_CHOICE, label="phantom"))
    phi_deg = param(
        IntRange(
            default=60,
            min=1,
            max=90,
            step=1,
            label="$\\Phi$ (degrees)",
            description="measured angles: [-Phi, Phi]; missing wedge 180 - 2 Phi",
        )
    )
    filter = param(Choice(default="shepp-logan", options=FILTER_CHOICE, label="filter"))
    noise = param(Choice(default=0.0, options=NOISE_CHOICE, label="noise"))

    def compute(self, phantom, phi_deg, filter, noise):
        fast = missing_angle_fbp(phantom, noise, filter)
        half = np.deg2rad(phi_deg)
        first, stop = fast.indices(-half, half)
        image = fast.prefix[stop] - fast.prefix[first]
        truth = image_of(phantom)
        angles, g = full_scan(phantom, noise)
        return MissingAngleResult(
            truth,
            np.rad2deg(angles),
            g,
            image,
            phi_deg,
            stop - first,
            float(np.linalg.norm(image - truth) / np.linalg.norm(truth)),
        )


class MissingAnglePanel(LivePanel):
    """Phantom, sinogram with the unmeasured angles shaded, and the FBP of the measured ones."""

    def __init__(self, **values):
        super().__init__(
            MissingAngleState(compute_now=False, **values),
            title="Filtered back projection with a missing wedge",
        )
        fig, (a0, a1, a2) = new_figure(1080, 340, ncols=3)
        self._truth = image_axes(fig, a0, "phantom $f$")
        self._sino = a1.imshow(
            np.zeros((180, N)), cmap="gray", aspect="auto", extent=(-1, 1, 90, -90)
        )
        a1.set(xlabel="detector $s$", ylabel="angle $\\varphi$ (degrees)")
        a1.set_title("sinogram $Rf(\\varphi, s)$, red: not measured")
        a1.grid(False)
        fig.colorbar(self._sino, ax=a1, shrink=0.8)
        self._spans = []
        self._fbp = image_axes(fig, a2, "FBP")
        self._sino_axes, self._fbp_axes = a1, a2
        self.figures = {"fbp": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, r: MissingAngleResult):
        self._truth.set_data(r.truth)
        self._sino.set_data(r.sinogram)
        self._sino.set_clim(0, float(r.sinogram.max()))
        shade_missing(self._sino_axes, -r.phi_deg, r.phi_deg, self._spans)
        self._fbp.set_data(r.image)
        self._fbp_axes.set_title(
            f"FBP from $[-{r.phi_deg}°, {r.phi_deg}°]$ ({r.n_angles} angles)\n"
            f"missing wedge {180 - 2 * r.phi_deg}°, rel. error {r.error:.3f}",
            pad=10,  # above the y axis's top tick label, which the two-line title overhangs
        )
