r"""Minimum-norm and ridge least squares, stable below, at and above the threshold N = n.

For a feature matrix :math:`\Phi \in \mathbb{R}^{n \times N}` and targets
:math:`Y \in \mathbb{R}^{n \times K}` the ridge solution and its limit :math:`\lambda \to 0`, the
minimum-norm least-squares solution, are

.. math::

    a_\lambda = \arg\min_a \|\Phi a - Y\|_F^2 + \lambda \|a\|_F^2
              = \sum_{i} \frac{s_i}{s_i^2 + \lambda}\, v_i u_i^\top Y,
    \qquad a_0 = \Phi^+ Y,

with the singular value decomposition :math:`\Phi = \sum_i s_i u_i v_i^\top`. For
:math:`N \ge n` and :math:`\Phi` of rank n, :math:`a_0 = \Phi^\top (\Phi\Phi^\top)^{-1} Y`
interpolates: :math:`\Phi a_0 = Y`. Near :math:`N = n` the smallest :math:`s_i` tends to 0 and
:math:`\|a_0\|` explodes: this is the peak of double descent (Belkin et al., 2019).

Numerics: everything goes through an SVD of :math:`\Phi` itself (condition number
:math:`\kappa(\Phi)`), never through :math:`\Phi^\top\Phi` or :math:`\Phi\Phi^\top`
(:math:`\kappa^2`), and never through a pseudoinverse per point. :class:`NestedLeastSquares`
solves for the first N columns of one growing matrix, for increasing N, at the cost of one small
factorisation per N: below n an SVD of the n x N matrix; above n a triangular factor
:math:`R` (n x n) with :math:`\Phi^\top = QR`, updated when columns arrive (a QR of
:math:`[R; \Phi_{\mathrm{new}}^\top]`, Golub and Van Loan, Sec. 6.5), whose SVD gives the
singular values and left singular vectors of :math:`\Phi`.

References
----------
.. [1] M. Belkin, D. Hsu, S. Ma and S. Mandal, "Reconciling modern machine-learning practice and
   the classical bias-variance trade-off", PNAS 116(32), 15849-15854, 2019.
.. [2] G. H. Golub and C. F. Van Loan, "Matrix Computations", 4th ed., Johns Hopkins, 2013.
.. [3] A. Björck, "Numerical Methods for Least Squares Problems", SIAM, 1996.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..threads import limit_blas_threads  # re-exported (part of this module's API)

__all__ = [
    "LeastSquaresFit",
    "NestedFit",
    "NestedLeastSquares",
    "least_squares",
    "limit_blas_threads",
]


def _check_ridge(ridge) -> float:
    if isinstance(ridge, bool) or not np.isscalar(ridge) or not np.isfinite(ridge) or ridge < 0:
        raise ValueError(f"ridge must be a finite number >= 0; got {ridge!r}")
    return float(ridge)


def _filter(s, ridge: float, rcond: float | None, shape) -> tuple[np.ndarray, int]:
    """Filter factors 1/(s^2 + ridge) on the kept singular values (0 elsewhere), and the rank."""
    if rcond is None:
        rcond = np.finfo(np.float64).eps * max(shape)
    if s.size == 0 or s[0] == 0:
        return np.zeros_like(s), 0
    keep = s > rcond * s[0]
    inv = np.zeros_like(s)
    inv[keep] = 1.0 / (s[keep] ** 2 + ridge)
    return inv, int(keep.sum())


@dataclass(frozen=True)
class LeastSquaresFit:
    """A least-squares fit ``features @ coef ~ targets``.

    Attributes
    ----------
    coef : ndarray, shape (N,) or (N, K)
        The solution a.
    singular_values : ndarray, shape (min(n, N),)
        Of the feature matrix, decreasing.
    rank : int
        Number of singular values above ``rcond * s_max``.
    ridge : float
    """

    coef: np.ndarray
    singular_values: np.ndarray
    rank: int
    ridge: float

    @property
    def norm(self) -> float:
        """``||a||_2`` (the Frobenius norm for several outputs)."""
        return float(np.linalg.norm(self.coef))


def least_squares(features, targets, *, ridge: float = 0.0, rcond: float | None = None):
    r"""Minimum-norm least squares (``ridge=0``) or ridge regression, through one SVD.

    Parameters
    ----------
    features : array_like, shape (n, N)
        The matrix :math:`\Phi`; any n and N (under-, exactly and over-parametrised).
    targets : array_like, shape (n,) or (n, K)
    ridge : float
        :math:`\lambda \ge 0`.
    rcond : float, optional
        Singular values :math:`s_i \le` ``rcond`` :math:`\cdot s_1` count as zero (default
        ``eps * max(n, N)``, as ``numpy.linalg.lstsq``). With a ridge, this drops only
        directions that carry nothing but rounding errors.

    Returns
    -------
    LeastSquaresFit

    Notes
    -----
    :math:`a_\lambda = V \operatorname{diag}(s_i / (s_i^2 + \lambda)) U^\top Y`; with
    :math:`\lambda = 0` this is :math:`\Phi^+ Y`, the least-squares solution of smallest norm,
    equal to ``numpy.linalg.lstsq``'s (a test checks it to 1e-8). The cost is one thin SVD,
    :math:`O(nN\min(n, N))`.

    Examples
    --------
    >>> phi = np.array([[1.0, 1.0]])  # one equation, two unknowns
    >>> least_squares(phi, [2.0]).coef   # the interpolant of smallest norm
    array([1., 1.])
    >>> least_squares(phi, [2.0], ridge=2.0).coef  # 1 / (2 + 2) * [2, 2]
    array([0.5, 0.5])
    """
    ridge = _check_ridge(ridge)
    phi = np.asarray(features, dtype=np.float64)
    y = np.asarray(targets, dtype=np.float64)
    if phi.ndim != 2 or y.ndim not in (1, 2) or y.shape[0] != phi.shape[0]:
        raise ValueError(
            f"features must have shape (n, N) and targets (n,) or (n, K); got {phi.shape} "
            f"and {y.shape}"
        )
    if not (np.all(np.isfinite(phi)) and np.all(np.isfinite(y))):
        raise ValueError("features and targets must be finite")
    u, s, vt = np.linalg.svd(phi, full_matrices=False)
    inv, rank = _filter(s, ridge, rcond, phi.shape)
    coef = vt.T @ ((s * inv)[:, None] * (u.T @ y.reshape(len(y), -1)))
    return LeastSquaresFit(coef.reshape((phi.shape[1],) + y.shape[1:]), s, rank, ridge)


@dataclass(frozen=True)
class NestedFit:
    """Predictions of the fit on the first ``n_features`` columns (see NestedLeastSquares)."""

    n_features: int
    train_pred: np.ndarray  # (n, K)
    test_pred: np.ndarray  # (m, K)
    coef_norm: float  # ||a||_F
    rank: int
    singular_values: np.ndarray | None  # None when the fast triangular path was taken


class NestedLeastSquares:
    r"""Least-squares fits on the first N columns of a matrix whose columns arrive in blocks.

    Holds the training features :math:`C` (n x N, *unnormalised*) and test features
    :math:`C_{\mathrm{test}}` (m x N) as they arrive; :meth:`solve` fits
    :math:`\Phi = c\,C` (a common scale c, e.g. :math:`\sqrt{2/N}`) to the targets and returns
    the train and test predictions and :math:`\|a\|`.

    Below the threshold (N <= n) it keeps C and solves by an SVD of the n x N matrix. Once
    N > n it keeps only the triangular factor :math:`R` of :math:`C^\top = QR` (n x n), updated
    as blocks arrive (:math:`R \leftarrow` the R of :math:`[R; C_{\mathrm{new}}^\top]`), and the
    cross Gram matrix :math:`G = C_{\mathrm{test}} C^\top` (m x n), accumulated: memory
    O((n + m) n) whatever N. Then :math:`\Phi\Phi^\top = r^\top r` with :math:`r = cR`, and

    .. math::

        a_\lambda = \Phi^\top w, \quad w = (r^\top r + \lambda I)^{-1} Y, \qquad
        \Phi_{\mathrm{test}}\, a_\lambda = c^2 G w, \qquad \|a_\lambda\| = \|r w\|,

    with w from two triangular solves (see :meth:`_solve_triangular`; with a ridge, the
    triangular factor of :math:`[r; \sqrt\lambda I]`). This is the method of semi-normal
    equations for a minimum-norm problem, whose forward error is of the order of
    :math:`\epsilon\,\kappa(\Phi)`, as for an SVD of :math:`\Phi` (Björck, 1996). When LAPACK's
    condition estimate says :math:`r` is numerically singular (rank < n, e.g. duplicate
    inputs), it uses the SVD :math:`r = U S W^\top` instead and truncates small singular values
    like ``lstsq``: :math:`\Phi a = W \frac{S^2}{S^2+\lambda} W^\top Y`,
    :math:`\Phi_{\mathrm{test}} a = c^2 G W \frac{1}{S^2+\lambda} W^\top Y`. Tests compare both
    paths with ``numpy.linalg.lstsq`` below, at and above the threshold.

    Parameters
    ----------
    targets : array_like, shape (n, K)
    """

    def __init__(self, targets):
        y = np.asarray(targets, dtype=np.float64)
        self.targets = y.reshape(len(y), -1)
        self.n = len(y)
        self.n_features = 0
        self._c = np.empty((self.n, 0))
        self._c_test = None
        self._r = None
        self._g = None

    def append(self, train_block, test_block) -> None:
        """Add columns: ``train_block`` (n, k) and ``test_block`` (m, k), unnormalised."""
        b = np.asarray(train_block, dtype=np.float64)
        bt = np.asarray(test_block, dtype=np.float64)
        if b.ndim != 2 or b.shape[0] != self.n or bt.ndim != 2 or bt.shape[1] != b.shape[1]:
            raise ValueError(
                f"train_block must have shape ({self.n}, k) and test_block (m, k); got "
                f"{b.shape} and {bt.shape}"
            )
        if self._c_test is None:
            self._c_test = np.empty((bt.shape[0], 0))
        self.n_features += b.shape[1]
        if self._r is None:
            self._c = np.hstack([self._c, b])
            self._c_test = np.hstack([self._c_test, bt])
            if self.n_features > self.n:  # crossing the threshold: factor, then forget C
                self._r = np.linalg.qr(self._c.T, mode="r")
                self._g = self._c_test @ self._c.T
                self._c = self._c_test = None
        else:
            self._r = np.linalg.qr(np.vstack([self._r, b.T]), mode="r")
            self._g += bt @ b.T

    def solve(self, *, scale: float = 1.0, ridge: float = 0.0, rcond=None) -> NestedFit:
        r"""Fit :math:`\Phi = \mathrm{scale} \cdot C` (all columns so far) to the targets."""
        ridge = _check_ridge(ridge)
        if self.n_features == 0:
            raise ValueError("no feature columns yet: call append first")
        y = self.targets
        shape = (self.n, self.n_features)
        if self._r is None:
            phi = scale * self._c
            u, s, vt = np.linalg.svd(phi, full_matrices=False)
            inv, rank = _filter(s, ridge, rcond, shape)
            coef = vt.T @ ((s * inv)[:, None] * (u.T @ y))
            return NestedFit(
                self.n_features,
                phi @ coef,
                scale * (self._c_test @ coef),
                float(np.linalg.norm(coef)),
                rank,
                s,
            )
        r = scale * self._r  # Phi Phi^T = r^T r
        fast = self._solve_triangular(r, ridge, shape)
        if fast is not None:
            train, w, norm = fast
            return NestedFit(self.n_features, train, scale**2 * (self._g @ w), norm, self.n, None)
        _, s, wt = np.linalg.svd(r)
        inv, rank = _filter(s, ridge, rcond, shape)
        wy = wt @ y  # W^T Y
        train = wt.T @ ((s**2 * inv)[:, None] * wy)
        test = scale**2 * (self._g @ (wt.T @ (inv[:, None] * wy)))
        norm = float(np.linalg.norm((s * inv)[:, None] * wy))
        return NestedFit(self.n_features, train, test, norm, rank, s)

    def _solve_triangular(self, r, ridge, shape):
        r"""Train predictions, w = (r^T r + ridge I)^{-1} Y and ||a|| by triangular solves.

        With :math:`z = r_\lambda^{-\top} Y` and :math:`w = r_\lambda^{-1} z`, where
        :math:`r_\lambda^\top r_\lambda = r^\top r + \lambda I` (the R of the QR of
        :math:`[r; \sqrt{\lambda} I]`, never formed through :math:`r^\top r`):
        :math:`a = \Phi^\top w`, :math:`\Phi a = r^\top z` if :math:`\lambda = 0` and
        :math:`Y - \lambda w` otherwise, :math:`\|a\| = \|r w\|` (:math:`= \|z\|` if
        :math:`\lambda = 0`). These avoid forming :math:`r^\top (r w)`, whose rounding errors
        grow like :math:`\kappa^2`. Returns None when LAPACK's condition estimate (``dtrcon``)
        says the factor is numerically singular: the caller then uses the SVD, which truncates
        like ``lstsq``.
        """
        from scipy.linalg import lapack, solve_triangular

        rl = r
        if ridge > 0:
            rl = np.linalg.qr(np.vstack([r, np.sqrt(ridge) * np.eye(self.n)]), mode="r")
        rc, info = lapack.dtrcon(rl, norm="1", uplo="U", diag="N")
        if info != 0 or not rc > np.finfo(np.float64).eps * max(shape):
            return None
        z = solve_triangular(rl, self.targets, trans="T", check_finite=False)
        w = solve_triangular(rl, z, check_finite=False)
        if ridge > 0:
            return self.targets - ridge * w, w, float(np.linalg.norm(r @ w))
        return r.T @ z, w, float(np.linalg.norm(z))
