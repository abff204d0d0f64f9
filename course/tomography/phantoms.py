r"""Ellipse phantoms and their exact line integrals (no inverse crime).

An ellipse with intensity :math:`\rho`, semi-axes :math:`A, B`, centre :math:`c` and rotation
:math:`\alpha` (counter-clockwise, radians) is :math:`\rho\,\chi_E`,
:math:`E = \{c + R_\alpha (A u_1, B u_2) : u_1^2 + u_2^2 \le 1\}`. Its Radon transform is

.. math::

    R(\rho\chi_E)(\varphi, s) = \frac{2\rho A B}{a^2}\sqrt{a^2 - t^2}\ (|t| \le a),\quad
    a^2 = A^2\cos^2(\varphi - \alpha) + B^2 \sin^2(\varphi - \alpha),\quad
    t = s - \langle c, \theta\rangle,

zero for :math:`|t| > a` (the chord length times :math:`\rho`; Kak and Slaney 1988, eq. 3.13;
Natterer 2001, II.1). A phantom is a sum of ellipses, so its sinogram is the sum. Images are
rasterised by averaging ``supersample``\ :sup:`2` points per pixel, and measurements are made
from :func:`analytic_sinogram`, never from the discrete operator applied to the raster: a
reconstruction is then not rewarded for inverting its own model (the "inverse crime").

Coordinates are those of :mod:`course.tomography.radon`: the square :math:`[-1, 1]^2`,
:math:`x_1` to the right, :math:`x_2` upwards; every phantom lies in the unit disc.

References
----------
.. [1] L. A. Shepp and B. F. Logan, "The Fourier reconstruction of a head section", IEEE Trans.
   Nucl. Sci. 21 (1974), 21-43; the higher-contrast "modified" intensities are P. Toft's
   (PhD thesis, DTU 1996).
.. [2] J. Adler and O. Oektem, "Learned primal-dual reconstruction", IEEE Trans. Med. Imaging 37
   (2018), 1322-1332 (random ellipse training phantoms).
.. [3] J. Kaipio and E. Somersalo, "Statistical inverse problems: discretization, model
   reduction and inverse crimes", J. Comput. Appl. Math. 198 (2007), 493-504.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "Ellipse",
    "Phantom",
    "shepp_logan",
    "random_ellipses",
    "rasterize",
    "analytic_sinogram",
    "add_noise",
]


@dataclass(frozen=True)
class Ellipse:
    """One ellipse: intensity, semi-axes ``a`` (along its own x1) and ``b``, centre, rotation."""

    intensity: float
    a: float
    b: float
    x1: float
    x2: float
    rotation: float  # radians, counter-clockwise


@dataclass(frozen=True)
class Phantom:
    """A sum of ellipses, with the seed it was drawn from (None for Shepp-Logan)."""

    ellipses: tuple
    name: str = ""
    seed: int | None = None


_SHEPP_LOGAN = (  # intensity, a, b, x1, x2, rotation in degrees (Toft's modified intensities)
    (1.0, 0.69, 0.92, 0.0, 0.0, 0),
    (-0.8, 0.6624, 0.874, 0.0, -0.0184, 0),
    (-0.2, 0.11, 0.31, 0.22, 0.0, -18),
    (-0.2, 0.16, 0.41, -0.22, 0.0, 18),
    (0.1, 0.21, 0.25, 0.0, 0.35, 0),
    (0.1, 0.046, 0.046, 0.0, 0.1, 0),
    (0.1, 0.046, 0.046, 0.0, -0.1, 0),
    (0.1, 0.046, 0.023, -0.08, -0.605, 0),
    (0.1, 0.023, 0.023, 0.0, -0.606, 0),
    (0.1, 0.023, 0.046, 0.06, -0.605, 0),
)


def shepp_logan() -> Phantom:
    """The modified Shepp-Logan head phantom (values 0 to 1) as ten ellipses."""
    return Phantom(
        tuple(Ellipse(r, a, b, x, y, np.deg2rad(t)) for r, a, b, x, y, t in _SHEPP_LOGAN),
        name="Shepp-Logan",
    )


def random_ellipses(seed: int, *, max_count: int = 10) -> Phantom:
    r"""A random nonnegative ellipse phantom, after Adler and Oektem's training phantoms.

    A background ellipse (intensity in [0.2, 0.5], semi-axes in [0.55, 0.85]) and a random
    number, 2 to ``max_count``, of inner ellipses with intensities in [0.1, 0.6], semi-axes in
    [0.03, 0.3], random centres and rotations, every one inside the disc of radius 0.95. All
    intensities are positive, so the phantom is nonnegative. Seeded: the same seed gives the
    same phantom.
    """
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a nonnegative integer; got {seed!r}")
    if not isinstance(max_count, (int, np.integer)) or not 2 <= max_count <= 40:
        raise ValueError(f"max_count must be an integer in [2, 40]; got {max_count!r}")
    rng = np.random.default_rng([int(seed), 6])
    a, b = rng.uniform(0.55, 0.85, 2)
    out = [Ellipse(rng.uniform(0.2, 0.5), a, b, 0.0, 0.0, rng.uniform(0, np.pi))]
    for _ in range(int(rng.integers(2, max_count + 1))):
        ax, bx = rng.uniform(0.03, 0.3, 2)
        room = 0.95 - max(ax, bx)
        r, t = room * np.sqrt(rng.uniform(0, 1)), rng.uniform(0, 2 * np.pi)
        out.append(
            Ellipse(
                rng.uniform(0.1, 0.6), ax, bx, r * np.cos(t), r * np.sin(t), rng.uniform(0, np.pi)
            )
        )
    return Phantom(tuple(out), name=f"random ellipses #{seed}", seed=int(seed))


def _inside(e: Ellipse, x1, x2):
    c, s = np.cos(e.rotation), np.sin(e.rotation)
    u, v = x1 - e.x1, x2 - e.x2
    return ((c * u + s * v) / e.a) ** 2 + ((-s * u + c * v) / e.b) ** 2 <= 1.0


def rasterize(phantom: Phantom, n: int, *, supersample: int = 4, dtype=np.float64) -> np.ndarray:
    """The phantom on the ``n x n`` pixel grid of :mod:`~course.tomography.radon`, each pixel the
    mean of ``supersample**2`` point values (a box-filtered image)."""
    if not isinstance(n, (int, np.integer)) or not 4 <= n <= 2048:
        raise ValueError(f"n must be an integer in [4, 2048]; got {n!r}")
    if not isinstance(supersample, (int, np.integer)) or not 1 <= supersample <= 16:
        raise ValueError(f"supersample must be an integer in [1, 16]; got {supersample!r}")
    m = n * supersample
    c = -1.0 + (2.0 * np.arange(m) + 1.0) / m
    x1, x2 = c[None, :], -c[:, None]
    img = np.zeros((m, m))
    for e in phantom.ellipses:
        img += e.intensity * _inside(e, x1, x2)
    img = img.reshape(n, supersample, n, supersample).mean(axis=(1, 3))
    return img.astype(dtype)


def analytic_sinogram(phantom: Phantom, angles, detectors, *, aperture: float = 0.0) -> np.ndarray:
    r"""Exact line integrals :math:`Rf(\varphi_a, s_k)`, shape ``(len(angles), len(detectors))``.

    With ``aperture > 0`` each detector averages the exact values over
    :math:`[s_k - \mathrm{aperture}/2, s_k + \mathrm{aperture}/2]` (a detector of that width;
    15-point Gauss-Legendre rule), as a real detector does.

    Examples
    --------
    A disc of radius 1/2 and intensity 1: the chord through the centre has length 1.

    >>> disc = Phantom((Ellipse(1.0, 0.5, 0.5, 0.0, 0.0, 0.0),))
    >>> analytic_sinogram(disc, [0.0, 1.0], [0.0, 0.5]).round(12).tolist()
    [[1.0, 0.0], [1.0, 0.0]]
    """
    if not 0.0 <= aperture <= 1.0:
        raise ValueError(f"aperture must be in [0, 1]; got {aperture!r}")
    if aperture > 0:
        nodes, weights = np.polynomial.legendre.leggauss(15)
        s = np.asarray(detectors, dtype=np.float64)
        return sum(
            0.5 * w * analytic_sinogram(phantom, angles, s + 0.5 * aperture * u)
            for u, w in zip(nodes, weights)
        )
    phi = np.asarray(angles, dtype=np.float64).ravel()[:, None]
    s = np.asarray(detectors, dtype=np.float64).ravel()[None, :]
    out = np.zeros((phi.shape[0], s.shape[1]))
    for e in phantom.ellipses:
        a2 = (e.a * np.cos(phi - e.rotation)) ** 2 + (e.b * np.sin(phi - e.rotation)) ** 2
        t = s - (e.x1 * np.cos(phi) + e.x2 * np.sin(phi))
        out += 2.0 * e.intensity * e.a * e.b / a2 * np.sqrt(np.maximum(a2 - t**2, 0.0))
    return out


def add_noise(sinogram, level: float, *, seed: int = 0) -> np.ndarray:
    r"""Gaussian noise at relative level ``level``: :math:`g + \sigma\varepsilon`,
    :math:`\sigma = \mathrm{level}\, \|g\|_2 / \sqrt{\#g}`, so that
    :math:`\mathbb E\|\sigma\varepsilon\|_2^2 = \mathrm{level}^2 \|g\|_2^2` (1% noise is 0.01)."""
    g = np.asarray(sinogram, dtype=np.float64)
    if not 0.0 <= level <= 1.0:
        raise ValueError(f"level must be in [0, 1]; got {level!r}")
    sigma = level * np.linalg.norm(g) / np.sqrt(g.size)
    return g + sigma * np.random.default_rng([int(seed), 7]).standard_normal(g.shape)
