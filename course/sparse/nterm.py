r"""Best N-term approximation of an image in Fourier, wavelet, shearlet and curvelet systems.

For a system :math:`(\varphi_i)` the error of best N-term approximation is

.. math::

    \sigma_N(f) = \inf_{|\Lambda| = N,\ (c_i)} \Bigl\| f - \sum_{i\in\Lambda} c_i\varphi_i \Bigr\|_2 .

For an orthonormal basis it is attained by keeping the N largest coefficients, and equals the
:math:`\ell^2` tail of the sorted coefficients, :math:`\sigma_N(f)^2 = \sum_{m > N} |c|_{(m)}^2`
(Fourier: the real orthonormal DFT basis; wavelets: PyWavelets with an orthonormal family and
``mode="periodization"``). For a redundant Parseval frame (decimated shearlets, curvelets) keeping
the N largest frame coefficients and synthesizing with the adjoint gives an N-term approximation
whose error is computed by reconstruction; it is an upper bound of :math:`\sigma_N(f)` and is what
the optimality theorems bound. In a redundant frame other coefficients on other index sets can
do much better: :func:`iterative_hard_thresholding` (Blumensath and Davies 2008) starts from the
N largest coefficients (or, along increasing N, from the previous N's solution when that is
better) and never increases the error: a sharper upper bound of :math:`\sigma_N(f)` with the
same count N. One image's sorted coefficients in one system are an :class:`Expansion`
(:mod:`course.sparse.expansions`); this module turns them into curves, rates and comparisons.
Every count N is a count of *real* numbers, and every system's
redundancy (real coefficients per pixel) is reported.

Errors are relative, :math:`\|f - f_N\|_2 / \|f\|_2`, **not squared** (papers often state
:math:`\|f - f_N\|_2^2 \lesssim N^{-2}(\log N)^3`; its square root is
:math:`N^{-1}(\log N)^{3/2}`).

References
----------
.. [1] D. L. Donoho, "Sparse components of images and optimal atomic decompositions",
   Constructive Approximation 17 (2001), 353-382.
.. [2] G. Kutyniok and W.-Q Lim, "Compactly supported shearlets are optimally sparse",
   J. Approximation Theory 163 (2011), 1564-1589, Theorem 1.3.
.. [3] E. J. Candes and D. L. Donoho, "New tight frames of curvelets and optimal representations
   of objects with piecewise C^2 singularities", Comm. Pure Appl. Math. 57 (2004), 219-266.
.. [4] T. T. Nguyen and H. Chauris, "Uniform discrete curvelet transform", IEEE Trans. Signal
   Processing 58 (2010), 3618-3634 (the ``curvelets`` package).
.. [5] H. Boelcskei, P. Grohs, G. Kutyniok and P. Petersen, "Optimal approximation with sparsely
   connected deep neural networks", SIAM J. Math. Data Science 1 (2019), 8-45.
.. [6] T. Blumensath and M. E. Davies, "Iterative thresholding for sparse approximations",
   J. Fourier Analysis and Applications 14 (2008), 629-654 (Lemma 1: for
   :math:`\|\Phi\|_2 \le 1` the error never increases).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..progress import Progress, run_to_end
from ..rates import RateFit, fit_rate
from .expansions import Expansion, _check_image, expansion
from .frames import FRAMES, Frame, frame
from .pursuit import (
    PURSUIT_ITERATIONS,
    PURSUIT_TOL,
    _check_n,
    iterative_hard_thresholding,
    l2_norm,
)

__all__ = [
    "l2_norm",
    "Expansion",
    "NTermCurve",
    "Comparison",
    "FRAMES",
    "Frame",
    "frame",
    "expansion",
    "nterm_curve",
    "compare",
    "compare_steps",
    "refit",
    "default_n_terms",
    "default_range",
    "METHODS",
    "theory_rates",
    "iterative_hard_thresholding",
    "PURSUIT_ITERATIONS",
    "PURSUIT_TOL",
]


@dataclass(frozen=True)
class NTermCurve:
    """Relative N-term errors of one image in one system.

    Attributes
    ----------
    system, label : str
    n_terms : ndarray of int
    error : ndarray
        :math:`\\|f - f_N\\|_2 / \\|f\\|_2` (not squared) of the chosen method.
    redundancy : float
    fit : RateFit or None
        Slope fitted on the stated range (None if the range holds fewer than two points).
    method : {"largest", "pursuit"}
        Keep the N largest coefficients, or iterative hard thresholding continued along
        increasing N (never worse than the N largest; the same for a basis).
    largest : ndarray
        The errors of keeping the N largest coefficients (equal to ``error`` for a basis).
    """

    system: str
    label: str
    n_terms: np.ndarray
    error: np.ndarray
    redundancy: float
    fit: RateFit | None
    method: str = "largest"
    largest: np.ndarray | None = None


#: N-term methods (name -> label): keep the N largest coefficients; or iterative hard
#: thresholding from there (frames only; for a basis the N largest are optimal).
METHODS = {"pursuit": "iterative hard thresholding", "largest": "N largest coefficients"}


def default_n_terms(shape, *, count: int = 12) -> np.ndarray:
    """Log-spaced N on the default plotted range :func:`default_range`, as distinct integers."""
    lo, hi = default_range(shape)
    return np.unique(np.round(np.geomspace(lo, hi, count)).astype(int))


def default_range(shape) -> tuple:
    """``(50, pixels / 80)``: the plotted and fitted range of N.

    Below 50 terms every system spends its terms on the coarse, isotropic part of the image (8 x 8
    coarse coefficients in each system at 256 x 256): the directions do not matter yet. Beyond
    about pixels / 80 the pixel grid takes over: at 256 x 256 the edge crosses about 500 pixels,
    so after a few thousand terms a wavelet basis has resolved every edge pixel and its error
    collapses; the continuum rates describe neither end.
    """
    return 50, max(int(np.prod(shape)) // 80, 100)


def _fit(n_terms, err, fit_range):
    try:
        return fit_rate(n_terms, err, n_min=fit_range[0], n_max=fit_range[1])
    except ValueError:
        return None


def nterm_curve(
    image,
    system: str,
    *,
    n_terms=None,
    fit_range=None,
    wavelet="db4",
    scales=4,
    expanded: Expansion | None = None,
    method: str = "largest",
    iterations: int = PURSUIT_ITERATIONS,
) -> NTermCurve:
    """Errors of the N-term approximations of ``image`` for each N, and the fitted slope.

    ``fit_range=(n_min, n_max)``, by default :func:`default_range`. ``method="pursuit"`` runs
    :func:`iterative_hard_thresholding` for frames along increasing N, each N starting from the
    better of its N largest coefficients and the previous N's solution (continuation; about
    0.4 s for the 12 default N of the shearlets at 256 x 256, 2.4 s for the curvelets).
    """
    f = _check_image(image)
    e = expanded if expanded is not None else expansion(f, system, wavelet=wavelet, scales=scales)
    fit_range = default_range(f.shape) if fit_range is None else fit_range
    curve = _largest_curve(e, f, n_terms, fit_range, method)
    for better in _pursued(e, f, curve, fit_range, iterations):
        curve = better
    return curve


def _largest_curve(e: Expansion, f, n_terms, fit_range, method) -> NTermCurve:
    """The curve of the N largest coefficients (the start of every method)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; got {method!r}")
    n_terms = default_n_terms(f.shape) if n_terms is None else np.asarray(n_terms, dtype=int)
    for n in n_terms:
        _check_n(n, e.n_coefficients)
    err = e.errors(n_terms, f)
    return NTermCurve(
        e.system, e.label, n_terms, err, e.redundancy, _fit(n_terms, err, fit_range), method, err
    )


