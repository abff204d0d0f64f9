r"""A digital cone-adapted shearlet system, built in the frequency domain; a Parseval frame.

Every atom is a real function whose discrete Fourier transform is a product of a radial band and
an angular window (Kutyniok and Labate 2006; the band-limited design of Guo, Kutyniok and Labate
2006 and of the fast finite shearlet transform of Haeuser and Steidl 2014):

.. math::

    \hat\psi_{j,k}(\xi) = W_j(\xi)\, V\bigl(2^{s_j} \xi_2/\xi_1 - k\bigr) \quad
    (\text{cone } |\xi_1| \ge |\xi_2|),

and the same with :math:`\xi_1, \xi_2` exchanged in the other cone. The radial variable is
:math:`\max(|\xi_1|, |\xi_2|)` (cycles per pixel), the bands are Meyer-type with
:math:`|\Phi|^2 + \sum_j |W_j|^2 = 1`, and the angular windows satisfy
:math:`\sum_k V(u - k)^2 = 1`. The number of shears doubles every second scale,
:math:`s_j = \lceil (j+1)/2 \rceil`, :math:`|k| \le 2^{s_j}`: the support of :math:`\hat\psi_{j,k}`
is about :math:`2^j \times 2^{j/2}`, the parabolic scaling :math:`A_{2^j} = \mathrm{diag}(2^j,
2^{j/2})` of the continuum system sampled at integer :math:`j` (as in ShearLab's default shear
levels). The two windows with :math:`|k| = 2^{s_j}` of both cones meet on the diagonals and are
glued into one atom (the "seam" shearlets of Haeuser and Steidl), so each scale has
:math:`2^{s_j + 2}` atoms. Hence

.. math::

    |\hat\phi(\xi)|^2 + \sum_{j,k,\text{cone}} |\hat\psi_{j,k}(\xi)|^2 = 1
    \quad\text{for every frequency } \xi \text{ of the grid},

which makes both transforms below Parseval frames: the analysis operator is an isometry and its
adjoint (``reconstruct``) is its inverse on images. For even sizes the Nyquist frequencies
:math:`\pm n/2` are one grid point; the window there is the root-mean-square over both
representatives, which keeps each atom real and the sum equal to one.

Two samplings of the same atoms:

:class:`ShearletSystem` (``kind="undecimated"``)
    every atom at every pixel shift, :math:`1 + \sum_j 2^{s_j+2}` coefficients per pixel
    (49 for 4 scales). Good for pictures and for thresholding; useless for counting terms.
:class:`~course.sparse.decimated.DecimatedShearletSystem` (``kind="decimated"``)
    each atom sampled on the coarsest lattice its frequency support allows without aliasing: the
    support of one half :math:`S_+` (the other half is its mirror image, since the atom is real)
    is folded modulo a *sheared* lattice aligned with the wedge, so that its :math:`m_1 m_2` complex
    coefficients (:math:`2 m_1 m_2` real ones) are about as many as the frequencies the atom
    covers. The low-pass band, isotropic by design, is sampled as a small real image and
    expanded in an orthonormal db4 wavelet basis down to an 8 x 8 grid (``coarse="wavelet"``, the
    default; ``coarse="folded"`` folds it like the other atoms): at small N the system then
    spends its terms on the smooth part as economically as a wavelet basis. The count of
    coefficients is fair: about two real numbers per pixel (2.05 at 256 x 256 with 4 scales),
    stated as :attr:`DecimatedShearletSystem.redundancy`.

References
----------
.. [1] G. Kutyniok and D. Labate, "Construction of regular and irregular shearlet frames",
   J. Wavelet Theory and Applications 1 (2007), 1-10 (cone-adapted shearlets, 2006 preprint).
.. [2] K. Guo, G. Kutyniok and D. Labate, "Sparse multidimensional representations using
   anisotropic dilation and shear operators", Wavelets and Splines (Athens 2005), 2006, 189-201.
.. [3] S. Haeuser and G. Steidl, "Fast finite shearlet transform: a tutorial", arXiv:1202.1773
   (2014), Sections 3-4 (Meyer windows, seam shearlets, Parseval property).
.. [4] G. Kutyniok and W.-Q Lim, "Compactly supported shearlets are optimally sparse",
   J. Approximation Theory 163 (2011), 1564-1589.
.. [5] G. Kutyniok, W.-Q Lim and R. Reisenhofer, "ShearLab 3D: faithful digital shearlet
   transforms based on compactly supported shearlets", ACM Trans. Math. Softw. 42 (2016), 5.
"""

