"""Coefficients per scale: the counts partition the coefficients, the scales are where the
frequencies are, and on an edge cartoon the counts grow like the continuum argument says."""

import numpy as np
import pytest

from course.sparse import cartoon, scale_counts, scale_labels
from course.sparse.frames import frame
from course.sparse.shearlets import shearlet_system


@pytest.fixture(scope="module")
def edge256():
    return cartoon(256, seed=0).image


@pytest.mark.parametrize("n, scales", [(64, 2), (96, 2), (128, 3)])
def test_counts_partition_the_coefficients_above_an_absolute_threshold(n, scales):
    f = cartoon(n, seed=3).image
    for system, coeffs in (
        ("wavelet", frame("wavelet", f.shape).analyze(f)),
        ("shearlet", shearlet_system(f.shape, scales=scales, kind="decimated").decompose(f)),
    ):
        for t in (1e-3, 0.05, 0.5):
            c = scale_counts(f, system, threshold=t, relative=False, scales=scales)
            assert c.total == int(np.sum(np.abs(coeffs) > t))
            assert c.n_coefficients == coeffs.size
        labels = scale_labels(system, f.shape, scales=scales)
        assert labels.shape == coeffs.shape  # every coefficient has a scale (or is coarse)


def test_every_coefficient_is_at_most_a_scale_s_largest(edge256):
    c = scale_counts(edge256, "wavelet", threshold=1.0)  # relative: none is above the largest
    assert np.all(c.counts == 0)
    c = scale_counts(edge256, "wavelet", threshold=1 - 1e-9)
    assert np.all(c.counts >= 1)
    labels = scale_labels("wavelet", edge256.shape)
    sizes = np.array([np.sum(labels == j) for j in c.scales])
    previous = np.zeros_like(sizes)
    for t in (0.5, 0.1, 0.01, 1e-4):  # a lower threshold counts more, never more than there are
        c = scale_counts(edge256, "wavelet", threshold=t)
        assert np.all(previous <= c.counts) and np.all(c.counts <= sizes)
        previous = c.counts


@pytest.mark.parametrize("j", [5, 6, 7])
def test_a_cosine_between_2_j_minus_1_and_2_j_cycles_sits_at_scale_j(j):
    # the scale index means the same frequencies in both systems
    n = 256
    k = int(0.7 * 2**j)  # cycles per side, inside both bands (wavelets [2^(j-1), 2^j],
    # shearlets [0.4, 0.8] 2^j with Meyer transitions to 0.5 and 1.0)
    x = np.arange(n)
    f = np.cos(2 * np.pi * k * x / n)[:, None] * np.ones(n)[None, :]
    for system in ("wavelet", "shearlet"):
        labels = scale_labels(system, f.shape, scales=4)
        if system == "wavelet":
            c = frame("wavelet", f.shape).analyze(f)
        else:
            c = shearlet_system(f.shape, scales=4, kind="decimated").decompose(f)
        energy = {s: float(np.sum(c[labels == s] ** 2)) for s in np.unique(labels)}
        assert max(energy, key=energy.get) == j, (system, energy)
        # db4 and the Meyer windows leak into the neighbouring scales: 87% measured at j = 5, 6
        assert energy[j] > 0.8 * sum(energy.values())


def test_wavelet_counts_grow_like_2_j_and_shearlet_counts_like_2_j_half(edge256):
    # the continuum argument: about 2^j wavelets meet the edge at scale j, about 2^(j/2)
    # shearlets are tangent to it; "within a factor": count / reference varies by less than 2
    # over the scales j >= 4 (the coarsest wavelet scale j = 3 is the smooth part's)
    w = scale_counts(edge256, "wavelet", threshold=0.1)
    s = scale_counts(edge256, "shearlet", threshold=0.1, scales=4)
    assert w.scales.tolist() == [3, 4, 5, 6, 7] and s.scales.tolist() == [4, 5, 6, 7]
    fine = w.scales >= 4
    ratio_w = w.counts[fine] / 2.0 ** w.scales[fine]
    ratio_s = s.counts / 2.0 ** (s.scales / 2)
    assert ratio_w.max() / ratio_w.min() < 2
    assert ratio_s.max() / ratio_s.min() < 2
    # and not the other way round: shearlet counts are far from 2^j, wavelet counts from 2^(j/2)
    assert (s.counts / 2.0**s.scales).max() / (s.counts / 2.0**s.scales).min() > 3
    # the fitted exponents: 1 and 1/2 in the continuum
    assert 0.75 < w.growth(4) < 1.25 and 0.2 < s.growth() < 0.7
    assert w.growth(4) - s.growth() > 0.4
    # their sizes: 2^-j for wavelets, 2^(-3j/4) for shearlets (pixel units), within 0.2
    assert w.decay(4) == pytest.approx(-1.0, abs=0.2)
    assert s.decay() == pytest.approx(-0.75, abs=0.2)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"system": "fourier"}, "system must be one of"),
        ({"system": "wavelet", "threshold": 0.0}, "threshold must be"),
        ({"system": "wavelet", "threshold": float("nan")}, "threshold must be"),
        ({"system": "wavelet", "threshold": 2.0}, "threshold must be in"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        scale_counts(np.ones((32, 32)), **kwargs)
