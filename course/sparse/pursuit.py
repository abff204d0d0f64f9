r"""Iterative hard thresholding: N-term approximation in a redundant frame.

In a redundant frame the N largest coefficients are not the best N terms; iterative hard
thresholding (Blumensath and Davies [1]_) starts from them and never increases the error in a
frame of norm at most one (every Parseval frame of :mod:`course.sparse.frames`).

References
----------
.. [1] T. Blumensath and M. E. Davies, "Iterative thresholding for sparse approximations",
   J. Fourier Analysis and Applications 14 (2008), 629-654 (Lemma 1: for
   :math:`\|\Phi\|_2 \le 1` the error never increases).
"""

from __future__ import annotations

import numpy as np

__all__ = ["iterative_hard_thresholding", "l2_norm", "PURSUIT_ITERATIONS", "PURSUIT_TOL"]

#: Iterations of :func:`iterative_hard_thresholding` used for the rate curves (at most), and the
#: relative decrease of the error below which it stops.
PURSUIT_ITERATIONS = 40
PURSUIT_TOL = 1e-3


def _hard(c, n):
    """Keep the n entries of largest magnitude (ties broken by position), zero the rest."""
    out = np.zeros_like(c)
    if n > 0:
        idx = np.argpartition(-np.abs(c), n - 1)[:n] if n < c.size else np.arange(c.size)
        out[idx] = c[idx]
    return out


def iterative_hard_thresholding(
    analyze,
    synthesize,
    image,
    n_terms: int,
    *,
    start=None,
    iterations: int = PURSUIT_ITERATIONS,
    tol: float = PURSUIT_TOL,
):
    r"""N-term approximation in a frame by iterative hard thresholding.

    .. math::

        c^{t+1} = H_N\bigl(c^t + \Phi^*(f - \Phi c^t)\bigr),

    with :math:`\Phi` = ``synthesize``, :math:`\Phi^*` = ``analyze`` and :math:`H_N` keeping the N
    largest entries. If :math:`\|\Phi\|_2 \le 1` (a Parseval frame has norm one) the error
    :math:`\|f - \Phi c^t\|_2` never increases (Blumensath and Davies 2008, Lemma 1): every step
    minimizes a majorizer of the squared error that touches it at :math:`c^t`. Started from the N
    largest frame coefficients, the result is never worse than plain thresholding.

    Parameters
    ----------
    analyze, synthesize : callable
        Image -> coefficient vector, and its adjoint.
    image : ndarray
    n_terms : int
        N, the number of nonzero real coefficients.
    start : ndarray, optional
        N-sparse start; default the N largest entries of ``analyze(image)``.
    iterations : int
        At most this many steps.
    tol : float
        Stop after a step that lowers the error by less than this fraction.

    Returns
    -------
    coeffs : ndarray
        At most N nonzero entries.
    history : ndarray
        Relative error :math:`\|f - \Phi c^t\|_2 / \|f\|_2` at the start and after each step.
    """
    f = np.asarray(image, dtype=np.float64)
    if isinstance(iterations, bool) or not float(iterations).is_integer() or iterations < 0:
        raise ValueError(f"iterations must be a non-negative integer; got {iterations!r}")
    norm = _l2(f)
    c = _hard(analyze(f), int(n_terms)) if start is None else np.asarray(start, dtype=float)
    if np.count_nonzero(c) > n_terms:
        raise ValueError(f"start must have at most n_terms = {n_terms} nonzero entries")
    residual = f - synthesize(c)
    history = [_l2(residual) / norm]
    for _ in range(int(iterations)):
        new = _hard(c + analyze(residual), int(n_terms))
        new_residual = f - synthesize(new)
        err = _l2(new_residual) / norm
        c, residual = new, new_residual
        history.append(err)
        if history[-2] - err <= tol * history[-2]:
            break
    return c, np.array(history)


def _l2(a) -> float:
    """Euclidean norm without BLAS (``np.linalg.norm`` calls a threaded dot product, which is
    10 ms instead of 0.05 ms on a busy machine)."""
    a = np.asarray(a)
    return float(np.sqrt(np.sum(a * a)))


def _check_n(n, m):
    if isinstance(n, bool) or not float(n).is_integer() or not 0 <= n <= m:
        raise ValueError(f"n_terms must be an integer in [0, {m}]; got {n!r}")
    return int(n)


l2_norm = _l2
