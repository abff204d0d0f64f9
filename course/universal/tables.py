r"""Lecture 02's measured tables, computed: the ReLU interpolant of :math:`x^2` on [-1, 1] with N
equal pieces against the exact error :math:`h^2/4`, :math:`h = 2/N`, and the slopes of the sup
error against the width next to the rates the constructions predict.
"""

from __future__ import annotations

from .constructions import relu_interpolant
from .shallow import measure
from .sweeps import error_vs_width
from .targets import expression_target, make_target

__all__ = ["RATE_ROWS", "rate_studies", "rates_table", "square_interpolant_table"]

_C2 = r"$\frac{(b-a)^2}{8}\max\lvert f''\rvert\,N^{-2}$"
_KINK = r"$\frac{J(b-a)}{4}N^{-1}$, equality for odd $N$"
_STEEP_RELU = r"plateau, then $\frac{0.048}{\delta^2} N^{-2}$"
_STEPS = r"$\frac{b-a}{2}\max\lvert f'\rvert\,N^{-1}$"
_STEEP_STEPS = r"plateau, then $\frac{1}{4\delta N}$"
_SIGMOIDS = r"$(b-a)\max\lvert f'\rvert\,(1 + 0.0135)\,N^{-1}$"
_POLYNOMIAL = r"no decay: $\operatorname{dist}(f, \mathcal{P}_3)$"
_STEEP = r"steep step, $\delta = 0.02$"

#: The rows of lecture 02's table of rates: activation and target as the lecture names them,
#: the bound the construction proves, and the arguments of :func:`error_vs_width` (target name,
#: activation, smallest width of the fit). The steep step is fitted past its plateau.
RATE_ROWS = (
    ("ReLU", "$C^2$: sine", _C2, "sine", "relu", 16),
    ("ReLU", "$C^2$: bump", _C2, "bump", "relu", 16),
    ("ReLU", r"kink $\lvert x\rvert$", _KINK, "abs", "relu", 16),
    ("ReLU", _STEEP, _STEEP_RELU, "step", "relu", 97),
    ("Heaviside", "$C^1$: sine", _STEPS, "sine", "heaviside", 16),
    ("Heaviside", _STEEP, _STEEP_STEPS, "step", "heaviside", 97),
    ("sigmoid", "$C^1$: sine", _SIGMOIDS, "sine", "sigmoid", 16),
    ("tanh", "$C^1$: sine", _SIGMOIDS, "sine", "tanh", 16),
    ("$t^3$", "any: sine", _POLYNOMIAL, "sine", "polynomial", 16),
)


def rate_studies(rows=RATE_ROWS) -> list:
    """One :class:`~course.universal.RateStudy` per row: the construction on the default widths
    (odd, 3 to 2047), fitted on the widths at or above the row's smallest fit width."""
    return [
        error_vs_width(make_target(name), activation=activation, fit_min=fit_min)
        for *_, name, activation, fit_min in rows
    ]


def rates_table(rows=RATE_ROWS, studies=None) -> str:
    r"""Markdown table of the predicted bound, the predicted rate and the measured slope.

    ``studies`` are those of :func:`rate_studies` (computed when not given).

    Examples
    --------
    >>> rows = [r for r in RATE_ROWS if r[3] == "abs"]
    >>> print(rates_table(rows).splitlines()[2])  # doctest: +NORMALIZE_WHITESPACE
    | ReLU | kink $\lvert x\rvert$ | $\frac{J(b-a)}{4}N^{-1}$, equality for odd $N$ | $N^{-1}$ |
    $-1.00$ ($17 \le N \le 2047$) |
    """
    studies = rate_studies(rows) if studies is None else studies
    lines = [
        "| activation | target | predicted bound on $\\lVert f - \\Phi_N\\rVert_\\infty$ "
        "| predicted rate | measured slope (fit range) |",
        "|---|---|---|---|---|",
    ]
    for (activation, target, bound, *_), study in zip(rows, studies):
        exponent = study.predicted.exponent
        rate = "$N^{0}$" if exponent == 0 else f"$N^{{{exponent:g}}}$"
        fit = study.fit
        slope = round(fit.slope, 2) + 0.0  # no "-0.00"
        measured = f"${slope:.2f}$ (${fit.n_min:g} \\le N \\le {fit.n_max:g}$)"
        lines.append(f"| {activation} | {target} | {bound} | {rate} | {measured} |")
    return "\n".join(lines)


def square_interpolant_table(widths=(4, 5, 6)) -> str:
    r"""Markdown rows ``N | measured sup error | h^2/4`` for the interpolant of :math:`x^2`.

    Examples
    --------
    >>> print(square_interpolant_table((4,)).splitlines()[2])
    | 4 | 0.0625000000 | 0.0625000000 |
    """
    square = expression_target("x**2")
    rows = [
        "| $N$ | measured $\\Vert x^2 - \\Phi_N \\Vert_\\infty$ | $h^2/4$, $h = 2/N$ |",
        "|---|---|---|",
    ]
    for n in widths:
        error = measure(relu_interpolant(square, int(n)), square).sup_error
        rows.append(f"| {int(n)} | {error:.10f} | {(2 / n) ** 2 / 4:.10f} |")
    return "\n".join(rows)
