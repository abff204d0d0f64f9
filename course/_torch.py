"""Small torch helpers; imported lazily so that ``import course`` does not import torch."""

from __future__ import annotations

from contextlib import contextmanager

import torch

from .activations import get_activation

__all__ = ["ActivationModule", "default_device", "torch_threads"]


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


@contextmanager
def torch_threads(n: int = 1):
    """Run torch with ``n`` intra-op threads inside the block, then restore the old number.

    ``torch.set_num_threads`` is process-wide and not safe while another thread is inside a
    parallel torch operation: panels compute on several worker threads at once, and changing the
    number under a running RDE hung a Voila kernel here. So nothing is changed when the process
    already runs ``n`` threads (the widgets set one thread once, at import, on the main thread).
    """
    old = torch.get_num_threads()
    if old == n:
        yield
        return
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(old)
