"""Facts of N-term approximation: basis errors are sorted tails, frames reconstruct, rates."""

import numpy as np
import pytest
import pywt

from course.sparse.cartoon import boundary_curve, cartoon
from course.sparse.nterm import SYSTEMS, compare, expansion, nterm_curve, theory_rates


@pytest.fixture(scope="module")
def image():
    return cartoon(128, seed=3).image


@pytest.mark.parametrize("wavelet", ["haar", "db4", "sym8"])
def test_wavelet_error_is_sorted_tail_and_matches_pywavelets(image, wavelet):
    e = expansion(image, "wavelet", wavelet=wavelet)
    level = min(pywt.dwtn_max_level(image.shape, wavelet), 5)  # the default of expansion()
    coeffs = pywt.wavedec2(image, wavelet, mode="periodization", level=level)
    arr, slices = pywt.coeffs_to_array(coeffs)
    for n in (1, 10, 100, 1000, 5000):
        # PyWavelets' own reconstruction of the thresholded array
        thr = np.sort(np.abs(arr).ravel())[::-1][n - 1]
        kept = np.where(np.abs(arr) >= thr, arr, 0.0)
        rec = pywt.waverec2(
            pywt.array_to_coeffs(kept, slices, output_format="wavedec2"),
            wavelet,
            mode="periodization",
        )
        tail = np.sqrt(np.sum(np.sort(arr.ravel() ** 2)[: arr.size - n]))
        err = np.linalg.norm(image - rec)
        # orthonormal basis: ||f - f_N|| equals the l2 tail (float64 round-off only)
        assert err == pytest.approx(tail, rel=1e-9, abs=1e-12)
        assert e.errors([n], image)[0] * e.norm == pytest.approx(tail, rel=1e-9, abs=1e-12)
        np.testing.assert_allclose(e.approximation(n), rec, atol=1e-10)


@pytest.mark.parametrize("shape", [(64, 64), (63, 64), (65, 65)])
def test_fourier_basis_is_orthonormal(shape):
    x = np.random.default_rng(0).standard_normal(shape)
    e = expansion(x, "fourier")
    assert e.n_coefficients == x.size
    assert np.sum(e.coefficients**2) == pytest.approx(np.sum(x**2), rel=1e-12)
    for n in (5, 500, x.size // 2):
        direct = np.linalg.norm(x - e.approximation(n))
        assert direct == pytest.approx(e.tail()[n], rel=1e-9)


@pytest.mark.parametrize("system", ["shearlet", "curvelet", "shearlet_undecimated"])
def test_frames_are_parseval_and_reconstruct(image, system):
    e = expansion(image, system)
    assert np.sum(e.coefficients**2) == pytest.approx(np.sum(image**2), rel=1e-10)
    np.testing.assert_allclose(e.approximation(e.n_coefficients), image, atol=1e-10)
    assert e.redundancy == pytest.approx(e.n_coefficients / image.size)


def test_errors_decrease_with_n(image):
    for system in ("fourier", "wavelet", "shearlet", "curvelet"):
        c = nterm_curve(image, system, n_terms=[10, 100, 1000, 4000])
        assert np.all(np.diff(c.error) < 0)


@pytest.mark.slow
def test_rates_on_default_cartoon():
    # measured at 256 x 256 on the range before the wavelets' digital saturation
    comp = compare(cartoon(256).image, fit_range=(50, 800))
    slope = {c.system: c.fit.slope for c in comp.curves}
    assert -0.4 < slope["fourier"] < -0.15  # continuum: -1/4
    assert -0.7 < slope["wavelet"] < -0.4  # continuum: -1/2
    assert slope["shearlet"] < slope["wavelet"] - 0.15  # steeper, towards -1
    assert slope["curvelet"] < slope["wavelet"]


def test_theory_rates_anchor():
    t = theory_rates([10, 100, 1000], anchor=0.5)
    for v in t.values():
        assert v[0] == pytest.approx(0.5)
    assert t["N^-1/2 (wavelets)"][1] == pytest.approx(0.5 / np.sqrt(10))


def test_cartoon_facts():
    c = cartoon(96, seed=2, amplitude=0.0)
    # amplitude 0: a disc, curvature 1 / radius
    assert c.max_curvature == pytest.approx(1 / 0.28, rel=1e-9)
    rho, curv = boundary_curve(np.linspace(0, 6, 50), amplitude=0.3, seed=5)
    assert np.all(rho > 0.28 * 0.69)
    # anti-aliasing: values strictly between the plateaus only near the edge
    hard = cartoon(96, seed=2, supersample=1).image
    soft = cartoon(96, seed=2, supersample=8).image
    assert np.count_nonzero(np.abs(hard - soft) > 1e-12) < 4 * 96


@pytest.mark.parametrize(
    "call, word",
    [
        (lambda: expansion(np.zeros((32, 32)) + 1, "bandlets"), "system"),
        (lambda: expansion(np.ones((30, 30)), "wavelet"), "divisible"),
        (lambda: expansion(np.ones((60, 60)), "curvelet"), "divisible"),
        (lambda: expansion(np.ones((32, 32)), "wavelet", wavelet="bior2.2"), "orthonormal"),
        (lambda: expansion(np.ones((32, 32)), "fourier").approximation(5000), "n_terms"),
        (lambda: cartoon(8), "n must"),
        (lambda: cartoon(64, amplitude=0.9), "amplitude"),
    ],
)
def test_bad_arguments(call, word):
    with pytest.raises(ValueError, match=word):
        call()


def test_registry_keys():
    assert set(SYSTEMS) >= {"fourier", "wavelet", "shearlet", "curvelet"}
