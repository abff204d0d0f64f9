"""Lecture 07: relevance maps, or why did the network decide this?

Classifiers for scikit-learn's 8x8 digits (:mod:`.models`, trained by :mod:`.train`), relevance
methods (:mod:`.methods`: gradient, gradient x input, SmoothGrad, Integrated Gradients,
occlusion; :mod:`.lrp`: layer-wise relevance propagation; :mod:`.rde`: rate-distortion
explanations), one registry of them all (:mod:`.explain`), and their evaluation by relevance
ordering and pixel flipping (:mod:`.evaluation`).

Importing this package imports no torch: the names, labels and facts of the shipped weights
(:mod:`.catalog`), the data (:mod:`.digits`) and the containers of results (:mod:`.results`)
are plain Python and numpy, and the names that compute are imported from their modules (with
torch) on first use, ``from course.relevance import lrp`` as before. A dashboard at rest shows
stored results without paying torch's import (about 0.9 s and 180 MB).
"""

import importlib
import sys
import types

from .catalog import METHOD_LABELS, MODEL_LABELS, RULES, model_info, shipped_accuracy
from .digits import load_digit_images
from .results import EvaluationResult, RateDistortionCurve

#: The names that compute, by module: imported (with torch) when first asked for.
_WITH_TORCH = {
    "evaluation": ("aopc", "evaluate", "evaluate_steps", "randomisation_curve"),
    "explain": ("METHODS", "explain", "explain_steps"),
    "lrp": ("lrp", "lrp_relevances"),
    "lrp_reference": ("lrp_reference",),
    "methods": (
        "gradient",
        "gradient_x_input",
        "integrated_gradients",
        "occlusion",
        "smoothgrad",
    ),
    "models": ("MODELS", "accuracy", "load_model", "predict", "without_biases"),
    "rde": ("RDEResult", "distortion", "rate_distortion_curve", "rde", "rde_steps"),
}
_MODULE_OF = {name: module for module, names in _WITH_TORCH.items() for name in names}

__all__ = [
    "METHOD_LABELS",
    "MODEL_LABELS",
    "RULES",
    "model_info",
    "shipped_accuracy",
    "load_digit_images",
    "EvaluationResult",
    "RateDistortionCurve",
    *_MODULE_OF,
]


def __getattr__(name):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """This package, whose functions ``explain``, ``lrp``, ``lrp_reference`` and ``rde`` share
    their names with the modules that define them: the import system's binding of such a module
    as an attribute of the package is skipped, so ``course.relevance.lrp`` is the function, as
    when this package imported it eagerly (``from course.relevance.lrp import ...`` still
    finds the module)."""

    def __setattr__(self, name, value):
        if name in _MODULE_OF and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
