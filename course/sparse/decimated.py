r"""The decimated shearlet system: each atom at its critical sampling rate, a Parseval frame.

The atoms are those of the undecimated system of :mod:`course.sparse.shearlets` (its docstring
states the windows, their partition of unity and the references); here each one is sampled on the
coarsest sheared lattice its frequency support allows without aliasing, so that the count of real
coefficients is fair (about two per pixel). Build it with
:func:`course.sparse.shearlets.shearlet_system` (``kind="decimated"``).

References
----------
.. [1] S. Haeuser and G. Steidl, "Fast finite shearlet transform: a tutorial", arXiv:1202.1773
   (2014), Sections 3-4.
"""

from __future__ import annotations

import numpy as np

from ._fft import sfft
from ._windows import _check_image, _CoarseWavelet, _fold_atom

__all__ = ["DecimatedShearletSystem", "COARSE"]

#: How the decimated system samples its low-pass band (see :class:`DecimatedShearletSystem`).
COARSE = ("wavelet", "folded")


class DecimatedShearletSystem:
    r"""The same atoms, each sampled at its critical rate: a Parseval frame with few coefficients.

    Built with :func:`course.sparse.shearlets.shearlet_system` (``kind="decimated"``), cached per
    shape and scales.

    Parameters
    ----------
    base : ShearletSystem
        The undecimated system whose windows (atoms) are sampled; kept as ``base``.
    coarse : {"wavelet", "folded"}
        How the low-pass band is sampled (see the Notes).

    Notes
    -----
    For an atom with window :math:`\hat\psi` (real, even) choose one half :math:`S_+` of its
    support, one point of each pair :math:`\{\xi, -\xi\}`, taken on the side of the wedge's
    direction. In cone coordinates :math:`(\rho_1, \rho_2)` with :math:`\eta = \rho_2 - \sigma
    \rho_1` (:math:`\sigma = k 2^{-s_j}` the slope) the wedge is a box; the lattice
    :math:`\Lambda^* = \{a (m_1, m_1 \sigma) + b (0, m_2)\}` is a rectangle in :math:`(\rho_1,
    \eta)`, so :math:`S_+` is injective modulo :math:`\Lambda^*` once :math:`m_1, m_2` exceed its
    extents. The complex coefficients

    .. math::

        z_p = \frac{1}{\sqrt{m_1 m_2}} \sum_{\xi\in S_+} w(\xi)\hat\psi(\xi) \hat x(\xi)
              e^{2\pi i \langle \xi, x_p\rangle},\qquad
        x_p = \Bigl(\frac{p_1 - t p_2/m_2}{m_1}, \frac{p_2}{m_2}\Bigr),\ t = m_1\sigma,

    with :math:`w = \sqrt2` (1 on self-mirror frequencies) and :math:`\hat x` the unitary DFT, are
    an isometric image of :math:`w \hat\psi \hat x` on :math:`S_+` (characters of
    :math:`\mathbb Z^2/\Lambda^*`), so :math:`\sum |z_p|^2 = \sum_\xi |\hat\psi(\xi)\hat x(\xi)|^2`.
    The real coefficients are :math:`(\mathrm{Re}\, z, \mathrm{Im}\, z)`; with the partition of
    unity of the windows the whole analysis map is an isometry
    :math:`\mathbb R^{n_0 n_1} \to \mathbb R^M`, and its adjoint is its inverse on images.
    The sampling points :math:`n x_p` form a sheared lattice aligned with the atom.

    With ``coarse="wavelet"`` the low-pass window :math:`\hat\phi`, supported in a box
    :math:`|k_a| \le r_a, |k_b| \le r_b`, is placed on an :math:`m_a \times m_b` grid
    (:math:`m \ge 2r + 2`, a power of two); the unitary inverse DFT of size :math:`m_a m_b` is a
    real image (:math:`\hat\phi` is even) with the norm of :math:`\hat\phi \hat x`, and an
    orthonormal periodized db4 basis of that image keeps the whole map an isometry. Its
    coefficients come first in the vector (``atom_slices()[0]``).
    """

    kind = "decimated"

    def __init__(self, base, *, coarse="wavelet"):
        if getattr(base, "kind", None) != "undecimated":
            raise ValueError(f"base must be an undecimated ShearletSystem; got {base!r}")
        if coarse not in COARSE:
            raise ValueError(
                f"coarse must be one of {', '.join(map(repr, COARSE))}; got {coarse!r}"
            )
        self.base = base
        self.shear_levels = base.shear_levels
        self.shape, self.scales, self.atoms = self.base.shape, self.base.scales, self.base.atoms
        self.folds = tuple(
            _fold_atom(w, a, self.shape) for w, a in zip(self.base.filters, self.atoms, strict=True)
        )
        self.coarse = None
        if coarse == "wavelet":
            try:
                self.coarse = _CoarseWavelet(self.base.filters[0], self.shape)
            except ValueError:  # a tiny image whose low-pass band fills an axis: keep the fold
                pass
        sizes = [2 * f.m1 * f.m2 for f in self.folds]
        if self.coarse is not None:
            sizes[0] = self.coarse.size
        self.offsets = np.concatenate([[0], np.cumsum(sizes)])
        self.n_coefficients = int(self.offsets[-1])

    @property
    def n_atoms(self) -> int:
        return len(self.atoms)

    @property
    def redundancy(self) -> float:
        """Real coefficients per pixel, ``n_coefficients / (n0 n1)``."""
        return self.n_coefficients / float(np.prod(self.shape))

    @property
    def nbytes(self) -> int:
        own = sum(
            f.grid.nbytes + f.weight.nbytes + f.pos.nbytes + f.twiddle.nbytes for f in self.folds
        )
        return own + self.base.nbytes + (self.coarse.nbytes if self.coarse is not None else 0)

    def decompose(self, x) -> np.ndarray:
        """All real coefficients as one vector of length ``n_coefficients``, dtype of ``x``."""
        x = _check_image(x, self.shape)
        single = x.dtype == np.float32
        cdt = np.complex64 if single else np.complex128
        spec = sfft.fft2(x, norm="ortho").ravel()
        out = np.empty(self.n_coefficients, dtype=x.dtype)
        for i, (f, lo, hi) in enumerate(
            zip(self.folds, self.offsets[:-1], self.offsets[1:], strict=True)
        ):
            if i == 0 and self.coarse is not None:
                out[lo:hi] = self.coarse.analyze(spec, x.dtype)
                continue
            g = np.zeros(f.m1 * f.m2, dtype=cdt)
            g[f.pos] = spec[f.grid] * f.weight.astype(x.dtype)
            h = sfft.ifft(g.reshape(f.m1, f.m2), axis=1, norm="ortho") * f.twiddle.astype(cdt)
            z = sfft.ifft(h, axis=0, norm="ortho")
            out[lo:hi] = np.concatenate([z.real.ravel(), z.imag.ravel()])
        return out

    def reconstruct(self, coeffs) -> np.ndarray:
        """The adjoint of :meth:`decompose`, which is its inverse on images."""
        c = np.asarray(coeffs)
        if c.shape != (self.n_coefficients,):
            raise ValueError(f"coeffs must have shape ({self.n_coefficients},); got {c.shape}")
        single = c.dtype == np.float32
        cdt = np.complex64 if single else np.complex128
        spec = np.zeros(int(np.prod(self.shape)), dtype=cdt)
        for i, (f, lo, hi) in enumerate(
            zip(self.folds, self.offsets[:-1], self.offsets[1:], strict=True)
        ):
            half = (hi - lo) // 2
            if not np.any(c[lo:hi]):
                continue
            if i == 0 and self.coarse is not None:
                self.coarse.synthesize_into(c[lo:hi].astype(np.float64), spec)
                continue
            z = (c[lo : lo + half] + 1j * c[lo + half : hi]).reshape(f.m1, f.m2).astype(cdt)
            h = sfft.fft(z, axis=0, norm="ortho") * np.conj(f.twiddle).astype(cdt)
            g = sfft.fft(h, axis=1, norm="ortho").ravel()
            spec[f.grid] += g[f.pos] * f.weight.astype(c.dtype if single else np.float64)
        return sfft.ifft2(spec.reshape(self.shape), norm="ortho").real

    def atom_slices(self):
        """``{atom index: slice}`` of each atom's coefficients in the vector."""
        return {
            i: slice(int(lo), int(hi))
            for i, (lo, hi) in enumerate(zip(self.offsets[:-1], self.offsets[1:], strict=True))
        }
