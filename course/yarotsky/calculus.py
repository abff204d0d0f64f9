r"""A calculus of ReLU networks: composition, parallelisation, sums, identity padding.

These are the building blocks of every approximation proof in the lecture (Yarotsky 2017,
Petersen and Voigtlaender 2018): a network for :math:`x \mapsto x^2` and one for
:math:`(x, y) \mapsto xy` are put side by side, composed and summed into networks for
polynomials and smooth functions. Every operation returns a plain
:class:`course.networks.Network`, so the result is evaluated through its own weight matrices.

With :math:`\Phi^1 = (T^1_1, \dots, T^1_{L_1})` and :math:`\Phi^2 = (T^2_1, \dots, T^2_{L_2})`:

- composition merges the last affine map of the inner network with the first of the outer one,
  :math:`\Phi^1 \bullet \Phi^2 = (T^2_1, \dots, T^2_{L_2 - 1}, T^1_1 T^2_{L_2}, T^1_2, \dots,
  T^1_{L_1})`, depth :math:`L_1 + L_2 - 1`, no extra layer;
- parallelisation pads the shallower network with ReLU identity layers, using
  :math:`x = \rho(x) - \rho(-x)`, and stacks the layers block-diagonally (the first layers on top
  of each other, since both networks read the same input).

References
----------
.. [1] D. Yarotsky, "Error bounds for approximations with deep ReLU networks", Neural Networks 94,
   103-114, 2017.
.. [2] P. Petersen and F. Voigtlaender, "Optimal approximation of piecewise smooth functions using
   deep ReLU neural networks", Neural Networks 108, 296-330, 2018, Definitions 2.2 and 2.5
   (concatenation and parallelisation).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.linalg import block_diag

from course.networks import Network

__all__ = [
    "affine",
    "compose",
    "identity",
    "pad",
    "parallel",
    "linear_combination",
    "network_sum",
]


def _check_network(name: str, net) -> None:
    if not isinstance(net, Network):
        raise ValueError(f"{name} must be a course.networks.Network; got {type(net).__name__}")


def affine(matrix, bias=None) -> Network:
    r"""The depth-1 network :math:`x \mapsto A x + b` (no activation is ever applied).

    Parameters
    ----------
    matrix : array_like, shape (n_out, n_in)
    bias : array_like, shape (n_out,), optional
        Zero by default.

    Examples
    --------
    >>> affine([[1.0, 1.0]], [0.5])([[1.0, 2.0]])
    array([[3.5]])
    """
    a = np.array(matrix, dtype=float, ndmin=2)
    b = np.zeros(a.shape[0]) if bias is None else np.asarray(bias, dtype=float).reshape(-1)
    return Network([a], [b], "relu")


def compose(outer: Network, inner: Network) -> Network:
    r"""The network of :math:`x \mapsto \Phi_{\mathrm{outer}}(\Phi_{\mathrm{inner}}(x))`.

    The last affine map of ``inner`` and the first of ``outer`` are merged into one, so the depth
    is ``outer.depth + inner.depth - 1`` and no layer is added (Petersen and Voigtlaender 2018,
    Definition 2.2).

    Parameters
    ----------
    outer, inner : Network
        ``inner.output_dim == outer.input_dim``; both with the same activation.

    Examples
    --------
    >>> from course.yarotsky.constructions import tooth
    >>> g2 = compose(tooth(), tooth())
    >>> g2.depth, g2.widths
    (3, (1, 3, 3, 1))
    >>> g2([[0.125], [0.25], [0.375]]).ravel()
    array([0.5, 1. , 0.5])
    """
    _check_network("outer", outer)
    _check_network("inner", inner)
    if inner.output_dim != outer.input_dim:
        raise ValueError(
            f"inner has {inner.output_dim} outputs but outer expects {outer.input_dim} inputs"
        )
    if outer.depth > 1 and inner.depth > 1 and outer.activation != inner.activation:
        raise ValueError(
            f"activations differ: outer {outer.activation!r}, inner {inner.activation!r}"
        )
    act = inner.activation if inner.depth > 1 else outer.activation
    w_in, b_in = inner.weights[-1], inner.biases[-1]
    w_out, b_out = outer.weights[0], outer.biases[0]
    weights = [*inner.weights[:-1], w_out @ w_in, *outer.weights[1:]]
    biases = [*inner.biases[:-1], w_out @ b_in + b_out, *outer.biases[1:]]
    return Network(weights, biases, act)


def identity(dim: int = 1, *, depth: int = 2) -> Network:
    r"""A ReLU network of the given depth that computes the identity of :math:`\mathbb{R}^d`.

    Depth 1 is the affine identity; depth :math:`L \ge 2` uses
    :math:`x = \rho(x) - \rho(-x)` with hidden width :math:`2d`.

    Examples
    --------
    >>> net = identity(1, depth=3)
    >>> net.widths, net([[-2.0], [3.0]]).ravel()
    ((1, 2, 2, 1), array([-2.,  3.]))
    """
    if not (isinstance(dim, (int, np.integer)) and dim >= 1):
        raise ValueError(f"dim must be a positive integer; got {dim!r}")
    if not (isinstance(depth, (int, np.integer)) and depth >= 1):
        raise ValueError(f"depth must be a positive integer; got {depth!r}")
    return pad(affine(np.eye(dim)), int(depth))


def pad(net: Network, depth: int) -> Network:
    r"""The same function as ``net``, computed by a ReLU network with exactly ``depth`` layers.

    The last affine map :math:`y = W x + b` becomes :math:`(\rho(y), \rho(-y))`, passed on by
    ``depth - net.depth - 1`` layers :math:`\begin{pmatrix} I & -I \\ -I & I\end{pmatrix}` and
    read out by :math:`(I, -I)`, since :math:`y = \rho(y) - \rho(-y)`.

    Examples
    --------
    >>> from course.yarotsky.constructions import tooth
    >>> pad(tooth(), 4).widths
    (1, 3, 2, 2, 1)
    """
    _check_network("net", net)
    if not (isinstance(depth, (int, np.integer)) and depth >= net.depth):
        raise ValueError(f"depth must be an integer >= net.depth = {net.depth}; got {depth!r}")
    depth = int(depth)
    if depth == net.depth:
        return net
    if net.depth > 1 and net.activation != "relu":
        raise ValueError(f"padding needs a ReLU network; got activation {net.activation!r}")
    k = net.output_dim
    eye = np.eye(k)
    w, b = net.weights[-1], net.biases[-1]
    weights = [*net.weights[:-1], np.vstack([w, -w])]
    biases = [*net.biases[:-1], np.concatenate([b, -b])]
    for _ in range(depth - net.depth - 1):
        weights.append(np.block([[eye, -eye], [-eye, eye]]))
        biases.append(np.zeros(2 * k))
    weights.append(np.hstack([eye, -eye]))
    biases.append(np.zeros(k))
    return Network(weights, biases, "relu")


def parallel(*nets: Network) -> Network:
    r"""One network computing :math:`x \mapsto (\Phi_1(x), \dots, \Phi_n(x))`, outputs stacked.

    All networks read the same input. Shallower networks are first padded with identity layers
    (:func:`pad`) to the largest depth; the first layers are stacked on top of each other, the
    later ones block-diagonally. Without padding, :math:`C` of the result is the sum of the
    :math:`C(\Phi_i)`.

    Examples
    --------
    >>> from course.yarotsky.constructions import sawtooth
    >>> both = parallel(sawtooth(1), sawtooth(2))
    >>> both.widths  # the tooth is padded by one identity layer of width 2
    (1, 6, 5, 2)
    >>> both([[0.25]])
    array([[0.5, 1. ]])
    """
    if not nets:
        raise ValueError("parallel needs at least one network; got 0")
    for i, net in enumerate(nets):
        _check_network(f"nets[{i}]", net)
    dims = {net.input_dim for net in nets}
    if len(dims) != 1:
        raise ValueError(f"all networks must have the same input dimension; got {sorted(dims)}")
    depth = max(net.depth for net in nets)
    padded = [pad(net, depth) for net in nets]
    acts = {net.activation for net in padded if net.depth > 1}
    if len(acts) > 1:
        raise ValueError(f"all networks must share one activation; got {sorted(acts)}")
    weights = [np.vstack([net.weights[0] for net in padded])]
    biases = [np.concatenate([net.biases[0] for net in padded])]
    for l in range(1, depth):
        weights.append(block_diag(*[net.weights[l] for net in padded]))
        biases.append(np.concatenate([net.biases[l] for net in padded]))
    return Network(weights, biases, acts.pop() if acts else "relu")


def linear_combination(nets: Sequence[Network], coefficients, *, bias=0.0) -> Network:
    r"""The network of :math:`x \mapsto \sum_i c_i \Phi_i(x) + b`.

    Built as :func:`parallel` followed by the linear map, which is merged into the last layer:
    no extra layer.

    Parameters
    ----------
    nets : sequence of Network
        Same input dimension, same output dimension :math:`k`.
    coefficients : array_like, shape (len(nets),)
    bias : float or array_like of shape (k,)

    Examples
    --------
    >>> from course.yarotsky.constructions import sawtooth
    >>> f1 = linear_combination([affine([[1.0]]), sawtooth(1)], [1.0, -0.25])
    >>> f1([[0.5]])  # f_1(1/2) = 1/2 - 1/4
    array([[0.25]])
    """
    nets = list(nets)
    c = np.asarray(coefficients, dtype=float).reshape(-1)
    if c.size != len(nets) or not np.all(np.isfinite(c)):
        raise ValueError(
            f"coefficients must be {len(nets)} finite numbers, one per network; got {c.size}"
        )
    if not nets:
        raise ValueError("nets must hold at least one network; got 0")
    k = {net.output_dim for net in nets}
    if len(k) != 1:
        raise ValueError(f"all networks must have the same output dimension; got {sorted(k)}")
    k = k.pop()
    combine = np.hstack([ci * np.eye(k) for ci in c])
    out_bias = np.broadcast_to(np.asarray(bias, dtype=float), (k,))
    return compose(affine(combine, out_bias), parallel(*nets))


def network_sum(*nets: Network) -> Network:
    """The network of the sum :math:`\\sum_i \\Phi_i(x)` (see :func:`linear_combination`)."""
    return linear_combination(nets, np.ones(len(nets)))
