r"""Lecture 07, relevance maps: why did the network decide this? Four panels.

- :class:`ExplainPanel`: a test digit (or one you draw), the prediction and the class scores,
  and the relevance map of a chosen method for a class :math:`c`, for a contrast class :math:`k`
  and for :math:`\Phi_c - \Phi_k` ("why 3 and not 8?"), with the method's parameters.
- :class:`ComparePanel`: every method side by side on the same input.
- :class:`EvaluationPanel`: relevance-ordering and pixel-flipping curves of every method over
  many test images, AOPC and the random baseline.
- :class:`RateDistortionPanel`: RDE's mask, its optimisation, and the rate-distortion curve
  (distortion against mask size) of RDE's ordering against other methods' and a random one.

The states compute through :mod:`course.relevance`; slow work (RDE, the evaluation) runs as a
generator job with progress and a stop button.
"""

from __future__ import annotations

from ._common import METHOD_PARAMS, drawing_to_image, image_to_drawing
from .compare import ComparePanel, CompareState
from .draw import DrawingCanvas, brush
from .evaluation import EvaluationPanel, EvaluationState
from .explain import ExplainPanel, ExplainState
from .rate_distortion import RateDistortionPanel, RateDistortionState

__all__ = [
    "METHOD_PARAMS",
    "drawing_to_image",
    "image_to_drawing",
    "DrawingCanvas",
    "brush",
    "ExplainState",
    "ExplainPanel",
    "CompareState",
    "ComparePanel",
    "EvaluationState",
    "EvaluationPanel",
    "RateDistortionState",
    "RateDistortionPanel",
]
