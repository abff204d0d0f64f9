"""Every registered N-term system is a Parseval frame whose synthesis is the adjoint of its analysis."""

import numpy as np
import pytest

from course.sparse import FRAMES, frame

# sizes every system accepts (curvelets need sides divisible by 32 at 4 scales, wavelets by
# 2**level); 64 x 96 is not square, so rows and columns cannot be swapped unnoticed; the Fourier
# basis takes any size, odd ones too
CASES = [(s, shape) for s in FRAMES for shape in ((64, 64), (64, 96))] + [("fourier", (63, 65))]


@pytest.mark.parametrize("system, shape", CASES)
def test_adjoint_parseval_and_reconstruction(system, shape, rng):
    F = frame(system, shape)
    x = rng.standard_normal(shape)
    y = rng.standard_normal(F.n_coefficients)
    c = F.analyze(x)
    assert c.shape == (F.n_coefficients,) and c.dtype == np.float64
    assert F.synthesize(y).shape == shape
    # <Phi* x, y> = <x, Phi y>; relative to |x||y| (float64 round-off of FFT-based transforms)
    lhs, rhs = float(c @ y), float(np.sum(x * F.synthesize(y)))
    assert abs(lhs - rhs) <= 1e-10 * np.linalg.norm(x) * np.linalg.norm(y)
    # Parseval: ||Phi* x|| = ||x|| and Phi Phi* = I
    assert np.linalg.norm(c) == pytest.approx(np.linalg.norm(x), rel=1e-10)
    np.testing.assert_allclose(F.synthesize(c), x, atol=1e-10)
    assert F.redundancy == pytest.approx(F.n_coefficients / x.size)
    if F.orthonormal:  # a basis: also Phi* Phi = I, so no coefficient vector is lost
        assert F.n_coefficients == x.size
        np.testing.assert_allclose(F.analyze(F.synthesize(y)), y, atol=1e-10)
    else:
        assert F.n_coefficients > x.size


def test_bad_system_and_shape():
    with pytest.raises(ValueError, match="system must be one of 'fourier'"):
        frame("bandlets", (64, 64))
    with pytest.raises(ValueError, match="shape must be two sides >= 16"):
        frame("wavelet", (8, 8))
