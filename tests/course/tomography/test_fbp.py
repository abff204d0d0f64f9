"""Filtered back projection, its filters, and the missing-angle FBP by prefix sums."""

from __future__ import annotations

import numpy as np
import pytest

from course.tomography import (
    FILTERS,
    MissingAngleFBP,
    analytic_sinogram,
    angle_weights,
    fbp,
    radon_operator,
    random_ellipses,
    rasterize,
    scan_angles,
    shepp_logan,
)
from course.tomography.phantoms import Ellipse, Phantom

FULL = np.linspace(-np.pi / 2, np.pi / 2, 180, endpoint=False)


def _disc_fov(n):
    c = -1 + (2 * np.arange(n) + 1) / n
    return c[None, :] ** 2 + c[:, None] ** 2 <= 1


@pytest.mark.parametrize("filter", list(FILTERS))
def test_fbp_of_a_disc_reproduces_its_value(filter):
    n = 128
    s = radon_operator(n, FULL).geometry.detectors()
    disc = Phantom((Ellipse(0.7, 0.6, 0.6, 0.1, -0.05, 0.0),))
    rec = fbp(analytic_sinogram(disc, FULL, s), FULL, filter=filter)
    c = -1 + (2 * np.arange(n) + 1) / n
    well_inside = (c[None, :] - 0.1) ** 2 + (c[:, None] + 0.05) ** 2 < 0.4**2
    # away from the edge FBP is within 1% of the value for every window (Gibbs stays at the edge)
    assert abs(rec[well_inside].mean() - 0.7) < 0.007
    assert np.abs(rec[well_inside] - 0.7).max() < 0.03


@pytest.mark.parametrize("phantom", [shepp_logan(), random_ellipses(5)], ids=["shepp", "random"])
def test_fbp_of_full_analytic_data_is_close_to_the_phantom(phantom):
    # full data, 180 angles, 256 x 256, Shepp-Logan filter: measured relative l2 errors
    # 0.15 (Shepp-Logan: its thin high-contrast skull) and 0.07 (random ellipses), all from the
    # edges (O(h^{1/2}) in l2); the bounds leave 15% room
    n = 256
    s = radon_operator(n, FULL).geometry.detectors()
    truth = rasterize(phantom, n)
    rec = fbp(analytic_sinogram(phantom, FULL, s), FULL, filter="shepp-logan")
    fov = _disc_fov(n)
    err = np.linalg.norm((rec - truth)[fov]) / np.linalg.norm(truth[fov])
    bound = 0.18 if phantom.name == "Shepp-Logan" else 0.09
    assert err < bound


def test_angle_weights_are_uniform_on_full_data_and_on_a_wedge():
    np.testing.assert_allclose(angle_weights(FULL), np.pi / 180, rtol=1e-12)
    wedge = scan_angles(60)
    np.testing.assert_allclose(angle_weights(wedge), np.deg2rad(1.0), rtol=1e-9)
    # a jittered grid: no gap is missing data, so the weights are half-gaps and sum to pi
    jittered = FULL + np.random.default_rng(0).uniform(-0.3, 0.3, 180) * np.pi / 180
    assert abs(angle_weights(jittered).sum() - np.pi) < 1e-12


@pytest.mark.parametrize("n", [33, 48])
def test_missing_angle_prefix_sums_equal_a_direct_fbp(n, rng):
    angles = np.deg2rad(np.arange(-90, 90, 1.0) + 0.5)
    s = radon_operator(n, angles).geometry.detectors()
    g = analytic_sinogram(random_ellipses(2), angles, s) + 0.01 * rng.standard_normal((180, n))
    fast = MissingAngleFBP(g, angles, filter="hann")
    for missing in (0, 30, 60, 90, 150, 179):
        half = np.deg2rad(90 - missing / 2)
        keep = np.abs(angles) <= half
        direct = fbp(g[keep], angles[keep], filter="hann", weights=fast.weights[keep])
        got = fast.image(-half, half)
        # the same terms summed in another order (float64)
        assert np.abs(got - direct).max() <= 1e-10 * max(1.0, np.abs(direct).max())


def test_prefix_sums_accept_unsorted_angles_and_empty_ranges(rng):
    angles = rng.permutation(np.deg2rad(np.arange(-90, 90, 2.0) + 1.0))
    g = rng.standard_normal((angles.size, 20))
    fast = MissingAngleFBP(g, angles)
    assert np.all(fast.image(0.1, 0.1 - 1e-9) == 0)
    whole = fbp(g, angles, weights=angle_weights(angles))
    assert np.abs(fast.image(-np.pi / 2, np.pi / 2) - whole).max() < 1e-10


def test_bad_filter_and_shapes_are_refused():
    with pytest.raises(ValueError, match="filter must be one of"):
        fbp(np.zeros((2, 8)), [0.0, 1.0], filter="butterworth")
    with pytest.raises(ValueError, match="sinogram must have shape"):
        fbp(np.zeros((3, 8)), [0.0, 1.0])


def test_prefix_sums_rebuilt_from_their_arrays_give_the_same_images(rng):
    # a server stores the arrays once and every kernel maps them: the same FBP of every range
    angles = rng.permutation(np.deg2rad(np.arange(-90, 90, 3.0) + 1.5))
    g = rng.standard_normal((angles.size, 24))
    fast = MissingAngleFBP(g, angles, filter="cosine")
    again = MissingAngleFBP.from_arrays(**fast.arrays())
    for low, high in ((-1.0, 1.0), (-np.pi / 2, np.pi / 2), (0.2, 0.1), (-0.3, 1.4)):
        assert np.array_equal(again.image(low, high), fast.image(low, high))
    assert again.nbytes == fast.nbytes
    with pytest.raises(ValueError, match="prefix must have shape"):
        MissingAngleFBP.from_arrays(fast.angles, fast.weights, fast.prefix[:-1])
