r"""Feed-forward neural networks as explicit affine maps.

A network with :math:`L` layers is

.. math::

    \Phi(x) = T_L \rho(T_{L-1} \rho(\cdots \rho(T_1 x))), \qquad T_\ell x = W^{(\ell)} x + b^{(\ell)},

with :math:`W^{(\ell)} \in \mathbb{R}^{N_\ell \times N_{\ell-1}}`, input dimension
:math:`d = N_0` and no activation after the last affine map. Its complexity is the number of
nonzero parameters,

.. math::

    C(\Phi) = \sum_{\ell=1}^{L} \left(\|W^{(\ell)}\|_0 + \|b^{(\ell)}\|_0\right).

:class:`Network` holds the matrices themselves, so that constructions from the lectures (a
sawtooth, Yarotsky's square) are evaluated through their weights rather than through the formula
they are meant to reproduce.

References
----------
.. [1] P. Petersen and F. Voigtlaender, "Optimal approximation of piecewise smooth functions using
   deep ReLU neural networks", Neural Networks 108, 296-330, 2018 (the notation).
.. [2] G. Kutyniok, "The mathematics of deep learning", 8th European Congress of Mathematics, 2021.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .activations import get_activation

__all__ = [
    "Network",
    "random_network",
    "complexity",
    "linear_pieces_1d",
    "count_linear_pieces_1d",
    "activation_patterns",
]

# Two slopes closer than this (relative to their size) are one linear piece when counting.
_SLOPE_RTOL = 1e-9


@dataclass(frozen=True)
class Network:
    """A feed-forward network given by its affine maps.

    Parameters
    ----------
    weights : sequence of ndarray
        ``weights[l]`` has shape ``(N_{l+1}, N_l)``.
    biases : sequence of ndarray
        ``biases[l]`` has shape ``(N_{l+1},)``.
    activation : str
        A name from :data:`course.activations.ACTIVATIONS`, applied after every affine map but
        the last.

    Examples
    --------
    The tooth :math:`g(x) = 2\rho(x) - 4\rho(x - 1/2) + 2\rho(x - 1)`:

    >>> g = Network([[[1.0], [1.0], [1.0]], [[2.0, -4.0, 2.0]]], [[0.0, -0.5, -1.0], [0.0]])
    >>> g([[0.25], [0.5], [0.75]]).ravel()
    array([0.5, 1. , 0.5])
    >>> g.depth, g.widths, complexity(g)
    (2, (1, 3, 1), 8)
    """

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    activation: str = "relu"
    _act: object = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        ws = tuple(np.array(w, dtype=float, ndmin=2) for w in self.weights)
        bs = tuple(np.array(b, dtype=float).reshape(-1) for b in self.biases)
        if len(ws) == 0:
            raise ValueError("weights must hold at least one affine map; got 0")
        if len(ws) != len(bs):
            raise ValueError(
                f"weights and biases must have equal length; got {len(ws)} and {len(bs)}"
            )
        for l, (w, b) in enumerate(zip(ws, bs)):
            if w.ndim != 2 or w.shape[0] != b.shape[0]:
                raise ValueError(
                    f"layer {l + 1}: W has shape {w.shape} but b has shape {b.shape}; "
                    "need W of shape (N_out, N_in) and b of shape (N_out,)"
                )
            if l > 0 and w.shape[1] != ws[l - 1].shape[0]:
                raise ValueError(
                    f"layer {l + 1}: W expects {w.shape[1]} inputs but layer {l} has "
                    f"{ws[l - 1].shape[0]} outputs"
                )
            w.setflags(write=False)
            b.setflags(write=False)
        object.__setattr__(self, "weights", ws)
        object.__setattr__(self, "biases", bs)
        object.__setattr__(self, "_act", get_activation(self.activation))

    # ----------------------------------------------------------------- structure
    @property
    def depth(self) -> int:
        """L, the number of affine maps (hidden layers + 1)."""
        return len(self.weights)

    @property
    def widths(self) -> tuple[int, ...]:
        """(N_0, N_1, ..., N_L): input dimension, hidden widths, output dimension."""
        return (self.weights[0].shape[1],) + tuple(w.shape[0] for w in self.weights)

    @property
    def input_dim(self) -> int:
        return self.widths[0]

    @property
    def output_dim(self) -> int:
        return self.widths[-1]

    @property
    def n_params(self) -> int:
        """Number of parameters, zero or not: sum of N_l (N_{l-1} + 1)."""
        return int(sum(w.size + b.size for w, b in zip(self.weights, self.biases)))

    # ----------------------------------------------------------------- evaluation
    def pre_activations(self, x) -> list[np.ndarray]:
        """The values ``T_l(...)`` before each activation, for l = 1..L; shapes ``(n, N_l)``."""
        h = _as_points(x, self.input_dim)
        out = []
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = h @ w.T + b
            out.append(z)
            if l < self.depth - 1:
                h = self._act.numpy(z)
        return out

    def __call__(self, x) -> np.ndarray:
        """Evaluate Phi on points ``x`` of shape ``(n, d)`` (or ``(n,)`` when d = 1).

        Returns an array of shape ``(n, N_L)``.
        """
        h = _as_points(x, self.input_dim)
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            h = h @ w.T + b
            if l < self.depth - 1:
                h = self._act.numpy(h)
        return h

    # ----------------------------------------------------------------- torch
    def to_torch(self, dtype=None):
        """A ``torch.nn.Sequential`` computing the same function (float64 by default)."""
        import torch

        from ._torch import ActivationModule

        dtype = dtype or torch.float64
        layers = []
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            lin = torch.nn.Linear(w.shape[1], w.shape[0], dtype=dtype)
            with torch.no_grad():
                lin.weight.copy_(torch.tensor(np.array(w), dtype=dtype))
                lin.bias.copy_(torch.tensor(np.array(b), dtype=dtype))
            layers.append(lin)
            if l < self.depth - 1:
                layers.append(ActivationModule(self.activation))
        return torch.nn.Sequential(*layers)

    @classmethod
    def from_torch(cls, module, activation: str | None = None) -> Network:
        """Read the affine maps back from a ``Sequential`` of ``Linear`` and activation modules."""
        import torch

        ws, bs, act = [], [], activation
        for m in module:
            if isinstance(m, torch.nn.Linear):
                ws.append(m.weight.detach().cpu().double().numpy())
                bs.append(m.bias.detach().cpu().double().numpy())
            elif act is None and hasattr(m, "name"):
                act = m.name
        return cls(ws, bs, act or "relu")


def _as_points(x, input_dim: int) -> np.ndarray:
    """``x`` as float points of shape ``(n, input_dim)``; ``(n,)`` is accepted when d = 1."""
    x = np.asarray(x, dtype=float)
    if x.ndim == 1 and input_dim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[1] != input_dim:
        raise ValueError(f"x must have shape (n, {input_dim}); got {x.shape}")
    return x


def complexity(net: Network) -> int:
    r"""C(Phi): the number of nonzero weights and biases, :math:`\sum_l \|W^{(l)}\|_0 + \|b^{(l)}\|_0`."""
    return int(
        sum(np.count_nonzero(w) + np.count_nonzero(b) for w, b in zip(net.weights, net.biases))
    )


def random_network(
    widths,
    *,
    activation: str = "relu",
    sparsity: float = 0.0,
    seed: int = 0,
    bias_scale: float = 0.5,
) -> Network:
    """A network with He-scaled Gaussian weights, some of them set to zero.

    Parameters
    ----------
    widths : sequence of int
        ``(d, N_1, ..., N_L)``, each >= 1, at least two entries.
    activation : str
        Registry name.
    sparsity : float
        Fraction in [0, 1) of weights set to zero, chosen uniformly at random in each layer
        (biases are kept). Sparse matrices give sparse connectivity.
    seed : int
        Seed of :func:`numpy.random.default_rng`.
    bias_scale : float
        Standard deviation of the biases.
    """
    widths = tuple(int(w) for w in widths)
    if len(widths) < 2 or min(widths) < 1:
        raise ValueError(f"widths must hold >= 2 positive integers; got {widths}")
    if not 0.0 <= sparsity < 1.0:
        raise ValueError(f"sparsity must be in [0, 1); got {sparsity}")
    rng = np.random.default_rng(seed)
    ws, bs = [], []
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        w = rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)
        if sparsity > 0:
            k = int(round(sparsity * w.size))
            w.flat[rng.choice(w.size, size=k, replace=False)] = 0.0
            w /= np.sqrt(1.0 - sparsity)  # keep the variance of each pre-activation
        ws.append(w)
        bs.append(bias_scale * rng.standard_normal(n_out))
    return Network(ws, bs, activation)


# --------------------------------------------------------------------- linear pieces
def linear_pieces_1d(net: Network, a: float = 0.0, b: float = 1.0):
    """The exact linear pieces of a piecewise-linear network on the interval [a, b].

    The interval is split layer by layer at the points where a neuron's pre-activation, an affine
    function on each current piece, changes sign; on the resulting pieces every neuron is affine,
    so the network is. Adjacent pieces with the same slope (of every output) are merged.

    Returns
    -------
    breakpoints : ndarray, shape (P + 1,)
        ``a = t_0 < t_1 < ... < t_P = b``; the network is affine on each ``[t_i, t_{i+1}]``.
    slopes : ndarray, shape (P, N_L)
    intercepts : ndarray, shape (P, N_L)
    """
    if net.input_dim != 1:
        raise ValueError(f"net must have input dimension 1; got {net.input_dim}")
    if not net._act.piecewise_linear:
        raise ValueError(f"activation must be piecewise linear; got {net.activation!r}")
    if not (np.isfinite(a) and np.isfinite(b) and a < b):
        raise ValueError(f"need finite a < b; got a={a}, b={b}")
    act = net._act.numpy
    # Pieces of the current layer's input, as arrays: [lo, hi] and the affine map x -> S x + C
    # of each neuron of that layer on the piece (vectorised over pieces).
    lo, hi = np.array([float(a)]), np.array([float(b)])
    S, C = np.ones((1, 1)), np.zeros((1, 1))
    for l, (w, bias) in enumerate(zip(net.weights, net.biases)):
        zs, zc = S @ w.T, C @ w.T + bias  # pre-activations z = zs * x + zc, shape (P, N_l)
        if l == net.depth - 1:
            S, C = zs, zc
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            roots = -zc / zs
        inside = np.isfinite(roots) & (roots > lo[:, None]) & (roots < hi[:, None])
        piece, _ = np.nonzero(inside)
        # all left ends of the new pieces: old left ends and the roots inside, sorted per piece
        owner = np.concatenate([np.arange(len(lo)), piece])
        start = np.concatenate([lo, roots[inside]])
        order = np.lexsort((start, owner))
        owner, start = owner[order], start[order]
        keep = np.ones(len(start), dtype=bool)
        keep[1:] = (owner[1:] != owner[:-1]) | (start[1:] > start[:-1])  # drop repeated roots
        owner, start = owner[keep], start[keep]
        end = np.empty_like(start)
        end[:-1] = np.where(owner[1:] == owner[:-1], start[1:], hi[owner[:-1]])
        end[-1] = hi[owner[-1]]
        z_mid = zs[owner] * (0.5 * (start + end))[:, None] + zc[owner]
        # rho is affine on each side of 0: rho(z) = d z + e around the midpoint's value
        d = _local_slope(act, z_mid)
        e = act(z_mid) - d * z_mid
        lo, hi, S, C = start, end, d * zs[owner], d * zc[owner] + e
    # merge adjacent pieces with the same affine function
    scale = np.maximum(1.0, np.maximum(np.abs(S[1:]).max(axis=1), np.abs(S[:-1]).max(axis=1)))
    same = np.all(np.abs(S[1:] - S[:-1]) <= _SLOPE_RTOL * scale[:, None], axis=1)
    first = np.concatenate([[True], ~same])
    return np.append(lo[first], hi[-1]), S[first], C[first]


def _local_slope(act, z):
    """Slope of a piecewise-linear activation with its only kink at 0 and rho(0) = 0.

    Exact: rho(z) / z is the slope of the linear branch that z lies on (ReLU, leaky ReLU,
    identity). Where z == 0 the neuron vanishes on the whole piece and the slope is irrelevant.
    """
    safe = np.where(z != 0, z, 1.0)
    return np.where(z != 0, act(safe) / safe, 1.0)


def count_linear_pieces_1d(net: Network, a: float = 0.0, b: float = 1.0) -> int:
    """Number of maximal intervals of [a, b] on which the network is affine.

    Examples
    --------
    >>> g = Network([[[1.0], [1.0], [1.0]], [[2.0, -4.0, 2.0]]], [[0.0, -0.5, -1.0], [0.0]])
    >>> count_linear_pieces_1d(g, 0.0, 1.0)
    2
    """
    return len(linear_pieces_1d(net, a, b)[1])


def activation_patterns(net: Network, x) -> np.ndarray:
    """An integer label per point: equal labels mean equal on/off patterns of all hidden neurons.

    For a ReLU network, points with the same pattern lie in the same linear region (a region may
    carry one pattern only; one pattern may be split into several regions only if it is not
    convex-connected, which does not happen for a fixed pattern: each pattern set is a convex
    polyhedron). Counting distinct labels on a grid therefore gives a lower bound on the number
    of linear regions meeting the grid.

    Returns
    -------
    labels : ndarray of int, shape (n,)
        Consecutive labels 0..K-1 in order of first appearance.
    """
    zs = net.pre_activations(x)[:-1]
    if not zs:
        return np.zeros(len(np.atleast_2d(x)), dtype=int)
    bits = np.concatenate([z > 0 for z in zs], axis=1)
    packed = np.packbits(bits, axis=1)
    _, first, inverse = np.unique(packed, axis=0, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return order[inverse.ravel()]
