r"""Lecture 06, panel 4: FBP, TV, l1-shearlet, post-processing and Learn the Invisible compared.

The panel waits for its button (``./mathdl warm`` reconstructs the default phantom before class,
so a page shows that comparison at once); its reconstructions need torch and scikit-image,
imported by the first job on the panel's worker thread (a kernel at rest imports neither: 180 MB
and a second).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from course.progress import Progress, relay
from course.tomography.experiment import METHODS, SETUP, TV_ALPHA, TV_ITERATIONS
from course.tomography.phantoms import random_ellipses, rasterize
from course.tomography.solvers import reconstruct_steps

from ..figures import new_figure
from ..live import NOT_COMPUTED, LiveState
from ..panel import LivePanel
from ..params import Choice, IntRange, param
from ._common import NOISE_CHOICE, image_axes

WEDGE_CHOICE = {30: "30°", 60: "60°", 90: "90°"}
#: Short titles of the figure's columns (the full names are in ``METHODS``).
SHORT = {
    "fbp": "FBP",
    "tv": "TV",
    "shearlet": "$\\ell^1$-shearlet",
    "postprocessing": "post-proc. U-Net",
    "ltI": "Learn the Invisible",
}
#: The panel's phantoms: held-out seeds (never trained on), after those of the error table.
FIRST = SETUP.heldout_first + 1000


@functools.lru_cache(maxsize=1)
def networks():
    """The shipped networks, loaded once per kernel (the first reconstruction imports torch)."""
    from course.tomography.ltI import LearnTheInvisible, PostProcessing

    return LearnTheInvisible(), PostProcessing()


@dataclass(frozen=True)
class ComparisonResult:
    """Truth, ``{method: image}`` so far, their scores, and step 1's objective history."""

    truth: np.ndarray
    images: dict
    scores: dict
    objective: tuple  # (iterations, values) of step 1
    missing_deg: int


class ComparisonState(LiveState):
    """Every method on one held-out phantom; a background job started by the button."""

    index = param(IntRange(default=0, min=0, max=99, label="held-out phantom #"))
    missing_deg = param(Choice(default=60, options=WEDGE_CHOICE, label="missing wedge"))
    noise = param(Choice(default=0.01, options=NOISE_CHOICE, label="noise"))
    starts_on = "button"
    start_label = "Reconstruct"
    cache_size = 8
    cache_shared = True
    warm_button = True  # ./mathdl warm reconstructs the default phantom before class

    def compute(self, index, missing_deg, noise):
        from course.tomography.evaluation import scores
        from course.tomography.ltI import fbp_of, measure, step1_steps

        m = measure(random_ellipses(FIRST + index), missing_deg, noise=noise)
        ltI, post = networks()
        images = {"fbp": fbp_of(m)}
        images["postprocessing"] = post(images["fbp"])

        def result(objective=((), ())):
            done = {k: images[k] for k in METHODS if k in images}
            return ComparisonResult(
                m.truth,
                done,
                {k: scores(v, m.truth) for k, v in done.items()},
                objective,
                missing_deg,
            )

        yield Progress(0.05, result(), "FBP and post-processing")

        def star_partial(it):
            images["shearlet"] = it.image
            return result((it.iterations, it.objective))

        rec = yield from relay(
            step1_steps(m.sinogram, m.angles),
            span=(0.05, 0.6),
            wrap=star_partial,
            message="step 1: l1-shearlet",
        )
        images["shearlet"] = rec.image
        objective = (rec.iterations, rec.objective)
        images["ltI"] = ltI(rec.image, missing_deg)
        yield Progress(0.6, result(objective), "Learn the Invisible")

        def tv_partial(it):
            images["tv"] = it.image
            return result(objective)

        tv = yield from relay(
            reconstruct_steps(
                m.sinogram,
                m.angles,
                regulariser="tv",
                alpha=TV_ALPHA,
                iterations=TV_ITERATIONS,
                every=10,
                n=SETUP.n,
            ),
            span=(0.6, 1.0),
            wrap=tv_partial,
            message="TV",
        )
        images["tv"] = tv.image
        return result(objective)


class ComparisonPanel(LivePanel):
    """Reconstructions and error maps of every method, with relative error, PSNR and SSIM."""

    def __init__(self, **values):
        super().__init__(
            ComparisonState(compute_now=False, **values),
            title="FBP, TV, l1-shearlet, post-processing and Learn the Invisible",
            show_progress=True,
        )
        fig, axes = new_figure(1240, 560, nrows=2, ncols=len(METHODS) + 1)
        n = SETUP.n
        self._truth = image_axes(fig, axes[0, 0], "truth $f$", n=n)
        self._images, self._errors, self._axes = {}, {}, {}
        for i, k in enumerate(METHODS, start=1):
            self._images[k] = image_axes(fig, axes[0, i], SHORT[k], n=n)
            self._errors[k] = image_axes(
                fig, axes[1, i], "error", cmap="RdBu_r", vmin=-0.3, vmax=0.3, n=n
            )
            self._axes[k] = (axes[0, i], axes[1, i])
        for ax in axes.ravel():
            ax.set_xlabel("")
            ax.set_ylabel("")
            ax.set_xticks([])
            ax.set_yticks([])
        obj = axes[1, 0]
        (self._objective,) = obj.semilogy([], [], color="tab:blue")
        obj.set(xlabel="iteration $k$", title="step 1: $P(f^k)$")
        obj.set_xticks([0, SETUP.iterations])
        self._obj_axes = obj
        self.figures = {"comparison": fig}
        self.assemble(fig.canvas)
        self.start()

    def render_not_computed(self):
        # the truth is known before any reconstruction: the student sees what is to be found
        truth = rasterize(random_ellipses(FIRST + int(self.state.index)), SETUP.n)
        self._truth.set_data(truth)
        for k in METHODS:
            self._images[k].set_data(np.zeros((SETUP.n, SETUP.n)))
            self._errors[k].set_data(np.zeros((SETUP.n, SETUP.n)))
            self._axes[k][0].set_title(f"{SHORT[k]}\npress Reconstruct", fontsize=9)
        self._objective.set_data([], [])

    def render(self, r: ComparisonResult):
        if r is NOT_COMPUTED:
            return self.render_not_computed()
        self._truth.set_data(r.truth)
        for k, label in SHORT.items():
            if k in r.images:
                self._images[k].set_data(r.images[k])
                self._errors[k].set_data(r.images[k] - r.truth)
                s = r.scores[k]
                self._axes[k][0].set_title(
                    f"{label}\n{s.rel_l2:.3f} / {s.psnr:.1f} dB / {s.ssim:.2f}", fontsize=9
                )
            else:
                self._axes[k][0].set_title(f"{label}\ncomputing…", fontsize=9)
        its, values = r.objective
        if len(its):
            self._objective.set_data(its, values)
            self._obj_axes.set_xlim(0, max(its[-1], 1))
            lo, hi = float(np.min(values)), float(np.max(values))
            self._obj_axes.set_ylim(0.8 * lo, 1.25 * hi)
        else:
            self._objective.set_data([], [])
