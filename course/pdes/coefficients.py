r"""The parametric diffusion coefficients of Geist, Petersen, Raslan, Schneider, Kutyniok (2021).

Every family is *affine* in the parameter :math:`y \in Y \subset \mathbb{R}^p`,

.. math:: a_y(x) = a_0(x) + \sum_{i=1}^p y_i\, b_i(x),

with :math:`y` drawn uniformly from a box, and bounded below by a positive constant on :math:`Y`
(uniform ellipticity). The four test cases follow the paper's four families; the constants
(offsets, decay, ranges) are this course's choices, stated below:

``trigonometric``
    :math:`a_y = 2 + \sum_i y_i (i+1)^{-3/2} \cos(\pi k_i x_1)\cos(\pi l_i x_2)`, frequencies
    :math:`(k_i, l_i)` enumerated by :math:`k + l`, :math:`y \in [-1, 1]^p`: any :math:`p`.
``chessboard``
    the square cut into :math:`s \times s` cells, :math:`a_y = y_i` on cell :math:`i`,
    :math:`y \in [0.1, 1]^p`, :math:`p = s^2`.
``cookies``
    :math:`s \times s` discs ("cookies") of radius :math:`0.8/(2s)` centred on a grid,
    :math:`a_y = 1` outside and :math:`y_i` inside disc :math:`i`, :math:`y \in [0.1, 2]^p`,
    :math:`p = s^2`.
``polynomial``
    :math:`a_y = 2 + \sum_i y_i (i+1)^{-3/2} x_1^{k_i} x_2^{l_i}`, the monomials of degree
    :math:`\ge 1` in graded order, :math:`y \in [-1, 1]^p`: any :math:`p`.

References
----------
.. [1] M. Geist, P. Petersen, M. Raslan, R. Schneider, G. Kutyniok, "Numerical solution of the
   parametric diffusion equation by deep neural networks", J. Sci. Comput. 88:22, 2021, Sect. 4.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["CoefficientFamily", "FAMILIES", "coefficient_family"]

P_MAX = 64


def _pairs(p: int, start: int) -> list[tuple[int, int]]:
    """The first p pairs (k, l) with k + l >= start, ordered by k + l, then by -k."""
    out, total = [], start
    while len(out) < p:
        for k in range(total, -1, -1):
            out.append((k, total - k))
        total += 1
    return out[:p]


def _decay(p: int) -> np.ndarray:
    return (np.arange(1, p + 1) + 1.0) ** -1.5


def _trigonometric(p, x1, x2):
    pairs = _pairs(p, 1)
    basis = np.stack([np.cos(np.pi * k * x1) * np.cos(np.pi * l * x2) for k, l in pairs], -1)
    return np.full(np.shape(x1), 2.0), basis * _decay(p)


def _polynomial(p, x1, x2):
    pairs = _pairs(p, 1)
    basis = np.stack([x1**k * x2**l for k, l in pairs], -1)
    return np.full(np.shape(x1), 2.0), basis * _decay(p)


def _side(p: int) -> int:
    return math.isqrt(p)


def _chessboard(p, x1, x2):
    s = _side(p)
    i = np.minimum((np.asarray(x1) * s).astype(int), s - 1)
    j = np.minimum((np.asarray(x2) * s).astype(int), s - 1)
    cell = i + s * j
    basis = (cell[..., None] == np.arange(p)).astype(float)
    return np.zeros(np.shape(x1)), basis


def _cookies(p, x1, x2):
    s = _side(p)
    c = (np.arange(s) + 0.5) / s
    cx, cy = np.meshgrid(c, c)  # cookie i + s j at (c_i, c_j)
    r = 0.8 / (2 * s)
    d2 = (np.asarray(x1)[..., None] - cx.ravel()) ** 2 + (
        np.asarray(x2)[..., None] - cy.ravel()
    ) ** 2
    basis = (d2 <= r * r).astype(float)
    return 1.0 - basis.sum(-1), basis


@dataclass(frozen=True)
class CoefficientFamily:
    """One family :math:`a_y = a_0 + \\sum_i y_i b_i` of diffusion coefficients.

    Attributes
    ----------
    name : str
    label : str
        For plots (mathtext).
    low, high : float
        Each :math:`y_i` is drawn uniformly from ``[low, high]``.
    squares_only : bool
        The parameter dimension must be a perfect square ``s**2`` (cells, cookies).
    """

    name: str
    label: str
    low: float
    high: float
    squares_only: bool
    _terms: Callable

    def check_p(self, p) -> int:
        """``p`` as an int, or ``ValueError`` naming the valid dimensions."""
        valid = self.valid_p()
        if isinstance(p, bool) or not isinstance(p, (int, np.integer)) or int(p) not in valid:
            what = "a perfect square in [1, 64]" if self.squares_only else "an integer in [1, 64]"
            raise ValueError(f"p must be {what} for the {self.name} family; got {p!r}")
        return int(p)

    def valid_p(self) -> tuple[int, ...]:
        if self.squares_only:
            return tuple(s * s for s in range(1, 9))
        return tuple(range(1, P_MAX + 1))

    def terms(self, p: int, x1, x2) -> tuple[np.ndarray, np.ndarray]:
        """``(a0, B)``: :math:`a_0(x)`, shape ``x.shape``, and :math:`b_i(x)`, ``x.shape + (p,)``."""
        p = self.check_p(p)
        return self._terms(p, np.asarray(x1, float), np.asarray(x2, float))

    def __call__(self, y, x1, x2) -> np.ndarray:
        """:math:`a_y(x)` for one parameter ``y`` (shape (p,)) or a batch (shape (m, p)).

        Returns shape ``x.shape`` for one ``y``, ``(m,) + x.shape`` for a batch.
        """
        y = self.check_y(y)
        a0, B = self.terms(y.shape[-1], x1, x2)
        values = a0 + np.tensordot(np.atleast_2d(y), np.moveaxis(B, -1, 0), axes=1)
        return values[0] if y.ndim == 1 else values

    def check_y(self, y) -> np.ndarray:
        y = np.asarray(y, float)
        if y.ndim not in (1, 2) or y.shape[-1] < 1:
            raise ValueError(f"y must have shape (p,) or (m, p); got shape {y.shape}")
        self.check_p(y.shape[-1])
        if not np.all(np.isfinite(y)) or y.min() < self.low or y.max() > self.high:
            raise ValueError(
                f"y must lie in [{self.low:g}, {self.high:g}]^p for the {self.name} family; "
                f"got values in [{np.nanmin(y):g}, {np.nanmax(y):g}]"
            )
        return y

    def sample(self, p: int, m: int, *, seed: int = 0) -> np.ndarray:
        """``m`` parameters drawn uniformly from the box, shape ``(m, p)`` (seeded)."""
        p = self.check_p(p)
        rng = np.random.default_rng(seed)
        return rng.uniform(self.low, self.high, size=(int(m), p))


FAMILIES: dict[str, CoefficientFamily] = {
    "trigonometric": CoefficientFamily(
        "trigonometric", "trigonometric", -1.0, 1.0, False, _trigonometric
    ),
    "chessboard": CoefficientFamily("chessboard", "chessboard", 0.1, 1.0, True, _chessboard),
    "cookies": CoefficientFamily("cookies", "cookies", 0.1, 2.0, True, _cookies),
    "polynomial": CoefficientFamily("polynomial", "polynomial", -1.0, 1.0, False, _polynomial),
}


def coefficient_family(name: str) -> CoefficientFamily:
    """The family called ``name`` (one of :data:`FAMILIES`).

    Examples
    --------
    >>> fam = coefficient_family("chessboard")
    >>> float(fam([0.5, 0.2, 0.3, 0.9], 0.75, 0.25))  # cell (1, 0)
    0.2
    """
    if name not in FAMILIES:
        raise ValueError(f"family must be one of {', '.join(FAMILIES)}; got {name!r}")
    return FAMILIES[name]
