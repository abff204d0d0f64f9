r"""Lecture 02, the universal approximation theorem (:mod:`course.universal`), live: three panels.

- :class:`ShallowPanel`: a target f on [-1, 1] (from a list or typed as a formula), a shallow
  network :math:`\Phi = \sum_k a_k \rho(w_k x - b_k) + c` of width N found by (a) the explicit
  construction, (b) random inner weights and least squares or (c) SGD in the background;
  f, :math:`\Phi`, :math:`|f - \Phi|`, the sup-norm error, and each neuron's contribution.
- :class:`RatesPanel`: sup error against N on log-log axes with the fitted slope, its range and
  the predicted rate; the width :math:`N(\varepsilon)` needed for the sum of sines against its
  frequency.
- :class:`TwoDPanel`: a bump and a disc indicator on :math:`[0,1]^2`, a shallow ReLU network of
  width N, and the errors against N in d = 1 and d = 2.
"""

from ._common import MAX_CONTRIBUTIONS, METHOD_CHOICE, TARGET_CHOICE, Formula
from .rates import RatesPanel, RatesResult, RatesState
from .shallow import ShallowPanel, ShallowResult, ShallowState
from .twod import TwoDPanel, TwoDResult, TwoDState

__all__ = [
    "MAX_CONTRIBUTIONS",
    "METHOD_CHOICE",
    "TARGET_CHOICE",
    "Formula",
    "ShallowResult",
    "ShallowState",
    "ShallowPanel",
    "RatesResult",
    "RatesState",
    "RatesPanel",
    "TwoDResult",
    "TwoDState",
    "TwoDPanel",
]
