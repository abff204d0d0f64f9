r"""Every N-term system of the course as one kind of object: a :class:`Frame`.

A frame of :math:`\mathbb R^{n_0 \times n_1}` is given by its analysis operator
:math:`\Phi^*: f \mapsto (\langle f, \varphi_i\rangle)_i` (image to a real coefficient vector) and
its synthesis operator :math:`\Phi: c \mapsto \sum_i c_i \varphi_i`, the adjoint of the analysis,

.. math::

    \langle \Phi^* f, c \rangle = \langle f, \Phi c \rangle .

Every system registered in :data:`FRAMES` is a Parseval frame, :math:`\Phi \Phi^* = I`, so
:math:`\|\Phi^* f\|_2 = \|f\|_2`; an orthonormal basis is the case of redundancy 1
(``orthonormal=True``). Coefficients are *real* numbers (a complex curvelet coefficient counts
twice), so redundancies and N-term counts compare fairly. Lecture 04 approximates with these
frames and lecture 06 regularises with them.

References
----------
.. [1] O. Christensen, "An Introduction to Frames and Riesz Bases", 2nd ed., Birkhaeuser (2016),
   Section 5.1 (frame, analysis and synthesis operators; Parseval frames).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ._fft import sfft
from .shearlets import shearlet_system

__all__ = ["Frame", "FRAMES", "frame"]


@dataclass(frozen=True)
class Frame:
    """A Parseval frame of images of one shape: analysis, synthesis and how redundant it is.

    Attributes
    ----------
    system : str
        Key in :data:`FRAMES`.
    label : str
        Legend text with the redundancy.
    shape : tuple of int
        ``(n0, n1)``: the images it expands.
    n_coefficients : int
        M, the length of a coefficient vector (real numbers).
    analyze : callable
        Image ``(n0, n1)`` -> coefficients ``(M,)``, float64.
    synthesize : callable
        Coefficients ``(M,)`` -> image ``(n0, n1)``: the adjoint of ``analyze``.
    orthonormal : bool
        True for an orthonormal basis (then ``synthesize`` is also the inverse of ``analyze``).
    """

    system: str
    label: str
    shape: tuple
    n_coefficients: int
    analyze: Callable = field(repr=False)
    synthesize: Callable = field(repr=False)
    orthonormal: bool

    @property
    def redundancy(self) -> float:
        """Real coefficients per pixel, ``M / (n0 n1)``."""
        return self.n_coefficients / float(np.prod(self.shape))


def _fourier(shape, **_) -> Frame:
    """The real orthonormal DFT basis: sqrt2 Re, sqrt2 Im on half the plane, the rest real."""
    n0, n1 = shape
    ia, ib = np.indices(shape)
    flat = np.ravel_multi_index((ia, ib), shape).ravel()
    mirror = np.ravel_multi_index(((-ia) % n0, (-ib) % n1), shape).ravel()
    half, selfm = flat[flat < mirror], flat[flat == mirror]
    mirror_half = mirror[flat < mirror]
    r2 = np.sqrt(2.0)
    h = half.size

    def analyze(image):
        spec = sfft.fft2(image, norm="ortho").ravel()
        return np.concatenate([r2 * spec[half].real, r2 * spec[half].imag, spec[selfm].real])

    def synthesize(vec):
        z = np.zeros(n0 * n1, dtype=complex)
        z[half] = (vec[:h] + 1j * vec[h : 2 * h]) / r2
        z[mirror_half] = np.conj(z[half])
        z[selfm] = vec[2 * h :]
        return sfft.ifft2(z.reshape(shape), norm="ortho").real

    return Frame("fourier", "Fourier (ONB, 1\u00d7)", shape, n0 * n1, analyze, synthesize, True)


def _wavelet_level(shape, w) -> int:
    """Decomposition levels of the wavelet basis: down to an 8 x 8 coarse grid, like the
    shearlets' coarse part (at least 1)."""
    import pywt

    return max(min(pywt.dwtn_max_level(shape, w), int(np.log2(min(shape) / 8))), 1)


def _wavelet(shape, *, wavelet="db4", level=None, **_) -> Frame:
    import pywt  # imported where used: a kernel whose panels come from the store never loads it

    w = pywt.Wavelet(wavelet)
    if not w.orthogonal:
        raise ValueError(f"wavelet must be an orthonormal family; got {wavelet!r}")
    if level is None:
        level = _wavelet_level(shape, w)
    if any(s % 2**level for s in shape):
        raise ValueError(
            f"image sides must be divisible by 2**level = {2**level} for an orthonormal "
            f"periodized wavelet basis; got shape {shape}"
        )
    zeros = pywt.wavedec2(np.zeros(shape), w, mode="periodization", level=level)
    arr, slices = pywt.coeffs_to_array(zeros)
    arr_shape = arr.shape

    def analyze(image):
        coeffs = pywt.wavedec2(image, w, mode="periodization", level=level)
        return pywt.coeffs_to_array(coeffs)[0].ravel()

    def synthesize(vec):
        c = pywt.array_to_coeffs(vec.reshape(arr_shape), slices, output_format="wavedec2")
        return pywt.waverec2(c, w, mode="periodization")

    label = f"wavelets {wavelet} (ONB, 1\u00d7)"
    return Frame("wavelet", label, shape, int(np.prod(arr_shape)), analyze, synthesize, True)


