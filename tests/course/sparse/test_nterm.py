"""Facts of N-term approximation: basis errors are sorted tails, frames reconstruct, rates."""

import numpy as np
import pytest
import pywt

from course.progress import Progress
from course.sparse import (
    FRAMES,
    compare,
    compare_steps,
    default_n_terms,
    default_range,
    expansion,
    frame,
    iterative_hard_thresholding,
    nterm_curve,
    theory_rates,
)
from course.sparse.cartoon import boundary_curve, cartoon


@pytest.fixture(scope="module")
def image():
    return cartoon(128, seed=3).image


@pytest.mark.parametrize("wavelet", ["haar", "db4", "sym8"])
def test_wavelet_error_is_sorted_tail_and_matches_pywavelets(image, wavelet):
    e = expansion(image, "wavelet", wavelet=wavelet)
    # the default of expansion() at 128 x 128: down to an 8 x 8 coarse grid if the filter allows
    level = min(pywt.dwtn_max_level(image.shape, wavelet), 4)
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


@pytest.mark.parametrize("system", ["shearlet", "curvelet"])
def test_iht_never_increases_the_error_in_a_parseval_frame(image, system):
    # Blumensath and Davies (2008), Lemma 1: for ||Phi|| <= 1 every step of iterative hard
    # thresholding minimizes a majorizer of ||f - Phi c||^2 that touches it at the current c
    e = expansion(image, system)
    for n in (20, 300):
        c, hist = iterative_hard_thresholding(e.analyze, e.synthesize, image, n, iterations=25)
        assert np.count_nonzero(c) <= n
        assert len(hist) > 2  # it moved
        assert np.all(np.diff(hist) <= 1e-12 * hist[0])
        # the history is the error of the returned coefficients, and it beats thresholding
        err = np.linalg.norm(image - e.synthesize(c)) / np.linalg.norm(image)
        assert hist[-1] == pytest.approx(err, rel=1e-9)
        assert err < e.errors([n], image)[0]


def test_pursuit_from_any_start_is_never_worse_than_the_n_largest(image):
    # the continuation start is only taken if it is better than the N largest coefficients
    e = expansion(image, "shearlet")
    rng = np.random.default_rng(0)
    bad = np.zeros(e.n_coefficients)
    bad[rng.choice(e.n_coefficients, 30, replace=False)] = 10.0
    good, _ = e.pursuit(60, image)
    for start in (bad, good):
        _, hist = e.pursuit(100, image, start=start, iterations=3)
        assert hist[0] <= e.errors([100], image)[0] + 1e-15
        assert np.all(np.diff(hist) <= 1e-12)


def test_iht_in_an_orthonormal_basis_stays_at_the_optimum(image):
    # for a basis, keeping the N largest coefficients is optimal: it is a fixed point of IHT
    e = expansion(image, "wavelet")
    w = pywt.Wavelet("db4")
    arr, sl = pywt.coeffs_to_array(pywt.wavedec2(image, w, mode="periodization", level=4))

    def analyze(x):
        return pywt.coeffs_to_array(pywt.wavedec2(x, w, mode="periodization", level=4))[0].ravel()

    def synthesize(v):
        c = pywt.array_to_coeffs(v.reshape(arr.shape), sl, output_format="wavedec2")
        return pywt.waverec2(c, w, mode="periodization")

    for n in (10, 200):
        c, hist = iterative_hard_thresholding(analyze, synthesize, image, n, iterations=5)
        assert hist[-1] == pytest.approx(hist[0], rel=1e-12)
        assert hist[0] * e.norm == pytest.approx(e.tail()[n], rel=1e-9)
    pursued = [e.pursuit(n, image)[1][-1] for n in (10, 200)]
    assert pursued == pytest.approx(e.errors([10, 200], image))


def test_compare_steps_streams_then_returns_the_full_comparison(image, drain):
    job = compare_steps(image, ("wavelet", "shearlet"), n_terms=[20, 80], method="pursuit")
    items, final = drain(job)
    assert all(isinstance(i, Progress) for i in items)
    fractions = [i.fraction for i in items]
    assert fractions == sorted(fractions) and fractions[0] == 0 and fractions[-1] == 1
    sh = final.curve("shearlet")
    assert np.all(sh.error <= sh.largest) and np.any(sh.error < sh.largest)
    np.testing.assert_array_equal(final.curve("wavelet").error, final.curve("wavelet").largest)
    again = compare(image, ("wavelet", "shearlet"), n_terms=[20, 80], method="pursuit")
    for a, b in zip(final.curves, again.curves, strict=True):
        np.testing.assert_array_equal(a.error, b.error)


@pytest.fixture(scope="module")
def default_comparison():
    return compare(cartoon(256).image, method="pursuit")


@pytest.mark.slow
def test_shearlets_below_wavelets_on_the_default_cartoon(default_comparison):
    # The must-show: on the default cartoon, the fairly counted shearlet error (N real
    # coefficients of a 2.05x redundant Parseval frame) is below the error of an orthonormal
    # wavelet basis at every N of the plotted range, and the fitted slope is steeper.
    comp = default_comparison
    n = comp.curves[0].n_terms
    assert (n[0], n[-1]) == default_range((256, 256)) == (50, 819)
    np.testing.assert_array_equal(n, default_n_terms((256, 256)))
    wav, sh = comp.curve("wavelet"), comp.curve("shearlet")
    assert np.all(sh.error < wav.error)
    assert sh.redundancy == pytest.approx(2.05, abs=0.01)
    assert sh.fit.slope < wav.fit.slope


@pytest.mark.slow
def test_rates_on_default_cartoon(default_comparison):
    # measured at 256 x 256 on the range before the wavelets' digital saturation
    slope = {c.system: c.fit.slope for c in default_comparison.curves}
    assert -0.4 < slope["fourier"] < -0.15  # continuum: -1/4
    assert -0.7 < slope["wavelet"] < -0.4  # continuum: -1/2
    assert slope["shearlet"] < slope["wavelet"]  # steeper, towards -1 (far from it at 256^2)
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
        (lambda: expansion(np.ones((42, 42)), "wavelet"), "divisible"),
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


def test_the_lecture_systems_are_registered_frames():
    # the four systems lecture 04 compares, and the unfair undecimated count it warns about
    assert set(FRAMES) == {"fourier", "wavelet", "shearlet", "curvelet", "shearlet_undecimated"}
    for name in FRAMES:
        assert frame(name, (64, 64)).system == name
