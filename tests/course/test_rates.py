"""The rate-fitting helper recovers known power laws and reports its range."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course.rates import fit_rate


@given(
    slope=st.floats(-4, 2, allow_nan=False),
    const=st.floats(1e-3, 1e3),
    k=st.integers(2, 30),
)
def test_exact_power_law_is_recovered(slope, const, k):
    n = np.geomspace(2, 2000, k)
    fit = fit_rate(n, const * n**slope)
    assert fit.slope == pytest.approx(slope, abs=1e-9)
    assert fit.constant == pytest.approx(const, rel=1e-8)
    assert fit.r2 == pytest.approx(1.0, abs=1e-9)
    assert (fit.n_min, fit.n_max, fit.n_points) == (n.min(), n.max(), k)


def test_range_restriction_fits_only_the_asymptotic_part():
    n = np.arange(1, 1001, dtype=float)
    err = n**-2.0 + np.where(n < 10, 1.0, 0.0)  # pre-asymptotic bump below n = 10
    fit = fit_rate(n, err, n_min=10)
    assert fit.slope == pytest.approx(-2.0, abs=1e-12)
    assert fit.n_min == 10 and fit.n_max == 1000
    assert "10 \u2264 N \u2264 1000" in fit.label()


def test_zero_and_nan_errors_are_left_out_not_logged():
    fit = fit_rate([1, 2, 4, 8, 16], [1.0, 0.5, 0.0, np.nan, 1 / 16])
    assert fit.n_points == 3
    assert fit.slope == pytest.approx(-1.0)


@pytest.mark.parametrize(
    "n, e",
    [([1], [1.0]), ([1, 2], [0.0, 0.0]), ([3, 3], [1.0, 2.0]), ([1, 2, 3], [1.0, 2.0])],
)
def test_too_few_points_or_bad_shapes_raise(n, e):
    with pytest.raises(ValueError):
        fit_rate(n, e)
