r"""The measured numbers of lecture 04 as tables (Markdown text), computed from a
:class:`~course.sparse.nterm.Comparison` (and from the designs of :mod:`course.sparse.designs`
and the shipped network table of :mod:`course.sparse.trained`): the lecture renders them in a
cell instead of typing numbers that go stale when the code changes.
"""

from __future__ import annotations

import numpy as np

from .nterm import Comparison, _fit

__all__ = [
    "THEORY",
    "sig3",
    "rate_table",
    "error_table",
    "slopes_line",
    "gap_line",
    "scale_table",
    "resolution_table",
    "design_table",
    "design_line",
    "relu_table",
    "relu_line",
]


def sig3(x: float) -> str:
    r"""A number as every table, label and title of lecture 04 shows it: 3 significant digits,
    trailing zeros kept (0.100 beside 0.0927); below 0.001 or from 10^4 on in math,
    ``$1.23\times10^{-5}$``.

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
            slope, span = sig3(c.fit.slope), f"${c.fit.n_min:g} \\le N \\le {c.fit.n_max:g}$"
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
            text = f"**{sig3(err)}**" if err == best else sig3(err)
            if c.largest is not None and not np.array_equal(c.largest, c.error):
                text += f" ({sig3(float(c.largest[i]))})"
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
        text = f"{c.label.split(' (')[0]} ${sig3(c.fit.slope)}$"
        if c.largest is not None and not np.array_equal(c.largest, c.error):
            largest = _fit(c.n_terms, c.largest, comparison.fit_range)
            if largest is not None:
                text += f" (${sig3(largest.slope)}$ with the $N$ largest coefficients)"
        parts.append(text)
    lo, hi = comparison.fit_range
    return f"Fitted slopes on ${lo:g} \\le N \\le {hi:g}$: " + ", ".join(parts) + "."


def gap_line(comparison: Comparison, *, against: str = "wavelet") -> str:
    r"""How far each other system lies below (or above) ``against`` at the first and last N, and
    where it crosses below it, in one Markdown sentence.

    Examples
    --------
    >>> from course.sparse import compare, cartoon
    >>> c = compare(cartoon(64).image, ("wavelet", "shearlet"), n_terms=[8, 16], fit_range=(8, 16),
    ...             scales=2)
    >>> gap_line(c).startswith("At $N = 8$")
    True
    """
    ref = comparison.curve(against)
    n = ref.n_terms
    parts = []
    for c in comparison.curves:
        if c.system == against:
            continue
        ratio = c.error / ref.error
        ends = " and ".join(
            f"{sig3(abs(100 * (1 - r)))}% {'below' if r < 1 else 'above'} at $N = {int(m)}$"
            for r, m in ((ratio[0], n[0]), (ratio[-1], n[-1]))
        )
        below = np.flatnonzero(ratio < 1)
        if below.size == 0:
            where = "never below"
        elif below[0] == 0 and np.all(ratio < 1):
            where = "below at every $N$ of the range"
        else:
            where = (
                f"below from $N = {int(n[below[0]])}$ on"
                if np.all(ratio[below[0] :] < 1)
                else f"first below at $N = {int(n[below[0]])}$"
            )
        parts.append(f"{c.label.split(' (')[0]}: {ends}; {where}")
    first, last = int(n[0]), int(n[-1])
    return (
        f"At $N = {first}$ to ${last}$, against {ref.label.split(' (')[0]}: "
        + "; ".join(parts)
        + "."
    )


def scale_table(*counts) -> str:
    r"""Per-scale counts of several systems (:class:`course.sparse.scales.ScaleCounts`) as one
    Markdown table: the count at each scale j, the count divided by :math:`2^j` and by
    :math:`2^{j/2}`, and a last row with the fitted growth exponent."""
    scales = sorted({int(j) for c in counts for j in c.scales})
    head = " | ".join(f"{c.system}: count | $/2^{{j}}$ | $/2^{{j/2}}$" for c in counts)
    out = [f"| $j$ | {head} |", "|---" * (1 + 3 * len(counts)) + "|"]
    for j in scales:
        cells = []
        for c in counts:
            hit = np.flatnonzero(c.scales == j)
            if hit.size == 0:
                cells += ["", "", ""]
                continue
            k = int(c.counts[hit[0]])
            cells += [str(k), sig3(k / 2.0**j), sig3(k / 2.0 ** (j / 2))]
        out.append(f"| {j} | " + " | ".join(cells) + " |")
    growth = []
    for c in counts:
        growth += [f"$2^{{{sig3(c.growth())}\\,j}}$", "", ""]
    out.append("| growth | " + " | ".join(growth) + " |")
    return "\n".join(out)


def resolution_table(study) -> str:
    r"""A :class:`course.sparse.resolution.ResolutionStudy` as a Markdown table: one row per
    image side, the shearlet/wavelet error ratio at each N, the smallest ratio and the largest
    N at which the shearlets win."""
    n = [int(v) for v in study.n_terms]
    out = [
        "| image | " + " | ".join(f"$N = {v}$" for v in n) + " | smallest | shearlets win up to |",
        "|---" * (len(n) + 3) + "|",
    ]
    for i, side in enumerate(study.sizes):
        cells = ["—" if not np.isfinite(r) else sig3(r) for r in study.ratio[i]]
        win = int(study.last_win[i])
        out.append(
            f"| ${side}^2$ | "
            + " | ".join(cells)
            + f" | {sig3(study.best_ratio[i])} | "
            + (f"$N = {win}$" if win else "never")
            + " |"
        )
    return "\n".join(out)


def _levels(levels) -> str:
    return "—" if levels is None else "(" + ", ".join(str(v) for v in levels) + ")"


def design_table(designs) -> str:
    r"""The N-term errors of :func:`course.sparse.designs.design_errors` as a Markdown table:
    one row per design (the wavelet basis first), the N largest coefficients and the pursuit
    from them at each N."""
    n = [int(v) for v in designs[0].n_terms]
    head = " | ".join(f"$N = {v}$: $N$ largest | pursuit" for v in n)
    out = [
        f"| system | shear levels | radial transition | low-pass coefficients | redundancy | {head} |",
        "|---" * (5 + 2 * len(n)) + "|",
    ]
    for d in designs:
        cells = []
        for i in range(len(n)):
            cells += [sig3(d.largest[i]), sig3(d.pursuit[i])]
        name = "wavelets db4" if d.name == "wavelet" else f"shearlets, {d.name}"
        low = "—" if d.name == "wavelet" else str(d.n_lowpass)
        width = "—" if d.transition is None else f"{d.transition:g}"
        out.append(
            f"| {name} | {_levels(d.shear_levels)} | {width} | {low} | {d.redundancy:.2f}× | "
            + " | ".join(cells)
            + " |"
        )
    return "\n".join(out)


def _percent(r: float) -> str:
    return f"{sig3(abs(100 * (r - 1)))}% {'above' if r > 1 else 'below'}"


def design_line(designs) -> str:
    r"""What the two designs not shipped cost, in one sentence: the pursuit with more shears
    against the wavelets at the largest N, the folded low-pass band's N largest coefficients
    against the shipped design's at the smallest N."""
    by = {d.name: d for d in designs}
    w, shipped, shears, folded = (
        by[k] for k in ("wavelet", "shipped", "more shears", "folded low-pass")
    )
    n0, n1 = int(w.n_terms[0]), int(w.n_terms[-1])
    return (
        f"At $N = {n1}$, with the pursuit started from the $N$ largest coefficients, the "
        f"shearlets with shear levels {_levels(shears.shear_levels)} are "
        f"{_percent(shears.pursuit[-1] / w.pursuit[-1])} the wavelets (the shipped levels "
        f"{_levels(shipped.shear_levels)}: {_percent(shipped.pursuit[-1] / w.pursuit[-1])}). "
        f"At $N = {n0}$ the folded low-pass band ({folded.n_lowpass} coefficients, against "
        f"{shipped.n_lowpass}) costs the shearlets a factor "
        f"{sig3(folded.largest[0] / shipped.largest[0])} with the $N$ largest coefficients "
        f"({sig3(folded.largest[0])} against {sig3(shipped.largest[0])})."
    )


