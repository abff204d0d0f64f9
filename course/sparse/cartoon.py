r"""Cartoon-like images: a smooth function plus a smooth function times the indicator of a domain.

The model class of Donoho (2001), :math:`\mathcal{E}^2([0,1]^2)`:

.. math::

    f = f_0 + f_1 \chi_B,

with :math:`f_0, f_1 \in C^2` supported in :math:`[0,1]^2` and :math:`B \subset [0,1]^2` a domain
whose boundary is a :math:`C^2` curve of bounded curvature. Here :math:`B` is star-shaped,

.. math::

    \partial B = \{ c + \rho(\theta) (\cos\theta, \sin\theta) : \theta \in [0, 2\pi) \},\qquad
    \rho(\theta) = \rho_0 \Bigl(1 + \lambda \sum_{m=2}^{M} m^{-p}
    (a_m \cos m\theta + b_m \sin m\theta)\Bigr),

with :math:`a_m, b_m` uniform in :math:`[-1, 1]` and :math:`\lambda` scaled so that
:math:`|\rho/\rho_0 - 1| \le` ``amplitude``: a trigonometric polynomial, hence
:math:`C^\infty`; the curvature is controlled by the amplitude
and measured on a fine grid. :math:`f_0` and :math:`f_1` are smooth and vanish, with all their
derivatives, at the border of the square, so the image is smooth as a *periodic* image: the
periodized wavelet and Fourier transforms then see no spurious edge at the border.

Why anti-aliasing matters. A pixel image obtained by *sampling* :math:`\chi_B` at pixel centres
has a staircase edge: a jump of the full height between neighbouring pixels. At the finest scale
such a staircase is exactly represented by a few Haar-like atoms per pixel along the edge, and
the measured decay of the N-term error then reflects the pixel grid, not the curve (the rate bends
to that of a finite-dimensional problem). Averaging over ``supersample**2`` points per pixel
approximates the cell average of :math:`f`, i.e. the image of the continuum function seen through
a box filter, which keeps the edge a blurred curve at every resolution.

References
----------
.. [1] D. L. Donoho, "Sparse components of images and optimal atomic decompositions",
   Constructive Approximation 17 (2001), 353-382.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Cartoon", "cartoon", "boundary_curve"]


@dataclass(frozen=True)
class Cartoon:
    """A rendered cartoon-like image and the description of its edge.

    Attributes
    ----------
    image : ndarray, shape (n, n), float64
        Cell averages of :math:`f = f_0 + f_1 \\chi_B`; row ``i`` is :math:`y \\approx (i+1/2)/n`.
    edge : ndarray, shape (m, 2)
        Points of :math:`\\partial B` as ``(row, col)`` pixel coordinates (closed curve).
    max_curvature : float
        Maximum curvature of :math:`\\partial B` in units of 1 / (side of the square).
    min_radius : float
        Minimum of :math:`\\rho` (the domain is star-shaped with respect to its centre).
    seed : int
    """

    image: np.ndarray
    edge: np.ndarray
    max_curvature: float
    min_radius: float
    seed: int


def _bump(t):
    """C-infinity function on [0,1], zero with all derivatives at 0 and 1."""
    t = np.clip(t, 1e-12, 1 - 1e-12)
    return np.exp(1.0 - 1.0 / (1.0 - (2 * t - 1) ** 2))


def _radius_coefficients(rng, modes, smoothness):
    m = np.arange(2, modes + 1)
    a = rng.uniform(-1, 1, size=m.size) * m**-smoothness
    b = rng.uniform(-1, 1, size=m.size) * m**-smoothness
    return m, a, b


def boundary_curve(theta, *, modes=6, amplitude=0.25, smoothness=1.5, seed=0, radius=0.28):
    r"""The polar radius :math:`\rho(\theta)` of the star-shaped domain and its curvature.

    Parameters
    ----------
    theta : array_like
        Angles in radians.
    modes, amplitude, smoothness, seed, radius
        As in :func:`cartoon`.

    Returns
    -------
    rho, curvature : ndarray
        Radius and signed curvature :math:`(\rho^2 + 2\rho'^2 - \rho\rho'')/(\rho^2+\rho'^2)^{3/2}`.
    """
    rng = np.random.default_rng(seed)
    m, a, b = _radius_coefficients(rng, modes, smoothness)
    theta = np.asarray(theta, dtype=float)
    ph = np.multiply.outer(theta, m)
    scale = amplitude / max(np.sum(np.abs(a) + np.abs(b)), 1e-12)
    g = 1 + scale * (np.cos(ph) @ a + np.sin(ph) @ b)
    g1 = scale * (-np.sin(ph) @ (a * m) + np.cos(ph) @ (b * m))
    g2 = scale * (-np.cos(ph) @ (a * m**2) - np.sin(ph) @ (b * m**2))
    rho, d1, d2 = radius * g, radius * g1, radius * g2
    curv = (rho**2 + 2 * d1**2 - rho * d2) / (rho**2 + d1**2) ** 1.5
    return rho, curv


_VALID = {
    "n": (16, 2048),
    "modes": (2, 16),
    "amplitude": (0.0, 0.6),
    "smoothness": (0.0, 4.0),
    "supersample": (1, 16),
}


def _check(name, value):
    lo, hi = _VALID[name]
    if not (np.isfinite(value) and lo <= value <= hi):
        raise ValueError(f"{name} must be in [{lo}, {hi}]; got {value!r}")


def _inside(yy, xx, centre, modes, amplitude, smoothness, seed):
    dy, dx = yy - centre[0], xx - centre[1]
    rho, _ = boundary_curve(
        np.arctan2(dy, dx), modes=modes, amplitude=amplitude, smoothness=smoothness, seed=seed
    )
    return dy**2 + dx**2 <= rho**2, np.hypot(dy, dx) - rho


def _coverage(n, centre, s, modes, amplitude, smoothness, seed):
    """Fraction of each pixel inside B: exact 0/1 away from the edge, s*s samples near it."""
    t = (np.arange(n) + 0.5) / n
    yy, xx = np.meshgrid(t, t, indexing="ij")
    inside, gap = _inside(yy.ravel(), xx.ravel(), centre, modes, amplitude, smoothness, seed)
    cov = inside.astype(float)
    # |r - rho(theta)| bounds the distance to the curve only up to the slope of rho: be generous
    near = np.flatnonzero(np.abs(gap) < 3.0 / n)
    if s > 1 and near.size:
        off = ((np.arange(s) + 0.5) / s - 0.5) / n
        sy = (yy.ravel()[near][:, None, None] + off[None, :, None]).repeat(s, axis=2)
        sx = (xx.ravel()[near][:, None, None] + off[None, None, :]).repeat(s, axis=1)
        sub, _ = _inside(sy.ravel(), sx.ravel(), centre, modes, amplitude, smoothness, seed)
        cov[near] = sub.reshape(near.size, s * s).mean(axis=1)
    return cov.reshape(n, n)


def cartoon(
    n: int = 256,
    *,
    modes: int = 6,
    amplitude: float = 0.25,
    smoothness: float = 1.5,
    seed: int = 0,
    supersample: int = 8,
) -> Cartoon:
    r"""Render a cartoon-like image :math:`f_0 + f_1\chi_B` on an ``n x n`` grid.

    Parameters
    ----------
    n : int
        Side in pixels, 16 to 2048 (odd sizes allowed).
    modes : int
        Highest Fourier mode :math:`M` of the boundary radius, 2 to 16.
    amplitude : float
        Relative deviation :math:`\max|\rho/\rho_0 - 1|` bound, 0 (a disc) to 0.6; larger means a
        more curved, more wiggly boundary (the curvature control).
    smoothness : float
        Decay exponent :math:`p` of the boundary's Fourier coefficients, 0 to 4.
    seed : int
        Seed of the boundary and of :math:`f_0, f_1`.
    supersample : int
        Samples per pixel side for the cell average (1 = point sampling, a hard staircase edge).

    Returns
    -------
    Cartoon

    Notes
    -----
    The pixel value is :math:`f_0(p) + f_1(p)\,|B \cap P| / |P|` with :math:`p` the centre of the
    pixel :math:`P` (the smooth parts vary by :math:`O(1/n)` across a pixel; the indicator is the
    part that must be averaged). The fraction :math:`|B\cap P|/|P|` is estimated with
    ``supersample**2`` points in pixels within three pixels of the edge, exactly 0 or 1 elsewhere.

    Examples
    --------
    >>> c = cartoon(64, seed=1)
    >>> c.image.shape, c.image.dtype
    ((64, 64), dtype('float64'))
    >>> bool(c.image.min() >= 0.0) and bool(c.image[0].max() < 1e-6)  # zero at the border
    True
    """
    for name, value in (
        ("n", n),
        ("modes", modes),
        ("amplitude", amplitude),
        ("smoothness", smoothness),
        ("supersample", supersample),
    ):
        _check(name, value)
    if int(n) != n or int(modes) != modes or int(supersample) != supersample:
        raise ValueError(
            f"n, modes and supersample must be integers; got {n}, {modes}, {supersample}"
        )
    n, modes, supersample = int(n), int(modes), int(supersample)
    rng = np.random.default_rng(seed)
    centre = 0.5 + rng.uniform(-0.04, 0.04, size=2)
    # smooth f0 (background) and f1 (jump height), products of bumps with low-order terms
    cf = rng.uniform(-1, 1, size=6)

    t = (np.arange(n) + 0.5) / n  # pixel centres in [0, 1]
    y, x = t[:, None], t[None, :]
    window = _bump(y) * _bump(x)
    f0 = window * (0.35 + 0.15 * cf[0] * np.cos(2.5 * x + cf[1]) * np.sin(2 * y + cf[2]))
    f1 = window * (0.55 + 0.15 * cf[3] * np.sin(3 * x - cf[4]) + 0.1 * cf[5] * y)
    coverage = _coverage(n, centre, supersample, modes, amplitude, smoothness, seed)
    image = f0 + f1 * coverage

    th = np.linspace(0, 2 * np.pi, 721)
    rho_e, curv = boundary_curve(
        th, modes=modes, amplitude=amplitude, smoothness=smoothness, seed=seed
    )
    edge = np.column_stack([centre[0] + rho_e * np.sin(th), centre[1] + rho_e * np.cos(th)])
    return Cartoon(
        image=image,
        edge=edge * n - 0.5,
        max_curvature=float(np.max(np.abs(curv))),
        min_radius=float(rho_e.min()),
        seed=int(seed),
    )
