"""Small torch helpers; imported lazily so that ``import course`` does not import torch."""

from __future__ import annotations

import torch

from .activations import get_activation

__all__ = ["ActivationModule", "default_device"]


class ActivationModule(torch.nn.Module):
    """A registry activation as a ``torch.nn.Module``."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self._act = get_activation(name)

    def forward(self, x):
        return self._act.torch(x)

    def extra_repr(self) -> str:
        return self.name


def default_device() -> torch.device:
    """The GPU if one is present, else the CPU; never required."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
