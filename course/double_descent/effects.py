r"""The numbers the double-descent lecture's text states about the digits curve.

:func:`digits_effects` computes the model-wise curve of the digits panel (random features,
minimum-norm least squares, N from n/10 to 20 n) without label noise and without ridge, then with
label noise, then with ridge, and returns the few numbers the lecture's prompt quotes: where the
test loss peaks, how far it falls beyond the threshold, what label noise and ridge do to the peak.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import load_digits_split
from .sweeps import feature_grid, model_sweep

__all__ = ["DigitsEffect", "digits_effects"]


@dataclass(frozen=True)
class DigitsEffect:
    """The numbers of the lecture's digits prompt (:func:`digits_effects`)."""

    n_train: int
    n_test: int
    peak_at: int  # the N where the test loss is largest (label noise 0, ridge 0)
    loss_at_threshold: float  # test loss at N = n
    loss_at_10n: float  # test loss at N = 10 n
    error_at_threshold: float  # test 0-1 error at N = n
    mistakes_at_10n: int  # misclassified test digits at N = 10 n
    noisy_label_noise: float
    noisy_peak: float  # the largest test loss with that label noise
    ridge: float
    ridge_worst_rise: tuple  # (label noise 0, noisy): largest test-loss ratio of successive N, - 1

    def __repr__(self) -> str:
        n = self.n_train
        rises = " and ".join(
            f"{100 * r:.2f}% (label noise {noise:g})"
            for r, noise in zip(self.ridge_worst_rise, (0.0, self.noisy_label_noise), strict=True)
        )
        return "\n".join(
            [
                f"n = {n}: the test loss peaks at N = {self.peak_at}; at N = n it is "
                f"{self.loss_at_threshold:.3g}, at N = 10n {self.loss_at_10n:.2g} "
                f"({self.loss_at_threshold / self.loss_at_10n:.0f} times less)",
                f"test error at N = n: {100 * self.error_at_threshold:.0f}% (chance level: 90%); "
                f"at N = 10n {self.mistakes_at_10n} of {self.n_test} test digits misclassified",
                f"label noise {self.noisy_label_noise:g}: the test loss peaks at "
                f"{self.noisy_peak:.3g}",
                f"ridge {self.ridge:g}: the largest rise of the test loss from one N to the next "
                f"is {rises}",
            ]
        )


def digits_effects(
    n_train: int = 400,
    *,
    kind: str = "fourier",
    sigma: float = 5.0,
    seed: int = 0,
    label_noise: float = 0.2,
    ridge: float = 1e-2,
    start: float = 0.1,
    stop: float = 20.0,
    num: int = 40,
) -> DigitsEffect:
    r"""The model-wise curve on the digits without and with ``label_noise``, and with ``ridge``.

    Four sweeps over the same :func:`~course.double_descent.feature_grid` of N (``start * n`` to
    ``stop * n``, with N = n), each on ``load_digits_split(n_train, label_noise=..., seed=seed)``
    with features of ``kind`` and bandwidth ``sigma`` drawn with ``seed``: (label noise 0, ridge
    0), (``label_noise``, ridge 0), (0, ``ridge``) and (``label_noise``, ``ridge``).

    Parameters
    ----------
    n_train : int
        Training images n.
    kind, sigma, seed
        As for :func:`~course.double_descent.model_sweep`.
    label_noise : float
        The label noise of the noisy curves.
    ridge : float
        The ridge of the last two curves.
    start, stop, num
        The grid of N, as for :func:`~course.double_descent.feature_grid`.

    Returns
    -------
    DigitsEffect
        Of the first curve: where its test loss peaks, the test loss at N = n and at the grid
        point nearest N = 10 n, the 0-1 error at N = n, the misclassified test digits at 10 n; the
        peak of the second; and for the last two the largest ratio of the test losses of
        successive N, minus 1 (negative: the loss falls at every step).

    Notes
    -----
    Takes a few seconds per sweep at n = 400 (N up to 8000).
    """
    grid = feature_grid(n_train, start=start, stop=stop, num=num)

    def sweep(noise, lam):
        data = load_digits_split(n_train, label_noise=noise, seed=seed)
        return data, model_sweep(data, grid, kind=kind, sigma=sigma, ridge=lam, seed=seed)

    data, s = sweep(0.0, 0.0)
    at = lambda N: int(np.argmin(np.abs(s.sizes - N)))  # noqa: E731
    _, noisy = sweep(label_noise, 0.0)
    rises = []
    for noise in (0.0, label_noise):
        t = sweep(noise, ridge)[1].test_loss
        rises.append(float(np.max(t[1:] / t[:-1]) - 1))
    return DigitsEffect(
        n_train=int(n_train),
        n_test=len(data.y_test),
        peak_at=int(s.sizes[np.argmax(s.test_loss)]),
        loss_at_threshold=float(s.test_loss[at(n_train)]),
        loss_at_10n=float(s.test_loss[at(10 * n_train)]),
        error_at_threshold=float(s.test_error[at(n_train)]),
        mistakes_at_10n=int(np.count_nonzero(s.test_pred[at(10 * n_train)] != data.y_test)),
        noisy_label_noise=float(label_noise),
        noisy_peak=float(noisy.test_loss.max()),
        ridge=float(ridge),
        ridge_worst_rise=tuple(rises),
    )
