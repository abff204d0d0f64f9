r"""Rate-Distortion Explanation (RDE): the smallest set of pixels that keeps the decision.

Macdonald, Waeldchen, Hauch and Kutyniok [1]_ ask for a mask :math:`s \in [0, 1]^n` such that
the classifier's score survives when the unmasked part of the image is replaced by noise:

.. math::

    y = s \odot x + (1 - s) \odot \eta, \qquad \eta \sim \mathcal{N}(\mu, \Sigma),

with mean :math:`\mu` and covariance :math:`\Sigma` estimated from the data, the *distortion*

.. math::

    D(s) = \tfrac12\, \mathbb{E}_\eta\big[(\Phi_c(x) - \Phi_c(y))^2\big],

and the relaxed rate-distortion problem

.. math::

    \min_{s \in [0, 1]^n}\; D(s) + \lambda \|s\|_1 .

The *rate* is the size of the mask, :math:`\|s\|_1`. As in their code we estimate :math:`D` by
sampling (:math:`N` draws of :math:`\eta` per step, drawn as :math:`\mu + L \xi` with
:math:`\Sigma = L L^T`) and minimise by projected gradient descent with momentum,

.. math::

    v \leftarrow \gamma v + \nabla_s\big(\hat D(s) + \lambda \|s\|_1\big), \qquad
    s \leftarrow \Pi_{[0, 1]^n}(s - \tau v),

where :math:`\Pi` clips to the box. Here :math:`\Phi_c` is the softmax probability of class
:math:`c` (``output='probability'``, the default, so :math:`D \le 1/2`) or its logit.

References
----------
.. [1] J. Macdonald, S. Waeldchen, S. Hauch, G. Kutyniok, "A rate-distortion framework for
   explaining neural network decisions", arXiv:1905.11092, 2019.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..progress import Progress, run_to_end
from .digits import load_digit_images
from .methods import _prepare
from .models import as_batch
from .results import RateDistortionCurve

__all__ = [
    "OUTPUTS",
    "Obfuscation",
    "RDEResult",
    "RateDistortionCurve",
    "obfuscation_from_data",
    "digits_obfuscation",
    "distortion",
    "rde",
    "rde_steps",
    "rate_distortion_curve",
]


@dataclass(frozen=True)
class Obfuscation:
    r"""The Gaussian :math:`\mathcal{N}(\mu, \Sigma)` that replaces the masked-out pixels.

    Attributes
    ----------
    mean : ndarray, shape (8, 8)
    cov : ndarray, shape (64, 64)
        Symmetric positive semi-definite.
    chol : ndarray, shape (64, 64)
        Lower triangular :math:`L` with :math:`L L^T = \Sigma + \delta I` (a small ridge
        :math:`\delta` for the pixels that never vary, such as the corners of the digits).
    """

    mean: np.ndarray
    cov: np.ndarray
    chol: np.ndarray

    def sample(self, shape: tuple, rng: np.random.Generator) -> np.ndarray:
        """Draws of :math:`\\eta`, shape ``shape + (8, 8)``."""
        xi = rng.standard_normal((*shape, 64))
        return (self.mean.ravel() + xi @ self.chol.T).reshape(*shape, 8, 8)


def obfuscation_from_data(images, *, ridge: float = 1e-6) -> Obfuscation:
    r"""Estimate :math:`\mu` and :math:`\Sigma` from images ``(m, 8, 8)``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ob = obfuscation_from_data(rng.standard_normal((5000, 8, 8)))
    >>> bool(np.allclose(ob.cov, np.eye(64), atol=0.1))
    True
    """
    x = np.asarray(images, dtype=np.float64).reshape(len(images), 64)
    mean = x.mean(0)
    cov = np.cov(x, rowvar=False)
    chol = np.linalg.cholesky(cov + ridge * np.eye(64))
    return Obfuscation(mean.reshape(8, 8), cov, chol)


_DIGITS_OBFUSCATION: list = []


def digits_obfuscation() -> Obfuscation:
    """The obfuscation estimated from the digits' training set (cached)."""
    if not _DIGITS_OBFUSCATION:
        _DIGITS_OBFUSCATION.append(obfuscation_from_data(load_digit_images().x_train))
    return _DIGITS_OBFUSCATION[0]


