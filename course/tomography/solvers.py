r"""Variational reconstruction: weighted :math:`\ell^1` shearlet and TV regularisation, f >= 0.

Both problems have the form

.. math::

    \min_{f \ge 0}\ P(f) = \tfrac12 \|R f - g\|_2^2 + \alpha\, \|W B f\|_1 ,

with :math:`B` the undecimated shearlet analysis operator of lecture 04 (a Parseval frame,
:math:`\|B\| = 1`) and :math:`W` the diagonal of weights (0 on the low-pass, 1 elsewhere, so
that the mean is not shrunk), or :math:`B = \nabla` (forward differences, Neumann boundary,
:math:`\|\nabla\|^2 \le 8`) and :math:`\|\cdot\|_{2,1}` for isotropic total variation. They are
solved by the primal-dual algorithm of Chambolle and Pock (2011, Algorithm 1), applied to
:math:`K = (R/L_R,\ B/L_B)` with :math:`L_R = \|R\|_2` computed by power iteration and
:math:`L_B` the norm of :math:`B` (so :math:`\|K\|^2 \le 2`), :math:`G = \iota_{\ge 0}` and
:math:`F(y, z) = \tfrac12\|L_R y - g\|^2 + \alpha\|W L_B z\|_1`:

.. math::

    p^{k+1} &= \frac{p^k + \sigma (R \bar f^k / L_R) - \sigma g / L_R}{1 + \sigma / L_R^2},\\
    q^{k+1} &= \Pi_{\{|q_i| \le \alpha w_i L_B\}}\bigl(q^k + \sigma B \bar f^k / L_B\bigr),\\
    f^{k+1} &= \max\bigl(0,\ f^k - \tau (R^{\mathsf T} p^{k+1} / L_R
                + B^{\mathsf T} q^{k+1} / L_B)\bigr),\\
    \bar f^{k+1} &= 2 f^{k+1} - f^k,

with :math:`\sigma\tau\|K\|^2 < 1` (:math:`\sigma = \tau = 0.99/\sqrt 2`). (:math:`\Pi` is the
projection onto boxes for :math:`\ell^1`, onto discs of radius :math:`\alpha L_B` per pixel for
TV.) The iterates are nonnegative by construction; :math:`P(f^k)` converges to the minimum and
the primal-dual gap of the ergodic averages decays like :math:`O(1/k)` (Chambolle and Pock 2011,
Theorem 1); :math:`P(f^k)` itself need not decrease monotonically.

References
----------
.. [1] A. Chambolle and T. Pock, "A first-order primal-dual algorithm for convex problems with
   applications to imaging", J. Math. Imaging Vis. 40 (2011), 120-145, Algorithm 1, Theorem 1.
.. [2] T. A. Bubba, G. Kutyniok, M. Lassas, M. Maerz, W. Samek, S. Siltanen and V. Srinivasan,
   "Learning the invisible: a hybrid deep learning-shearlet framework for limited angle computed
   tomography", Inverse Problems 35 (2019), 064002, eq. (6) (step 1).
.. [3] L. I. Rudin, S. Osher and E. Fatemi, "Nonlinear total variation based noise removal
   algorithms", Physica D 60 (1992), 259-268.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.fft as sfft

from course.progress import Progress, run_to_end
from course.sparse import shearlet_system

from .radon import radon_operator

__all__ = ["Iterate", "Reconstruction", "REGULARISERS", "reconstruct_steps", "reconstruct"]


class _Shearlet:
    norm = 1.0

    def __init__(self, shape, scales):
        self.system = shearlet_system(shape, scales=scales)
        self.shape = tuple(shape)
        half = self.shape[1] // 2 + 1
        self._windows = np.ascontiguousarray(self.system.filters[:, :, :half])
        w = np.ones(self.system.n_atoms)
        w[0] = 0.0  # the low-pass is not penalised
        self.weights = w[:, None, None]

    def forward(self, f):  # (..., n, n) -> (..., atoms, n, n); the system's decompose, batched
        spec = sfft.rfft2(f)[..., None, :, :]
        return sfft.irfft2(self._windows * spec, s=self.shape)

    def adjoint(self, c):
        return sfft.irfft2(np.sum(self._windows * sfft.rfft2(c), axis=-3), s=self.shape)

    def penalty(self, f):
        return np.sum(self.weights * np.abs(self.forward(f)), axis=(-3, -2, -1))

    def project(self, q, radius):
        return np.clip(q, -radius * self.weights, radius * self.weights)


class _TV:
    norm = np.sqrt(8.0)

    def __init__(self, shape, scales):
        self.shape = tuple(shape)

    def forward(self, f):  # (..., n, n) -> (..., 2, n, n)
        d = np.zeros((*f.shape[:-2], 2, *f.shape[-2:]))
        d[..., 0, :-1, :] = f[..., 1:, :] - f[..., :-1, :]
        d[..., 1, :, :-1] = f[..., :, 1:] - f[..., :, :-1]
        return d

    def adjoint(self, d):  # the exact transpose of forward: -div
        out = np.zeros((*d.shape[:-3], *d.shape[-2:]))
        out[..., :-1, :] -= d[..., 0, :-1, :]
        out[..., 1:, :] += d[..., 0, :-1, :]
        out[..., :, :-1] -= d[..., 1, :, :-1]
        out[..., :, 1:] += d[..., 1, :, :-1]
        return out

    def penalty(self, f):
        d = self.forward(f)
        return np.sum(np.hypot(d[..., 0, :, :], d[..., 1, :, :]), axis=(-2, -1))

    def project(self, q, radius):
        scale = np.maximum(np.hypot(q[..., 0, :, :], q[..., 1, :, :]) / radius, 1.0)
        return q / scale[..., None, :, :]


#: The regularisers: registry that validates and dispatches ``regulariser``.
REGULARISERS = {"shearlet": _Shearlet, "tv": _TV}


@dataclass(frozen=True)
class Iterate:
    """One streamed state: iteration count, the image, and the objective values so far."""

    iteration: int
    image: np.ndarray
    iterations: np.ndarray  # where the objective was evaluated
    objective: np.ndarray


@dataclass(frozen=True)
class Reconstruction:
    """The result: the image, the objective history, alpha and the norm used for the steps."""

    image: np.ndarray
    iterations: np.ndarray
    objective: np.ndarray
    alpha: float
    operator_norm: float
    regulariser: str


def _objective(op, reg, f, g, alpha):
    r = op.forward(f) - g
    return 0.5 * np.sum(r * r, axis=(-2, -1)) + alpha * reg.penalty(f)


def reconstruct_steps(
    sinogram,
    angles,
    *,
    regulariser: str = "shearlet",
    alpha: float = 1e-3,
    iterations: int = 200,
    start=None,
    every: int = 10,
    scales: int = 3,
    n: int | None = None,
):
    r"""Minimise :math:`\frac12\|Rf - g\|^2 + \alpha \|W B f\|_1` over :math:`f \ge 0`, streamed.

    A generator: every ``every`` iterations it yields ``Progress(fraction, Iterate)``, and it
    returns a :class:`Reconstruction`. Parameters: ``sinogram`` ``(len(angles), n_det)``, the
    measured ``angles`` (radians), ``regulariser`` ``"shearlet"`` or ``"tv"``, ``alpha > 0``,
    ``iterations`` (1 to 5000), ``start`` (initial image, default 0), ``scales`` of the shearlet
    system, image side ``n`` (default ``n_det``). A stack of sinograms ``(b, A, n_det)`` is
    solved at once (the objective is then one value per image, shape ``(k, b)``).
    """
    if regulariser not in REGULARISERS:
        raise ValueError(
            f"regulariser must be one of {', '.join(map(repr, REGULARISERS))}; got {regulariser!r}"
        )
    if not (isinstance(alpha, (int, float)) and 0 < alpha <= 1e3):
        raise ValueError(f"alpha must be a number in (0, 1000]; got {alpha!r}")
    if not isinstance(iterations, (int, np.integer)) or not 1 <= iterations <= 5000:
        raise ValueError(f"iterations must be an integer in [1, 5000]; got {iterations!r}")
    g = np.asarray(sinogram, dtype=np.float64)
    if g.ndim not in (2, 3) or g.shape[-2] != np.size(angles):
        raise ValueError(
            f"sinogram must have shape ([batch,] {np.size(angles)}, n_det); got {g.shape}"
        )
    n = g.shape[-1] if n is None else n
    op = radon_operator(n, angles, n_det=g.shape[-1])
    reg = REGULARISERS[regulariser]((n, n), scales)
    lr, lb = _norm(op), reg.norm
    tau = sigma = 0.99 / np.sqrt(2.0)
    f = (
        np.zeros((*g.shape[:-2], n, n))
        if start is None
        else np.maximum(np.asarray(start, dtype=np.float64), 0)
    )
    fbar = f.copy()
    p = np.zeros_like(g)
    q = np.zeros_like(reg.forward(f))
    radius = alpha * lb
    its, obj = [0], [_objective(op, reg, f, g, alpha)]
    for k in range(1, iterations + 1):
        p = (p + sigma * op.forward(fbar) / lr - sigma * g / lr) / (1.0 + sigma / lr**2)
        q = reg.project(q + sigma * reg.forward(fbar) / lb, radius)
        f_new = np.maximum(0.0, f - tau * (op.adjoint(p) / lr + reg.adjoint(q) / lb))
        fbar = 2.0 * f_new - f
        f = f_new
        if k % every == 0 or k == iterations:
            its.append(k)
            obj.append(_objective(op, reg, f, g, alpha))
            yield Progress(
                k / iterations,
                Iterate(k, f.copy(), np.array(its), np.array(obj)),
                f"iteration {k} of {iterations}",
            )
    return Reconstruction(f, np.array(its), np.array(obj), float(alpha), lr, regulariser)


_NORMS: dict = {}


def _norm(op) -> float:
    key = (op.geometry, op.dtype.name)
    if key not in _NORMS:
        _NORMS[key] = op.norm(iterations=30)
    return _NORMS[key]


def reconstruct(sinogram, angles, **options) -> Reconstruction:
    """:func:`reconstruct_steps` run to the end."""
    return run_to_end(reconstruct_steps(sinogram, angles, **options))
