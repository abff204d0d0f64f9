"""Lecture 04, panel 4: log-log error against N for all systems, fitted slopes, the theory
lines, and (an action) ReLU networks trained on the same image."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from course.sparse.nterm import (
    METHODS,
    compare_steps,
    default_n_terms,
    default_range,
    refit,
    theory_rates,
)
from course.sparse.relu import ReluSweep, relu_sweep_steps

from ..figures import new_figure
from ..live import Action, LiveState, Progress
from ..panel import LivePanel
from ..params import Choice, IntRange, param
from ._common import _SCALES, SIZE, SYSTEM_NAMES, _cartoon, _expansions, sig3


# ================================================================================= rates
@dataclass(frozen=True)
class RateResult:
    """Error curves of every system, fitted slopes, theory lines; ReLU points if trained."""

    comparison: object
    theory: dict
    seed: int
    relu: ReluSweep | None = None  # networks trained on the cartoon with this seed
    relu_seconds: float = 0.0  # wall-clock time the training has taken so far


#: Ends of the fit range offered (exact values: a log slider would snap 50 to 50.15).
FIT_FROM = (10, 20, 50, 100, 200, 500, 1000, 2000)
FIT_TO = (100, 200, 400, 819, 1600, 3200, 6400, 16384)
#: How far N is plotted: the default range (50 to pixels/80), or on to a quarter of the pixels,
#: where the pixel grid takes over.
N_MAX = {819: "819 (default range)", 16384: "16384 (pixel regime)"}
#: Legend text of the continuum rates (keys of :func:`course.sparse.nterm.theory_rates`).
THEORY_LABELS = {
    "N^-1/4 (Fourier)": "$N^{-1/4}$ (Fourier)",
    "N^-1/2 (wavelets)": "$N^{-1/2}$ (wavelets)",
    "N^-1 (log N)^3/2 (shearlets, curvelets)": "$N^{-1}(\\log N)^{3/2}$ (shearlets, curvelets)",
}


def _rate_n_terms(n_max: int) -> np.ndarray:
    lo, hi = default_range((SIZE, SIZE))
    if n_max <= hi:
        return default_n_terms((SIZE, SIZE))
    return np.unique(np.round(np.geomspace(lo, n_max, 20)).astype(int))


class RateState(LiveState):
    """Error against N on log-log axes, with slopes fitted on ``[fit_min, fit_max]``.

    For the frames the default N-term approximation is iterative hard thresholding, computed in
    the background (about 3 s at 256 x 256); the curves of the N largest coefficients come first.
    Finished curves are cached per (seed, n_max, method): a new fit range only refits them. The
    action ``train`` trains ReLU networks on the same image, on the same axes.
    """

    fit_min = param(Choice(default=50, options=FIT_FROM, label="fit from $N$"))
    fit_max = param(Choice(default=819, options=FIT_TO, label="fit to $N$"))
    n_max = param(Choice(default=819, options=N_MAX, label="plot $N$ up to"))
    method = param(Choice(default="pursuit", options=METHODS, label="frames"))
    seed = param(IntRange(default=0, min=0, max=50, label="cartoon seed", advanced=True))

    cache_size = 8
    cache_shared = True  # deterministic curves: the same for every student
    cache_params = ("seed", "n_max", "method")
    actions = {"train": Action("Train ReLU networks", "play")}

    def compute(self, fit_min, fit_max, n_max, method, seed):
        _check_fit(fit_min, fit_max)
        return compare_steps(
            _cartoon(seed).image,
            tuple(SYSTEM_NAMES),
            n_terms=_rate_n_terms(n_max),
            fit_range=(fit_min, fit_max),
            scales=_SCALES,
            method=method,
            expansions=_expansions(seed),
        )

    def present(self, comp, fit_min, fit_max, n_max, method, seed):
        """The curves refitted on the fit range, with the networks trained on this image."""
        _check_fit(fit_min, fit_max)
        old = self.result
        same = isinstance(old, RateResult) and old.seed == seed and old.relu is not None
        keep = (old.relu, old.relu_seconds) if same else (None, 0.0)
        return _rate_result(refit(comp, (fit_min, fit_max)), seed, *keep)

    def train_job(self, *, steps: int = 1000, sizes=None, **params):
        """The curves first (finished here if the pursuit was interrupted), then ReLU networks
        trained on the same 256 x 256 image."""
        comp = yield from self.result_job(**params)
        base = self.present(comp, **params)
        f = _cartoon(base.seed).image
        kwargs = {} if sizes is None else {"sizes": sizes}
        sweep, start = None, time.monotonic()
        for fraction, sweep in relu_sweep_steps(f, steps=steps, batch=2048, every=100, **kwargs):
            took = time.monotonic() - start
            yield Progress(
                fraction, RateResult(base.comparison, base.theory, base.seed, sweep, took)
            )
        took = time.monotonic() - start
        return RateResult(base.comparison, base.theory, base.seed, sweep, took)

    def train(self, *, steps: int = 1000, sizes=None) -> int:
        """Train ReLU networks on the image (the Train button); Stop cancels it."""
        return self.act("train", steps=steps, sizes=sizes)


def _check_fit(fit_min, fit_max):
    if fit_min >= fit_max:
        raise ValueError(f"fit_min must be below fit_max; got {fit_min:g} >= {fit_max:g}")


def _rate_result(comp, seed, relu, seconds=0.0) -> RateResult:
    anchor = comp.curve("wavelet").error[0]
    theory = theory_rates(comp.curves[0].n_terms, anchor=anchor)
    return RateResult(comp, theory, seed, relu, seconds)


class RatePanel(LivePanel):
    """Log-log error against N: all systems, fitted slopes, theory; ReLU networks on demand."""

    def __init__(self, **values):
        super().__init__(
            RateState(compute_now=False, **values),
            title="Error of N-term approximation against N",
            show_progress=True,
        )
        fig, ax = new_figure(880, 540)
        self._fig, self._legend = fig, None
        self._lines, self._largest = {}, {}
        for s, color in zip(SYSTEM_NAMES, ("tab:gray", "tab:blue", "tab:red", "tab:green")):
            (self._lines[s],) = ax.loglog([1, 2], [1, 1], "o-", ms=3, lw=1.5, color=color, label=s)
            # frames: the N largest coefficients, faint, under the pursuit's curve
            (self._largest[s],) = ax.loglog([], [], ":", lw=1, color=color, alpha=0.7)
        self._theory = {}
        for (name, label), style in zip(THEORY_LABELS.items(), (":", "--", "-."), strict=True):
            (self._theory[name],) = ax.loglog(
                [1, 2], [1, 1], "k" + style, lw=1, alpha=0.6, label=label
            )
        (self._relu,) = ax.loglog([], [], "s", color="crimson", ms=7, label="_ReLU networks")
        (self._relu_now,) = ax.loglog([], [], "s", mfc="none", color="crimson", ms=9)
        self._band = ax.axvspan(100, 1600, color="gray", alpha=0.08)
        ax.set(
            xlabel="$N$ (real coefficients kept; nonzero weights for networks)",
            ylabel="$\\|f - f_N\\|_2 / \\|f\\|_2$ (not squared)",
        )
        self._legend_ax = ax
        self._ax = ax
        train = self.action_buttons["train"]
        train.button_style, train.layout.width = "primary", "200px"
        self.figures = {"rates": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, r: RateResult):
        ax = self._ax
        comp = r.comparison
        pursuit = comp.method == "pursuit"
        for c in comp.curves:
            line = self._lines[c.system]
            line.set_data(c.n_terms, c.error)
            slope = f"slope {sig3(c.fit.slope)}" if c.fit is not None else "no fit"
            line.set_label(f"{c.label}: {slope}")
            faint = self._largest[c.system]
            if pursuit and c.largest is not None and np.any(c.largest != c.error):
                faint.set_data(c.n_terms, c.largest)
                faint.set_label(f"{SYSTEM_NAMES[c.system]}: $N$ largest coefficients only")
            else:
                faint.set_data([], [])
                faint.set_label("_hidden")
        n = comp.curves[0].n_terms
        for name, values in r.theory.items():
            self._theory[name].set_data(n, values)
        lo, hi = comp.fit_range
        self._band.set_x(lo)
        self._band.set_width(hi - lo)
        xs, ys = [n], [c.error for c in comp.curves] + list(r.theory.values())
        if r.relu is not None:
            self._relu.set_data(r.relu.n_weights, r.relu.errors)
            cur = r.relu.current
            took = f"{sig3(r.relu_seconds)} s"
            done = len(r.relu.fits)
            self._relu.set_label(
                f"ReLU networks ($x$ = nonzero weights): {done} done, training for {took}"
                if cur
                else f"ReLU networks ($x$ = nonzero weights): {done} trained in {took}"
            )
            self._relu_now.set_data([cur.n_weights] if cur else [], [cur.error] if cur else [])
            xs.append(np.asarray(r.relu.n_weights, dtype=float))
            ys.append(np.asarray(r.relu.errors, dtype=float))
            if cur:
                xs.append(np.array([cur.n_weights], dtype=float))
                ys.append(np.array([cur.error], dtype=float))
        else:
            self._relu.set_data([], [])
            self._relu.set_label("_ReLU networks (not trained)")
            self._relu_now.set_data([], [])
        x = np.concatenate(xs)
        y = np.concatenate(ys + [c.largest for c in comp.curves if c.largest is not None])
        x, y = x[x > 0], y[np.isfinite(y) & (y > 0)]
        # every curve inside the axes, the pixel regime's collapse of the wavelets included
        ax.set_xlim(x.min() * 0.8, x.max() * 1.25)
        ax.set_ylim(y.min() * 0.7, y.max() * 1.5)
        how = (
            "frames: iterative hard thresholding continued along $N$ (solid), $N$ largest (dotted)"
            if pursuit
            else "every system: its $N$ largest coefficients"
        )
        ax.set_title(
            f"image {SIZE} $\\times$ {SIZE}; slopes fitted on ${lo:g} \\leq N \\leq {hi:g}$ "
            f"(shaded)\n{how}",
            fontsize=9,
        )
        if self._legend is not None:
            self._legend.remove()
        # under the axes, so that no curve hides behind it (constrained layout makes room) and
        # the figure fits beside the controls at 1280 px
        handles = [h for h in ax.get_lines() if not h.get_label().startswith("_")]
        self._legend = self._fig.legend(
            handles=handles, loc="outside lower center", ncols=2, fontsize=7, frameon=False
        )
