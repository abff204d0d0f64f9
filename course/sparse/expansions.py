r"""One image expanded in one frame: its coefficients sorted once, its N-term approximations.

For an orthonormal basis the N largest coefficients are the best N terms, and the error is the
:math:`\ell^2` tail of the sorted coefficients; for a redundant Parseval frame the N largest
coefficients give an upper bound of the best N-term error, which :meth:`Expansion.pursuit`
(iterative hard thresholding, :mod:`course.sparse.pursuit`) sharpens. The curves, rates and
comparisons built from these expansions are in :mod:`course.sparse.nterm` (its docstring states
the definitions and references).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .frames import Frame, frame
from .pursuit import PURSUIT_ITERATIONS, _check_n, _hard, _l2, iterative_hard_thresholding

__all__ = ["Expansion", "expansion"]


@dataclass(frozen=True)
class Expansion:
    """The coefficients of one image in one frame, sorted once.

    Attributes
    ----------
    frame : Frame
        The system (:func:`course.sparse.frames.frame`): analysis, synthesis, redundancy.
    coefficients : ndarray, shape (M,), float64
        ``frame.analyze(f)``: all real coefficients (M = redundancy * pixels).
    order : ndarray, shape (M,)
        Indices of ``coefficients`` by decreasing magnitude.
    norm : float
        :math:`\\|f\\|_2`.
    """

    frame: Frame
    coefficients: np.ndarray
    order: np.ndarray
    norm: float

    @property
    def system(self) -> str:
        return self.frame.system

    @property
    def label(self) -> str:
        return self.frame.label

    @property
    def synthesize(self):
        return self.frame.synthesize

    @property
    def analyze(self):
        return self.frame.analyze

    @property
    def orthonormal(self) -> bool:
        return self.frame.orthonormal

    @property
    def redundancy(self) -> float:
        return self.frame.redundancy

    @property
    def shape(self) -> tuple:
        return self.frame.shape

    @property
    def n_coefficients(self) -> int:
        return int(self.coefficients.size)

    def kept(self, n_terms: int) -> np.ndarray:
        """The coefficient vector with all but the ``n_terms`` largest set to zero."""
        n = _check_n(n_terms, self.n_coefficients)
        out = np.zeros_like(self.coefficients)
        idx = self.order[:n]
        out[idx] = self.coefficients[idx]
        return out

    def approximation(self, n_terms: int) -> np.ndarray:
        """The N-term approximation :math:`f_N` as an image."""
        return self.synthesize(self.kept(n_terms))

    def tail(self) -> np.ndarray:
        """:math:`(\\sum_{m > N} |c|_{(m)}^2)^{1/2}` for N = 0..M (the basis error)."""
        sq = self.coefficients[self.order] ** 2
        tail = np.concatenate([np.cumsum(sq[::-1])[::-1], [0.0]])
        return np.sqrt(np.maximum(tail, 0.0))

    def errors(self, n_terms, image) -> np.ndarray:
        """Relative errors :math:`\\|f - f_N\\|_2 / \\|f\\|_2` for each N in ``n_terms``."""
        n_terms = np.asarray(n_terms, dtype=int)
        if self.orthonormal:
            return self.tail()[n_terms] / self.norm
        return np.array([_l2(image - self.approximation(int(n))) / self.norm for n in n_terms])

    def pursuit(self, n_terms: int, image, *, start=None, iterations: int = PURSUIT_ITERATIONS):
        """The better N-term approximation of iterative hard thresholding (a frame) or the N
        largest coefficients (a basis, where that is optimal). Returns ``(coeffs, history)``;
        ``history`` holds the relative error at the start and after each iteration.

        ``start`` (a frame only): the coefficients of another approximation, e.g. the result for
        a smaller N (continuation). The pursuit starts from the better of ``H_N(start +
        analyze(f - synthesize(start)))`` and the N largest coefficients, so its error is never
        above that of the N largest coefficients.
        """
        n = _check_n(n_terms, self.n_coefficients)
        first = self.kept(n)
        if self.orthonormal:
            err = _l2(image - self.synthesize(first)) / self.norm
            return first, np.array([err])
        if start is not None:
            start = np.asarray(start, dtype=float)
            warm = _hard(start + self.analyze(image - self.synthesize(start)), n)
            if _l2(image - self.synthesize(warm)) < _l2(image - self.synthesize(first)):
                first = warm
        return iterative_hard_thresholding(
            self.analyze, self.synthesize, image, n, start=first, iterations=iterations
        )


def _check_image(image):
    f = np.asarray(image, dtype=np.float64)
    if f.ndim != 2 or min(f.shape) < 16:
        raise ValueError(f"image must be a 2-D array with sides >= 16; got shape {f.shape}")
    if not np.all(np.isfinite(f)) or not np.any(f):
        raise ValueError("image must be finite and not identically zero")
    return f


def expansion(image, system: str, *, wavelet: str = "db4", scales: int = 4) -> Expansion:
    r"""Expand ``image`` in ``system`` and sort the coefficients once.

    Parameters
    ----------
    image : ndarray, shape (n0, n1)
        Real image.
    system, wavelet, scales
        The frame, as for :func:`course.sparse.frames.frame`.

    Returns
    -------
    Expansion

    Examples
    --------
    >>> f = np.outer(np.hanning(32), np.hanning(32))
    >>> e = expansion(f, "wavelet", wavelet="haar")
    >>> e.n_coefficients, e.orthonormal
    (1024, True)
    >>> bool(np.allclose(e.approximation(1024), f))
    True
    """
    f = _check_image(image)
    F = frame(system, f.shape, wavelet=wavelet, scales=scales)
    coeffs = np.asarray(F.analyze(f), dtype=np.float64)
    order = np.argsort(-np.abs(coeffs), kind="stable")
    return Expansion(F, coeffs, order, _l2(f))
