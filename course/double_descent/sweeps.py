r"""Double-descent curves of random-feature models: model-wise (over N) and sample-wise (over n).

The model with N features, :math:`h_N(x) = \sum_{k \le N} a_k \phi_k(x)`, is fitted to one-hot
targets by minimum-norm least squares (or ridge); classes are predicted by the largest output.
The losses are

.. math::

    L(h) = \frac{1}{m} \sum_{i=1}^m \| h(x_i) - e_{y_i} \|_2^2, \qquad
    \mathrm{err}(h) = \frac{1}{m} \#\{ i : \arg\max_k h_k(x_i) \ne y_i \},

all K = 10 outputs sharing the same N features, as in Belkin et al. (2019), Fig. 2.

References
----------
.. [1] M. Belkin, D. Hsu, S. Ma and S. Mandal, "Reconciling modern machine-learning practice and
   the classical bias-variance trade-off", PNAS 116(32), 15849-15854, 2019.
.. [2] P. Nakkiran, G. Kaplun, Y. Bansal, T. Yang, B. Barak and I. Sutskever, "Deep double
   descent: where bigger models and more data hurt", ICLR 2020 (arXiv:1912.02292, 2019).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..progress import Progress, run_to_end
from .data import N_DIGITS, DigitsSplit, Regression1D, load_digits_split, one_hot
from .features import random_features
from .solvers import NestedFit, NestedLeastSquares, least_squares, limit_blas_threads

__all__ = [
    "SweepResult",
    "Fit1D",
    "feature_grid",
    "model_sweep_steps",
    "model_sweep",
    "sample_sweep_steps",
    "sample_sweep",
    "fit_1d",
    "curve_1d",
]


@dataclass(frozen=True)
class SweepResult:
    r"""Train and test performance of a family of least-squares fits.

    Arrays have one entry per computed point, in the order of ``sizes``; a partial result of a
    running sweep holds the first points only (``complete`` is False).

    Attributes
    ----------
    sizes : ndarray of int, shape (k,)
        The swept quantity: the number of features N (model-wise) or of samples n
        (sample-wise).
    n_features : ndarray of int, shape (k,)
    n_train : ndarray of int, shape (k,)
    train_loss, test_loss : ndarray, shape (k,)
        Mean squared loss :math:`\frac1m\sum_i\|h(x_i)-e_{y_i}\|^2` (labels as fitted for the
        training set, clean labels for the test set).
    train_error, test_error : ndarray, shape (k,)
        0-1 error of the argmax.
    coef_norm : ndarray, shape (k,)
        :math:`\|a\|_2` (Frobenius norm of the N x K coefficients).
    rank : ndarray of int, shape (k,)
        Numerical rank of the feature matrix.
    test_pred : ndarray of int, shape (k, m)
        Predicted class of every test image, per point (for the cursor).
    planned : ndarray of int
        All sizes the sweep will compute.
    sweep : str
        ``"features"`` or ``"samples"``.
    kind, sigma, ridge, label_noise, seed
        The settings.
    """

    sizes: np.ndarray
    n_features: np.ndarray
    n_train: np.ndarray
    train_loss: np.ndarray
    test_loss: np.ndarray
    train_error: np.ndarray
    test_error: np.ndarray
    coef_norm: np.ndarray
    rank: np.ndarray
    test_pred: np.ndarray
    planned: np.ndarray
    sweep: str
    kind: str
    sigma: float
    ridge: float
    label_noise: float
    seed: int

    @property
    def complete(self) -> bool:
        return len(self.sizes) == len(self.planned)

    def at(self, size: int) -> int:
        """Index of the computed point whose size is closest to ``size`` (log scale)."""
        if len(self.sizes) == 0:
            raise ValueError("no point computed yet")
        return int(np.argmin(np.abs(np.log(self.sizes) - np.log(max(size, 1)))))


def feature_grid(n: int, *, start: float = 0.1, stop: float = 10.0, num: int = 40) -> np.ndarray:
    """About ``num`` integers spaced geometrically from ``start * n`` to ``stop * n``, with n.

    The threshold N = n is always on the grid.

    Examples
    --------
    >>> feature_grid(100, num=5)
    array([  10,   32,  100,  316, 1000])
    """
    if n < 1 or not (0 < start <= 1 <= stop) or num < 2:
        raise ValueError(
            f"need n >= 1, 0 < start <= 1 <= stop and num >= 2; got n={n}, start={start}, "
            f"stop={stop}, num={num}"
        )
    grid = np.round(np.geomspace(max(start * n, 1.0), stop * n, num)).astype(np.int64)
    return np.unique(np.concatenate([grid, [n]]))


def _scores(pred, labels, n_classes):
    loss = float(np.mean(np.sum((pred - one_hot(labels, n_classes)) ** 2, axis=1)))
    err = float(np.mean(np.argmax(pred, axis=1) != labels))
    return loss, err


class _Collector:
    def __init__(self, planned, sweep, kind, sigma, ridge, label_noise, seed):
        self.rows = []
        self.planned = np.asarray(planned, dtype=np.int64)
        self.meta = (sweep, kind, float(sigma), float(ridge), float(label_noise), int(seed))

    def add(self, size, n_features, n_train, fit, y_train, y_test, n_classes):
        tr_loss, tr_err = _scores(fit.train_pred, y_train, n_classes)
        te_loss, te_err = _scores(fit.test_pred, y_test, n_classes)
        self.rows.append(
            (
                size,
                n_features,
                n_train,
                tr_loss,
                te_loss,
                tr_err,
                te_err,
                fit.coef_norm,
                fit.rank,
                np.argmax(fit.test_pred, axis=1).astype(np.int8),
            )
        )

    def result(self) -> SweepResult:
        cols = list(zip(*self.rows)) if self.rows else [()] * 10
        ints = [np.asarray(c, dtype=np.int64) for c in cols[:3]]
        floats = [np.asarray(c, dtype=np.float64) for c in cols[3:8]]
        rank = np.asarray(cols[8], dtype=np.int64)
        pred = np.array(cols[9]) if self.rows else np.empty((0, 0), dtype=np.int8)
        return SweepResult(*ints, *floats, rank, pred, self.planned, *self.meta)


def _check_sizes(name, sizes, lo, hi):
    sizes = np.asarray(sizes)
    if (
        sizes.ndim != 1
        or sizes.size == 0
        or not np.issubdtype(sizes.dtype, np.integer)
        or np.any(np.diff(sizes) <= 0)
        or sizes[0] < lo
        or sizes[-1] > hi
    ):
        raise ValueError(
            f"{name} must be increasing integers in [{lo}, {hi}]; got {np.asarray(sizes)!r}"
        )
    return sizes.astype(np.int64)


def model_sweep_steps(
    data: DigitsSplit,
    n_features,
    *,
    kind: str = "fourier",
    sigma: float = 5.0,
    ridge: float = 0.0,
    seed: int = 0,
):
    r"""Model-wise double descent: fit random-feature models with N features for each N.

    A generator for the live panels: it yields ``Progress(fraction, partial SweepResult)``
    after each N and returns the complete :class:`SweepResult`. The models are nested: one
    random feature map with max(N) features is drawn (``random_features(64, max(N), kind=kind,
    sigma=sigma, seed=seed)``) and the model with N features uses its first N features,
    normalised by :math:`\sqrt{2/N}`. Features are computed block by block as N grows, and
    :class:`~course.double_descent.solvers.NestedLeastSquares` reuses the factorisation of the
    previous N, so the first point arrives after one small fit.

    Parameters
    ----------
    data : DigitsSplit
    n_features : sequence of int
        Increasing numbers of features N.
    kind, sigma, seed
        Of the random features (see :func:`~course.double_descent.features.random_features`).
    ridge : float
        :math:`\lambda \ge 0`; 0 gives the minimum-norm least-squares fit.

    Notes
    -----
    The lecture's claim, measured (a test): with ``load_digits_split(400, seed=0)`` (pixels
    scaled to [0, 1], no label noise), Fourier features with :math:`\sigma = 5`, ``seed=0`` and
    no ridge, the test loss at N = n is more than 10 times that at N = 10n, and the loss at
    N = 10n is below the best over N <= n/2.
    """
    sizes = _check_sizes("n_features", n_features, 1, 10**6)
    fmap = random_features(data.x_train.shape[1], int(sizes[-1]), kind=kind, sigma=sigma, seed=seed)
    targets = one_hot(data.y_train, data.n_classes)
    out = _Collector(sizes, "features", kind, sigma, ridge, data.label_noise, seed)
    fits = _nested_fits(fmap, targets, data.x_train, data.x_test, sizes, ridge)
    for k, (n_feat, fit) in enumerate(fits):
        out.add(n_feat, n_feat, data.n_train, fit, data.y_train, data.y_test, data.n_classes)
        yield Progress((k + 1) / len(sizes), out.result(), f"N = {n_feat}")
    return out.result()


def _nested_fits(fmap, targets, x_train, x_eval, sizes, ridge):
    r"""Yield ``(N, NestedFit)`` for each N in ``sizes``: the fit of the first N features of
    ``fmap`` (scaled by :math:`\sqrt{2/N}`), evaluated at ``x_train`` and ``x_eval``; each N
    adds the next block of features to the previous factorisation."""
    solver = NestedLeastSquares(targets)
    done = 0
    for n_feat in sizes:
        with limit_blas_threads(1):
            solver.append(fmap.raw(x_train, done, n_feat), fmap.raw(x_eval, done, n_feat))
            done = int(n_feat)
            yield done, solver.solve(scale=np.sqrt(2.0 / n_feat), ridge=ridge)


def model_sweep(data: DigitsSplit, n_features, **options) -> SweepResult:
    """:func:`model_sweep_steps` run to the end."""
    return run_to_end(model_sweep_steps(data, n_features, **options))


def sample_sweep_steps(
    n_features: int,
    n_train,
    *,
    kind: str = "fourier",
    sigma: float = 5.0,
    ridge: float = 0.0,
    label_noise: float = 0.0,
    seed: int = 0,
    n_test: int = 497,
):
    r"""Sample-wise double descent: a fixed model size N, more and more training data n.

    The training sets are nested prefixes of one seeded permutation (the first n images of
    ``load_digits_split(max(n_train), label_noise=..., seed=seed, n_test=n_test)``); the test
    set, the last ``n_test`` images, is the same for every n. At n = N the model interpolates
    for the last time, and near it more data *hurts* (Nakkiran et al., 2019).

    Yields ``Progress(fraction, partial SweepResult)``; returns the :class:`SweepResult`.
    """
    sizes = _check_sizes("n_train", n_train, 1, N_DIGITS - n_test)
    data = load_digits_split(int(sizes[-1]), label_noise=label_noise, seed=seed, n_test=n_test)
    fmap = random_features(
        data.x_train.shape[1], int(n_features), kind=kind, sigma=sigma, seed=seed
    )
    phi, phi_test = fmap(data.x_train), fmap(data.x_test)
    targets = one_hot(data.y_train, data.n_classes)
    out = _Collector(sizes, "samples", kind, sigma, ridge, label_noise, seed)
    for k, n in enumerate(sizes):
        with limit_blas_threads(1):
            fit = least_squares(phi[:n], targets[:n], ridge=ridge)
            nested = _as_nested(fit, phi[:n], phi_test, int(n_features))
            out.add(
                int(n),
                int(n_features),
                int(n),
                nested,
                data.y_train[:n],
                data.y_test,
                data.n_classes,
            )
        yield Progress((k + 1) / len(sizes), out.result(), f"n = {n}")
    return out.result()


def _as_nested(fit, phi, phi_test, n_features):
    return NestedFit(
        n_features, phi @ fit.coef, phi_test @ fit.coef, fit.norm, fit.rank, fit.singular_values
    )


def sample_sweep(n_features: int, n_train, **options) -> SweepResult:
    """:func:`sample_sweep_steps` run to the end."""
    return run_to_end(sample_sweep_steps(n_features, n_train, **options))


# ------------------------------------------------------------------------- 1D intuition
@dataclass(frozen=True)
class Fit1D:
    """A random-feature fit of 1D data, evaluated on the data's grid."""

    n_features: int
    prediction: np.ndarray  # on data.x_grid
    train_loss: float  # mean squared error on the noisy samples
    test_loss: float  # mean squared distance to f on the grid
    coef_norm: float


