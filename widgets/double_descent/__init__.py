"""Lecture 05, double descent (:mod:`course.double_descent`): four panels.

- :class:`IntuitionPanel`: 1D regression with N random features; the fitted curve is wild at the
  interpolation threshold N = n and tame again for N >> n.
- :class:`DigitsCurvePanel`: the double-descent curve of random Fourier (or ReLU) features on the
  digits (Belkin et al., 2019, Fig. 2), streamed in as N grows; a cursor on N shows that model's
  confusion matrix and misclassified digits.
- :class:`SampleWisePanel`: fixed N, more and more data n: more data can hurt (Nakkiran et al.,
  2019).
- :class:`WidthPanel`: model-wise double descent of small trained networks (torch, background,
  started by a button, cached per settings).
"""

from __future__ import annotations

from course.double_descent import DigitsEffect

from .digits_curve import DigitsCurvePanel, DigitsCurveState, digits_effects
from .intuition import IntuitionPanel, IntuitionState, RidgeEffect, ridge_effect_1d
from .sample_wise import SampleWisePanel, SampleWiseState
from .widths import WidthPanel, WidthState

__all__ = [
    "IntuitionState",
    "IntuitionPanel",
    "RidgeEffect",
    "ridge_effect_1d",
    "DigitsCurveState",
    "DigitsCurvePanel",
    "DigitsEffect",
    "digits_effects",
    "SampleWiseState",
    "SampleWisePanel",
    "WidthState",
    "WidthPanel",
]
