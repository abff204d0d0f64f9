r"""Lecture 02's measured table, computed: the ReLU interpolant of :math:`x^2` on [-1, 1] with N
equal pieces against the exact error :math:`h^2/4`, :math:`h = 2/N`.
"""

from __future__ import annotations

from .constructions import relu_interpolant
from .shallow import measure
from .targets import expression_target

__all__ = ["square_interpolant_table"]


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