from __future__ import annotations

import functools

import numpy as np

from ._fft import sfft
from ._windows import (
    ShearletAtom,
    _atoms,
    _check_image,
    _check_levels,
    _check_shape,
    _filters,
    default_shear_levels,
)
from .decimated import COARSE, DecimatedShearletSystem

__all__ = [
    "ShearletAtom",
    "default_shear_levels",
    "ShearletSystem",
    "DecimatedShearletSystem",
    "shearlet_system",
    "shearlet_atoms",
    "decompose",
    "reconstruct",
    "KINDS",
]

#: Relative width of the radial Meyer transition (band j rises on [c_j, c_j (1 + transition)]).
TRANSITION = 0.25
#: Width of the angular transition of V, in units of one shear step.
OVERLAP = 0.25


# ---------------------------------------------------------------------------------- systems
class ShearletSystem:
    r"""The undecimated digital shearlet system on images of one shape (a Parseval frame).

    Build it with :func:`shearlet_system` (cached per shape and scales).

    Attributes
    ----------
    shape : tuple of int
    scales : int
    atoms : tuple of ShearletAtom
        Labels; atom ``i`` has window ``filters[i]``.
    filters : ndarray, shape (n_atoms, n0, n1), float64
        The windows :math:`\hat\psi_i` on the DFT grid (zero frequency at ``[0, 0]``); the sum of
        their squares is one at every frequency.

    Notes
    -----
    ``decompose`` returns :math:`c_i = \psi_i^* \star x`, computed as
    :math:`\mathcal F^{-1}(\hat\psi_i \mathcal F x)` (the atoms are real and symmetric);
    ``reconstruct`` returns :math:`\sum_i \psi_i \star c_i`. Since
    :math:`\sum_i |\hat\psi_i|^2 = 1`, ``reconstruct(decompose(x)) == x`` and
    :math:`\sum_i \|c_i\|_2^2 = \|x\|_2^2`.
    """

    kind = "undecimated"

    def __init__(
        self, shape, *, scales=4, transition=TRANSITION, overlap=OVERLAP, shear_levels=None
    ):
        self.shape = _check_shape(shape, scales)
        self.scales = int(scales)
        self.shear_levels = _check_levels(shear_levels, self.scales)
        self.transition, self.overlap = float(transition), float(overlap)
        self.atoms = _atoms(self.shear_levels)
        self.filters = _filters(self.shape, self.shear_levels, self.transition, self.overlap)
        self.filters.setflags(write=False)
        half = self.shape[1] // 2 + 1
        self._half = {np.float64: np.ascontiguousarray(self.filters[:, :, :half])}
        self._half[np.float32] = self._half[np.float64].astype(np.float32)

    @property
    def n_atoms(self) -> int:
        return len(self.atoms)

    @property
    def redundancy(self) -> float:
        """Coefficients per pixel (the number of atoms)."""
        return float(self.n_atoms)

    @property
    def nbytes(self) -> int:
        """Memory held by the cached windows, in bytes."""
        return self.filters.nbytes + sum(a.nbytes for a in self._half.values())

    def decompose(self, x) -> np.ndarray:
        """Coefficients, shape ``(n_atoms, n0, n1)``, dtype of ``x`` (float32 or float64)."""
        x = _check_image(x, self.shape)
        spec = sfft.rfft2(x)
        return sfft.irfft2(self._half[x.dtype.type] * spec[None], s=self.shape, axes=(1, 2))

    def reconstruct(self, coeffs) -> np.ndarray:
        """The synthesis operator, the inverse of :meth:`decompose` on images."""
        c = np.asarray(coeffs)
        if c.shape != (self.n_atoms, *self.shape):
            raise ValueError(f"coeffs must have shape {(self.n_atoms, *self.shape)}; got {c.shape}")
        dt = np.float32 if c.dtype == np.float32 else np.float64
        spec = np.einsum("aij,aij->ij", self._half[dt], sfft.rfft2(c.astype(dt, copy=False)))
        return sfft.irfft2(spec, s=self.shape)

    def atom(self, index: int) -> np.ndarray:
        """The atom ``index`` in space, centred in the image (fftshift), float64."""
        return np.fft.fftshift(np.fft.ifft2(self.filters[index]).real) * np.sqrt(
            np.prod(self.shape)
        )

    def index(self, *, scale, shear, cone) -> int:
        """Position of the atom with these labels (``ValueError`` if there is none)."""
        for i, a in enumerate(self.atoms):
            if a.scale == scale and a.shear == shear and a.cone == cone:
                return i
        raise ValueError(f"no atom with scale={scale}, shear={shear}, cone={cone!r}")


