r"""Learn the Invisible (Bubba et al. 2019): step 1 reconstructs the visible, step 2 learns the rest.

For a scan with missing wedge of ``missing_deg`` degrees, noisy data :math:`g`:

1. *Reconstruct the visible*: :math:`f^* = \arg\min_{f \ge 0} \frac12\|R_\Phi f - g\|^2 +
   \alpha\|\mathrm{SH}(f)\|_{1,w}` (:func:`course.tomography.solvers.reconstruct`, a fixed
   number of primal-dual iterations, the same in training and at test time).
2. *Learn the invisible*: a network :math:`\mathcal N` predicts
   :math:`F \approx \mathrm{SH}(f)_{I_{\mathrm{inv}}}` from :math:`\mathrm{SH}(f^*)_{I_{\mathrm{vis}}}`
   (:func:`course.tomography.networks.ltI_network`). At 128 x 128 with two scales the atoms
   are wide: :func:`ltI_split` keeps from step 1 only the atoms *entirely* inside the bowtie and
   lets the network predict all others (the lecture's invisible atoms, those straddling the
   wedge's edges, and the low-pass, which holds the missing wedge's low frequencies); its input
   is step 1's coefficients on every atom that sees part of the bowtie, and it predicts a
   correction of them (a residual U-Net).
3. *Combine*: :math:`f_{\mathrm{LtI}} = \mathrm{SH}^{\mathsf T}\bigl(\mathrm{SH}(f^*)_{I_{\mathrm{vis}}}
   + F\bigr)`, set to zero outside the field of view (the unit disc).

:class:`Setup` fixes the size, the shearlet system, the solver and the noise of the experiment;
:func:`measure` makes the data of a phantom from its exact line integrals (no inverse crime).

References
----------
.. [1] T. A. Bubba, G. Kutyniok, M. Lassas, M. Maerz, W. Samek, S. Siltanen and V. Srinivasan,
   "Learning the invisible: a hybrid deep learning-shearlet framework for limited angle computed
   tomography", Inverse Problems 35 (2019), 064002, arXiv:1811.04602, Sections 3-4.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch

from course.sparse import shearlet_system

from . import networks
from .experiment import SETUP, Setup
from .fbp import fbp
from .phantoms import add_noise, analytic_sinogram, rasterize
from .radon import radon_operator
from .solvers import reconstruct, reconstruct_steps
from .visibility import measured_range, scan_angles, shearlet_visibility

__all__ = [
    "Setup",
    "SETUP",
    "Measurement",
    "measure",
    "step1",
    "step1_steps",
    "ltI_split",
    "visibility_mask",
    "network_input",
    "field_of_view",
    "LearnTheInvisible",
    "PostProcessing",
]


@dataclass(frozen=True)
class Measurement:
    """A phantom's truth (rasterised), the scan's angles, noisy sinogram, and the wedge."""

    truth: np.ndarray
    angles: np.ndarray
    sinogram: np.ndarray
    missing_deg: float
    noise: float


def measure(phantom, missing_deg: float, *, setup: Setup = SETUP, noise=None, seed=None):
    """Noisy data of ``phantom`` from its exact line integrals, each detector averaging over its
    width (:func:`~course.tomography.phantoms.analytic_sinogram` with ``aperture``)."""
    noise = setup.noise if noise is None else noise
    angles = scan_angles(missing_deg)
    op = radon_operator(setup.n, angles if angles.size else [0.0])
    g = analytic_sinogram(phantom, angles, op.geometry.detectors(), aperture=op.geometry.spacing)
    seed = phantom.seed if seed is None else seed
    g = add_noise(g, noise, seed=0 if seed is None else seed)
    return Measurement(rasterize(phantom, setup.n), angles, g, float(missing_deg), float(noise))


@functools.lru_cache(maxsize=4)
def field_of_view(n: int) -> np.ndarray:
    """The pixels whose centre lies in the unit disc, ``(n, n)`` bool."""
    c = -1.0 + (2.0 * np.arange(n) + 1.0) / n
    return c[None, :] ** 2 + c[:, None] ** 2 <= 1.0 + 1e-12


def step1_steps(sinogram, angles, *, setup: Setup = SETUP, iterations=None):
    """Step 1 as a generator job (see :func:`course.tomography.solvers.reconstruct_steps`)."""
    return reconstruct_steps(
        sinogram,
        angles,
        regulariser="shearlet",
        alpha=setup.alpha,
        iterations=setup.iterations if iterations is None else iterations,
        scales=setup.scales,
        n=setup.n,
        every=max(1, (setup.iterations if iterations is None else iterations) // 12),
    )


def step1(sinogram, angles, *, setup: Setup = SETUP) -> np.ndarray:
    """Step 1: :math:`f^*`, the weighted :math:`\\ell^1` shearlet reconstruction (a stack too)."""
    return reconstruct(
        sinogram,
        angles,
        regulariser="shearlet",
        alpha=setup.alpha,
        iterations=setup.iterations,
        scales=setup.scales,
        n=setup.n,
        every=setup.iterations,
    ).image


def visibility_mask(missing_deg: float, setup: Setup = SETUP) -> np.ndarray:
    """``visible[i]`` of each atom of the setup's shearlet system for this wedge (the lecture's
    split: at least half of the atom's energy in the bowtie)."""
    system = shearlet_system((setup.n, setup.n), scales=setup.scales)
    return shearlet_visibility(system, *measured_range(missing_deg)).visible


