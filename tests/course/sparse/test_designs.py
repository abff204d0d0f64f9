"""The shearlet designs lecture 04 dropped cost what its Section 6 says (computed, not typed)."""

import numpy as np
import pytest

from course.sparse import DESIGNS, design_errors, design_line, design_table, expansion, l2_norm
from course.sparse.cartoon import cartoon


@pytest.fixture(scope="module")
def image():
    return cartoon(256).image


@pytest.fixture(scope="module")
def designs(image):
    return {d.name: d for d in design_errors(image, (50, 819))}


@pytest.mark.slow
def test_more_shears_are_above_the_wavelets_where_the_shipped_levels_are_below(designs):
    # Section 6, point 2: more shears per scale made the N-term error worse at 256 x 256: with
    # levels (1, 2, 3, 3) the pursuit from the N largest is above the wavelets at N = 819, with
    # the shipped levels (1, 1, 2, 2) below them
    w, shipped, shears = designs["wavelet"], designs["shipped"], designs["more shears"]
    assert shipped.shear_levels == (1, 1, 2, 2) and shears.shear_levels == (1, 2, 3, 3)
    assert shears.pursuit[-1] > w.pursuit[-1] > shipped.pursuit[-1]


@pytest.mark.slow
def test_a_folded_low_pass_band_costs_a_factor_at_small_n(designs):
    # Section 6, point 4: the folded low-pass band (more coefficients, wider transitions) costs
    # the shearlets about a factor 3 at N = 50 with the N largest coefficients; the shipped
    # wavelet coarse part starts with the wavelets (within 5%)
    w, shipped, folded = designs["wavelet"], designs["shipped"], designs["folded low-pass"]
    assert folded.n_lowpass > shipped.n_lowpass == 16 * 16
    assert folded.transition > shipped.transition
    assert folded.largest[0] > 2.5 * shipped.largest[0]
    assert shipped.largest[0] == pytest.approx(w.largest[0], rel=0.05)


@pytest.mark.slow
def test_the_shipped_design_is_the_registered_frame_and_the_pursuit_never_hurts(image, designs):
    e = expansion(image, "shearlet")
    np.testing.assert_allclose(designs["shipped"].largest, e.errors([50, 819], image), rtol=1e-9)
    assert designs["shipped"].redundancy == pytest.approx(e.redundancy)
    for d in designs.values():
        assert np.all(d.pursuit <= d.largest + 1e-12)  # IHT never increases the error
    w = designs["wavelet"]
    np.testing.assert_array_equal(w.largest, w.pursuit)  # a basis: the N largest are optimal


@pytest.mark.slow
def test_design_table_and_line_state_the_computed_numbers(designs):
    ordered = tuple(designs.values())
    table = design_table(ordered)
    assert len(table.splitlines()) == 2 + len(DESIGNS) + 1
    line = design_line(ordered)
    assert "(1, 2, 3, 3) are " in line and "% above the wavelets" in line
    assert f"({designs['folded low-pass'].n_lowpass} coefficients" in line


def test_unknown_design_is_refused(image):
    with pytest.raises(ValueError, match="designs must be among"):
        design_errors(image, (50,), designs=("shipped", "round"))


@pytest.mark.slow
def test_undecimated_count_is_meaningless(image):
    # Section 4: the N largest of the undecimated system (49 coefficients per pixel) at N = 1000
    # leave most of the image out, where the Haar basis is already within a few percent
    und = expansion(image, "shearlet_undecimated")
    haar = expansion(image, "wavelet", wavelet="haar")
    e_und = l2_norm(image - und.approximation(1000)) / und.norm
    e_haar = l2_norm(image - haar.approximation(1000)) / haar.norm
    assert e_und > 0.5 and e_haar < 0.05
