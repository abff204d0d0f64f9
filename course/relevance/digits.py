"""The data of lecture 07: scikit-learn's 8x8 digits, scaled to [0, 1], split once.

The data are scikit-learn's handwritten digits (1797 images of 8x8 pixels with grey values
0..16, shipped inside scikit-learn, so nothing is downloaded). We scale the grey values to
``[0, 1]``, which makes the input domain the box :math:`[0, 1]^{64}` that the :math:`z^B` rule of
LRP needs, and split the images once, with a fixed seed, into a training and a test set. This
module imports no torch (scikit-learn only when the images are first loaded).

References
----------
.. [1] E. Alpaydin, C. Kaynak, "Optical Recognition of Handwritten Digits", UCI Machine Learning
   Repository, 1998 (the data behind ``sklearn.datasets.load_digits``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = ["DigitsData", "N_TEST", "SPLIT_SEED", "load_digit_images"]

#: Seed of the train/test split; fixed, so the test set is the same for everyone.
SPLIT_SEED = 0
#: Number of test images (of 1797).
N_TEST = 540


@dataclass(frozen=True)
class DigitsData:
    """The digits, scaled to ``[0, 1]``, split into training and test set.

    Attributes
    ----------
    x_train, x_test : ndarray, shape (n, 8, 8), float64
        Grey values in ``[0, 1]`` (the original 0..16 divided by 16), indexed ``(row, col)``.
    y_train, y_test : ndarray, shape (n,), int64
        Labels 0..9.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


@lru_cache(maxsize=1)
def load_digit_images() -> DigitsData:
    """The 1797 digits, split once with seed :data:`SPLIT_SEED` into 1257 training, 540 test.

    Examples
    --------
    >>> d = load_digit_images()
    >>> d.x_train.shape, d.x_test.shape, float(d.x_train.max())
    ((1257, 8, 8), (540, 8, 8), 1.0)
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = digits.images.astype(np.float64) / 16.0
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(SPLIT_SEED).permutation(len(y))
    test, train = order[:N_TEST], order[N_TEST:]
    arrays = (x[train], y[train], x[test], y[test])
    for a in arrays:
        a.setflags(write=False)
    return DigitsData(*arrays)