def ltI_split(missing_deg: float, setup: Setup = SETUP) -> tuple:
    r"""``(kept, seen)`` per atom for the network: ``kept`` atoms lie entirely in the bowtie and
    are taken from step 1 unchanged; the others (:math:`I_{inv}` of the network, the lecture's
    invisible atoms and those that straddle the wedge's edge, the low-pass among them) are
    predicted. ``seen`` atoms (some energy in the bowtie) are the network's input."""
    system = shearlet_system((setup.n, setup.n), scales=setup.scales)
    fraction = shearlet_visibility(system, *measured_range(missing_deg)).fraction
    return fraction >= 1.0 - 1e-9, fraction > 1e-9


def network_input(f_star, missing_deg: float, scale, setup: Setup = SETUP) -> np.ndarray:
    """``(2 n_atoms, n, n)`` float32: the coefficients of ``f_star`` over ``scale`` on the atoms
    that see the bowtie, zero on the others, then the ``kept`` mask as constant channels."""
    system = shearlet_system((setup.n, setup.n), scales=setup.scales)
    kept, seen = ltI_split(missing_deg, setup)
    c = system.decompose(np.asarray(f_star, dtype=np.float64)) / scale[:, None, None]
    c[~seen] = 0.0
    mask = np.broadcast_to(kept[:, None, None], c.shape).astype(np.float64)
    return np.concatenate([c, mask]).astype(np.float32)


class LearnTheInvisible:
    """Steps 2 and 3 with the shipped (or given) network: ``ltI(f_star, missing_deg)``."""

    def __init__(self, model=None, meta=None, *, setup: Setup = SETUP, name: str = "ltI"):
        if model is None:
            model, meta = networks.load(name)
        self.model, self.meta, self.setup = model, meta, setup
        self.scale = np.asarray(meta["channel_scale"], dtype=np.float64)
        self.system = shearlet_system((setup.n, setup.n), scales=setup.scales)

    def coefficients(self, f_star, missing_deg: float) -> np.ndarray:
        """:math:`\\mathrm{SH}(f^*)_{I_{vis}} + F`, ``(n_atoms, n, n)``."""
        vis = ltI_split(missing_deg, self.setup)[0]
        x = torch.from_numpy(network_input(f_star, missing_deg, self.scale, self.setup))[None]
        with torch.no_grad():
            pred = self.model(x)[0].numpy().astype(np.float64) * self.scale[:, None, None]
        c = self.system.decompose(np.asarray(f_star, dtype=np.float64))
        c[~vis] = pred[~vis]
        return c

    def __call__(self, f_star, missing_deg: float) -> np.ndarray:
        img = self.system.reconstruct(self.coefficients(f_star, missing_deg))
        return img * field_of_view(self.setup.n)


class PostProcessing:
    """The FBPConvNet-style baseline: ``post(fbp_image)``."""

    def __init__(self, model=None, meta=None, *, setup: Setup = SETUP, name: str = "postprocess"):
        if model is None:
            model, meta = networks.load(name)
        self.model, self.meta, self.setup = model, meta, setup

    def __call__(self, fbp_image) -> np.ndarray:
        x = torch.from_numpy(np.asarray(fbp_image, dtype=np.float32))[None, None]
        with torch.no_grad():
            out = self.model(x)[0, 0].numpy().astype(np.float64)
        return out * field_of_view(self.setup.n)


def fbp_of(m: Measurement, *, setup: Setup = SETUP, filter: str = "ramp") -> np.ndarray:
    """FBP of a measurement (zero when no angle is measured)."""
    if m.angles.size == 0:
        return np.zeros((setup.n, setup.n))
    return fbp(m.sinogram, m.angles, filter=filter, n=setup.n)
