r"""Why wavelets reach :math:`N^{-1/2}` and shearlets :math:`N^{-1}`: coefficients counted per scale.

The continuum argument (Donoho 2001 for wavelets; Kutyniok and Lim 2011, Section 4, for
shearlets) counts, at each dyadic scale :math:`2^{-j}`, the atoms whose coefficients on a
cartoon-like function are *significant*, and how large they are:

- an isotropic wavelet is a :math:`2^{-j}\times 2^{-j}` square: about :math:`2^{j}` of them meet
  the edge, each with a coefficient of size about :math:`2^{-j}`;
- a shearlet is a :math:`2^{-j}\times 2^{-j/2}` needle: only about :math:`2^{j/2}` of them are
  tangent to the edge, with coefficients of size about :math:`2^{-3j/4}`; the others are small.

Keeping all coefficients above :math:`\varepsilon` then costs :math:`N \sim \varepsilon^{-1}`
(wavelets) and :math:`N \sim \varepsilon^{-2/3}` (shearlets) terms, and leaves a squared error
:math:`\sim\varepsilon` resp. :math:`\sim\varepsilon^{4/3}`: :math:`\sigma_N \sim N^{-1/2}` and
:math:`\sigma_N \sim N^{-1}` (up to logarithms).

:func:`scale_counts` measures both numbers on a digital image: at every scale, the number of
real coefficients above a threshold (by default a fraction of that scale's largest coefficient,
the "significant" ones of the argument; or one absolute threshold) and the largest coefficient.

**Scale index.** ``j`` is a dyadic scale of the image grid: the scale's frequencies are about
:math:`2^{j-1}` to :math:`2^{j}` cycles per image side, its atoms about :math:`2^{-j}` of the side
wide. Wavelet details on a :math:`2^j \times 2^j` grid have scale ``j`` (``j = 3`` to ``7`` at
:math:`256^2`, down to the :math:`8\times 8` coarse grid); the band-pass band ``i`` of a
shearlet system with ``J`` scales on an :math:`n \times n` image has :math:`j = \log_2 n + i - J`
(its Meyer band covers :math:`0.2\,n\,2^{i-J+1}` to :math:`0.4\,n\,2^{i-J+1}` cycles per side).
The low-pass part of either system (isotropic, below every band) is counted as ``coarse``.

References
----------
.. [1] D. L. Donoho, "Sparse components of images and optimal atomic decompositions",
   Constructive Approximation 17 (2001), 353-382.
.. [2] G. Kutyniok and W.-Q Lim, "Compactly supported shearlets are optimally sparse",
   J. Approximation Theory 163 (2011), 1564-1589, Section 4 (the count per scale).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .expansions import _check_image
from .frames import _wavelet_level, frame
from .shearlets import shearlet_system

__all__ = ["ScaleCounts", "scale_counts", "scale_labels", "SCALE_SYSTEMS"]

#: Label of the coarse (low-pass) coefficients in :func:`scale_labels`.
COARSE = -1


@dataclass(frozen=True)
class ScaleCounts:
    """Coefficients of one image in one system, counted per dyadic scale.

    Attributes
    ----------
    system : str
        ``"wavelet"`` or ``"shearlet"`` (decimated).
    scales : ndarray of int
        The dyadic scales ``j``, coarse to fine.
    counts : ndarray of int
        Real coefficients above the threshold at each scale.
    largest : ndarray of float
        The largest coefficient magnitude at each scale.
    coarse : int
        Coefficients above the threshold in the low-pass part.
    threshold : float
        The threshold: a fraction of each scale's largest coefficient (``relative``), or one
        absolute value for every scale and the coarse part.
    relative : bool
    n_coefficients : int
        All real coefficients of the system.
    """

    system: str
    scales: np.ndarray
    counts: np.ndarray
    largest: np.ndarray
    coarse: int
    threshold: float
    relative: bool
    n_coefficients: int

    @property
    def total(self) -> int:
        """All coefficients counted: the scales and the coarse part."""
        return int(self.coarse + self.counts.sum())

    def growth(self, j_min: int | None = None) -> float:
        r"""The exponent :math:`a` of :math:`\mathrm{count}_j \approx C\,2^{a j}`, least squares on
        the scales ``j >= j_min`` (default: all but the coarsest); 1 for wavelets, 1/2 for
        shearlets in the continuum argument."""
        return _slope(self.scales, self.counts, j_min)

    def decay(self, j_min: int | None = None) -> float:
        r"""The exponent :math:`b` of :math:`\max_j |c| \approx C\,2^{b j}` (same scales as
        :meth:`growth`); in pixel units :math:`-1` for wavelets, :math:`-3/4` for shearlets."""
        return _slope(self.scales, self.largest, j_min)


def _slope(j, values, j_min):
    j = np.asarray(j, dtype=float)
    j_min = j[1] if j_min is None and j.size > 2 else (j[0] if j_min is None else j_min)
    keep = (j >= j_min) & (np.asarray(values) > 0)
    if keep.sum() < 2:
        raise ValueError(f"need two scales with nonzero values at j >= {j_min:g}")
    return float(np.polyfit(j[keep], np.log2(np.asarray(values, dtype=float)[keep]), 1)[0])


def _wavelet_labels(shape, *, wavelet="db4", **_) -> np.ndarray:
    """Scale of each coefficient of ``frame("wavelet", shape)``, in its vector's order."""
    import pywt

    w = pywt.Wavelet(wavelet)
    level = _wavelet_level(shape, w)
    coeffs = pywt.wavedec2(np.zeros(shape), w, mode="periodization", level=level)
    labelled = [np.full(coeffs[0].shape, float(COARSE))]
    for detail in coeffs[1:]:
        j = float(np.round(np.log2(detail[0].shape[0])))
        labelled.append(tuple(np.full(d.shape, j) for d in detail))
    return pywt.coeffs_to_array(labelled)[0].ravel().astype(int)


