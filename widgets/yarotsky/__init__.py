r"""Lecture 03, Yarotsky's rates and the role of depth (:mod:`course.yarotsky`): five panels.

- :class:`SawtoothPanel`: :math:`g_s`, its linear pieces counted from the network's own weights,
  and the network drawn.
- :class:`SquarePanel`: :math:`x^2` against Yarotsky's :math:`f_m`, the error against
  :math:`2^{-2m-2}`, and error against :math:`C(\Phi)` for deep and shallow networks.
- :class:`ProductPanel`: the error surface of the multiplication network and a polynomial built
  from multipliers.
- :class:`SmoothPanel`: rates for :math:`C^s` targets in :math:`d = 1, 2`, the deep construction
  against shallow networks (a slow job, cached per :math:`(s, d)`).
- :class:`DepthPanel`: how wide a trained shallow network must be to match :math:`g_k` (trained
  on a button press, cached per settings).
"""

from __future__ import annotations

from .depth import DepthPanel, DepthState
from .products import POLYNOMIALS, ProductPanel, ProductState
from .sawtooth import SawtoothPanel, SawtoothState, sawtooth_result
from .smooth import SmoothPanel, SmoothState
from .square import SquarePanel, SquareState

__all__ = [
    "sawtooth_result",
    "SawtoothState",
    "SawtoothPanel",
    "SquareState",
    "SquarePanel",
    "ProductState",
    "ProductPanel",
    "POLYNOMIALS",
    "SmoothState",
    "SmoothPanel",
    "DepthState",
    "DepthPanel",
]
