"""Lecture 04: what the panels share (the image size, the systems, the cartoon and its expansions)."""

from __future__ import annotations

import functools

from course.sparse.cartoon import cartoon
from course.sparse.nterm import (
    expansion,
)
from course.sparse.tables import sig3  # noqa: F401  (one number format: the tables' and the panels')

from ..cache import computed_once

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


@computed_once
def _cartoon_edge(seed: int, n: int = SIZE):
    """The edge of the default cartoon, ``(row, col)`` points (721 x 2): read from the store, so
    a panel that only draws the edge renders no image at rest."""
    return _cartoon(seed, n).edge


@functools.lru_cache(maxsize=2)
def _expansions(seed: int, n: int = SIZE):
    """Every system's expansion of the cartoon, sorted once (the N slider only synthesizes)."""
    f = _cartoon(seed, n).image
    return {s: expansion(f, s, scales=_SCALES) for s in SYSTEM_NAMES}
