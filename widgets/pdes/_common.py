"""Lecture 08: what the panels share (colours of the loss terms, image helpers)."""

from __future__ import annotations

import numpy as np

#: Colours of the loss terms: the same term has the same colour in every panel.
TERM_COLOURS = {
    "residual": "C0",
    "energy gap": "C0",
    "boundary": "C1",
    "total": "0.35",
    "rel. $L^2$ error": "C3",
}


def image_limits(*arrays, symmetric: bool = False) -> tuple[float, float]:
    """Colour limits covering the finite values of ``arrays`` (never an empty range)."""
    values = np.concatenate([np.ravel(a) for a in arrays])
    values = values[np.isfinite(values)]
    if not values.size:
        return (0.0, 1.0)
    lo, hi = float(values.min()), float(values.max())
    if symmetric:
        m = max(abs(lo), abs(hi), 1e-12)
        return (-m, m)
    if hi - lo < 1e-12:
        hi = lo + 1e-12
    return (lo, hi)
