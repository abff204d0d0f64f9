r"""Layer-wise Relevance Propagation (LRP): redistribute the score backwards, layer by layer.

A network is a chain of layers :math:`a^{(l+1)} = g_l(a^{(l)})`. LRP starts from the explained
score at the output, :math:`R^{(L)} = w \odot \Phi(x)` (so :math:`\sum R^{(L)} = f(x)`, see
:func:`course.relevance.methods.output_weights`), and passes relevance from each neuron
:math:`j` of layer :math:`l+1` to the neurons :math:`i` of layer :math:`l` in proportion to their
contributions :math:`z_{ij} = a_i w_{ij}` to :math:`z_j = \sum_i z_{ij} + b_j`. The rules
(Bach et al. [1]_; Montavon et al. [2]_ [3]_):

LRP-0
    :math:`R_i = \sum_j \frac{z_{ij}}{z_j} R_j`.
LRP-:math:`\varepsilon`
    :math:`R_i = \sum_j \frac{z_{ij}}{z_j + \varepsilon\, \mathrm{sign}(z_j)} R_j`
    (sign(0) = 1): the stabiliser absorbs weak or contradictory relevance.
LRP-:math:`\alpha\beta`
    :math:`R_i = \sum_j \Big(\alpha \frac{z_{ij}^+}{\sum_{i'} z_{i'j}^+}
    - \beta \frac{z_{ij}^-}{\sum_{i'} z_{i'j}^-}\Big) R_j` with :math:`\alpha - \beta = 1`,
    :math:`z^\pm` the positive and negative parts (biases ignored, as in [3]_).
:math:`z^+`
    :math:`R_i = \sum_j \frac{a_i w_{ij}^+}{\sum_{i'} a_{i'} w_{i'j}^+} R_j`, for
    :math:`a \ge 0`: the deep Taylor rule for ReLU layers [2]_; here :math:`z_{ij}^+ =
    (a_i w_{ij})^+`, i.e. LRP-:math:`\alpha\beta` with :math:`\alpha = 1, \beta = 0`.
:math:`z^B` (input layer, pixels in a box :math:`[l, h]`)
    :math:`R_i = \sum_j \frac{x_i w_{ij} - l_i w_{ij}^+ - h_i w_{ij}^-}
    {\sum_{i'} (x_{i'} w_{i'j} - l_{i'} w_{i'j}^+ - h_{i'} w_{i'j}^-)} R_j` [2]_.

ReLU passes relevance through unchanged (:math:`R^{(l)} = R^{(l+1)}` neuron by neuron), Flatten
reshapes it, max-pooling gives all of a window's relevance to the neuron that won the max, and
average pooling is a linear layer with weights :math:`1/k^2`, treated by LRP-0.

**Conservation.** LRP-0 gives :math:`\sum_i R_i^{(l)} = \sum_j \frac{\sum_i z_{ij}}{z_j} R_j =
\sum_j R_j^{(l+1)}` when there are no biases, hence :math:`\sum_i R_i^{(0)} = f(x)`; so do
:math:`\alpha\beta` (since :math:`\alpha - \beta = 1`), :math:`z^+` and :math:`z^B` wherever the
denominators are non-zero; LRP-:math:`\varepsilon` loses the fraction absorbed by
:math:`\varepsilon`. For a bias-free ReLU network LRP-0 equals gradient x input ([3]_).

Two implementations: :func:`lrp_relevances` (fast: each rule as a forward pass, a division and a
gradient, the "gradient trick" of [3]_) and :func:`lrp_reference` (slow: every layer
written out as a matrix and the rule's formula applied neuron by neuron). Tests check that they
agree.

References
----------
.. [1] S. Bach, A. Binder, G. Montavon, F. Klauschen, K.-R. Mueller, W. Samek, "On pixel-wise
   explanations for non-linear classifier decisions by layer-wise relevance propagation",
   PLoS ONE 10(7): e0130140, 2015.
.. [2] G. Montavon, S. Lapuschkin, A. Binder, W. Samek, K.-R. Mueller, "Explaining nonlinear
   classification decisions with deep Taylor decomposition", Pattern Recognition 65, 211-222,
   2017 (the :math:`z^+` and :math:`z^B` rules).
.. [3] G. Montavon, A. Binder, S. Lapuschkin, W. Samek, K.-R. Mueller, "Layer-wise relevance
   propagation: an overview", in Explainable AI, LNCS 11700, Springer, 2019.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .catalog import RULES  # the rules' names and labels, kept without torch
from .methods import _prepare

__all__ = ["RULES", "INPUT_RULES", "LRPRule", "lrp", "lrp_relevances"]


#: Rules for the first layer (the pixels); ``None`` means: the same rule as the other layers.
INPUT_RULES = {None: "same as the other layers", "zB": "zᴮ (pixels in [low, high])"}


@dataclass(frozen=True)
class LRPRule:
    r"""A propagation rule for linear layers (Linear, Conv2d): its name in :data:`RULES` and its
    parameters :math:`\varepsilon, \alpha, \beta`."""

    name: str
    eps: float = 0.0
    alpha: float = 1.0
    beta: float = 0.0

    @property
    def label(self) -> str:
        return RULES[self.name]


def _make_rule(rule: str, eps: float, alpha: float) -> LRPRule:
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(map(repr, RULES))}; got {rule!r}")
    if not np.isfinite(eps) or eps < 0:
        raise ValueError(f"eps must be a number >= 0; got {eps!r}")
    if not np.isfinite(alpha) or alpha < 1:
        raise ValueError(f"alpha must be a number >= 1 (beta = alpha - 1 >= 0); got {alpha!r}")
    return {
        "zero": LRPRule("zero"),
        "epsilon": LRPRule("epsilon", eps=eps),
        "alpha_beta": LRPRule("alpha_beta", alpha=alpha, beta=alpha - 1),
        "zplus": LRPRule("zplus", alpha=1.0, beta=0.0),
    }[rule]


def _divide(r: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """:math:`R_j / z_j`, with 0/0 = 0 (a neuron that received no contribution passes nothing)."""
    return torch.where(z == 0, torch.zeros_like(r), r / torch.where(z == 0, 1.0, z))


def _stabilise(z: torch.Tensor, eps: float) -> torch.Tensor:
    """:math:`z + \\varepsilon\\, \\mathrm{sign}(z)` with sign(0) = 1."""
    return z + eps * torch.where(z >= 0, 1.0, -1.0).to(z.dtype)


# ---------------------------------------------------------------------------- fast: gradient trick
def _linear_map(layer: nn.Module, weight: torch.Tensor, bias):
    """The layer's affine map with another weight and bias (the rules modify them)."""
    if isinstance(layer, nn.Linear):
        return lambda a: F.linear(a, weight, bias)
    return lambda a: F.conv2d(
        a, weight, bias, layer.stride, layer.padding, layer.dilation, layer.groups
    )


