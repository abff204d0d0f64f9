r"""Attribution by gradients and by perturbation: what moves the class score, pixel by pixel.

Every method explains one scalar output of a classifier :math:`\Phi: \mathbb{R}^n \to
\mathbb{R}^{10}`,

.. math::

    f(x) = \Phi_c(x) \quad\text{or, with a contrast class } k,\quad f(x) = \Phi_c(x) - \Phi_k(x)

("why :math:`c`?" or "why :math:`c` and not :math:`k`?"), where :math:`\Phi_c` is the logit of
class :math:`c`, and returns a relevance map :math:`R \in \mathbb{R}^n` of the same shape as the
input. The functions take images of shape ``(8, 8)`` or a batch ``(m, 8, 8)`` and return float64
arrays of the same shape; ``target`` (and ``contrast``) is one class or one per image.

References
----------
.. [1] K. Simonyan, A. Vedaldi, A. Zisserman, "Deep inside convolutional networks: visualising
   image classification models and saliency maps", ICLR workshop, 2014 (the gradient).
.. [2] A. Shrikumar, P. Greenside, A. Kundaje, "Learning important features through propagating
   activation differences", ICML 2017 (gradient x input).
.. [3] D. Smilkov, N. Thorat, B. Kim, F. Viegas, M. Wattenberg, "SmoothGrad: removing noise by
   adding noise", arXiv:1706.03825, 2017.
.. [4] M. Sundararajan, A. Taly, Q. Yan, "Axiomatic attribution for deep networks", ICML 2017
   (Integrated Gradients; completeness is their Proposition 1).
.. [5] M. D. Zeiler, R. Fergus, "Visualizing and understanding convolutional networks",
   ECCV 2014 (occlusion).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .models import as_batch

__all__ = [
    "QUADRATURES",
    "gradient",
    "gradient_x_input",
    "smoothgrad",
    "integrated_gradients",
    "ig_completeness_gap",
    "occlusion",
    "output_weights",
    "explained_output",
]

N_CLASSES = 10


# ---------------------------------------------------------------------------- shared helpers
def _dtype(model: nn.Module) -> torch.dtype:
    return next(model.parameters()).dtype


def _classes(value, m: int, name: str) -> np.ndarray:
    c = np.asarray(value)
    if c.ndim == 0:
        c = np.full(m, c)
    if c.shape != (m,) or not np.issubdtype(c.dtype, np.integer):
        raise ValueError(f"{name} must be an integer class or one per image ({m}); got {value!r}")
    if c.min() < 0 or c.max() >= N_CLASSES:
        raise ValueError(f"{name} must be a class in [0, {N_CLASSES - 1}]; got {value!r}")
    return c.astype(np.int64)


def output_weights(m: int, target, contrast=None) -> torch.Tensor:
    r"""The vector :math:`w` with :math:`f(x) = \langle w, \Phi(x) \rangle`, one row per image.

    :math:`w = e_c` (explain class :math:`c`) or :math:`w = e_c - e_k` (explain :math:`c` against
    the contrast class :math:`k`). Shape ``(m, 10)``, float64.
    """
    c = _classes(target, m, "target")
    w = torch.zeros(m, N_CLASSES, dtype=torch.float64)
    w[torch.arange(m), torch.as_tensor(c)] = 1.0
    if contrast is not None:
        k = _classes(contrast, m, "contrast")
        w[torch.arange(m), torch.as_tensor(k)] -= 1.0
    return w


def _prepare(model, x, target, contrast):
    """Batch tensor, output weights and a function to restore the caller's shape."""
    single = np.ndim(x) == 2
    xb = as_batch(x, _dtype(model))
    w = output_weights(len(xb), target, contrast).to(xb.dtype)

    def shape_back(r: torch.Tensor) -> np.ndarray:
        out = r.detach().to(torch.float64).numpy().reshape(len(xb), 8, 8)
        return out[0] if single else out

    return xb, w, shape_back


def explained_output(model: nn.Module, x, *, target, contrast=None) -> np.ndarray:
    """The explained score :math:`f(x)`: one number per image (a float for one image)."""
    xb, w, _ = _prepare(model, x, target, contrast)
    with torch.no_grad():
        f = (model(xb) * w).sum(1).to(torch.float64).numpy()
    return float(f[0]) if np.ndim(x) == 2 else f