def _shearlet_labels(shape, *, scales=4, **_) -> np.ndarray:
    """Scale of each coefficient of ``frame("shearlet", shape, scales=scales)``."""
    system = shearlet_system(shape, scales=scales, kind="decimated")
    top = int(np.round(np.log2(min(shape))))
    out = np.empty(system.n_coefficients, dtype=int)
    for i, s in system.atom_slices().items():
        a = system.atoms[i]
        out[s] = COARSE if a.cone == "low" else top + a.scale - scales
    return out


#: Systems whose coefficients can be labelled by scale: name -> labeller. The one registry that
#: validates and dispatches ``system``.
SCALE_SYSTEMS = {"wavelet": _wavelet_labels, "shearlet": _shearlet_labels}


def scale_labels(system: str, shape, *, wavelet: str = "db4", scales: int = 4) -> np.ndarray:
    """The dyadic scale ``j`` of every coefficient of :func:`course.sparse.frames.frame`
    ``(system, shape)``, in the order of its coefficient vector; -1 for the coarse part."""
    if system not in SCALE_SYSTEMS:
        raise ValueError(
            f"system must be one of {', '.join(map(repr, SCALE_SYSTEMS))}; got {system!r}"
        )
    shape = tuple(int(s) for s in shape)
    return SCALE_SYSTEMS[system](shape, wavelet=wavelet, scales=scales)


def scale_counts(
    image,
    system: str,
    *,
    threshold: float = 0.1,
    relative: bool = True,
    wavelet: str = "db4",
    scales: int = 4,
) -> ScaleCounts:
    r"""Count the coefficients of ``image`` above a threshold at every dyadic scale.

    Parameters
    ----------
    image : ndarray, shape (n0, n1)
        Real image, sides divisible as :func:`course.sparse.frames.frame` requires.
    system : {"wavelet", "shearlet"}
        The orthonormal wavelet basis or the decimated shearlet frame.
    threshold : float
        With ``relative`` (default), a fraction in (0, 1] of each scale's largest coefficient:
        the coefficients "of the order of the largest" at that scale, which the continuum
        argument counts (the coarse part uses the same fraction of its own largest). Otherwise
        one absolute threshold > 0 for all coefficients.
    relative : bool
    wavelet : str
        Orthonormal PyWavelets family (wavelets only).
    scales : int
        Band-pass scales of the shearlet system (4 at 256 x 256).

    Returns
    -------
    ScaleCounts

    Notes
    -----
    With ``relative=False`` the counts partition the coefficients above the threshold:
    ``result.total == (abs(analyze(image)) > threshold).sum()``. The continuum argument
    predicts :math:`\mathrm{count}_j \sim 2^{j}` for wavelets and :math:`\sim 2^{j/2}` for
    shearlets at a relative threshold, with the largest coefficient decaying like
    :math:`2^{-j}` and :math:`2^{-3j/4}` (pixel units, where the coefficients of a jump of
    height 1 across an atom of :math:`s \times s` pixels are of size :math:`s`).

    Examples
    --------
    >>> from course.sparse.frames import frame
    >>> f = np.zeros((32, 32)); f[:, 13:] = 1.0  # a straight edge
    >>> c = scale_counts(f, "wavelet", wavelet="haar", threshold=0.1, relative=False)
    >>> c.scales.tolist(), c.counts.tolist(), c.coarse
    ([3, 4], [8, 16], 40)
    >>> c.total == int(np.sum(np.abs(frame("wavelet", f.shape, wavelet="haar").analyze(f)) > 0.1))
    True
    """
    f = _check_image(image)
    if isinstance(threshold, bool) or not np.isfinite(threshold) or threshold <= 0:
        raise ValueError(f"threshold must be a number > 0; got {threshold!r}")
    if relative and threshold > 1:
        raise ValueError(f"threshold must be in (0, 1] when relative; got {threshold!r}")
    labels = scale_labels(system, f.shape, wavelet=wavelet, scales=scales)
    if system == "wavelet":
        coeffs = frame("wavelet", f.shape, wavelet=wavelet).analyze(f)
    else:
        coeffs = shearlet_system(f.shape, scales=scales, kind="decimated").decompose(f)
    mags = np.abs(np.asarray(coeffs, dtype=np.float64))
    js = np.unique(labels[labels != COARSE])
    counts, largest = [], []
    for j in js:
        m = mags[labels == j]
        top = float(m.max())
        counts.append(int(np.sum(m > (threshold * top if relative else threshold))))
        largest.append(top)
    m = mags[labels == COARSE]
    cut = threshold * float(m.max()) if relative else threshold
    coarse = int(np.sum(m > cut)) if m.size else 0
    return ScaleCounts(
        system,
        js.astype(int),
        np.array(counts, dtype=int),
        np.array(largest),
        coarse,
        float(threshold),
        bool(relative),
        int(mags.size),
    )