def _redistribute(layer, a, r, weight, bias, denominator=None):
    r""":math:`a_i \sum_j w_{ij} R_j / z_j` for the map with ``weight``/``bias``; returns it and z.

    The sum over :math:`j` is the transposed map applied to :math:`s = R/z`, obtained as the
    gradient of :math:`\langle z(a), s\rangle` with respect to :math:`a`.
    """
    a = a.detach().requires_grad_(True)
    z = _linear_map(layer, weight, bias)(a)
    s = _divide(r, z if denominator is None else denominator)
    (c,) = torch.autograd.grad(z, a, grad_outputs=s)
    return a.detach() * c, z.detach()


def _rule_linear(layer, a, r, rule: LRPRule) -> torch.Tensor:
    W, b = layer.weight, layer.bias
    if rule.name in ("zero", "epsilon"):
        # R_i = sum_j z_ij / (z_j + eps sign z_j) R_j, z_j including the bias.
        with torch.no_grad():
            z = _linear_map(layer, W, b)(a)
        return _redistribute(layer, a, r, W, b, denominator=_stabilise(z, rule.eps))[0]
    # alpha-beta and z+: (a_i w_ij)^+ = a_i^+ w_ij^+ + a_i^- w_ij^-, likewise for the negative part.
    a_pos, a_neg = a.clamp(min=0), a.clamp(max=0)
    W_pos, W_neg = W.clamp(min=0), W.clamp(max=0)
    with torch.no_grad():
        z_pos = _linear_map(layer, W_pos, None)(a_pos) + _linear_map(layer, W_neg, None)(a_neg)
        z_neg = _linear_map(layer, W_neg, None)(a_pos) + _linear_map(layer, W_pos, None)(a_neg)
    positive = (
        _redistribute(layer, a_pos, r, W_pos, None, z_pos)[0]
        + _redistribute(layer, a_neg, r, W_neg, None, z_pos)[0]
    )
    out = rule.alpha * positive
    if rule.beta != 0:
        negative = (
            _redistribute(layer, a_pos, r, W_neg, None, z_neg)[0]
            + _redistribute(layer, a_neg, r, W_pos, None, z_neg)[0]
        )
        out = out - rule.beta * negative
    return out


def _rule_zb(layer, x, r, low: float, high: float) -> torch.Tensor:
    # R_i = sum_j (x_i w_ij - l w_ij^+ - h w_ij^-) / z_j R_j
    W = layer.weight
    W_pos, W_neg = W.clamp(min=0), W.clamp(max=0)
    lo, hi = torch.full_like(x, low), torch.full_like(x, high)
    with torch.no_grad():
        z = (
            _linear_map(layer, W, None)(x)
            - _linear_map(layer, W_pos, None)(lo)
            - _linear_map(layer, W_neg, None)(hi)
        )
    return (
        _redistribute(layer, x, r, W, None, z)[0]
        - _redistribute(layer, lo, r, W_pos, None, z)[0]
        - _redistribute(layer, hi, r, W_neg, None, z)[0]
    )


def _rule_pool(layer, a, r) -> torch.Tensor:
    # Max-pooling: winner takes all (LRP-0 on the max); average pooling: LRP-0 on a linear map.
    a = a.detach().requires_grad_(True)
    z = layer(a)
    (c,) = torch.autograd.grad(z, a, grad_outputs=_divide(r, z.detach()))
    return a.detach() * c


