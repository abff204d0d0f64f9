"""Phantoms: exact chords, seeded random phantoms inside the disc, noise at its stated level."""

from __future__ import annotations

import numpy as np
import pytest

from course.tomography import add_noise, analytic_sinogram, random_ellipses, rasterize, shepp_logan
from course.tomography.phantoms import Ellipse, Phantom


def test_chord_of_a_rotated_ellipse_by_numerical_quadrature():
    e = Ellipse(0.8, 0.5, 0.2, 0.1, -0.2, 0.7)
    ph = Phantom((e,))
    phi, s = 0.3, 0.05
    theta, perp = np.array([np.cos(phi), np.sin(phi)]), np.array([-np.sin(phi), np.cos(phi)])
    t = np.linspace(-1.5, 1.5, 600_001)
    pts = s * theta[None, :] + t[:, None] * perp[None, :]
    c, sn = np.cos(e.rotation), np.sin(e.rotation)
    u, v = pts[:, 0] - e.x1, pts[:, 1] - e.x2
    inside = ((c * u + sn * v) / e.a) ** 2 + ((-sn * u + c * v) / e.b) ** 2 <= 1
    numeric = e.intensity * inside.sum() * (t[1] - t[0])
    assert abs(analytic_sinogram(ph, [phi], [s])[0, 0] - numeric) < 1e-5


def test_raster_mass_matches_the_ellipse_areas():
    ph = shepp_logan()
    mass = sum(e.intensity * np.pi * e.a * e.b for e in ph.ellipses)
    img = rasterize(ph, 256, supersample=4)
    assert abs(img.sum() * (2 / 256) ** 2 - mass) < 2e-3 * mass
    assert img.min() >= -1e-12 and abs(img.max() - 1.0) < 1e-12


def test_random_phantoms_are_seeded_nonnegative_and_inside_the_disc():
    a, b = random_ellipses(7), random_ellipses(7)
    assert a == b and a != random_ellipses(8)
    for seed in range(20):
        ph = random_ellipses(seed)
        for e in ph.ellipses:
            assert np.hypot(e.x1, e.x2) + max(e.a, e.b) <= 0.95 + 1e-12
            assert e.intensity > 0
    assert rasterize(random_ellipses(3), 64).min() >= 0


def test_noise_has_the_stated_relative_level(rng):
    g = rng.uniform(0, 1, (180, 128))
    noisy = add_noise(g, 0.01, seed=4)
    level = np.linalg.norm(noisy - g) / np.linalg.norm(g)
    assert abs(level - 0.01) < 0.0005  # 23 040 samples: the level is within 5% of its mean
    np.testing.assert_array_equal(add_noise(g, 0.01, seed=4), noisy)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="seed"):
        random_ellipses(-1)
    with pytest.raises(ValueError, match="level"):
        add_noise(np.ones(4), 2.0)
    with pytest.raises(ValueError, match="n must be"):
        rasterize(shepp_logan(), 3)
