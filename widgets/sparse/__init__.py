r"""Lecture 04, best N-term approximation: wavelets versus shearlets on cartoon-like images.

- :class:`CartoonPanel`: the cartoon-like image :math:`f_0 + f_1\chi_B` and its edge.
- :class:`NTermPanel`: an N slider (log scale), the original and the N-term approximations side
  by side in Fourier, wavelets, decimated shearlets and curvelets, each with its error, and
  under each its error image :math:`|f - f_N|` on one colour scale (coefficients are sorted once
  per image and system, only the synthesis runs per N).
- :class:`AtomPanel`: one shearlet (scale j, shear k, cone) in space and in frequency, and where
  its large coefficients sit on the cartoon's edge.
- :class:`ScalePanel`: the mechanism: coefficients above a threshold at each scale j, and the
  largest one, for wavelets and shearlets, against :math:`2^j`, :math:`2^{j/2}`,
  :math:`2^{-j}`, :math:`2^{-3j/4}`.
- :class:`ResolutionPanel`: the same cartoon at 128 to 1024 pixels a side, the shearlet/wavelet
  error ratio against N (a background job on a button, shared by every student).
- :class:`RatePanel`: log-log error against N for all systems, fitted slopes on a stated range,
  the theory lines, and (button) ReLU networks trained in the background, error against nonzero
  weights, on the same axes.

The numbers the lecture's text computes (:mod:`widgets.sparse.numbers`) are computed once per
server and read from the shared store.
"""

from ._common import SIZE, SYSTEM_NAMES
from .atoms import AtomPanel, AtomState
from .cartoon import CartoonPanel, CartoonState
from .nterm import NTermPanel, NTermState
from .numbers import cartoon_design_errors, edge_pixels, unfair_errors
from .rates import RatePanel, RateState
from .resolution import ResolutionPanel, ResolutionState
from .scales import ScalePanel, ScaleState

__all__ = [
    "CartoonState",
    "CartoonPanel",
    "NTermState",
    "NTermPanel",
    "AtomState",
    "AtomPanel",
    "RateState",
    "RatePanel",
    "ScaleState",
    "ScalePanel",
    "ResolutionState",
    "ResolutionPanel",
    "SIZE",
    "SYSTEM_NAMES",
    "unfair_errors",
    "edge_pixels",
    "cartoon_design_errors",
]
