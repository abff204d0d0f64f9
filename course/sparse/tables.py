r"""The measured numbers of lecture 04 as tables (Markdown text), computed from a
:class:`~course.sparse.nterm.Comparison`: the lecture renders them in a cell instead of typing
numbers that go stale when the code changes.
"""

from __future__ import annotations

import numpy as np

from .nterm import Comparison, _fit

__all__ = ["THEORY", "rate_table", "error_table", "slopes_line"]

#: The continuum rate of each system on cartoon-like functions (Markdown).
THEORY = {
    "fourier": "$-1/4$",
    "wavelet": "$-1/2$",
    "shearlet": "$-1$ (up to log)",
    "curvelet": "$-1$ (up to log)",
    "shearlet_undecimated": "$-1$ (up to log)",
}


def rate_table(comparison: Comparison) -> str:
    r"""One row per system: its label, the fitted slope, the range it was fitted on and the
    continuum rate.

    Examples
    --------
    >>> from course.sparse import compare, cartoon
    >>> c = compare(cartoon(64).image, ("wavelet",), n_terms=[8, 16, 32], fit_range=(8, 32))
    >>> print(rate_table(c).splitlines()[2])
    | wavelets db4 (ONB, 1×) | -1.04 | $8 \le N \le 32$ | $-1/2$ |
    """
    rows = ["| system | fitted slope | fitted on | continuum rate |", "|---|---|---|---|"]
    for c in comparison.curves:
        if c.fit is None:
            slope, span = "—", "fewer than two points"
        else:
            slope, span = f"{c.fit.slope:.2f}", f"${c.fit.n_min:g} \\le N \\le {c.fit.n_max:g}$"
        rows.append(f"| {c.label} | {slope} | {span} | {THEORY[c.system]} |")
    return "\n".join(rows)


def _nearest(n_terms, n):
    i = int(np.argmin(np.abs(np.asarray(n_terms) - n)))
    if n_terms[i] != n:
        raise ValueError(f"rows must be values of N the comparison computed; got {n}")
    return i


def error_table(comparison: Comparison, rows=None) -> str:
    r"""Relative errors (not squared) per N (rows) and system (columns); for a frame with the
    pursuit, the N largest coefficients' error in brackets; the smallest error of a row in bold.

    ``rows`` are values of N of the comparison (default: all of them).

    Examples
    --------
    >>> from course.sparse import compare, cartoon
    >>> c = compare(cartoon(64).image, ("fourier", "wavelet"), n_terms=[8, 16], fit_range=(8, 16))
    >>> print(error_table(c).splitlines()[0])
    | $N$ | Fourier (1×) | wavelets db4 (1×) |
    """
    curves = comparison.curves
    n_terms = curves[0].n_terms
    rows = list(n_terms) if rows is None else list(rows)
    head = " | ".join(f"{c.label.split(' (')[0]} ({c.redundancy:.2f}×)" for c in curves)
    head = head.replace("(1.00×)", "(1×)")
    out = [f"| $N$ | {head} |", "|---" * (len(curves) + 1) + "|"]
    for n in rows:
        i = _nearest(n_terms, n)
        best = min(float(c.error[i]) for c in curves)
        cells = []
        for c in curves:
            err = float(c.error[i])
            text = f"**{err:.3f}**" if err == best else f"{err:.3f}"
            if c.largest is not None and not np.array_equal(c.largest, c.error):
                text += f" ({float(c.largest[i]):.3f})"
            cells.append(text)
        out.append(f"| {int(n)} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def slopes_line(comparison: Comparison) -> str:
    """The fitted slopes in one sentence, with the N largest coefficients' slope in brackets
    for a frame improved by the pursuit."""
    parts = []
    for c in comparison.curves:
        if c.fit is None:
            continue
        text = f"{c.label.split(' (')[0]} ${c.fit.slope:.2f}$"
        if c.largest is not None and not np.array_equal(c.largest, c.error):
            largest = _fit(c.n_terms, c.largest, comparison.fit_range)
            if largest is not None:
                text += f" (${largest.slope:.2f}$ with the $N$ largest coefficients)"
        parts.append(text)
    lo, hi = comparison.fit_range
    return f"Fitted slopes on ${lo:g} \\le N \\le {hi:g}$: " + ", ".join(parts) + "."