_LINEAR = (nn.Linear, nn.Conv2d)
_POOL = (nn.MaxPool2d, nn.AvgPool2d)
_PASS = (nn.ReLU, nn.Identity, nn.Dropout)


def _layers(model: nn.Module) -> list:
    layers = list(model) if isinstance(model, nn.Sequential) else [model]
    for layer in layers:
        if not isinstance(layer, (*_LINEAR, *_POOL, *_PASS, nn.Flatten)):
            raise ValueError(
                f"model must be an nn.Sequential of Linear, Conv2d, ReLU, MaxPool2d, AvgPool2d "
                f"and Flatten layers; got a {type(layer).__name__}"
            )
    return layers


def _check(
    rule: str = "epsilon",
    eps: float = 0.1,
    alpha: float = 2.0,
    input_rule: str | None = None,
    bounds: tuple = (0.0, 1.0),
):
    """The options of :func:`lrp` checked: ``(rule, low, high)``; a misspelt option is a
    TypeError, not ignored."""
    r = _make_rule(rule, eps, alpha)
    if input_rule not in INPUT_RULES:
        raise ValueError(
            f"input_rule must be one of {', '.join(map(repr, INPUT_RULES))}; got {input_rule!r}"
        )
    low, high = (float(v) for v in bounds)
    if not low < high:
        raise ValueError(f"bounds must be (low, high) with low < high; got {bounds!r}")
    return r, low, high


def lrp_relevances(model: nn.Module, x, *, target, contrast=None, **options) -> list:
    r"""The relevance at the input of every layer, input first, output (:math:`w \odot \Phi(x)`) last.

    Options (``rule``, ``eps``, ``alpha``, ``input_rule``, ``bounds``) as for :func:`lrp`.
    Returns a list of ``len(model) + 1`` float64 arrays of shape ``(m, ...)`` (the batch
    dimension is kept even for one image).
    """
    rule_, low, high = _check(**options)
    input_rule = options.get("input_rule")
    layers = _layers(model)
    xb, w, _ = _prepare(model, x, target, contrast)
    activations = [xb]
    with torch.no_grad():
        for layer in layers:
            activations.append(layer(activations[-1]))
    r = w * activations[-1]
    relevances = [r]
    first_linear = next(i for i, layer in enumerate(layers) if isinstance(layer, _LINEAR))
    for i in range(len(layers) - 1, -1, -1):
        layer, a = layers[i], activations[i]
        if isinstance(layer, _LINEAR):
            if i == first_linear and input_rule == "zB":
                r = _rule_zb(layer, a, r, low, high)
            else:
                r = _rule_linear(layer, a, r, rule_)
        elif isinstance(layer, _POOL):
            r = _rule_pool(layer, a, r)
        elif isinstance(layer, nn.Flatten):
            r = r.reshape(a.shape)
        relevances.append(r)
    return [t.to(torch.float64).numpy() for t in reversed(relevances)]


def lrp(
    model: nn.Module,
    x,
    *,
    target,
    contrast=None,
    rule: str = "epsilon",
    eps: float = 0.1,
    alpha: float = 2.0,
    input_rule: str | None = None,
    bounds: tuple = (0.0, 1.0),
) -> np.ndarray:
    r"""The LRP relevance map of images ``(8, 8)`` or ``(m, 8, 8)``, same shape, float64.

    Parameters
    ----------
    model : nn.Sequential
        Of Linear, Conv2d, ReLU, MaxPool2d, AvgPool2d and Flatten layers.
    target, contrast : int or array of int
        Explain :math:`\Phi_c` or :math:`\Phi_c - \Phi_k`.
    rule : str
        One of :data:`RULES` for every Linear and Conv2d layer.
    eps : float
        :math:`\varepsilon \ge 0` of LRP-:math:`\varepsilon`.
    alpha : float
        :math:`\alpha \ge 1` of LRP-:math:`\alpha\beta`; :math:`\beta = \alpha - 1`.
    input_rule : {None, 'zB'}
        ``'zB'`` uses the :math:`z^B` rule for the first linear layer.
    bounds : (float, float)
        The box :math:`[l, h]` of the pixel values for :math:`z^B`.

    Examples
    --------
    A bias-free linear model: LRP-0 is :math:`R_i = x_i w_{ci}` and sums to the logit.

    >>> lin = nn.Sequential(nn.Flatten(), nn.Linear(64, 10, bias=False)).double()
    >>> x = np.linspace(0, 1, 64).reshape(8, 8)
    >>> R = lrp(lin, x, target=2, rule="zero")
    >>> bool(np.isclose(R.sum(), (lin(torch.tensor(x).reshape(1, 1, 8, 8))[0, 2]).item()))
    True
    """
    options = dict(rule=rule, eps=eps, alpha=alpha, input_rule=input_rule, bounds=bounds)
    r = lrp_relevances(model, x, target=target, contrast=contrast, **options)[0]
    r = r.reshape(-1, 8, 8)
    return r[0] if np.ndim(x) == 2 else r