def _pursued(e: Expansion, f, curve: NTermCurve, fit_range, iterations):
    """For a frame with ``curve.method == "pursuit"``: the curve again after each N's pursuit,
    along increasing N, each starting from the previous solution when that is better."""
    if curve.method != "pursuit" or e.orthonormal:
        return
    err, previous = curve.error.copy(), None
    for i in np.argsort(curve.n_terms, kind="stable"):
        previous, history = e.pursuit(
            int(curve.n_terms[i]), f, start=previous, iterations=iterations
        )
        err[i] = history[-1]
        yield dataclasses.replace(curve, error=err.copy(), fit=_fit(curve.n_terms, err, fit_range))


@dataclass(frozen=True)
class Comparison:
    """N-term curves of one image in several systems."""

    curves: tuple
    fit_range: tuple
    method: str = "largest"

    def curve(self, system: str) -> NTermCurve:
        for c in self.curves:
            if c.system == system:
                return c
        raise ValueError(f"no curve for system {system!r}")


def refit(comparison: Comparison, fit_range) -> Comparison:
    """The same curves with slopes fitted on another range (no new approximations)."""
    fit_range = tuple(float(v) for v in fit_range)
    curves = tuple(
        dataclasses.replace(c, fit=_fit(c.n_terms, c.error, fit_range)) for c in comparison.curves
    )
    return Comparison(curves, fit_range, comparison.method)


