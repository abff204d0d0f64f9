"""Lecture 08, deep learning for PDEs: the panels.

- :class:`FEMPanel`: P1 finite elements on the unit square, the error against the mesh width.
- :class:`PINNPanel` and :class:`RitzPanel`: a physics-informed network and the Deep Ritz method
  trained in the background (loss terms, solution, pointwise error, collocation points).
- :class:`BSDEPanel`: the deep BSDE method for Allen-Cahn in d = 1 ... 100 against the
  references; :class:`CostPanel`: the cost against d of the network and of a grid.
- :class:`ParametricPanel`: a sample's FEM solution against the shipped network, and the test
  error against the parameter dimension p.

The slow panels start on a button, run in the background with progress and stop, and cache their
results for every student (``cache_shared``).
"""

from __future__ import annotations

from .bsde import BSDEPanel, BSDEState, CostPanel, CostState
from .fem import FEMPanel, FEMState
from .parametric import ParametricPanel, ParametricState
from .pinn import PINNPanel, PINNState, RitzPanel, RitzState

__all__ = [
    "BSDEPanel",
    "BSDEState",
    "CostPanel",
    "CostState",
    "FEMPanel",
    "FEMState",
    "ParametricPanel",
    "ParametricState",
    "PINNPanel",
    "PINNState",
    "RitzPanel",
    "RitzState",
]