#: How :math:`\Phi_c` is read off the network: validates and dispatches ``output``.
OUTPUTS = {
    "probability": lambda logits: torch.softmax(logits, dim=-1),
    "logit": lambda logits: logits,
}


@dataclass(frozen=True)
class RDEResult:
    """The mask and the history of the optimisation.

    Attributes
    ----------
    mask : ndarray, shape (8, 8) or (m, 8, 8)
        :math:`s \\in [0, 1]^n`.
    iteration : int
        Steps taken.
    objective, distortion, rate : ndarray, shape (iteration,) or (iteration, m)
        The sampled :math:`\\hat D(s) + \\lambda \\|s\\|_1`, :math:`\\hat D(s)` and
        :math:`\\|s\\|_1` at each step (before the update).
    lam : float
    """

    mask: np.ndarray
    iteration: int
    objective: np.ndarray
    distortion: np.ndarray
    rate: np.ndarray
    lam: float


def _check_output(output):
    if output not in OUTPUTS:
        raise ValueError(f"output must be one of {', '.join(map(repr, OUTPUTS))}; got {output!r}")


def _scores(model, y, w, output):
    return (OUTPUTS[output](model(y)) * w).sum(-1)


def distortion(
    model: nn.Module,
    x,
    mask,
    *,
    target,
    contrast=None,
    output: str = "probability",
    n_samples: int = 256,
    seed: int = 0,
    obfuscation: Obfuscation | None = None,
) -> np.ndarray:
    r"""Sampled :math:`D(s) = \frac12 \mathbb{E}[(\Phi_c(x) - \Phi_c(y))^2]`, one per image.

    The same ``seed`` gives the same draws of :math:`\eta` (common random numbers), so that two
    masks are compared on equal terms. ``mask`` has the shape of ``x`` or ``(K,) + x.shape`` for
    K masks at once (the result then has a leading K).
    """
    _check_output(output)
    ob = digits_obfuscation() if obfuscation is None else obfuscation
    xb, w, _ = _prepare(model, x, target, contrast)
    m = len(xb)
    s = torch.as_tensor(np.asarray(mask, dtype=np.float64), dtype=xb.dtype)
    many = s.ndim == np.ndim(x) + 1
    s = s.reshape(-1, m, 1, 8, 8) if many else s.reshape(1, m, 1, 8, 8)
    eta = torch.as_tensor(ob.sample((n_samples, m, 1), np.random.default_rng(seed)), dtype=xb.dtype)
    with torch.no_grad():
        fx = _scores(model, xb, w, output)  # (m,)
        y = s[:, None] * xb + (1 - s[:, None]) * eta  # (K, N, m, 1, 8, 8)
        fy = _scores(model, y.reshape(-1, 1, 8, 8), w.repeat(s.shape[0] * n_samples, 1), output)
        d = 0.5 * ((fx - fy.reshape(s.shape[0], n_samples, m)) ** 2).mean(1)  # (K, m)
    d = d.to(torch.float64).numpy()
    d = d if many else d[0]
    return d if np.ndim(x) == 3 else d[..., 0]


