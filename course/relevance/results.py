"""The containers of lecture 07's results that a dashboard keeps: numpy arrays and numbers only.

The shared result store keeps them pickled, and a pickle names the module of its class: defined
here, without torch, reading a stored result imports no torch. :mod:`.rde` and
:mod:`.evaluation`, which compute them, re-export them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["EvaluationResult", "RateDistortionCurve"]


@dataclass(frozen=True)
class EvaluationResult:
    """Curves and summaries of every method, over the same images and the same noise.

    Attributes
    ----------
    fractions : ndarray, shape (K,)
        Fraction of pixels randomised.
    ordering, flipping : dict of str -> ndarray (K,)
        Mean score under relevance ordering and under pixel flipping, per method
        (``'random'`` is the random baseline).
    aopc : dict of str -> float
        AOPC of the pixel-flipping curve (larger: the map finds what the score depends on).
    ordering_area : dict of str -> float
        Mean of the relevance-ordering curve (larger: the map keeps what the score needs).
    n_images : int
    methods : tuple of str
        The methods evaluated so far (a partial result has fewer).
    """

    fractions: np.ndarray
    ordering: dict
    flipping: dict
    aopc: dict
    ordering_area: dict
    n_images: int
    methods: tuple


@dataclass(frozen=True)
class RateDistortionCurve:
    """Distortion of the binary mask keeping the ``k`` most relevant pixels, for each ``k``.

    Attributes
    ----------
    sizes : ndarray of int, shape (K,)
        Mask sizes :math:`k` (pixels kept).
    distortion : ndarray, shape (K,)
        :math:`D` of each mask, averaged over the images.
    """

    sizes: np.ndarray
    distortion: np.ndarray
