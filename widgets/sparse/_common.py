"""Lecture 04: what the panels share (the image size, the systems, the cartoon and its expansions)."""

from __future__ import annotations

import functools

import numpy as np

from course.sparse.cartoon import cartoon
from course.sparse.nterm import (
    expansion,
)

#: Image side of the N-term panels (the benchmark targets are for 256 x 256).
SIZE = 256
#: Systems shown side by side, with their display names.
SYSTEM_NAMES = {
    "fourier": "Fourier",
    "wavelet": "wavelets (db4)",
    "shearlet": "shearlets",
    "curvelet": "curvelets",
}

_SCALES = 4  # band-pass scales of shearlets and curvelets at 256 x 256


@functools.lru_cache(maxsize=8)
def _cartoon(
    seed: int,
    n: int = SIZE,
    modes: int = 6,
    amplitude: float = 0.25,
    smoothness: float = 1.5,
    supersample: int = 8,
):
    return cartoon(
        n,
        modes=modes,
        amplitude=amplitude,
        smoothness=smoothness,
        seed=seed,
        supersample=supersample,
    )


@functools.lru_cache(maxsize=2)
def _expansions(seed: int, n: int = SIZE):
    """Every system's expansion of the cartoon, sorted once (the N slider only synthesizes)."""
    f = _cartoon(seed, n).image
    return {s: expansion(f, s, scales=_SCALES) for s in SYSTEM_NAMES}


def sig3(x: float) -> str:
    r"""A number as every label of lecture 04 shows it: 3 significant digits, trailing zeros
    kept (0.100 beside 0.0927); below 0.001 or from 10^4 on as mathtext, ``$1.23\times10^{-5}$``.

    >>> sig3(0.1), sig3(0.09274), sig3(-0.5931), sig3(1.234e-5), sig3(3568)
    ('0.100', '0.0927', '-0.593', '$1.23\\times10^{-5}$', '3570')
    """
    x = float(x)
    if 100 <= abs(x) < 1e4:
        return f"{round(x, 2 - int(np.floor(np.log10(abs(x))))):.0f}"
    if x == 0 or 1e-3 <= abs(x) < 100:
        return f"{x:#.3g}".rstrip(".")
    mantissa, exponent = f"{x:.2e}".split("e")
    return f"${mantissa}\\times10^{{{int(exponent)}}}$"