def _grad(model, xb: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """:math:`\\nabla f` at every image of the batch (rows of ``w`` may repeat per image)."""
    xb = xb.detach().requires_grad_(True)
    f = (model(xb) * w).sum()
    (g,) = torch.autograd.grad(f, xb)
    return g


# ---------------------------------------------------------------------------- the methods
def gradient(model: nn.Module, x, *, target, contrast=None) -> np.ndarray:
    r"""Sensitivity: the gradient :math:`R = \nabla f(x)` [1]_.

    It answers "which pixels would change the score most if moved a little", not "which pixels
    produced the score"; its sign says in which direction.

    Examples
    --------
    On a linear model the gradient is the weight vector of the class:

    >>> lin = nn.Sequential(nn.Flatten(), nn.Linear(64, 10, bias=False)).double()
    >>> _ = lin[1].weight.data.copy_(torch.arange(640.).reshape(10, 64))
    >>> float(gradient(lin, np.zeros((8, 8)), target=1)[0, 3])
    67.0
    """
    xb, w, back = _prepare(model, x, target, contrast)
    return back(_grad(model, xb, w))


def gradient_x_input(model: nn.Module, x, *, target, contrast=None) -> np.ndarray:
    r"""Gradient times input, :math:`R_i = x_i\, \partial_i f(x)` [2]_.

    For a linear function without bias it is exact: :math:`\sum_i R_i = f(x)`.
    For a ReLU network without biases, :math:`f` is positively homogeneous,
    :math:`f(x) = \langle \nabla f(x), x\rangle` (Euler), so again :math:`\sum_i R_i = f(x)`;
    it then coincides with LRP-0.
    """
    xb, w, back = _prepare(model, x, target, contrast)
    return back(xb * _grad(model, xb, w))


def smoothgrad(
    model: nn.Module,
    x,
    *,
    target,
    contrast=None,
    noise: float = 0.15,
    n_samples: int = 32,
    seed: int = 0,
) -> np.ndarray:
    r"""SmoothGrad: the gradient averaged over noisy copies of the input [3]_.

    .. math::

        R = \frac{1}{N} \sum_{s=1}^N \nabla f(x + \varepsilon_s), \qquad
        \varepsilon_s \sim \mathcal{N}(0, \sigma^2 I),\quad
        \sigma = \text{noise} \cdot (\max_i x_i - \min_i x_i)

    (Smilkov et al. recommend a noise level of 10-20 %). ``noise=0`` gives the gradient.
    """
    if not (0.0 <= noise <= 10.0) or not np.isfinite(noise):
        raise ValueError(f"noise must be a number in [0, 10]; got {noise!r}")
    if not (1 <= int(n_samples) <= 4096) or n_samples != int(n_samples):
        raise ValueError(f"n_samples must be an integer in [1, 4096]; got {n_samples!r}")
    xb, w, back = _prepare(model, x, target, contrast)
    m, n = len(xb), int(n_samples)
    rng = np.random.default_rng(seed)
    span = (xb.amax(dim=(1, 2, 3)) - xb.amin(dim=(1, 2, 3))).reshape(m, 1, 1, 1, 1)
    eps = torch.as_tensor(rng.standard_normal((m, n, 1, 8, 8)), dtype=xb.dtype)
    noisy = (xb[:, None] + noise * span * eps).reshape(m * n, 1, 8, 8)
    g = _grad(model, noisy, w.repeat_interleave(n, dim=0))
    return back(g.reshape(m, n, 1, 8, 8).mean(1))


def _riemann(kind: str):
    def nodes(steps: int):
        k = np.arange(steps)
        alpha = {"left": k / steps, "right": (k + 1) / steps, "middle": (k + 0.5) / steps}[kind]
        return alpha, np.full(steps, 1.0 / steps)

    return nodes


def _gauss_legendre(steps: int):
    t, wts = np.polynomial.legendre.leggauss(steps)
    return (t + 1) / 2, wts / 2


#: Quadrature rules for the path integral over :math:`\alpha \in [0, 1]`: nodes and weights.
QUADRATURES = {
    "riemann_right": _riemann("right"),
    "riemann_left": _riemann("left"),
    "riemann_middle": _riemann("middle"),
    "gauss_legendre": _gauss_legendre,
}


def integrated_gradients(
    model: nn.Module,
    x,
    *,
    target,
    contrast=None,
    baseline=None,
    steps: int = 64,
    method: str = "riemann_right",
) -> np.ndarray:
    r"""Integrated Gradients [4]_: the gradient integrated along the straight path from a baseline.

    .. math::

        R_i = (x_i - x'_i) \int_0^1 \partial_i f(x' + \alpha (x - x'))\, d\alpha
        \approx (x_i - x'_i) \sum_{k=1}^{m} w_k\, \partial_i f(x' + \alpha_k (x - x'))

    with the right Riemann sum :math:`\alpha_k = k/m`, :math:`w_k = 1/m` of Sundararajan et al.
    by default. By the fundamental theorem of calculus along the path,
    **completeness** holds: :math:`\sum_i R_i = f(x) - f(x')` (their Proposition 1), up to the
    quadrature error. For a ReLU network the integrand is piecewise constant in :math:`\alpha`,
    so a Riemann sum with :math:`m` steps errs by at most the total variation of the integrand
    divided by :math:`m`.

    Parameters
    ----------
    baseline : array_like, optional
        :math:`x'`, an image ``(8, 8)`` or one per image; default black (zeros).
    steps : int
        Number of quadrature nodes :math:`m`, in [1, 4096].
    method : str
        One of :data:`QUADRATURES`.
    """
    if method not in QUADRATURES:
        raise ValueError(
            f"method must be one of {', '.join(map(repr, QUADRATURES))}; got {method!r}"
        )
    if steps != int(steps) or not (1 <= int(steps) <= 4096):
        raise ValueError(f"steps must be an integer in [1, 4096]; got {steps!r}")
    xb, w, back = _prepare(model, x, target, contrast)
    x0 = torch.zeros_like(xb) if baseline is None else as_batch(baseline, xb.dtype).expand_as(xb)
    alpha, weights = QUADRATURES[method](int(steps))
    a = torch.as_tensor(alpha, dtype=xb.dtype).reshape(1, -1, 1, 1, 1)
    wq = torch.as_tensor(weights, dtype=xb.dtype).reshape(1, -1, 1, 1, 1)
    m, s = len(xb), len(alpha)
    path = (x0[:, None] + a * (xb - x0)[:, None]).reshape(m * s, 1, 8, 8)
    g = _grad(model, path, w.repeat_interleave(s, dim=0)).reshape(m, s, 1, 8, 8)
    return back((xb - x0) * (wq * g).sum(1))


def ig_completeness_gap(model: nn.Module, x, relevance, *, target, contrast=None, baseline=None):
    r""":math:`\sum_i R_i - (f(x) - f(x'))`: zero for exact Integrated Gradients."""
    x0 = np.zeros_like(np.asarray(x, dtype=float)) if baseline is None else baseline
    fx = explained_output(model, x, target=target, contrast=contrast)
    f0 = explained_output(model, np.broadcast_to(x0, np.shape(x)), target=target, contrast=contrast)
    return np.asarray(relevance).sum(axis=(-2, -1)) - (fx - f0)


def occlusion(
    model: nn.Module,
    x,
    *,
    target,
    contrast=None,
    patch: int = 2,
    value: float = 0.0,
) -> np.ndarray:
    r"""Occlusion [5]_: how much the score drops when a square patch is covered.

    Every ``patch`` x ``patch`` window (stride 1) is set to ``value``; a pixel's relevance is the
    mean drop :math:`f(x) - f(x_{\text{occluded}})` over the windows that cover it. With
    ``patch=1`` it is exactly :math:`R_i = f(x) - f(x \text{ with } x_i = \text{value})`.
    """
    if patch != int(patch) or not (1 <= int(patch) <= 8):
        raise ValueError(f"patch must be an integer in [1, 8]; got {patch!r}")
    p = int(patch)
    xb, w, back = _prepare(model, x, target, contrast)
    m = len(xb)
    corners = [(r, c) for r in range(9 - p) for c in range(9 - p)]
    copies = xb[:, None].repeat(1, len(corners), 1, 1, 1)
    for k, (r, c) in enumerate(corners):
        copies[:, k, :, r : r + p, c : c + p] = value
    with torch.no_grad():
        f0 = (model(xb) * w).sum(1)
        f = (model(copies.reshape(-1, 1, 8, 8)) * w.repeat_interleave(len(corners), 0)).sum(1)
    drop = f0[:, None] - f.reshape(m, len(corners))
    total = torch.zeros_like(xb)
    count = torch.zeros_like(xb)
    for k, (r, c) in enumerate(corners):
        total[:, :, r : r + p, c : c + p] += drop[:, k].reshape(m, 1, 1, 1)
        count[:, :, r : r + p, c : c + p] += 1
    return back(total / count)
