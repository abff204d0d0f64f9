r"""Data for the double-descent lecture: the digits with label noise, and a 1D regression.

The digits are scikit-learn's copy of the UCI optical digits (Alpaydin and Kaynak, 1998): 1,797
grey images of 8x8 pixels with values 0..16, ten classes. They ship inside scikit-learn, so no
download is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = [
    "DigitsSplit",
    "Regression1D",
    "TARGET_FUNCTIONS",
    "N_DIGITS",
    "PIXEL_SCALE",
    "load_digits_split",
    "make_regression_1d",
    "one_hot",
]

#: Number of images in scikit-learn's digits.
N_DIGITS = 1797
#: Pixels are divided by this, so that they lie in [0, 1] (the raw values are 0..16).
PIXEL_SCALE = 16.0


@lru_cache(maxsize=1)
def _digits():
    from sklearn.datasets import load_digits  # imported late: keeps ``import course`` fast

    x, y = load_digits(return_X_y=True)
    x = np.ascontiguousarray(x / PIXEL_SCALE, dtype=np.float64)
    x.setflags(write=False)
    y = np.asarray(y, dtype=np.int64)
    y.setflags(write=False)
    return x, y


@dataclass(frozen=True)
class DigitsSplit:
    """A seeded train/test split of the digits.

    Attributes
    ----------
    x_train : ndarray, shape (n, 64)
        Training images, rows are flattened 8x8 images with pixels in [0, 1].
    y_train : ndarray of int, shape (n,)
        Training labels *as used for fitting* (with label noise).
    x_test : ndarray, shape (m, 64)
        Test images (every image not in the training set, unless ``n_test`` was given).
    y_test : ndarray of int, shape (m,)
        Clean test labels.
    y_train_clean : ndarray of int, shape (n,)
        The true training labels.
    label_noise : float
        The fraction of training labels that were replaced by a different, random class.
    seed : int
        Seed of the split and of the noise.
    n_classes : int
        10.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    y_train_clean: np.ndarray
    label_noise: float
    seed: int
    n_classes: int = 10

    @property
    def n_train(self) -> int:
        return len(self.y_train)

    @property
    def n_test(self) -> int:
        return len(self.y_test)

    @property
    def noisy(self) -> np.ndarray:
        """Boolean mask of the training points whose label was changed."""
        return self.y_train != self.y_train_clean


def load_digits_split(
    n_train: int, *, label_noise: float = 0.0, seed: int = 0, n_test: int | None = None
) -> DigitsSplit:
    r"""The digits, split at random into ``n_train`` training and the remaining test images.

    Parameters
    ----------
    n_train : int
        Number of training images, ``1 <= n_train <= 1796``.
    label_noise : float
        Fraction in [0, 1] of the training images whose label is replaced by a uniformly chosen
        *different* class (exactly ``round(label_noise * n_train)`` images, chosen at random).
        Test labels stay clean.
    seed : int
        ``numpy.random.default_rng(seed)`` draws the permutation first, then the noise; the same
        seed gives the same split for every ``label_noise``.
    n_test : int, optional
        Keep only the last ``n_test`` images of the permutation as the test set (by default all
        images not used for training).

    Returns
    -------
    DigitsSplit

    Notes
    -----
    Preprocessing: pixels divided by 16 (:data:`PIXEL_SCALE`), so that :math:`x \in [0,1]^{64}`;
    no centring. The random-feature bandwidth :math:`\sigma` refers to this scale.

    Examples
    --------
    >>> d = load_digits_split(400, label_noise=0.1, seed=0)
    >>> d.x_train.shape, d.x_test.shape, int(d.noisy.sum())
    ((400, 64), (1397, 64), 40)
    """
    if isinstance(n_train, bool) or not isinstance(n_train, (int, np.integer)):
        raise ValueError(f"n_train must be an integer in [1, {N_DIGITS - 1}]; got {n_train!r}")
    if not 1 <= n_train <= N_DIGITS - 1:
        raise ValueError(f"n_train must be an integer in [1, {N_DIGITS - 1}]; got {n_train}")
    if not (np.isfinite(label_noise) and 0.0 <= label_noise <= 1.0):
        raise ValueError(f"label_noise must be a number in [0, 1]; got {label_noise!r}")
    if n_test is not None and not 1 <= n_test <= N_DIGITS - n_train:
        raise ValueError(
            f"n_test must be an integer in [1, {N_DIGITS - n_train}] for n_train={n_train}; "
            f"got {n_test!r}"
        )
    x, y = _digits()
    rng = np.random.default_rng(seed)
    perm = rng.permutation(N_DIGITS)
    train, test = perm[:n_train], perm[n_train:]
    if n_test is not None:
        test = perm[N_DIGITS - n_test :]
    clean = y[train].copy()
    noisy = clean.copy()
    k = int(round(label_noise * n_train))
    if k:
        idx = rng.choice(n_train, size=k, replace=False)
        # a shift by 1..9 (mod 10) gives a uniformly chosen *other* class
        noisy[idx] = (clean[idx] + rng.integers(1, 10, size=k)) % 10
    return DigitsSplit(
        x[train], noisy, x[test], y[test].copy(), clean, float(label_noise), int(seed)
    )


