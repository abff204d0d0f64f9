"""The networks of the deep BSDE method (Han, Jentzen, E 2018), in torch: imported by
:func:`course.pdes.bsde.iter_deep_bsde` when a training starts.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .bsde import T_FINAL, BSDEConfig

__all__ = ["DeepBSDENet", "paths"]


def _batch_norm(h: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor) -> torch.Tensor:
    """Batch normalisation in training mode, separately for each time step (axis 0)."""
    mean = h.mean(dim=1, keepdim=True)
    var = h.var(dim=1, unbiased=False, keepdim=True)
    return gamma * (h - mean) / torch.sqrt(var + 1e-6) + beta


class DeepBSDENet(nn.Module):
    r""":math:`Y_0`, :math:`Z_0` and the N - 1 subnetworks for :math:`Z_{t_n}`, evaluated at once.

    Subnetwork n is the paper's d -> d+10 -> d+10 -> d with batch normalisation of its input and
    of both hidden layers, ReLU, and output divided by d (as in the paper's code); its weights
    are slice n of the stacked tensors, so one batched product evaluates all time steps (the
    inputs :math:`X_{t_n}` are known in advance). Unlike the paper's code, the output layer is
    not batch-normalised and starts at a tenth of the usual scale: in d = 1 an output of order
    one makes :math:`Y` blow up along some paths through the cubic term.
    """

    def __init__(self, config: BSDEConfig, generator: torch.Generator):
        super().__init__()
        d = config.dim
        k = config.n_time - 1
        h = config.hidden or d + 10
        lo, hi = config.y0_range
        self.y0 = nn.Parameter(lo + (hi - lo) * torch.rand(1, generator=generator))
        self.z0 = nn.Parameter(-0.1 + 0.2 * torch.rand(1, d, generator=generator))

        def glorot(fan_in, fan_out):
            bound = math.sqrt(6.0 / (fan_in + fan_out))
            return nn.Parameter(
                (2 * torch.rand(k, fan_in, fan_out, generator=generator) - 1) * bound
            )

        self.w1, self.w2 = glorot(d, h), glorot(h, h)
        # the output layer starts small: Z is small (|grad u| < 0.2 here), and a large initial Z
        # drives some paths of Y through the cubic term to infinity in low dimensions
        self.w3 = nn.Parameter(0.1 * glorot(h, d).detach())
        self.b3 = nn.Parameter(torch.zeros(k, 1, d))
        self.batch_norm = config.batch_norm
        self.norms = nn.ParameterList()
        for width in (d, h, h):
            self.norms.append(nn.Parameter(torch.ones(k, 1, width)))
            self.norms.append(nn.Parameter(torch.zeros(k, 1, width)))

    def z(self, xs: torch.Tensor) -> torch.Tensor:
        """:math:`Z_{t_n}` for inputs of shape (N - 1, batch, d)."""
        g = list(self.norms)
        norm = _batch_norm if self.batch_norm else (lambda v, a, b: v)
        h = norm(xs, g[0], g[1])
        h = torch.relu(norm(h @ self.w1, g[2], g[3]))
        h = torch.relu(norm(h @ self.w2, g[4], g[5]))
        return (h @ self.w3 + self.b3) / xs.shape[2]

    def forward(self, dw: torch.Tensor, x: torch.Tensor, dt: float) -> torch.Tensor:
        """Y at the terminal time along the paths: dw, x of shape (batch, d, N) and (.., N + 1)."""
        batch = dw.shape[0]
        zs = self.z(x[:, :, 1:-1].permute(2, 0, 1))  # (N - 1, batch, d)
        y = self.y0.expand(batch)
        z = self.z0.expand(batch, -1)
        for n in range(dw.shape[2]):
            y = y - (y - y**3) * dt + torch.sum(z * dw[:, :, n], dim=1)
            if n < zs.shape[0]:
                z = zs[n]
        return y


def paths(batch: int, dim: int, n_time: int, generator: torch.Generator):
    dt = T_FINAL / n_time
    dw = math.sqrt(dt) * torch.randn(batch, dim, n_time, generator=generator)
    x = torch.zeros(batch, dim, n_time + 1)
    x[:, :, 1:] = math.sqrt(2.0) * torch.cumsum(dw, dim=2)
    return dw, x, dt
