r"""Networks for PDEs and the derivatives the losses need, by automatic differentiation.

:func:`gradient` and :func:`laplacian` differentiate *any* function of the points through
``torch.autograd`` (with ``create_graph=True``, so that the loss can be differentiated again with
respect to the weights). The same code path computes the residual of a network and of an exact
solution such as :math:`\sin(\pi x)`; a test checks that the latter vanishes to round-off.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from .config import ACTIVATION_NAMES

__all__ = ["ACTIVATIONS", "mlp", "HardConstraint", "gradient", "laplacian"]

#: Smooth activations (the residual needs second derivatives); ReLU is offered to show why:
#: its second derivative vanishes almost everywhere, so -u'' of a ReLU network is 0.
ACTIVATIONS: dict[str, Callable] = {
    "tanh": torch.tanh,
    "sin": torch.sin,
    "softplus": nn.functional.softplus,
    "gelu": nn.functional.gelu,
    "relu": torch.relu,
}
assert tuple(ACTIVATIONS) == ACTIVATION_NAMES  # the names a panel offers without torch


class _Activation(nn.Module):
    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.fn = ACTIVATIONS[name]

    def forward(self, x):
        return self.fn(x)

    def extra_repr(self) -> str:
        return self.name


def mlp(
    dim: int, width: int, depth: int, activation: str = "tanh", *, out: int = 1, seed: int = 0
) -> nn.Sequential:
    """A fully connected network :math:`\\mathbb{R}^d \\to \\mathbb{R}` with ``depth`` hidden
    layers of ``width`` neurons, float64, Xavier-initialised from ``seed``.

    Examples
    --------
    >>> net = mlp(2, 16, 3)
    >>> sum(p.numel() for p in net.parameters())  # 2*16+16 + 2*(16*16+16) + 16+1
    609
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {activation!r}")
    for name, value, lo, hi in (("width", width, 1, 1024), ("depth", depth, 1, 32)):
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise ValueError(f"{name} must be an integer in [{lo}, {hi}]; got {value!r}")
    gen = torch.Generator().manual_seed(int(seed))
    layers: list[nn.Module] = []
    sizes = [dim] + [width] * depth
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b, dtype=torch.float64), _Activation(activation)]
    layers.append(nn.Linear(sizes[-1], out, dtype=torch.float64))
    with torch.no_grad():
        for layer in layers:
            if isinstance(layer, nn.Linear):
                bound = (6.0 / (layer.in_features + layer.out_features)) ** 0.5
                layer.weight.uniform_(-bound, bound, generator=gen)
                layer.bias.zero_()
    return nn.Sequential(*layers)


class HardConstraint(nn.Module):
    r"""The ansatz :math:`u(x) = B(x)\,N(x)` with :math:`B = 0` exactly on the boundary.

    For zero Dirichlet data on :math:`(0, 1)^d`, :math:`B(x) = \prod_i 4x_i(1 - x_i)`
    (Lagaris, Likas, Fotiadis 1998): every network :math:`N` gives a function that meets the
    boundary condition exactly, and the loss keeps only the residual.
    """

    def __init__(self, net: nn.Module, factor: Callable):
        super().__init__()
        self.net = net
        self.factor = factor

    def forward(self, x):
        return self.factor(x)[:, None] * self.net(x)


def gradient(u: Callable, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``(u(x), grad u(x))`` of shapes (m,) and (m, d), differentiable in ``u``'s weights."""
    x = x.detach().requires_grad_(True)
    values = u(x).reshape(-1)
    (g,) = torch.autograd.grad(values.sum(), x, create_graph=True)
    return values, g


def laplacian(u: Callable, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    r"""``(u(x), Delta u(x))``, both of shape (m,): :math:`\Delta u = \sum_i \partial_i^2 u`
    by automatic differentiation (one backward pass per coordinate)."""
    x = x.detach().requires_grad_(True)
    values = u(x).reshape(-1)
    (g,) = torch.autograd.grad(values.sum(), x, create_graph=True)
    lap = torch.zeros_like(values)
    for i in range(x.shape[1]):
        (gi,) = torch.autograd.grad(g[:, i].sum(), x, create_graph=True)
        lap = lap + gi[:, i]
    return values, lap
