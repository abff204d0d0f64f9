r"""Activation functions rho: R -> R, one registry for numpy and torch.

The registry :data:`ACTIVATIONS` both validates a name and dispatches to its implementation, so
every lecture, widget and test refers to activations by the same names.

References
----------
.. [1] W. S. McCulloch and W. Pitts, "A logical calculus of the ideas immanent in nervous
   activity", Bulletin of Mathematical Biophysics 5, 115-133, 1943.
.. [2] D. Hendrycks and K. Gimpel, "Gaussian error linear units (GELUs)", arXiv:1606.08415, 2016.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Activation", "ACTIVATIONS", "get_activation", "activation_names"]

LEAKY_SLOPE = 0.1


@dataclass(frozen=True)
class Activation:
    """An activation function with its numpy and torch implementations.

    Attributes
    ----------
    name : str
        Registry key.
    latex : str
        The formula, for plot legends and notebooks.
    numpy : callable
        Elementwise ``ndarray -> ndarray``.
    torch_name : str
        Name of the elementwise function in ``torch`` / ``torch.nn.functional`` used by
        :meth:`torch`; imported lazily so that ``course`` does not import torch on start-up.
    derivative : callable
        Elementwise rho' (at a kink, the right derivative; for the Heaviside step, 0 away from 0),
        used by the numpy training loop's backpropagation.
    piecewise_linear : bool
        True when rho is continuous and piecewise linear (ReLU, leaky ReLU, identity): then every
        network built with it is piecewise linear and has linear regions.
    zero_gradient : bool
        True when rho' = 0 wherever it exists (the Heaviside step): backpropagation multiplies
        by rho', so gradient descent cannot move any weight before the last affine map.
    """

    name: str
    latex: str
    numpy: Callable[[np.ndarray], np.ndarray]
    torch_name: str
    derivative: Callable[[np.ndarray], np.ndarray]
    piecewise_linear: bool = False
    zero_gradient: bool = False

    def __call__(self, x):
        return self.numpy(np.asarray(x, dtype=float))

    def torch(self, x):
        """Apply the activation to a torch tensor."""
        import torch
        import torch.nn.functional as F

        if self.torch_name == "heaviside":
            return (x > 0).to(x.dtype)
        if self.torch_name == "leaky_relu":
            return F.leaky_relu(x, LEAKY_SLOPE)
        if self.torch_name == "identity":
            return x
        fn = getattr(torch, self.torch_name, None) or getattr(F, self.torch_name)
        return fn(x)


def _heaviside(x):
    return (x > 0).astype(float)


def _relu(x):
    return np.maximum(x, 0.0)


def _leaky(x):
    return np.where(x > 0, x, LEAKY_SLOPE * x)


def _softplus(x):
    # log(1 + e^x) computed without overflow for large |x|.
    return np.logaddexp(0.0, x)


def erf(x):
    """:func:`scipy.special.erf`, imported on first use: ``import course`` loads no
    ``scipy.special`` (0.1 s and 14 MB in every kernel that never evaluates an activation)."""
    from scipy.special import erf as _erf

    return _erf(x)


def expit(x):
    """:func:`scipy.special.expit` (the logistic sigmoid), imported on first use."""
    from scipy.special import expit as _expit

    return _expit(x)


def _gelu(x):
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def _gelu_prime(x):
    return 0.5 * (1.0 + erf(x / math.sqrt(2.0))) + x * np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def _sigmoid_prime(x):
    s = expit(x)
    return s * (1.0 - s)


ACTIVATIONS: dict[str, Activation] = {
    "heaviside": Activation(
        "heaviside",
        r"\mathbb{1}_{x>0}",
        _heaviside,
        "heaviside",
        np.zeros_like,
        zero_gradient=True,
    ),
    "sigmoid": Activation("sigmoid", r"\frac{1}{1+e^{-x}}", expit, "sigmoid", _sigmoid_prime),
    "relu": Activation("relu", r"\max(0,x)", _relu, "relu", _heaviside, piecewise_linear=True),
    "tanh": Activation("tanh", r"\tanh x", np.tanh, "tanh", lambda x: 1.0 - np.tanh(x) ** 2),
    "leaky_relu": Activation(
        "leaky_relu",
        r"\max(0.1x, x)",
        _leaky,
        "leaky_relu",
        lambda x: np.where(x > 0, 1.0, LEAKY_SLOPE),
        piecewise_linear=True,
    ),
    "softplus": Activation("softplus", r"\log(1+e^{x})", _softplus, "softplus", expit),
    "gelu": Activation("gelu", r"x\,\Phi(x)", _gelu, "gelu", _gelu_prime),
    "identity": Activation(
        "identity", "x", lambda x: x, "identity", np.ones_like, piecewise_linear=True
    ),
}


def activation_names() -> tuple[str, ...]:
    """The registered activation names, in display order."""
    return tuple(ACTIVATIONS)


def get_activation(name: str) -> Activation:
    """Look up an activation by name.

    Raises
    ------
    ValueError
        If ``name`` is not registered; the message lists the valid names.

    Examples
    --------
    >>> get_activation("relu")([-1.0, 2.0])
    array([0., 2.])
    """
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"activation must be one of {', '.join(ACTIVATIONS)}; got {name!r}"
        ) from None
