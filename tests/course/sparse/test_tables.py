"""Lecture 04's tables are computed from a comparison, and the lecture renders them (no typed numbers)."""

import json
import re

import numpy as np
import pytest

from course.lectures import lecture
from course.sparse import cartoon, compare, error_table, rate_table, sig3, slopes_line


@pytest.fixture(scope="module")
def comparison():
    # 64 x 64, 2 scales: small, with a frame the pursuit improves and a basis it leaves alone
    image = cartoon(64, seed=1).image
    return compare(
        image,
        ("wavelet", "shearlet"),
        n_terms=[16, 32, 64, 128],
        fit_range=(16, 128),
        scales=2,
        method="pursuit",
    )


def _rows(table):
    return [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()[2:]]


def test_error_table_holds_the_comparisons_numbers(comparison):
    rows = _rows(error_table(comparison, rows=(16, 128)))
    wav, she = comparison.curves
    assert [r[0] for r in rows] == ["16", "128"]
    for row, i in zip(rows, (0, 3)):
        assert float(row[1].strip("*")) == pytest.approx(wav.error[i], abs=5e-4)
        main, largest = re.fullmatch(r"\**([\d.]+)\** \(([\d.]+)\)", row[2]).groups()
        assert float(main) == pytest.approx(she.error[i], abs=5e-4)
        assert float(largest) == pytest.approx(she.largest[i], abs=5e-4)
        best = int(np.argmin([wav.error[i], she.error[i]])) + 1
        assert row[best].startswith("**")  # the row's smallest error is the bold one
    with pytest.raises(ValueError, match="rows must be values of N"):
        error_table(comparison, rows=(17,))


def test_rate_table_and_slopes_line_state_the_fits(comparison):
    rows = _rows(rate_table(comparison))
    for row, c in zip(rows, comparison.curves):
        assert row[0] == c.label and float(row[1]) == pytest.approx(c.fit.slope, abs=5e-3)
    line = slopes_line(comparison)
    for c in comparison.curves:
        assert f"${sig3(c.fit.slope)}$" in line  # 3 significant digits, as every label
    assert "with the $N$ largest coefficients" in line  # the frame's pursuit changed its slope


def test_lecture_04_renders_its_measured_tables_from_the_library():
    nb = json.loads(lecture(4).notebook.read_text())
    code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    prose = [("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert "rate_table(" in code and "error_table(" in code and "slopes_line(" in code
    typed = [p for p in prose if re.search(r"^\| \$N\$ \|", p, flags=re.M)]
    assert typed == []  # the table of errors against N is computed, not typed