def rde_steps(
    model: nn.Module,
    x,
    *,
    target,
    contrast=None,
    lam: float = 0.003,
    iterations: int = 150,
    n_samples: int = 32,
    step: float = 1.0,
    momentum: float = 0.9,
    init: float = 1.0,
    output: str = "probability",
    seed: int = 0,
    obfuscation: Obfuscation | None = None,
    report_every: int = 10,
):
    r"""RDE as a generator: yields ``Progress(fraction, partial RDEResult)``, returns the result.

    Parameters
    ----------
    x : array_like, shape (8, 8) or (m, 8, 8)
        One image or a batch (each image gets its own mask; the problems decouple).
    lam : float
        :math:`\lambda \ge 0`, the price of a pixel.
    iterations : int
        Projected-gradient steps, in [1, 10000].
    n_samples : int
        Draws of :math:`\eta` per step to estimate :math:`D` and its gradient.
    step, momentum : float
        :math:`\tau > 0` and :math:`\gamma \in [0, 1)`.
    init : float
        Initial mask value in [0, 1] (1 = the whole image is kept, :math:`D = 0`).
    output : str
        One of :data:`OUTPUTS`.
    """
    _check_output(output)
    checks = {
        "lam": (lam, 0.0, 1e3),
        "iterations": (iterations, 1, 10000),
        "n_samples": (n_samples, 1, 4096),
        "step": (step, 1e-8, 1e3),
        "momentum": (momentum, 0.0, 0.999),
        "init": (init, 0.0, 1.0),
    }
    for name, (value, lo, hi) in checks.items():
        if not np.isfinite(value) or not lo <= value <= hi:
            raise ValueError(f"{name} must be a number in [{lo:g}, {hi:g}]; got {value!r}")
    ob = digits_obfuscation() if obfuscation is None else obfuscation
    single = np.ndim(x) == 2
    xb, w, _ = _prepare(model, x, target, contrast)
    m, n = len(xb), int(n_samples)
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        fx = _scores(model, xb, w, output)
    w_rep = w.repeat(n, 1)
    s = torch.full_like(xb, float(init))
    v = torch.zeros_like(s)
    objective, dist, rate = [], [], []

    def result(k):
        mask = s.detach().to(torch.float64).numpy().reshape(m, 8, 8)
        hist = [np.asarray(h).reshape(k, m) for h in (objective, dist, rate)]
        if single:
            mask, hist = mask[0], [h[:, 0] for h in hist]
        return RDEResult(mask, k, *hist, lam=float(lam))

    for k in range(int(iterations)):
        eta = torch.as_tensor(ob.sample((n, m, 1), rng), dtype=xb.dtype)
        s_ = s.detach().requires_grad_(True)
        y = s_ * xb + (1 - s_) * eta  # (n, m, 1, 8, 8)
        fy = _scores(model, y.reshape(-1, 1, 8, 8), w_rep, output).reshape(n, m)
        d = 0.5 * ((fx - fy) ** 2).mean(0)  # (m,)
        l1 = s_.sum(dim=(1, 2, 3))
        (g,) = torch.autograd.grad((d + lam * l1).sum(), s_)
        objective.append((d + lam * l1).detach().numpy().copy())
        dist.append(d.detach().numpy().copy())
        rate.append(l1.detach().numpy().copy())
        with torch.no_grad():
            v = momentum * v + g
            s = (s - step * v).clamp(0.0, 1.0)
        if (k + 1) % report_every == 0 or k + 1 == iterations:
            yield Progress((k + 1) / iterations, result(k + 1), f"step {k + 1}/{iterations}")
    return result(int(iterations))


def rde(model: nn.Module, x, **options) -> RDEResult:
    """Run :func:`rde_steps` to the end (same parameters)."""
    return run_to_end(rde_steps(model, x, **options))


def rate_distortion_curve(
    model: nn.Module,
    x,
    relevance,
    *,
    target,
    contrast=None,
    sizes=None,
    output: str = "probability",
    n_samples: int = 128,
    seed: int = 0,
    obfuscation: Obfuscation | None = None,
) -> RateDistortionCurve:
    r"""Distortion of the binary masks that keep the :math:`k` most relevant pixels.

    A relevance map (of any method, or RDE's mask) orders the pixels; keeping the top :math:`k`
    and obfuscating the rest gives one point :math:`(k, D)`. A good map's curve falls fast.
    ``sizes`` defaults to 0, 2, ..., 64. Ties are broken by pixel index (stable sort).
    """
    sizes = np.arange(0, 65, 2) if sizes is None else np.asarray(sizes, dtype=int)
    if sizes.ndim != 1 or sizes.min() < 0 or sizes.max() > 64:
        raise ValueError(f"sizes must be integers in [0, 64]; got {sizes!r}")
    rel = np.asarray(relevance, dtype=np.float64).reshape(-1, 64)
    m = len(rel)
    order = np.argsort(-rel, axis=1, kind="stable")
    masks = np.zeros((len(sizes), m, 64))
    for a, k in enumerate(sizes):
        np.put_along_axis(masks[a], order[:, :k], 1.0, axis=1)
    xs = as_batch(x).numpy()[:, 0]
    d = distortion(
        model,
        xs,
        masks.reshape(len(sizes), m, 8, 8),
        target=target,
        contrast=contrast,
        output=output,
        n_samples=n_samples,
        seed=seed,
        obfuscation=obfuscation,
    )
    return RateDistortionCurve(sizes, d.mean(axis=1))