def relu_table(table) -> str:
    r"""A :class:`course.sparse.trained.NetworkTable` as a Markdown table: widths,
    :math:`C(\Phi)`, the network's error, and the wavelet and shearlet errors at
    :math:`N = C(\Phi)`."""
    out = [
        "| network widths | $C(\\Phi)$ | ReLU error | wavelets at $N = C(\\Phi)$ "
        "| shearlets at $N = C(\\Phi)$ |",
        "|---|---|---|---|---|",
    ]
    for r in table.rows:
        widths = ", ".join(str(w) for w in r.widths)
        out.append(
            f"| {widths} | {r.n_weights} | {sig3(r.relu)} | {sig3(r.wavelet)} | "
            f"{sig3(r.shearlet)} |"
        )
    return "\n".join(out)


def relu_line(table) -> str:
    r"""The power laws fitted over the rows of a network table, in one sentence."""
    fits = {k: table.fit(k).slope for k in ("relu", "wavelet", "shearlet")}
    return (
        f"Fitted over the {len(table.rows)} networks: the trained networks' error decays like "
        f"$C(\\Phi)^{{{sig3(fits['relu'])}}}$, the wavelets' like $N^{{{sig3(fits['wavelet'])}}}$ "
        f"and the shearlets' like $N^{{{sig3(fits['shearlet'])}}}$ at the same counts."
    )
