r"""Shearlet designs lecture 04 does not ship, measured against the one it does.

Two choices of the decimated system were tried and dropped while the lecture was written: more
shears per scale (shear levels :math:`(1, 2, 3, 3)` instead of :math:`s_j = \lceil (j+1)/2
\rceil`, i.e. :math:`(1, 1, 2, 2)` for 4 scales), and a low-pass band folded like the other atoms
(``coarse="folded"``) with wider radial transitions (``transition=0.5``) instead of expanded in
the db4 wavelet basis. :func:`design_errors` recomputes what they cost on an image, so the lecture
states these numbers from code: the N-term error of each design, with its N largest
coefficients and after iterative hard thresholding started from them, beside the wavelet basis.
The systems are built here and not cached (the design with more shears holds about 70 MB of
windows at 256 x 256).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .expansions import _check_image, expansion
from .pursuit import _hard, _l2, iterative_hard_thresholding
from .shearlets import DecimatedShearletSystem, ShearletSystem, default_shear_levels

__all__ = ["DESIGNS", "DesignErrors", "design_errors"]

#: The designs compared: name -> options of the decimated system (``None``: the shipped levels).
DESIGNS = {
    "shipped": dict(shear_levels=None, coarse="wavelet", transition=0.25),
    "more shears": dict(shear_levels=(1, 2, 3, 3), coarse="wavelet", transition=0.25),
    "folded low-pass": dict(shear_levels=None, coarse="folded", transition=0.5),
}


@dataclass(frozen=True)
class DesignErrors:
    """Relative N-term errors (not squared) of one design, or of the wavelet basis.

    Attributes
    ----------
    name : str
        Key of :data:`DESIGNS`, or ``"wavelet"`` for the db4 basis.
    shear_levels : tuple of int or None
    transition : float or None
        Relative width of the radial transitions (None for the wavelet basis).
    n_lowpass : int
        Real coefficients of the low-pass band (the image's pixels for the wavelet basis: none
        is set apart).
    redundancy : float
        Real coefficients per pixel.
    n_terms : ndarray of int
    largest : ndarray
        Errors of the N largest coefficients.
    pursuit : ndarray
        Errors of iterative hard thresholding started from them (equal to ``largest`` for the
        basis, where the N largest are optimal).
    """

    name: str
    shear_levels: tuple | None
    transition: float | None
    n_lowpass: int
    redundancy: float
    n_terms: np.ndarray
    largest: np.ndarray
    pursuit: np.ndarray


def design_errors(image, n_terms=(50, 819), *, scales: int = 4, designs=tuple(DESIGNS)):
    """The wavelet basis (db4) and each design of ``designs`` on ``image`` at each N.

    Returns a tuple of :class:`DesignErrors`, the wavelet basis first (a few seconds at
    256 x 256 for the three designs).
    """
    f = _check_image(image)
    n_terms = np.asarray(n_terms, dtype=int)
    w = expansion(f, "wavelet", scales=scales).errors(n_terms, f)
    out = [DesignErrors("wavelet", None, None, int(f.size), 1.0, n_terms, w, w)]
    for name in designs:
        if name not in DESIGNS:
            raise ValueError(f"designs must be among {', '.join(map(repr, DESIGNS))}; got {name!r}")
        opts = DESIGNS[name]
        levels = opts["shear_levels"] or default_shear_levels(scales)
        base = ShearletSystem(
            f.shape, scales=scales, shear_levels=levels, transition=opts["transition"]
        )
        system = DecimatedShearletSystem(base, coarse=opts["coarse"])
        coeffs = system.decompose(f)
        norm = _l2(f)
        largest, pursuit = [], []
        for n in n_terms:
            start = _hard(coeffs, int(n))
            largest.append(_l2(f - system.reconstruct(start)) / norm)
            _, history = iterative_hard_thresholding(
                system.decompose, system.reconstruct, f, int(n), start=start
            )
            pursuit.append(history[-1])
        low = system.atom_slices()[0]
        out.append(
            DesignErrors(
                name,
                tuple(levels),
                float(opts["transition"]),
                low.stop - low.start,
                system.redundancy,
                n_terms,
                np.array(largest),
                np.array(pursuit),
            )
        )
    return tuple(out)
