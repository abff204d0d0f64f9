"""The resolution study: the errors are the N-term errors of the same cartoon at each size."""

import numpy as np
import pytest
import pywt

from course.sparse import cartoon, resolution_study, resolution_study_steps
from course.sparse.nterm import expansion
from course.sparse.resolution import MAX_SHARE


@pytest.fixture(scope="module")
def study():
    return resolution_study((64, 128), n_terms=(50, 200, 400, 1600))


def test_wavelet_errors_are_the_tails_of_the_sorted_coefficients(study):
    # Parseval for the orthonormal basis, computed here with PyWavelets directly
    for i, n in enumerate(study.sizes):
        f = cartoon(n, seed=0).image
        c = pywt.coeffs_to_array(
            pywt.wavedec2(f, "db4", mode="periodization", level=int(np.log2(n / 8)))
        )[0].ravel()
        sq = np.sort(c**2)[::-1]
        for k, N in enumerate(study.n_terms):
            if N <= MAX_SHARE * n * n:
                want = np.sqrt(sq[N:].sum()) / np.linalg.norm(f)
                assert study.wavelet[i, k] == pytest.approx(want, rel=1e-9)


def test_shearlet_pursuit_is_never_worse_than_the_largest_coefficients(study):
    for i, n in enumerate(study.sizes):
        e = expansion(cartoon(n, seed=0).image, "shearlet", scales=study.scales[i])
        f = cartoon(n, seed=0).image
        for k, N in enumerate(study.n_terms):
            if np.isfinite(study.shearlet[i, k]):
                largest = np.linalg.norm(f - e.approximation(int(N))) / e.norm
                assert study.shearlet[i, k] <= largest + 1e-12


def test_sizes_scales_and_the_pixel_share(study):
    assert study.sizes == (64, 128) and study.scales == (2, 3) and study.complete
    # N = 400 and 1600 exceed a sixteenth of 64^2 = 256 pixels: not computed there
    assert np.isnan(study.ratio[0, 2:]).all() and np.isfinite(study.ratio[1, :3]).all()
    np.testing.assert_allclose(study.ratio, study.shearlet / study.wavelet)
    assert study.best_ratio.tolist() == np.nanmin(study.ratio, axis=1).tolist()
    np.testing.assert_array_equal(study.at(200), study.ratio[:, 1])
    with pytest.raises(ValueError, match="n_terms must be one of"):
        study.at(201)


def test_the_job_streams_one_partial_study_per_size():
    partials = [p.partial for p in resolution_study_steps((64, 128), n_terms=(20, 40))]
    assert partials[0] is None and partials[1].sizes == (64,) and not partials[1].complete


@pytest.mark.parametrize(
    "sizes, n_terms, match",
    [((100,), (10,), "powers of two"), ((64,), (40, 20), "increasing"), ((64,), (300,), "start")],
)
def test_bad_arguments(sizes, n_terms, match):
    with pytest.raises(ValueError, match=match):
        resolution_study(sizes, n_terms=n_terms)
