"""One registry of all relevance methods of the lecture: ``explain(model, x, method=...)``.

Each entry names a function of ``(model, x, *, target, contrast, **options)`` that returns a
relevance map of the shape of ``x``; :func:`explain` checks the method's name and its options
(an unknown option is an error, not silently ignored) and dispatches. A slow method also carries
its streaming form (``steps``: a generator of ``Progress(fraction, partial map)``), and
:func:`explain_steps` streams every method the same way, so no caller names the slow one.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np
from torch import nn

from ..progress import relay
from .catalog import METHOD_LABELS
from .lrp import lrp
from .methods import gradient, gradient_x_input, integrated_gradients, occlusion, smoothgrad
from .rde import rde, rde_steps

__all__ = ["METHODS", "Method", "explain", "explain_steps", "method_options"]


def _rde_mask(model, x, *, target, contrast=None, **options):
    return rde(model, x, target=target, contrast=contrast, **options).mask


def _rde_mask_steps(model, x, *, target, contrast=None, **options):
    job = rde_steps(model, x, target=target, contrast=contrast, **options)
    result = yield from relay(job, wrap=lambda partial: partial.mask)
    return result.mask


@dataclass(frozen=True)
class Method:
    """A relevance method: its function, a label for legends and, for a slow method, its
    streaming form.

    Attributes
    ----------
    function : callable
        ``function(model, x, *, target, contrast, **options)`` returns the map.
    label : str
        For legends.
    steps : callable, optional
        The same call as a generator of ``Progress(fraction, partial map)`` returning the map.
    signature : callable, optional
        The function whose keyword parameters are the method's options (default: ``function``).
    """

    function: object
    label: str
    steps: object = None
    signature: object = None

    @property
    def slow(self) -> bool:
        """Whether the method streams (it takes long enough to show progress)."""
        return self.steps is not None


#: name -> :class:`Method`; validates and dispatches ``method``.
#: Keyed and labelled as :data:`.catalog.METHOD_LABELS` (the names without torch).
METHODS = {
    "gradient": Method(gradient, METHOD_LABELS["gradient"]),
    "gradient_x_input": Method(gradient_x_input, METHOD_LABELS["gradient_x_input"]),
    "smoothgrad": Method(smoothgrad, METHOD_LABELS["smoothgrad"]),
    "integrated_gradients": Method(integrated_gradients, METHOD_LABELS["integrated_gradients"]),
    "occlusion": Method(occlusion, METHOD_LABELS["occlusion"]),
    "lrp": Method(lrp, METHOD_LABELS["lrp"]),
    "rde": Method(_rde_mask, METHOD_LABELS["rde"], steps=_rde_mask_steps, signature=rde_steps),
}


def method_options(method: str) -> tuple:
    """The keyword options a method accepts (besides ``target`` and ``contrast``)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; got {method!r}")
    entry = METHODS[method]
    params = inspect.signature(entry.signature or entry.function).parameters
    skip = {"model", "x", "target", "contrast", "report_every", "options"}
    return tuple(p for p in params if p not in skip)


def explain(model: nn.Module, x, *, method: str, target, contrast=None, **options) -> np.ndarray:
    """The relevance map of ``method`` for images ``(8, 8)`` or ``(m, 8, 8)``.

    Examples
    --------
    >>> from course.relevance.models import load_model, load_digit_images
    >>> d = load_digit_images()
    >>> explain(load_model("mlp"), d.x_test[0], method="lrp", target=0, rule="zero").shape
    (8, 8)
    >>> explain(load_model("mlp"), d.x_test[0], method="lrp", target=0, epsilon=1)
    Traceback (most recent call last):
    ...
    ValueError: option 'epsilon' is not an option of method 'lrp'; the options are rule, ...
    """
    _check_options(method, options)
    return METHODS[method].function(model, x, target=target, contrast=contrast, **options)


def explain_steps(model: nn.Module, x, *, method: str, target, contrast=None, **options):
    """:func:`explain` as a generator job: a slow method streams ``Progress(fraction, partial
    map)``, a fast one returns at once. ``map = yield from explain_steps(...)``.

    Examples
    --------
    >>> from course.progress import run_to_end
    >>> from course.relevance.models import load_model, load_digit_images
    >>> x = load_digit_images().x_test[0]
    >>> run_to_end(explain_steps(load_model("mlp"), x, method="gradient", target=0)).shape
    (8, 8)
    """
    _check_options(method, options)
    entry = METHODS[method]
    if entry.steps is None:
        return entry.function(model, x, target=target, contrast=contrast, **options)
    return (yield from entry.steps(model, x, target=target, contrast=contrast, **options))


def _check_options(method, options):
    allowed = method_options(method)
    for key in options:
        if key not in allowed:
            raise ValueError(
                f"option {key!r} is not an option of method {method!r}; "
                f"the options are {', '.join(allowed)}"
            )
