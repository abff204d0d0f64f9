"""Lecture 07: relevance maps, or why did the network decide this?

Classifiers for scikit-learn's 8x8 digits (:mod:`.models`, trained by :mod:`.train`), relevance
methods (:mod:`.methods`: gradient, gradient x input, SmoothGrad, Integrated Gradients,
occlusion; :mod:`.lrp`: layer-wise relevance propagation; :mod:`.rde`: rate-distortion
explanations), one registry of them all (:mod:`.explain`), and their evaluation by relevance
ordering and pixel flipping (:mod:`.evaluation`). Importing this package imports torch.
"""

from .evaluation import EvaluationResult, aopc, evaluate, evaluate_steps, randomisation_curve
from .explain import METHODS, explain, explain_steps
from .lrp import RULES, lrp, lrp_relevances
from .lrp_reference import lrp_reference
from .methods import (
    gradient,
    gradient_x_input,
    integrated_gradients,
    occlusion,
    smoothgrad,
)
from .models import MODELS, accuracy, load_digit_images, load_model, predict, without_biases
from .rde import RDEResult, distortion, rate_distortion_curve, rde, rde_steps

__all__ = [
    "EvaluationResult",
    "aopc",
    "evaluate",
    "evaluate_steps",
    "randomisation_curve",
    "METHODS",
    "explain",
    "explain_steps",
    "RULES",
    "lrp",
    "lrp_reference",
    "lrp_relevances",
    "gradient",
    "gradient_x_input",
    "integrated_gradients",
    "occlusion",
    "smoothgrad",
    "MODELS",
    "accuracy",
    "load_digit_images",
    "load_model",
    "predict",
    "without_biases",
    "RDEResult",
    "distortion",
    "rate_distortion_curve",
    "rde",
    "rde_steps",
]