def shearlet_atoms(scales: int = 4, *, shear_levels=None) -> tuple:
    """The labels of the atoms of :func:`shearlet_system` with these ``scales`` and
    ``shear_levels`` (any shape), in the system's order, without building its windows.

    Examples
    --------
    >>> len(shearlet_atoms(3)), shearlet_atoms(3)[0].cone
    (33, 'low')
    """
    if not isinstance(scales, (int, np.integer)) or not 1 <= scales <= 6:
        raise ValueError(f"scales must be an integer in [1, 6]; got {scales!r}")
    return _atoms(_check_levels(shear_levels, int(scales)))


#: The kinds of shearlet systems: registry that validates and dispatches ``kind``.
KINDS = {"undecimated": ShearletSystem, "decimated": DecimatedShearletSystem}


@functools.lru_cache(maxsize=8)
def _cached(shape, scales, transition, overlap, levels, kind, coarse="wavelet"):
    """One system per arguments; a decimated system shares the cached undecimated one's windows."""
    if kind == "decimated":
        base = _cached(shape, scales, transition, overlap, levels, "undecimated")
        return DecimatedShearletSystem(base, coarse=coarse)
    return ShearletSystem(
        shape, scales=scales, transition=transition, overlap=overlap, shear_levels=levels
    )


def shearlet_system(
    shape,
    *,
    scales: int = 4,
    kind: str = "undecimated",
    transition: float = TRANSITION,
    overlap: float = OVERLAP,
    shear_levels=None,
    coarse: str = "wavelet",
):
    r"""The shearlet system for images of ``shape``; built once per arguments, then cached.

    Parameters
    ----------
    shape : (int, int)
        Image shape, each side at least ``2**(scales + 1)``; odd sizes are fine.
    scales : int
        Number of band-pass scales, 1 to 6 (plus the low-pass).
    kind : {"undecimated", "decimated"}
        Every atom at every pixel, or each atom at its critical sampling rate.
    transition : float
        Relative width of the radial transitions, in (0, 1].
    overlap : float
        Width of the angular transitions in shear steps, in (0, 1).
    shear_levels : sequence of int, optional
        :math:`s_j` for each scale (:math:`2^{s_j+2}` atoms at scale j); default
        :func:`default_shear_levels`.
    coarse : {"wavelet", "folded"}
        Decimated system only: the low-pass band as a small real image in an orthonormal db4
        wavelet basis down to an 8 x 8 grid (isotropic coarse scales, as few coefficients at
        small N as a wavelet basis), or folded like the other atoms.

    Returns
    -------
    ShearletSystem or DecimatedShearletSystem

    Examples
    --------
    >>> system = shearlet_system((64, 64), scales=3)
    >>> system.n_atoms, system.redundancy
    (33, 33.0)
    >>> x = np.random.default_rng(0).standard_normal((64, 64))
    >>> bool(np.allclose(system.reconstruct(system.decompose(x)), x))
    True
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; got {kind!r}")
    if not 0 < transition <= 1:
        raise ValueError(f"transition must be in (0, 1]; got {transition!r}")
    if not 0 < overlap < 1:
        raise ValueError(f"overlap must be in (0, 1); got {overlap!r}")
    shape = _check_shape(shape, scales)
    levels = _check_levels(shear_levels, int(scales))
    if coarse not in COARSE:
        raise ValueError(f"coarse must be one of {', '.join(map(repr, COARSE))}; got {coarse!r}")
    return _cached(shape, int(scales), float(transition), float(overlap), levels, kind, coarse)


def decompose(x, *, scales: int = 4, kind: str = "undecimated"):
    """Shearlet coefficients of the image ``x`` (see :func:`shearlet_system`)."""
    return shearlet_system(np.shape(x), scales=scales, kind=kind).decompose(x)


def reconstruct(coeffs, shape, *, scales: int = 4, kind: str = "undecimated"):
    """The image with shearlet coefficients ``coeffs``; inverse of :func:`decompose`."""
    return shearlet_system(shape, scales=scales, kind=kind).reconstruct(coeffs)