def one_hot(labels, n_classes: int = 10) -> np.ndarray:
    """Targets for squared-loss classification: row i is the unit vector e_{labels[i]}.

    Examples
    --------
    >>> one_hot([2, 0], 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    labels = np.asarray(labels)
    return np.eye(n_classes)[labels]


# ------------------------------------------------------------------------- 1D regression
def _smooth(x):
    return np.sin(np.pi * x) + 0.5 * np.cos(2.5 * np.pi * x)


def _step(x):
    return np.where(x < 0.2, -0.5, 0.7)


def _wiggly(x):
    return np.sin(4 * np.pi * x) * np.exp(-(x**2))


#: The 1D target functions on [-1, 1], by name.
TARGET_FUNCTIONS = {"smooth": _smooth, "wiggly": _wiggly, "step": _step}


@dataclass(frozen=True)
class Regression1D:
    """Noisy samples ``y_i = f(x_i) + noise * eps_i`` of a function on [-1, 1].

    Attributes
    ----------
    x_train, y_train : ndarray, shape (n, 1) and (n,)
    x_grid, f_grid : ndarray, shape (g, 1) and (g,)
        A fine grid of [-1, 1] and the noise-free function on it (the test set).
    noise : float
    function : str
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_grid: np.ndarray
    f_grid: np.ndarray
    noise: float
    function: str


def make_regression_1d(
    n: int, *, noise: float = 0.1, function: str = "smooth", seed: int = 0, n_grid: int = 400
) -> Regression1D:
    """``n`` noisy samples of a function at jittered, equally spaced points of [-1, 1].

    Parameters
    ----------
    n : int
        Number of samples, at least 1.
    noise : float
        Standard deviation of the Gaussian noise, >= 0.
    function : str
        A key of :data:`TARGET_FUNCTIONS`.
    seed : int
        Seed of ``numpy.random.default_rng`` (points first, then noise).
    n_grid : int
        Points of the evaluation grid.

    Examples
    --------
    >>> r = make_regression_1d(7, noise=0.0)
    >>> r.x_train.shape, bool(np.allclose(r.y_train, TARGET_FUNCTIONS["smooth"](r.x_train[:, 0])))
    ((7, 1), True)
    """
    if function not in TARGET_FUNCTIONS:
        raise ValueError(
            f"function must be one of {', '.join(map(repr, TARGET_FUNCTIONS))}; got {function!r}"
        )
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be an integer >= 1; got {n!r}")
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number >= 0; got {noise!r}")
    f = TARGET_FUNCTIONS[function]
    rng = np.random.default_rng(seed)
    # one point in the middle half of each of n equal cells: no two points closer than half a
    # cell, so the picture shows double descent and not the ill-conditioning of close pairs
    x = -1.0 + (2.0 * np.arange(n) + 1.0 + rng.uniform(-0.5, 0.5, size=n)) / n
    y = f(x) + noise * rng.standard_normal(n)
    grid = np.linspace(-1.0, 1.0, n_grid)
    return Regression1D(x[:, None], y, grid[:, None], f(grid), float(noise), function)
