"""Lecture 07: the panels' computations, with torch; imported when the first computation starts.

At rest a panel shows its default result from the shared store and never imports this module
(torch costs about 0.9 s and 180 MB per kernel). The first computation imports it on the
panel's worker thread; torch then starts with one intra-op thread (``import widgets`` set that
default: :func:`course.threads.single_threaded_numerics`), and nothing changes it under a job.
"""

from __future__ import annotations

import functools

from course.relevance.evaluation import evaluate_steps
from course.relevance.explain import explain, explain_steps
from course.relevance.lrp import lrp_relevances
from course.relevance.methods import explained_output, gradient_x_input, ig_completeness_gap
from course.relevance.models import load_model, logits, without_biases
from course.relevance.rde import rate_distortion_curve, rde_steps

__all__ = [
    "bias_free",
    "evaluate_steps",
    "explain",
    "explain_steps",
    "explained_output",
    "gradient_x_input",
    "ig_completeness_gap",
    "load_model",
    "logits",
    "lrp_relevances",
    "rate_distortion_curve",
    "rde_steps",
]


@functools.cache
def bias_free(model: str):
    """The shipped network ``model`` with every bias set to 0 (made once per network)."""
    return without_biases(load_model(model))
