r"""Lecture 04, the mechanism: significant coefficients and their size at each scale, wavelets
against shearlets, with the continuum counts :math:`2^j`, :math:`2^{j/2}` and sizes
:math:`2^{-j}`, :math:`2^{-3j/4}` beside them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import FormatStrFormatter, LogLocator, NullFormatter

from course.sparse.scales import ScaleCounts, scale_counts

from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, IntRange, param
from ._common import _cartoon, sig3

#: Thresholds offered, as fractions of each scale's largest coefficient (exact values).
THRESHOLDS = (0.01, 0.03, 0.1, 0.3)
#: Image sides offered, with the shearlet scales used (log2(side) - 4, as at 256 x 256).
SIDES = {128: "128 (3 scales)", 256: "256 (4 scales)", 512: "512 (5 scales)"}


@dataclass(frozen=True)
class ScaleResult:
    """Per-scale counts of one cartoon in both systems."""

    wavelet: ScaleCounts
    shearlet: ScaleCounts
    side: int


class ScaleState(LiveState):
    """Coefficients above ``threshold`` times each scale's largest, per dyadic scale ``j``."""

    cache_size = 16
    cache_shared = True  # the same for every student

    threshold = param(Choice(default=0.1, options=THRESHOLDS, label="threshold $\\tau$"))
    side = param(Choice(default=256, options=SIDES, label="image side"))
    seed = param(IntRange(default=0, min=0, max=50, label="cartoon seed", advanced=True))

    def compute(self, threshold, side, seed):
        f = _cartoon(seed, side).image
        scales = int(np.log2(side)) - 4
        return ScaleResult(
            scale_counts(f, "wavelet", threshold=threshold),
            scale_counts(f, "shearlet", threshold=threshold, scales=scales),
            side,
        )


def _reference(j, values, exponent, at):
    """``C 2^(exponent j)`` through the value at scale ``at``."""
    j = np.asarray(j, dtype=float)
    i = int(np.flatnonzero(j == at)[0])
    return values[i] * 2.0 ** (exponent * (j - at))


class ScalePanel(LivePanel):
    """Why the rates differ: how many coefficients matter at each scale, and how large they are."""

    def __init__(self, **values):
        super().__init__(
            ScaleState(compute_now=False, **values), title="The mechanism: coefficients per scale"
        )
        fig, (a1, a2) = new_figure(880, 400, ncols=2)
        style = dict(marker="o", lw=1.8, ms=5)
        (self._wc,) = a1.semilogy([], [], color="tab:blue", **style)
        (self._sc,) = a1.semilogy([], [], color="tab:red", **style)
        (self._wref,) = a1.semilogy([], [], "k--", lw=1, label="$2^{j}$")
        (self._sref,) = a1.semilogy([], [], "k-.", lw=1, label="$2^{j/2}$")
        (self._wl,) = a2.semilogy([], [], color="tab:blue", **style)
        (self._sl,) = a2.semilogy([], [], color="tab:red", **style)
        (self._wlref,) = a2.semilogy([], [], "k--", lw=1, label="$2^{-j}$")
        (self._slref,) = a2.semilogy([], [], "k-.", lw=1, label="$2^{-3j/4}$")
        a1.set(xlabel="scale $j$ (atoms $2^{-j}$ of the side wide)", ylabel="coefficients")
        a2.set(xlabel="scale $j$", ylabel="largest $|c|$ at scale $j$")
        for ax in (a1, a2):  # 600 and 0.6, not 6 x 10^2 and 6e-01
            ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 4.0)))
            ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
            ax.yaxis.set_minor_formatter(NullFormatter())
        self._a1, self._a2 = a1, a2
        self.figures = {"scales": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, r: ScaleResult):
        w, s = r.wavelet, r.shearlet
        fine = int(w.scales[-1])
        self._wc.set_data(w.scales, w.counts)
        self._sc.set_data(s.scales, s.counts)
        self._wc.set_label(f"wavelets: grows like $2^{{{sig3(w.growth())}\\,j}}$")
        self._sc.set_label(f"shearlets: grows like $2^{{{sig3(s.growth())}\\,j}}$")
        self._wref.set_data(w.scales, _reference(w.scales, w.counts, 1.0, fine))
        self._sref.set_data(s.scales, _reference(s.scales, s.counts, 0.5, fine))
        self._wl.set_data(w.scales, w.largest)
        self._sl.set_data(s.scales, s.largest)
        self._wl.set_label(f"wavelets: decays like $2^{{{sig3(w.decay())}\\,j}}$")
        self._sl.set_label(f"shearlets: decays like $2^{{{sig3(s.decay())}\\,j}}$")
        self._wlref.set_data(w.scales, _reference(w.scales, w.largest, -1.0, fine))
        self._slref.set_data(s.scales, _reference(s.scales, s.largest, -0.75, fine))
        tau = sig3(r.wavelet.threshold)
        self._a1.set_title(
            f"coefficients above {tau} $\\times$ the scale's largest\n"
            f"{r.side} $\\times$ {r.side} cartoon",
            fontsize=9,
        )
        self._a2.set_title("their size: the largest coefficient per scale", fontsize=9)
        for ax in (self._a1, self._a2):
            j = np.concatenate([w.scales, s.scales])
            ax.set_xlim(j.min() - 0.3, j.max() + 0.3)
            ax.set_xticks(np.arange(j.min(), j.max() + 1))
            ax.relim()
            ax.autoscale_view(scalex=False)
            if ax.get_legend() is not None:
                ax.get_legend().remove()
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, fontsize=8)
