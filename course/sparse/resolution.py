r"""The same cartoon at several resolutions: how the shearlet/wavelet gap changes with the pixels.

At a fixed number of terms :math:`N` the continuum rates predict the wavelet error to approach a
value of order :math:`N^{-1/2}` and the shearlet error one of order :math:`N^{-1}` as the pixel
grid refines; at a coarse grid the edge crosses few pixels and the wavelets resolve it with few
coefficients. :func:`resolution_study_steps` renders the cartoon at each size (the same
function: same seed and boundary), expands it in the orthonormal db4 wavelet basis and in the
decimated shearlet frame with :math:`\log_2 n - 4` scales (3 at :math:`128^2`, 4 at
:math:`256^2`, ...), and computes the N-term errors (shearlets: iterative hard thresholding
continued along N), yielding a partial :class:`ResolutionStudy` after each size.

Cost (idle machine, one core): about 1 s at :math:`128^2`, 3 s at :math:`256^2`, 20 s at
:math:`512^2` and about 4 minutes and 4 GB of memory at :math:`1024^2` (the shearlet system's
windows are built once per size).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..progress import Progress, run_to_end
from .cartoon import cartoon
from .nterm import nterm_curve

__all__ = [
    "ResolutionStudy",
    "resolution_study",
    "resolution_study_steps",
    "SIZES",
    "N_TERMS",
    "MAX_SHARE",
]

#: Image sides of the study.
SIZES = (128, 256, 512, 1024)
#: Numbers of terms at which the errors are compared (at each size those up to pixels / 16).
N_TERMS = (50, 100, 200, 400, 800, 1600, 3200)
#: At most this share of the pixels is kept: beyond it every system is deep in the pixel regime.
MAX_SHARE = 1 / 16


@dataclass(frozen=True)
class ResolutionStudy:
    """N-term errors of one cartoon at several resolutions, wavelets against shearlets.

    Attributes
    ----------
    sizes : tuple of int
        Image sides computed so far (a partial study holds the first ones).
    n_terms : ndarray of int
    wavelet, shearlet : ndarray, shape (len(sizes), len(n_terms))
        Relative errors :math:`\\|f - f_N\\|_2 / \\|f\\|_2` (shearlets: iterative hard
        thresholding continued along N); NaN where N exceeds :data:`MAX_SHARE` of the pixels.
    scales : tuple of int
        Shearlet scales used at each size.
    seed : int
    planned : tuple of int
        All sizes of the study.
    """

    sizes: tuple
    n_terms: np.ndarray
    wavelet: np.ndarray
    shearlet: np.ndarray
    scales: tuple
    seed: int
    planned: tuple

    @property
    def ratio(self) -> np.ndarray:
        """Shearlet error over wavelet error, shape (len(sizes), len(n_terms))."""
        return self.shearlet / self.wavelet

    @property
    def complete(self) -> bool:
        return tuple(self.sizes) == tuple(self.planned)

    @property
    def best_ratio(self) -> np.ndarray:
        """The smallest ratio over N at each size: the shearlets' largest lead."""
        return np.nanmin(self.ratio, axis=1)

    @property
    def last_win(self) -> np.ndarray:
        """At each size the largest N of the study at which the shearlets are below the
        wavelets (0 if at none)."""
        wins = np.where(self.ratio < 1, self.n_terms[None, :], 0)
        return np.max(wins, axis=1)

    def at(self, n_terms: int) -> np.ndarray:
        """The ratio at one N of the study, one value per size."""
        hits = np.flatnonzero(self.n_terms == n_terms)
        if hits.size == 0:
            raise ValueError(f"n_terms must be one of {self.n_terms.tolist()}; got {n_terms!r}")
        return self.ratio[:, hits[0]]


def _check(sizes, n_terms):
    sizes = tuple(int(s) for s in sizes)
    if not sizes or any(s < 64 or s & (s - 1) for s in sizes):
        raise ValueError(f"sizes must be powers of two >= 64; got {sizes!r}")
    n = np.asarray(n_terms, dtype=int)
    if n.ndim != 1 or n.size < 1 or n.min() < 1 or np.any(np.diff(n) <= 0):
        raise ValueError(f"n_terms must be increasing positive integers; got {n_terms!r}")
    if n[0] > MAX_SHARE * min(sizes) ** 2:
        raise ValueError(f"n_terms must start at most at {MAX_SHARE * min(sizes) ** 2:g}")
    return sizes, n


def resolution_study_steps(sizes=SIZES, *, n_terms=N_TERMS, seed: int = 0):
    """:func:`resolution_study` as a generator: yields ``Progress(fraction, ResolutionStudy)``
    after each size (smallest first), returns the full study."""
    sizes, n = _check(sizes, n_terms)
    wav, she, scales = [], [], []
    study = None
    for i, size in enumerate(sizes):
        yield Progress(i / len(sizes), study, f"{size} x {size}: expanding and pursuing")
        f = cartoon(size, seed=seed).image
        j = int(np.log2(size)) - 4
        use = n[n <= MAX_SHARE * size**2]
        fit = (float(use[0]), float(use[-1]))
        w = nterm_curve(f, "wavelet", n_terms=use, fit_range=fit)
        s = nterm_curve(f, "shearlet", n_terms=use, fit_range=fit, scales=j, method="pursuit")
        pad = np.full(n.size - use.size, np.nan)
        wav.append(np.concatenate([w.error, pad]))
        she.append(np.concatenate([s.error, pad]))
        scales.append(j)
        study = ResolutionStudy(
            sizes[: i + 1], n, np.array(wav), np.array(she), tuple(scales), seed, sizes
        )
    return study


def resolution_study(sizes=SIZES, *, n_terms=N_TERMS, seed: int = 0) -> ResolutionStudy:
    r"""Wavelet and shearlet N-term errors of the cartoon ``seed`` at each image side in ``sizes``.

    Examples
    --------
    >>> s = resolution_study((64, 128), n_terms=(50, 200))
    >>> s.sizes, s.scales, s.ratio.shape
    ((64, 128), (2, 3), (2, 2))
    """
    return run_to_end(resolution_study_steps(sizes, n_terms=n_terms, seed=seed))
