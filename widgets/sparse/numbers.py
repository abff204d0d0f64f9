"""Lecture 04: the numbers its text computes, the same for every student.

Each function is wrapped in :func:`widgets.cache.computed_once`: on a served page the result is
read from the shared store (``./mathdl warm`` computes it once before class, by running the
notebook), so a kernel neither builds the undecimated shearlet system (49 coefficients per pixel)
nor the dropped designs (about 70 MB of windows) at rest. Without a store (JupyterLab, tests)
each call computes, as the cell's code did.
"""

from __future__ import annotations

import numpy as np

from course.sparse.cartoon import cartoon
from course.sparse.designs import design_errors
from course.sparse.expansions import expansion
from course.sparse.pursuit import l2_norm

from ..cache import computed_once

__all__ = ["UNFAIR_SYSTEMS", "unfair_errors", "edge_pixels", "cartoon_design_errors"]

#: The systems of Section 4's cell: the undecimated shearlets and the Haar basis.
UNFAIR_SYSTEMS = (("shearlet_undecimated", ()), ("wavelet", (("wavelet", "haar"),)))


@computed_once
def unfair_errors(n_terms: int = 1000, n: int = 256, systems=UNFAIR_SYSTEMS):
    """The relative error :math:`\\|f - f_N\\|_2 / \\|f\\|_2` of the ``n_terms`` largest
    coefficients of the default ``n x n`` cartoon in each system of ``systems`` (pairs of a
    system name of :func:`course.sparse.expansion` and its options as ``(name, value)`` pairs).

    Returns a tuple of ``(label, error)``, one per system.
    """
    f = cartoon(n).image
    out = []
    for system, options in systems:
        e = expansion(f, system, **dict(options))
        out.append((e.label, float(l2_norm(f - e.approximation(n_terms)) / e.norm)))
    return tuple(out)


@computed_once
def edge_pixels(n: int = 256) -> int:
    """Pixels of the default ``n x n`` cartoon that its edge cuts: those whose cell average
    (``supersample=8``) differs from the point sample (``supersample=1``)."""
    return int(np.sum(cartoon(n).image != cartoon(n, supersample=1).image))


@computed_once
def cartoon_design_errors(n_terms=(50, 819), n: int = 256):
    """:func:`course.sparse.design_errors` on the default ``n x n`` cartoon at each N of
    ``n_terms`` (a tuple of :class:`course.sparse.DesignErrors`, plain arrays and numbers)."""
    return design_errors(cartoon(n).image, tuple(n_terms))
