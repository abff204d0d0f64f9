r"""Lecture 04, best N-term approximation: wavelets versus shearlets on cartoon-like images.

- :class:`CartoonPanel`: the cartoon-like image :math:`f_0 + f_1\chi_B` and its edge.
- :class:`NTermPanel`: an N slider (log scale) and the N-term approximations side by side in
  Fourier, wavelets, decimated shearlets and curvelets, each with its error (coefficients are
  sorted once per image and system, only the synthesis runs per N).
- :class:`AtomPanel`: one shearlet (scale j, shear k, cone) in space and in frequency, and where
  its large coefficients sit on the cartoon's edge.
- :class:`RatePanel`: log-log error against N for all systems, fitted slopes on a stated range,
  the theory lines, and (button) ReLU networks trained in the background, error against nonzero
  weights, on the same axes.
"""

from ._common import SIZE, SYSTEM_NAMES
from .atoms import AtomPanel, AtomState
from .cartoon import CartoonPanel, CartoonState
from .nterm import NTermPanel, NTermState
from .rates import RatePanel, RateState

__all__ = [
    "CartoonState",
    "CartoonPanel",
    "NTermState",
    "NTermPanel",
    "AtomState",
    "AtomPanel",
    "RateState",
    "RatePanel",
    "SIZE",
    "SYSTEM_NAMES",
]
