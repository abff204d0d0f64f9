"""Small two-dimensional classification data sets, generated from a seed (nothing is downloaded).

Each generator returns a :class:`Dataset2D` with points in roughly ``[-1, 1]^2`` and labels in
{0, 1}, split at random into a training and a test part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Dataset2D", "DATASETS", "make_dataset"]


@dataclass(frozen=True)
class Dataset2D:
    """A labelled 2D data set split into training and test parts.

    Attributes
    ----------
    x_train, x_test : ndarray, shape (n, 2)
    y_train, y_test : ndarray of float, shape (n,), values in {0, 1}
    name : str
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    name: str


def _blobs(n, rng):
    y = rng.integers(0, 2, n)
    centres = np.array([[-0.5, -0.5], [0.5, 0.5]])
    return centres[y] + 0.15 * rng.standard_normal((n, 2)), y


def _circles(n, rng):
    y = rng.integers(0, 2, n)
    r = np.where(y == 1, 0.35, 0.8) + 0.05 * rng.standard_normal(n)
    t = rng.uniform(0, 2 * np.pi, n)
    return np.c_[r * np.cos(t), r * np.sin(t)], y


def _xor(n, rng):
    x = rng.uniform(-1, 1, (n, 2))
    x += 0.08 * np.sign(x)  # keep a small gap around the axes
    x = np.clip(x, -1, 1)
    return x, (x[:, 0] * x[:, 1] > 0).astype(int)


def _spiral(n, rng):
    y = rng.integers(0, 2, n)
    t = rng.uniform(0.0, 1.0, n)
    angle = 3.5 * np.pi * t + np.pi * y
    r = 0.1 + 0.85 * t
    return np.c_[r * np.cos(angle), r * np.sin(angle)], y


DATASETS: dict[str, Callable] = {
    "blobs": _blobs,
    "circles": _circles,
    "xor": _xor,
    "spiral": _spiral,
}


def make_dataset(
    name: str = "blobs",
    *,
    n_samples: int = 200,
    noise: float = 0.0,
    test_fraction: float = 0.3,
    seed: int = 0,
) -> Dataset2D:
    """Generate one of :data:`DATASETS` with added Gaussian noise and a random split.

    Parameters
    ----------
    name : {'blobs', 'circles', 'xor', 'spiral'}
    n_samples : int
        Total number of points, in [4, 100000].
    noise : float
        Standard deviation of Gaussian noise added to the points, in [0, 1].
    test_fraction : float
        Fraction of points held out for testing, in (0, 1).
    seed : int
        Seed of :func:`numpy.random.default_rng`.

    Examples
    --------
    >>> d = make_dataset("xor", n_samples=10, test_fraction=0.2, seed=1)
    >>> d.x_train.shape, d.x_test.shape, sorted(set(d.y_train) | set(d.y_test)) <= [0.0, 1.0]
    ((8, 2), (2, 2), True)
    """
    if name not in DATASETS:
        raise ValueError(f"name must be one of {', '.join(DATASETS)}; got {name!r}")
    if not (isinstance(n_samples, (int, np.integer)) and 4 <= n_samples <= 100_000):
        raise ValueError(f"n_samples must be an integer in [4, 100000]; got {n_samples!r}")
    if not (np.isfinite(noise) and 0.0 <= noise <= 1.0):
        raise ValueError(f"noise must be in [0, 1]; got {noise!r}")
    if not (0.0 < test_fraction < 1.0):
        raise ValueError(f"test_fraction must be in (0, 1); got {test_fraction!r}")
    rng = np.random.default_rng(seed)
    x, y = DATASETS[name](int(n_samples), rng)
    x = x + noise * rng.standard_normal(x.shape)
    n_test = min(max(1, int(round(test_fraction * n_samples))), n_samples - 1)
    perm = rng.permutation(n_samples)
    te, tr = perm[:n_test], perm[n_test:]
    y = y.astype(float)
    return Dataset2D(x[tr], y[tr], x[te], y[te], name)
