"""One registry of all relevance methods of the lecture: ``explain(model, x, method=...)``.

Each entry names a function of ``(model, x, *, target, contrast, **options)`` that returns a
relevance map of the shape of ``x``; :func:`explain` checks the method's name and its options
(an unknown option is an error, not silently ignored) and dispatches.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np
from torch import nn

from .lrp import lrp
from .methods import gradient, gradient_x_input, integrated_gradients, occlusion, smoothgrad
from .rde import rde

__all__ = ["METHODS", "Method", "explain", "method_options"]


def _rde_mask(model, x, *, target, contrast=None, **options):
    return rde(model, x, target=target, contrast=contrast, **options).mask


@dataclass(frozen=True)
class Method:
    """A relevance method: its function, a label for legends, and whether it is slow."""

    function: object
    label: str
    slow: bool = False


#: name -> :class:`Method`; validates and dispatches ``method``.
METHODS = {
    "gradient": Method(gradient, "gradient"),
    "gradient_x_input": Method(gradient_x_input, "gradient × input"),
    "smoothgrad": Method(smoothgrad, "SmoothGrad"),
    "integrated_gradients": Method(integrated_gradients, "Integrated Gradients"),
    "occlusion": Method(occlusion, "occlusion"),
    "lrp": Method(lrp, "LRP"),
    "rde": Method(_rde_mask, "RDE", slow=True),
}


def method_options(method: str) -> tuple:
    """The keyword options a method accepts (besides ``target`` and ``contrast``)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; got {method!r}")
    fn = METHODS[method].function
    if method == "rde":
        from .rde import rde_steps as fn
    params = inspect.signature(fn).parameters
    skip = {"model", "x", "target", "contrast", "report_every", "options"}
    return tuple(p for p in params if p not in skip)


def explain(model: nn.Module, x, *, method: str, target, contrast=None, **options) -> np.ndarray:
    """The relevance map of ``method`` for images ``(8, 8)`` or ``(m, 8, 8)``.

    Examples
    --------
    >>> from course.relevance.models import load_model, load_digits_split
    >>> d = load_digits_split()
    >>> explain(load_model("mlp"), d.x_test[0], method="lrp", target=0, rule="zero").shape
    (8, 8)
    >>> explain(load_model("mlp"), d.x_test[0], method="lrp", target=0, epsilon=1)
    Traceback (most recent call last):
    ...
    ValueError: option 'epsilon' is not an option of method 'lrp'; the options are rule, ...
    """
    allowed = method_options(method)
    for key in options:
        if key not in allowed:
            raise ValueError(
                f"option {key!r} is not an option of method {method!r}; "
                f"the options are {', '.join(allowed)}"
            )
    return METHODS[method].function(model, x, target=target, contrast=contrast, **options)
