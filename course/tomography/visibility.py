r"""What a limited-angle scan sees: measured angles, the bowtie, visible edges and shearlets.

A scan measures :math:`Rf(\varphi, \cdot)` for :math:`\varphi` in a range
:math:`[-\Phi, \Phi] \subset [-\pi/2, \pi/2)`; the *missing wedge* is the rest, of width
:math:`\pi - 2\Phi`. By the Fourier slice theorem, :math:`\widehat{Rf}(\varphi, \omega) =
\hat f(\omega\theta)`, the scan samples :math:`\hat f` on the *bowtie*
:math:`\{\omega\theta(\varphi) : |\varphi| \le \Phi, \omega \in \mathbb R\}`.

Quinto (1993): a singularity of :math:`f` at :math:`x` in direction :math:`\xi` (an edge through
:math:`x` with normal :math:`\xi`) is *visible*, stably recovered from the data, iff the line
through :math:`x` with normal :math:`\xi` is measured, i.e. the direction of :math:`\xi` (modulo
:math:`\pi`) lies in the measured range; the others are invisible. For an ellipse the boundary
and its normals are explicit, so :func:`edge_visibility` colours them exactly.

A shearlet :math:`\psi_{j,k}` has its Fourier support in a wedge of directions; it is counted
visible when at least half of its energy :math:`\sum_\xi |\hat\psi_{j,k}(\xi)|^2` lies in the
bowtie (:func:`shearlet_visibility`). The low-pass atom, isotropic, is visible whenever any angle
is measured. This is the split :math:`I_{\mathrm{vis}} \cup I_{\mathrm{inv}}` of Learn the
Invisible (Bubba et al. 2019, Section 3).

Conventions: image row ``i`` and column ``j``; :math:`x_1` along the columns (right),
:math:`x_2` against the rows (up), as in :mod:`course.tomography.radon`. The DFT frequency
``(k_row, k_col)`` is the direction :math:`\xi = (k_{col}, -k_{row})`.

References
----------
.. [1] E. T. Quinto, "Singularities of the X-ray transform and limited data tomography in R^2
   and R^3", SIAM J. Math. Anal. 24 (1993), 1215-1225.
.. [2] G. Kutyniok and D. Labate, "Resolution of the wavefront set using continuous shearlets",
   Trans. Amer. Math. Soc. 361 (2009), 2719-2754 (2006 preprint).
.. [3] T. A. Bubba et al., "Learning the invisible", Inverse Problems 35 (2019), 064002.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "measured_range",
    "scan_angles",
    "direction_measured",
    "bowtie_mask",
    "EdgeVisibility",
    "edge_visibility",
    "ShearletSplit",
    "shearlet_visibility",
]


def _check_missing(missing_deg):
    if isinstance(missing_deg, bool) or not isinstance(missing_deg, (int, float, np.number)):
        raise ValueError(f"missing_deg must be a number in [0, 180]; got {missing_deg!r}")
    if not 0 <= missing_deg <= 180:
        raise ValueError(f"missing_deg must be a number in [0, 180]; got {missing_deg!r}")
    return float(missing_deg)


def measured_range(missing_deg: float) -> tuple:
    r"""The measured range :math:`(-\Phi, \Phi)` in radians for a missing wedge of
    ``missing_deg`` degrees, :math:`\Phi = \pi/2 - \mathrm{missing}/2`.

    >>> [round(float(np.rad2deg(v)), 6) for v in measured_range(60)]
    [-60.0, 60.0]
    """
    half = np.deg2rad(90.0 - _check_missing(missing_deg) / 2.0)
    return (-half, half)


def scan_angles(missing_deg: float, *, step_deg: float = 1.0) -> np.ndarray:
    r"""The scan's angles: a grid of step ``step_deg`` on :math:`[-\Phi, \Phi]`, offset by half a
    step (full data, ``missing_deg = 0``, is the uniform grid of :math:`[-\pi/2, \pi/2)`).
    Empty when the whole range is missing.

    >>> np.rad2deg(scan_angles(170, step_deg=2.5)).round(6).tolist()
    [-3.75, -1.25, 1.25, 3.75]
    """
    if not 0.05 <= step_deg <= 10:
        raise ValueError(f"step_deg must be in [0.05, 10]; got {step_deg!r}")
    low, high = measured_range(missing_deg)
    count = int(np.floor((np.rad2deg(high - low) + 1e-9) / step_deg))
    return np.deg2rad(-count * step_deg / 2 + step_deg * (np.arange(count) + 0.5))


def direction_measured(direction, low: float, high: float) -> np.ndarray:
    r"""Whether the direction angles (radians, taken modulo :math:`\pi`) lie in ``[low, high]``
    (a range inside :math:`[-\pi/2, \pi/2]`; a range with ``high <= low`` has measure zero and
    counts as empty: ``measured_range(180)``)."""
    d = np.mod(np.asarray(direction, dtype=np.float64) + np.pi / 2, np.pi) - np.pi / 2
    if not high > low:
        return np.zeros(d.shape, dtype=bool)
    tol = 1e-12
    inside = (d >= low - tol) & (d <= high + tol)
    if high >= np.pi / 2 - tol:  # -pi/2 is the same direction as pi/2
        inside |= d <= -np.pi / 2 + tol
    if low <= -np.pi / 2 + tol:
        inside |= d >= np.pi / 2 - tol
    return inside


def bowtie_mask(shape, low: float, high: float) -> np.ndarray:
    """The measured frequencies on the (unshifted) DFT grid of ``shape``: a boolean array.

    The zero frequency is measured by every angle; with the empty range nothing is measured.
    """
    n0, n1 = (int(v) for v in shape)
    kr = np.fft.fftfreq(n0)[:, None]
    kc = np.fft.fftfreq(n1)[None, :]
    angle = np.arctan2(-kr, kc) + np.zeros((n0, n1))
    mask = direction_measured(angle, low, high)
    mask[0, 0] = high > low
    return mask


@dataclass(frozen=True)
class EdgeVisibility:
    """Boundary points ``(k, 2)`` as ``(x1, x2)``, unit normals ``(k, 2)``, and which are visible."""

    points: np.ndarray
    normals: np.ndarray
    visible: np.ndarray

    @property
    def fraction_visible(self) -> float:
        return float(np.mean(self.visible)) if self.visible.size else 0.0


def edge_visibility(phantom, low: float, high: float, *, points_per_ellipse: int = 200):
    r"""Quinto's rule on every ellipse boundary of a phantom.

    The boundary point :math:`c + R_\alpha(A\cos t, B\sin t)` has normal
    :math:`R_\alpha(\cos t / A, \sin t / B)`; it is visible iff the normal's direction lies in
    ``[low, high]`` (mod :math:`\pi`).

    Examples
    --------
    A circle seen from ``[-pi/4, pi/4]``: half of its boundary is visible.

    >>> from course.tomography.phantoms import Ellipse, Phantom
    >>> disc = Phantom((Ellipse(1.0, 0.5, 0.5, 0, 0, 0),))
    >>> round(edge_visibility(disc, -np.pi / 4, np.pi / 4, points_per_ellipse=400)
    ...       .fraction_visible, 3)
    0.5
    """
    t = (np.arange(points_per_ellipse) + 0.5) * 2 * np.pi / points_per_ellipse
    pts, nrm = [], []
    for e in phantom.ellipses:
        c, s = np.cos(e.rotation), np.sin(e.rotation)
        u, v = e.a * np.cos(t), e.b * np.sin(t)
        pts.append(np.stack([e.x1 + c * u - s * v, e.x2 + s * u + c * v], axis=1))
        nu, nv = np.cos(t) / e.a, np.sin(t) / e.b
        nn = np.stack([c * nu - s * nv, s * nu + c * nv], axis=1)
        nrm.append(nn / np.linalg.norm(nn, axis=1, keepdims=True))
    points, normals = np.concatenate(pts), np.concatenate(nrm)
    visible = direction_measured(np.arctan2(normals[:, 1], normals[:, 0]), low, high)
    return EdgeVisibility(points, normals, visible)


@dataclass(frozen=True)
class ShearletSplit:
    """``visible[i]`` for atom ``i`` and ``fraction[i]``, its energy share in the bowtie."""

    visible: np.ndarray
    fraction: np.ndarray

    @property
    def invisible(self) -> np.ndarray:
        return ~self.visible

    @property
    def i_vis(self) -> np.ndarray:
        return np.flatnonzero(self.visible)

    @property
    def i_inv(self) -> np.ndarray:
        return np.flatnonzero(~self.visible)


def shearlet_visibility(system, low: float, high: float) -> ShearletSplit:
    """Split the atoms of an (undecimated) shearlet system into visible and invisible ones.

    Examples
    --------
    >>> from course.sparse import shearlet_system
    >>> system = shearlet_system((64, 64), scales=2)
    >>> int(shearlet_visibility(system, -np.pi / 2, np.pi / 2).visible.sum()), system.n_atoms
    (17, 17)
    >>> int(shearlet_visibility(system, 1.0, -1.0).visible.sum())
    0
    """
    mask = bowtie_mask(system.shape, low, high)
    energy = system.filters**2
    total = energy.sum(axis=(1, 2))
    fraction = (energy * mask).sum(axis=(1, 2)) / np.where(total > 0, total, 1.0)
    visible = fraction >= 0.5 - 1e-12
    is_low = np.array([a.cone == "low" for a in system.atoms])
    visible = np.where(is_low, high > low, visible)
    return ShearletSplit(visible, fraction)
