"""Lecture 08: deep learning for PDEs.

- :mod:`.fem`: P1 finite elements on the unit square (scipy.sparse), the 1D stiffness matrix.
- :mod:`.coefficients`: the parametric diffusion coefficients of Geist et al. (2021).
- :mod:`.pinn`: physics-informed networks (residual by automatic differentiation, soft and hard
  boundary conditions, Adam then L-BFGS); :mod:`.ritz`: the Deep Ritz method.
- :mod:`.bsde`: the deep BSDE method for the Allen-Cahn equation (Han, Jentzen, E 2018) and a
  finite-difference reference in d = 1; :mod:`.cost`: grid cost against the dimension.
- :mod:`.parametric`: the map y -> u_y^h learnt by a network; :mod:`.train` makes the shipped
  weights.

Importing this package does not import torch. Of the submodules, :mod:`.pinn`, :mod:`.ritz`,
:mod:`.nets` and :mod:`.train` import it; :mod:`.config` (the settings of a PINN or Ritz run),
:mod:`.problems`, :mod:`.bsde` and :mod:`.cost` import it only when a training starts, so that a
stored result (a snapshot, a BSDE run, a cost curve) is read and shown without torch.
"""

from .coefficients import FAMILIES, CoefficientFamily, coefficient_family
from .fem import (
    FEMErrors,
    FEMSolution,
    Mesh,
    errors,
    load_1d,
    load_vector,
    mass_matrix,
    solve,
    stiffness_1d,
    stiffness_matrix,
    unit_square_mesh,
)

__all__ = [
    "FAMILIES",
    "CoefficientFamily",
    "coefficient_family",
    "FEMErrors",
    "FEMSolution",
    "Mesh",
    "errors",
    "load_1d",
    "load_vector",
    "mass_matrix",
    "solve",
    "stiffness_1d",
    "stiffness_matrix",
    "unit_square_mesh",
]
