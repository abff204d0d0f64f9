"""Lecture 04, panel 2: an N slider (log scale) and the N-term approximations side by side in
Fourier, wavelets, decimated shearlets and curvelets, each with its error."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from course.sparse import (
    METHODS,
    l2_norm,
)

from ..figures import new_figure
from ..live import LiveState, Progress
from ..panel import LivePanel
from ..params import Choice, FloatRange, IntRange, param
from ._common import SIZE, SYSTEM_NAMES, _cartoon, _expansions, sig3


# ================================================================================= N slider
@dataclass(frozen=True)
class NTermResult:
    """N-term approximations of the cartoon in every system, at one N."""

    n_terms: int
    images: dict  # system -> f_N
    errors: dict  # system -> ||f - f_N|| / ||f||
    labels: dict  # system -> legend text with the redundancy
    original: np.ndarray
    method: str = "largest"  # the method asked for
    pursued: tuple = ()  # systems whose approximation the pursuit has improved so far


class NTermState(LiveState):
    """N-term approximations in each system; N on a log slider.

    Bases keep their N largest coefficients (optimal for a basis). Frames do the same, or, with
    ``method="pursuit"``, improve on it by iterative hard thresholding: the N largest coefficients
    are drawn at once, the pursuit (about 0.5 s) follows.
    """

    #: the same for every student (seeded cartoon): the default view is read from the store, so a
    #: kernel at rest builds no system (the four expansions and the pursuit hold ~150 MB)
    cache_shared = True

    # on the slider grid (exponent steps of 0.05 from 10 to 10^4): the readout shows the same N
    n_terms = param(FloatRange(default=200, min=10, max=10000, log=True, label="$N$ terms"))
    method = param(Choice(default="pursuit", options=METHODS, label="frames"))
    seed = param(IntRange(default=0, min=0, max=50, label="cartoon seed", advanced=True))

    def compute(self, n_terms, method, seed):
        n = int(round(n_terms))
        f = _cartoon(seed).image
        images, errors, labels = {}, {}, {}
        expansions = _expansions(seed)
        for s, e in expansions.items():
            img = e.approximation(min(n, e.n_coefficients))
            images[s] = img
            errors[s] = l2_norm(f - img) / e.norm
            labels[s] = e.label
        first = NTermResult(n, images, errors, labels, f, method)
        if method == "largest":
            return first
        return self._pursue(first, expansions, f)

    @staticmethod
    def _pursue(first, expansions, f):
        result = first
        frames = [s for s, e in expansions.items() if not e.orthonormal]
        for i, s in enumerate(frames):
            yield Progress(
                i / len(frames), result, f"iterative hard thresholding: {SYSTEM_NAMES[s]}"
            )
            e = expansions[s]
            coeffs, history = e.pursuit(min(first.n_terms, e.n_coefficients), f)
            if history[-1] < result.errors[s]:
                img = e.synthesize(coeffs)
                result = dataclasses.replace(
                    result,
                    images=result.images | {s: img},
                    errors=result.errors | {s: l2_norm(f - img) / e.norm},
                    pursued=(*result.pursued, s),
                )
        return result


class NTermPanel(LivePanel):
    """The original, the N-term approximations side by side, each titled with its relative
    error, and under each its error image :math:`|f - f_N|` on one colour scale."""

    def __init__(self, **values):
        super().__init__(
            NTermState(compute_now=False, **values),
            title="Best N-term approximation, side by side",
            show_progress=True,
        )
        fig, axes = new_figure(880, 420, nrows=2, ncols=5)
        blank = np.zeros((SIZE, SIZE))
        self._ims, self._errs, self._axes = {}, {}, {}
        gray = dict(cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        self._original = axes[0, 0].imshow(blank, **gray)
        axes[0, 0].set_title(f"original $f$ ({SIZE} $\\times$ {SIZE})", fontsize=8)
        for col, s in enumerate(SYSTEM_NAMES, start=1):
            self._ims[s] = axes[0, col].imshow(blank, **gray)
            self._errs[s] = axes[1, col].imshow(
                blank, cmap="magma", vmin=0, vmax=1, interpolation="nearest"
            )
            self._axes[s] = axes[0, col]
            axes[1, col].set_title(f"$|f - f_N|$, {SYSTEM_NAMES[s]}", fontsize=8)
        for ax in axes.ravel():
            ax.set(xticks=[], yticks=[])
            ax.grid(False)
        # one colour bar per row: grey values of f and f_N; the error images' common scale
        top = fig.colorbar(self._original, ax=list(axes[0, :]), shrink=0.85, pad=0.01)
        top.ax.tick_params(labelsize=7)
        top.set_label("$f$, $f_N$", fontsize=8)
        self._colorbar = fig.colorbar(
            self._errs["fourier"], ax=list(axes[1, 1:]), shrink=0.85, pad=0.01, extend="max"
        )
        self._colorbar.ax.tick_params(labelsize=7)
        self._colorbar.set_label("$|f - f_N|$", fontsize=8)
        # the free cell under the original says what N and the errors are
        key = axes[1, 0]
        key.set_axis_off()
        self._key = key.text(0.5, 0.5, "", ha="center", va="center", fontsize=9)
        self._fig = fig
        self.figures = {"approximations": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, r: NTermResult):
        self._original.set_data(r.original)
        errors = {s: np.abs(r.original - img) for s, img in r.images.items()}
        # one colour scale for the four error images: the largest 99.5th percentile
        top = max(float(np.percentile(e, 99.5)) for e in errors.values()) or 1.0
        for s, ax in self._axes.items():
            self._ims[s].set_data(r.images[s])
            self._errs[s].set_data(errors[s])
            self._errs[s].set_clim(0, top)
            how = " (IHT)" if s in r.pursued else ""
            ax.set_title(f"{r.labels[s]}\nerror {sig3(r.errors[s])}{how}", fontsize=8)
        self._key.set_text(
            f"$N = {r.n_terms}$ terms\n\nerror in the titles:\n$\\|f - f_N\\|_2 / \\|f\\|_2$\n\n"
            "below: $|f - f_N|$,\none colour scale"
        )
