r"""Lecture 06, limited-angle CT: five panels.

- :class:`MissingAnglePanel`: phantom, sinogram with the measured range shaded, and FBP from
  :math:`[-\Phi, \Phi]` live (prefix sums over angle), with filter and noise.
- :class:`VisibilityPanel`: the edges coloured visible/invisible (Quinto) and the bowtie of
  measured frequencies over the spectrum.
- :class:`ShearletPanel`: the true image's shearlet coefficients, visible and invisible.
- :class:`ComparisonPanel`: FBP, TV, l1-shearlet, post-processing network and Learn the
  Invisible with error maps and numbers (a background job started by a button).
- :class:`TablePanel`: the table of errors at missing wedges of 30, 60 and 90 degrees.
"""

from __future__ import annotations

from .comparison import ComparisonPanel, ComparisonState
from .missing_angle import MissingAnglePanel, MissingAngleState
from .shearlets import ShearletPanel, ShearletState
from .table import TablePanel, TableState, table_html
from .visibility import VisibilityPanel, VisibilityState

__all__ = [
    "MissingAnglePanel",
    "MissingAngleState",
    "VisibilityPanel",
    "VisibilityState",
    "ShearletPanel",
    "ShearletState",
    "ComparisonPanel",
    "ComparisonState",
    "TablePanel",
    "TableState",
    "table_html",
]
