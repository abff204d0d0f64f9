r"""Random feature maps :math:`x \mapsto \phi(x) \in \mathbb{R}^N` with random, fixed parameters.

A random-feature model is :math:`h(x) = \sum_{k=1}^N a_k \phi_k(x)`: only the outer coefficients
:math:`a` are learned (by linear least squares), the inner parameters are drawn once. It is a
two-layer network whose first layer is frozen at its random initialisation.

References
----------
.. [1] A. Rahimi and B. Recht, "Random features for large-scale kernel machines", NeurIPS 2007.
.. [2] M. Belkin, D. Hsu, S. Ma and S. Mandal, "Reconciling modern machine-learning practice and
   the classical bias-variance trade-off", PNAS 116(32), 15849-15854, 2019.
.. [3] Y. Cho and L. Saul, "Kernel methods for deep learning", NeurIPS 2009.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["FEATURE_MAPS", "RandomFeatures", "random_features"]


def _fourier(z):
    return np.cos(z)


def _relu(z):
    return np.maximum(z, 0.0)


def _fourier_offsets(rng, n):
    return rng.uniform(0.0, 2.0 * np.pi, size=n)


def _gaussian_offsets(rng, n):
    return rng.standard_normal(n)


#: kind -> (nonlinearity, offset sampler with unit scale, offsets scale with 1/sigma?)
FEATURE_MAPS = {
    "fourier": (_fourier, _fourier_offsets, False),
    "relu": (_relu, _gaussian_offsets, True),
}


@dataclass(frozen=True)
class RandomFeatures:
    r"""A random feature map :math:`\phi(x)_k = \sqrt{2/N}\, g(\langle v_k, x\rangle + b_k)`.

    Attributes
    ----------
    directions : ndarray, shape (N, d)
        The rows :math:`v_k \sim N(0, \sigma^{-2} I_d)`.
    offsets : ndarray, shape (N,)
        :math:`b_k`: uniform on :math:`[0, 2\pi)` for ``"fourier"``, :math:`N(0, \sigma^{-2})` for
        ``"relu"``.
    kind : str
        ``"fourier"`` (:math:`g = \cos`) or ``"relu"`` (:math:`g(z) = \max(z, 0)`).
    sigma : float
        The bandwidth.

    Notes
    -----
    With :math:`g = \cos`, :math:`\langle\phi(x), \phi(x')\rangle \to
    \exp(-\|x - x'\|^2 / (2\sigma^2))` as :math:`N \to \infty`: real random Fourier features of
    the Gaussian kernel [1]_, the features of Belkin et al. [2]_ (who used
    :math:`e^{i\langle v_k, x\rangle}`, i.e. a cosine and a sine per frequency). With the ReLU the
    limit is the first-order arc-cosine kernel [3]_ (here with offsets). The ReLU map is
    positively homogeneous, so :math:`\sigma` only rescales it: the minimum-norm interpolant's
    predictions do not depend on :math:`\sigma` (a test checks it); only the effect of a ridge
    does.
    """

    directions: np.ndarray
    offsets: np.ndarray
    kind: str
    sigma: float

    @property
    def n_features(self) -> int:
        return len(self.offsets)

    @property
    def scale(self) -> float:
        r""":math:`\sqrt{2/N}`."""
        return float(np.sqrt(2.0 / self.n_features))

    def raw(self, x, start: int = 0, stop: int | None = None) -> np.ndarray:
        r"""Unnormalised features :math:`g(\langle v_k, x\rangle + b_k)`, ``start <= k < stop``.

        Shape (n, stop - start). Multiply by :attr:`scale` to get :math:`\phi`.
        """
        g = FEATURE_MAPS[self.kind][0]
        v = self.directions[start:stop]
        return g(np.asarray(x, dtype=np.float64) @ v.T + self.offsets[start:stop])

    def __call__(self, x) -> np.ndarray:
        r""":math:`\phi(x)`, shape (n, N), for ``x`` of shape (n, d)."""
        return self.scale * self.raw(x)

    def head(self, n_features: int) -> RandomFeatures:
        """The map made of the first ``n_features`` features (renormalised by sqrt(2/N))."""
        if not 1 <= n_features <= self.n_features:
            raise ValueError(
                f"n_features must be an integer in [1, {self.n_features}]; got {n_features!r}"
            )
        return RandomFeatures(
            self.directions[:n_features], self.offsets[:n_features], self.kind, self.sigma
        )


def random_features(
    dim: int, n_features: int, *, kind: str = "fourier", sigma: float = 5.0, seed: int = 0
) -> RandomFeatures:
    r"""Draw a random feature map :math:`\mathbb{R}^{d} \to \mathbb{R}^N`.

    Parameters
    ----------
    dim : int
        Input dimension d.
    n_features : int
        Number of features N >= 1.
    kind : str
        A key of :data:`FEATURE_MAPS`: ``"fourier"`` or ``"relu"``.
    sigma : float
        Bandwidth > 0: :math:`v_k \sim N(0, \sigma^{-2} I)` (Belkin et al. used
        :math:`\sigma = 5` for MNIST).
    seed : int
        Seed. The directions and the offsets come from two independent streams spawned from it,
        each drawn feature by feature, so the maps are *nested*: the first N features of a map
        with M >= N features are the map with N features (a sweep over N reuses one draw).

    Returns
    -------
    RandomFeatures

    Examples
    --------
    >>> big = random_features(3, 10, seed=1)
    >>> small = random_features(3, 4, seed=1)
    >>> bool(np.array_equal(big.head(4).directions, small.directions))
    True
    >>> small(np.zeros((2, 3))).shape, round(small.scale**2, 3)
    ((2, 4), 0.5)
    """
    if kind not in FEATURE_MAPS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, FEATURE_MAPS))}; got {kind!r}")
    if isinstance(n_features, bool) or not isinstance(n_features, (int, np.integer)):
        raise ValueError(f"n_features must be an integer >= 1; got {n_features!r}")
    if n_features < 1:
        raise ValueError(f"n_features must be an integer >= 1; got {n_features}")
    if not (np.isfinite(sigma) and sigma > 0):
        raise ValueError(f"sigma must be a finite number > 0; got {sigma!r}")
    rng_v, rng_b = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    directions = rng_v.standard_normal((n_features, dim)) / sigma
    _, offsets_of, scaled = FEATURE_MAPS[kind]
    offsets = offsets_of(rng_b, n_features)
    if scaled:
        offsets = offsets / sigma
    return RandomFeatures(directions, offsets, kind, float(sigma))
