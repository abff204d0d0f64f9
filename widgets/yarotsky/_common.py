"""Lecture 03: what the panels share."""

from __future__ import annotations

import math

S_MAX = 12  # sawtooth: 2^12 = 4096 pieces


def sci(x: float, digits: int = 3) -> str:
    r"""``x`` as math text for inside ``$...$`` (matplotlib's mathtext and MathJax alike):
    ``1.53\times10^{-5}`` rather than ``1.53e-05``, which TeX typesets as "1.53e - 05".

    >>> sci(1.52587890625e-05), sci(0.25), sci(0.0), sci(-3e8, 2), sci(1930.4, 2), sci(175.0)
    ('1.53\\times10^{-5}', '0.25', '0', '-3\\times10^{8}', '1.9\\times10^{3}', '175')
    """
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    exponent = math.floor(math.log10(abs(x)))
    if -2 <= exponent < max(digits, 1):  # plain digits; .g would switch to e-notation beyond
        return f"{x:.{digits}g}"
    mantissa = f"{x / 10.0**exponent:.{digits}g}"
    if mantissa.lstrip("-") == "10":  # rounding up to the next power
        mantissa, exponent = mantissa.replace("10", "1"), exponent + 1
    if mantissa.lstrip("-") == "1":
        return f"{'-' if x < 0 else ''}10^{{{exponent}}}"
    return f"{mantissa}\\times10^{{{exponent}}}"


def legend_below(ax, ncol: int = 2, fontsize: float = 8, **kwargs):
    """The axes' legend under the axes (and under its x label), off the data; constrained layout
    makes room for it inside the figure."""
    return ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncol=ncol,
        fontsize=fontsize,
        frameon=False,
        **kwargs,
    )


def complexity_axes(ax, error: str) -> None:
    r"""Log-log axes of an approximation error (``error``, its axis label) against the network's
    number of nonzero weights :math:`C(\Phi)`: the axes on which lecture 03 sets deep against
    shallow."""
    ax.set(xscale="log", yscale="log", xlabel=r"$C(\Phi)$ (nonzero weights)", ylabel=error)