def fit_1d(
    data: Regression1D,
    n_features: int,
    *,
    kind: str = "fourier",
    sigma: float = 0.04,
    ridge: float = 0.0,
    seed: int = 0,
) -> Fit1D:
    r"""Fit ``n_features`` random features to 1D samples by min-norm least squares / ridge.

    Examples
    --------
    >>> from course.double_descent.data import make_regression_1d
    >>> d = make_regression_1d(12, noise=0.1)
    >>> fit = fit_1d(d, 40)       # over-parametrised: interpolates the 12 samples
    >>> fit.train_loss < 1e-20
    True
    """
    fmap = random_features(1, int(n_features), kind=kind, sigma=sigma, seed=seed)
    phi = fmap(data.x_train)
    fit = least_squares(phi, data.y_train, ridge=ridge)
    pred = fmap(data.x_grid) @ fit.coef
    return Fit1D(
        int(n_features),
        pred,
        float(np.mean((phi @ fit.coef - data.y_train) ** 2)),
        float(np.mean((pred - data.f_grid) ** 2)),
        fit.norm,
    )


def curve_1d(
    data: Regression1D,
    n_features,
    *,
    kind: str = "fourier",
    sigma: float = 0.04,
    ridge: float = 0.0,
    seed: int = 0,
) -> tuple[np.ndarray, ...]:
    """Train loss, test loss and ||a|| of :func:`fit_1d` for each N in ``n_features``.

    Computed with :class:`~course.double_descent.solvers.NestedLeastSquares` on one draw of
    max(N) features; the same numbers as calling :func:`fit_1d` for each N (a test checks it).

    Returns
    -------
    train_loss, test_loss, coef_norm : ndarray, shape (len(n_features),)
    """
    sizes = _check_sizes("n_features", n_features, 1, 10**6)
    fmap = random_features(1, int(sizes[-1]), kind=kind, sigma=sigma, seed=seed)
    rows = []
    for _, fit in _nested_fits(fmap, data.y_train, data.x_train, data.x_grid, sizes, ridge):
        rows.append(
            (
                np.mean((fit.train_pred[:, 0] - data.y_train) ** 2),
                np.mean((fit.test_pred[:, 0] - data.f_grid) ** 2),
                fit.coef_norm,
            )
        )
    return tuple(np.array(c, dtype=np.float64) for c in zip(*rows))