def _shearlet(shape, *, scales=4, **_) -> Frame:
    system = shearlet_system(shape, scales=scales, kind="decimated")
    label = f"shearlets, decimated ({system.redundancy:.2f}\u00d7)"
    m = int(np.size(system.decompose(np.zeros(shape))))
    return Frame("shearlet", label, shape, m, system.decompose, system.reconstruct, False)


def _shearlet_undecimated(shape, *, scales=4, **_) -> Frame:
    system = shearlet_system(shape, scales=scales, kind="undecimated")
    stack = (system.n_atoms, *shape)

    def synthesize(vec):
        return system.reconstruct(vec.reshape(stack))

    def analyze(img):
        return system.decompose(img).ravel()

    label = f"shearlets, undecimated ({system.redundancy:.0f}\u00d7, unfair count)"
    m = int(np.prod(stack))
    return Frame("shearlet_undecimated", label, shape, m, analyze, synthesize, False)


@functools.lru_cache(maxsize=4)
def _udct(shape, num_scales):
    from curvelets.numpy import UDCT

    return UDCT(shape=shape, num_scales=num_scales, wedges_per_direction=3)


def _curvelet(shape, *, scales=4, **_) -> Frame:
    # UDCT counts its low-pass as a scale; two more than the shearlets' band-pass scales give it
    # a low-pass of (n/32)^2 complex coefficients, 8 x 8 at 256 x 256 like the wavelets' level 5
    num_scales = scales + 2
    need = 2 ** (num_scales - 1)
    if any(s % need for s in shape):
        raise ValueError(
            f"image sides must be divisible by {need} for the curvelet transform with "
            f"{num_scales} scales to be a tight frame; got shape {shape}"
        )
    t = _udct(tuple(shape), num_scales)
    m = t.vect(t.forward(np.zeros(shape))).size  # complex coefficients

    def analyze(img):
        v = t.vect(t.forward(img))
        return np.concatenate([v.real, v.imag])

    def synthesize(vec):
        return np.asarray(t.backward(t.struct(vec[:m] + 1j * vec[m:]))).real

    label = f"curvelets, UDCT ({2 * m / np.prod(shape):.2f}\u00d7)"
    return Frame("curvelet", label, shape, 2 * m, analyze, synthesize, False)


#: The systems: key -> constructor ``(shape, *, wavelet, scales) -> Frame``. The one registry
#: that validates and dispatches ``system``.
FRAMES = {
    "fourier": _fourier,
    "wavelet": _wavelet,
    "shearlet": _shearlet,
    "curvelet": _curvelet,
    "shearlet_undecimated": _shearlet_undecimated,
}


@functools.lru_cache(maxsize=16)
def _frame(system, shape, wavelet, scales):
    return FRAMES[system](shape, wavelet=wavelet, scales=scales)


def frame(system: str, shape, *, wavelet: str = "db4", scales: int = 4) -> Frame:
    r"""The frame ``system`` for images of ``shape`` (built once per arguments, then reused).

    Parameters
    ----------
    system : {"fourier", "wavelet", "shearlet", "curvelet", "shearlet_undecimated"}
        ``"shearlet"`` is the critically sampled (decimated) system, the fair one.
    shape : (int, int)
        Image shape ``(n0, n1)``.
    wavelet : str
        An orthonormal PyWavelets family (``"haar"``, ``"db4"``, ``"sym8"``, ...).
    scales : int
        Band-pass scales of the shearlet system (4 at 256x256); the curvelet transform uses
        ``scales + 2`` UDCT scales (its count includes the low-pass), so that its low-pass band
        is as small as the wavelets'.

    Examples
    --------
    >>> F = frame("wavelet", (32, 32), wavelet="haar")
    >>> F.n_coefficients, F.orthonormal, F.redundancy
    (1024, True, 1.0)
    >>> f = np.outer(np.hanning(32), np.hanning(32))
    >>> bool(np.allclose(F.synthesize(F.analyze(f)), f))
    True
    """
    if system not in FRAMES:
        raise ValueError(f"system must be one of {', '.join(map(repr, FRAMES))}; got {system!r}")
    shape = tuple(int(s) for s in shape)
    if len(shape) != 2 or min(shape) < 16:
        raise ValueError(f"shape must be two sides >= 16; got {shape}")
    return _frame(system, shape, wavelet, int(scales))