def compare(image, systems=("fourier", "wavelet", "shearlet", "curvelet"), **options):
    """:func:`nterm_curve` for several systems on the same N and the same fit range (options as
    for :func:`compare_steps`)."""
    return run_to_end(compare_steps(image, systems, **options))


def compare_steps(
    image,
    systems=("fourier", "wavelet", "shearlet", "curvelet"),
    *,
    n_terms=None,
    fit_range=None,
    wavelet="db4",
    scales=4,
    method="largest",
    iterations=PURSUIT_ITERATIONS,
    expansions=None,
):
    """:func:`compare` as a generator: yields ``Progress(fraction, Comparison)`` first with the
    N-largest curves of every system, then after every pursuit; returns the full Comparison.
    ``expansions`` (system -> :class:`Expansion`) reuses coefficients already sorted."""
    f = _check_image(image)
    n_terms = default_n_terms(f.shape) if n_terms is None else np.asarray(n_terms, dtype=int)
    fit_range = tuple(float(v) for v in (fit_range or default_range(f.shape)))
    exps = {
        s: (expansions or {}).get(s) or expansion(f, s, wavelet=wavelet, scales=scales)
        for s in systems
    }
    curves = {s: _largest_curve(e, f, n_terms, fit_range, method) for s, e in exps.items()}
    frames = [s for s, e in exps.items() if method == "pursuit" and not e.orthonormal]
    total = len(frames) * len(n_terms)
    if total:
        yield Progress(0.0, Comparison(tuple(curves.values()), fit_range, method))
    done = 0
    for s in frames:
        for better in _pursued(exps[s], f, curves[s], fit_range, iterations):
            curves[s] = better
            done += 1
            yield Progress(done / total, Comparison(tuple(curves.values()), fit_range, method))
    return Comparison(tuple(curves.values()), fit_range, method)


def theory_rates(n_terms, *, anchor: float = 1.0) -> dict:
    r"""The continuum rates, normalised to ``anchor`` at the first N: Fourier :math:`N^{-1/4}`,
    wavelets :math:`N^{-1/2}`, shearlets and curvelets :math:`N^{-1}(\log N)^{3/2}`."""
    n = np.asarray(n_terms, dtype=float)
    out = {
        "N^-1/4 (Fourier)": n**-0.25,
        "N^-1/2 (wavelets)": n**-0.5,
        "N^-1 (log N)^3/2 (shearlets, curvelets)": n**-1.0 * np.log(n) ** 1.5,
    }
    return {k: anchor * v / v[0] for k, v in out.items()}
