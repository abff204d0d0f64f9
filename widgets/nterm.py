r"""Lecture 04, best N-term approximation: wavelets versus shearlets on cartoon-like images.

- :class:`CartoonPanel`: the cartoon-like image :math:`f_0 + f_1\chi_B` and its edge.
- :class:`NTermPanel`: an N slider (log scale) and the N-term approximations side by side in
  Fourier, wavelets, decimated shearlets and curvelets, each with its error (coefficients are
  sorted once per image and system, only the synthesis runs per N).
- :class:`AtomPanel`: one shearlet (scale j, shear k, cone) in space and in frequency, and where
  its large coefficients sit on the cartoon's edge.
- :class:`RatePanel`: log-log error against N for all systems, fitted slopes on a stated range,
  the theory lines, and (button) ReLU networks trained in the background, error against nonzero
  weights, on the same axes.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from course.sparse.cartoon import cartoon
from course.sparse.nterm import (
    compare_steps,
    default_n_terms,
    default_range,
    expansion,
    l2_norm,
    refit,
    theory_rates,
)
from course.sparse.relu import ReluSweep, relu_sweep
from course.sparse.shearlets import shearlet_system

from .figures import new_figure
from .live import LiveState, Progress
from .panel import LivePanel
from .params import Choice, Flag, FloatRange, IntRange, param

__all__ = [
    "CartoonState",
    "CartoonPanel",
    "NTermState",
    "NTermPanel",
    "AtomState",
    "AtomPanel",
    "RateState",
    "RatePanel",
    "SIZE",
    "SYSTEM_NAMES",
]

#: Image side of the N-term panels (the benchmark targets are for 256 x 256).
SIZE = 256
#: Systems shown side by side, with their display names.
SYSTEM_NAMES = {
    "fourier": "Fourier",
    "wavelet": "wavelets (db4)",
    "shearlet": "shearlets",
    "curvelet": "curvelets",
}
#: N-term methods offered for the frames (bases always keep their N largest coefficients).
METHOD_NAMES = {
    "pursuit": "iterative hard thresholding",
    "largest": "N largest coefficients",
}

_SCALES = 4  # band-pass scales of shearlets and curvelets at 256 x 256


@functools.lru_cache(maxsize=8)
def _cartoon(
    seed: int,
    n: int = SIZE,
    modes: int = 6,
    amplitude: float = 0.25,
    smoothness: float = 1.5,
    supersample: int = 8,
):
    return cartoon(
        n,
        modes=modes,
        amplitude=amplitude,
        smoothness=smoothness,
        seed=seed,
        supersample=supersample,
    )


@functools.lru_cache(maxsize=2)
def _expansions(seed: int, n: int = SIZE):
    """Every system's expansion of the cartoon, sorted once (the N slider only synthesizes)."""
    f = _cartoon(seed, n).image
    return {s: expansion(f, s, scales=_SCALES) for s in SYSTEM_NAMES}


# ================================================================================= cartoon
class CartoonState(LiveState):
    """Parameters of the cartoon-like image (Donoho's class :math:`\\mathcal E^2`)."""

    modes = param(IntRange(default=6, min=2, max=12, label="boundary modes $M$"))
    amplitude = param(
        FloatRange(default=0.25, min=0.0, max=0.5, step=0.01, label="curvature (amplitude)")
    )
    smoothness = param(FloatRange(default=1.5, min=0.0, max=3.0, step=0.1, label="mode decay $p$"))
    seed = param(IntRange(default=0, min=0, max=50, label="seed", advanced=True))
    supersample = param(IntRange(default=8, min=1, max=8, label="anti-aliasing"))
    show_edge = param(Flag(default=True, label="show edge"))

    def compute(self, modes, amplitude, smoothness, seed, supersample, show_edge):
        return cartoon(
            128,
            modes=modes,
            amplitude=amplitude,
            smoothness=smoothness,
            seed=seed,
            supersample=supersample,
        )


class CartoonPanel(LivePanel):
    """The cartoon :math:`f = f_0 + f_1\\chi_B`, its edge, and its curvature."""

    def __init__(self, **values):
        super().__init__(CartoonState(compute_now=False, **values), title="A cartoon-like image")
        fig, (ax, ax2) = new_figure(720, 340, ncols=2)
        self._im = ax.imshow(
            np.zeros((128, 128)), cmap="gray", vmin=0, vmax=1, interpolation="nearest"
        )
        (self._edge,) = ax.plot([], [], "r-", lw=1)
        ax.set(title="$f = f_0 + f_1\\chi_B$ (128 x 128)", xticks=[], yticks=[])
        ax.grid(False)
        self._zoom = ax2.imshow(
            np.zeros((24, 24)), cmap="gray", vmin=0, vmax=1, interpolation="nearest"
        )
        ax2.set(title="zoom on the edge: pixel cell averages", xticks=[], yticks=[])
        ax2.grid(False)
        self._ax = ax
        self.figures = {"image": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, c):
        self._im.set_data(c.image)
        if self.state.show_edge:
            self._edge.set_data(c.edge[:, 1], c.edge[:, 0])
        else:
            self._edge.set_data([], [])
        # zoom: 24 x 24 pixels around the rightmost point of the edge
        i, j = np.clip(np.round(c.edge[np.argmax(c.edge[:, 1])]).astype(int), 12, 115)
        self._zoom.set_data(c.image[i - 12 : i + 12, j - 12 : j + 12])
        self._ax.set_title(
            f"$f_0 + f_1\\chi_B$: max curvature {c.max_curvature:.1f}, seed {c.seed}"
        )


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

    # on the slider grid (exponent steps of 0.05 from 10 to 10^4): the readout shows the same N
    n_terms = param(FloatRange(default=200, min=10, max=10000, log=True, label="$N$ terms"))
    method = param(Choice(default="pursuit", options=METHOD_NAMES, label="frames"))
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
    """The N-term approximations side by side, each titled with its relative error."""

    def __init__(self, **values):
        super().__init__(
            NTermState(compute_now=False, **values),
            title="Best N-term approximation, side by side",
            show_progress=True,
        )
        fig, axes = new_figure(900, 270, ncols=4)
        self._ims, self._axes = {}, {}
        for ax, s in zip(axes, SYSTEM_NAMES, strict=True):
            self._ims[s] = ax.imshow(
                np.zeros((SIZE, SIZE)), cmap="gray", vmin=0, vmax=1, interpolation="nearest"
            )
            ax.set(xticks=[], yticks=[])
            ax.grid(False)
            self._axes[s] = ax
        self.figures = {"approximations": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, r: NTermResult):
        for s, ax in self._axes.items():
            self._ims[s].set_data(r.images[s])
            how = " (IHT)" if s in r.pursued else ""
            ax.set_title(
                f"{r.labels[s]}\nN = {r.n_terms}: error {r.errors[s]:.3g}{how}", fontsize=8
            )


# ================================================================================= atoms
@dataclass(frozen=True)
class AtomResult:
    """One shearlet in space and frequency and its coefficients on the cartoon."""

    label: str
    space: np.ndarray
    frequency: np.ndarray
    coefficients: np.ndarray
    scale: int
    shear: int
    cone: str
    extent: tuple  # (length, width) in pixels: spread of |psi|^2 along and across the wedge


CONES = {"h": "horizontal cone", "v": "vertical cone", "seam": "seam (diagonal)"}


class AtomState(LiveState):
    """A shearlet of the undecimated system at 128 x 128, 4 scales."""

    scale = param(IntRange(default=2, min=0, max=3, label="scale $j$"))
    shear = param(IntRange(default=1, min=-4, max=4, label="shear $k$"))
    cone = param(Choice(default="h", options=CONES, label="cone"))

    def compute(self, scale, shear, cone):
        system = shearlet_system((128, 128), scales=4)
        s = system.shear_levels[scale]
        k = (
            int(np.clip(shear, -(2**s) + 1, 2**s - 1))
            if cone != "seam"
            else (2**s if shear >= 0 else -(2**s))
        )
        i = system.index(scale=scale, shear=k, cone=cone)
        f = _cartoon(0, 128).image
        coeffs = np.abs(system.decompose(f)[i])
        atom = system.atom(i)
        return AtomResult(
            label=system.atoms[i].label + ("" if k == shear else f" (k={shear} clipped to {k})"),
            space=atom,
            frequency=np.fft.fftshift(system.filters[i]),
            coefficients=coeffs,
            scale=scale,
            shear=k,
            cone=cone,
            extent=_extent(atom),
        )


def _extent(atom):
    """Standard deviations of |psi|^2 along its principal axes (pixels): length, width."""
    w = atom**2 / np.sum(atom**2)
    ii, jj = np.indices(atom.shape)
    mi, mj = np.sum(w * ii), np.sum(w * jj)
    cov = np.array(
        [
            [np.sum(w * (ii - mi) ** 2), np.sum(w * (ii - mi) * (jj - mj))],
            [np.sum(w * (ii - mi) * (jj - mj)), np.sum(w * (jj - mj) ** 2)],
        ]
    )
    lo, hi = np.sqrt(np.linalg.eigvalsh(cov))
    return float(hi), float(lo)


class AtomPanel(LivePanel):
    """Shearlet atom explorer: space, frequency, and its coefficients on the cartoon."""

    def __init__(self, **values):
        super().__init__(AtomState(compute_now=False, **values), title="Shearlet atom explorer")
        fig, (a1, a2, a3) = new_figure(900, 300, ncols=3)
        self._space = a1.imshow(np.zeros((80, 80)), cmap="RdBu_r", interpolation="nearest")
        self._freq = a2.imshow(
            np.zeros((128, 128)),
            cmap="magma",
            vmin=0,
            vmax=1,
            extent=(-0.5, 0.5, 0.5, -0.5),
            interpolation="nearest",
        )
        self._coef = a3.imshow(np.zeros((128, 128)), cmap="hot", interpolation="nearest")
        edge = _cartoon(0, 128).edge
        a3.plot(edge[:, 1], edge[:, 0], "c-", lw=0.6)
        a2.set(xlabel="$\\xi_2$ (cycles/pixel, axis 1)", ylabel="$\\xi_1$ (axis 0)")
        a3.set(title="|coefficients| on the cartoon", xticks=[], yticks=[])
        for a in (a1, a2, a3):
            a.grid(False)
        a1.set(xticks=[], yticks=[])
        self._a1, self._a2 = a1, a2
        self.figures = {"atom": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, r: AtomResult):
        c = 40  # show the central 80 x 80 pixels of the 128 x 128 atom
        sp = r.space[64 - c : 64 + c, 64 - c : 64 + c]
        m = float(np.abs(sp).max()) or 1.0
        self._space.set_data(sp)
        self._space.set_clim(-m, m)
        self._freq.set_data(r.frequency)
        self._coef.set_data(r.coefficients)
        self._coef.set_clim(0, float(r.coefficients.max()) or 1.0)
        length, width = r.extent
        self._a1.set_title(
            f"$\\psi$ {r.label}\nlength {length:.1f} px, width {width:.1f} px", fontsize=9
        )
        self._a2.set_title("$\\hat\\psi$ (window in frequency)", fontsize=9)


# ================================================================================= rates
@dataclass(frozen=True)
class RateResult:
    """Error curves of every system, fitted slopes, theory lines; ReLU points if trained."""

    comparison: object
    theory: dict
    seed: int
    relu: ReluSweep | None = None  # networks trained on the cartoon with this seed


#: Ends of the fit range offered (exact values: a log slider would snap 50 to 50.15).
FIT_FROM = (10, 20, 50, 100, 200, 500, 1000, 2000)
FIT_TO = (100, 200, 400, 819, 1600, 3200, 6400, 16384)
#: How far N is plotted: the default range (50 to pixels/80), or on to a quarter of the pixels,
#: where the pixel grid takes over.
N_MAX = {819: "819 (default range)", 16384: "16384 (into the pixel regime)"}


def _rate_n_terms(n_max: int) -> np.ndarray:
    lo, hi = default_range((SIZE, SIZE))
    if n_max <= hi:
        return default_n_terms((SIZE, SIZE))
    return np.unique(np.round(np.geomspace(lo, n_max, 20)).astype(int))


#: Finished comparisons, keyed by (seed, n_max, method): a new fit range only refits.
_COMPARISONS: dict = {}


class RateState(LiveState):
    """Error against N on log-log axes, with slopes fitted on ``[fit_min, fit_max]``.

    For the frames the default N-term approximation is iterative hard thresholding, computed in
    the background (about 3 s at 256 x 256); the curves of the N largest coefficients come first.
    """

    fit_min = param(Choice(default=50, options=FIT_FROM, label="fit from $N$"))
    fit_max = param(Choice(default=819, options=FIT_TO, label="fit to $N$"))
    n_max = param(Choice(default=819, options=N_MAX, label="plot $N$ up to"))
    method = param(Choice(default="pursuit", options=METHOD_NAMES, label="frames"))
    seed = param(IntRange(default=0, min=0, max=50, label="cartoon seed", advanced=True))

    def compute(self, fit_min, fit_max, n_max, method, seed):
        if fit_min >= fit_max:
            raise ValueError(f"fit_min must be below fit_max; got {fit_min:g} >= {fit_max:g}")
        old = self.result
        keep = old.relu if isinstance(old, RateResult) and old.seed == seed else None
        key = (seed, n_max, method)
        if key in _COMPARISONS:
            comp = refit(_COMPARISONS[key], (fit_min, fit_max))
            return self._result(comp, seed, keep)
        return self._stream(key, fit_min, fit_max, keep)

    def _stream(self, key, fit_min, fit_max, keep):
        seed, n_max, method = key
        f = _cartoon(seed).image
        job = compare_steps(
            f,
            tuple(SYSTEM_NAMES),
            n_terms=_rate_n_terms(n_max),
            fit_range=(fit_min, fit_max),
            scales=_SCALES,
            method=method,
            expansions=_expansions(seed),
        )
        while True:
            try:
                item = next(job)
            except StopIteration as stop:
                comp = stop.value
                break
            yield Progress(item.fraction, self._result(item.partial, seed, keep), item.message)
        _COMPARISONS[key] = comp
        while len(_COMPARISONS) > 8:
            _COMPARISONS.pop(next(iter(_COMPARISONS)))
        return self._result(comp, seed, keep)

    @staticmethod
    def _result(comp, seed, relu):
        anchor = comp.curve("wavelet").error[0]
        theory = theory_rates(comp.curves[0].n_terms, anchor=anchor)
        return RateResult(comp, theory, seed, relu)

    def train(self, *, steps: int = 1000, sizes=None):
        """Start the ReLU sweep on the runner (the Train button); stop cancels it."""
        self.run(self._train_job, steps, sizes)

    def _train_job(self, steps, sizes):
        # the curves first (if the pursuit was interrupted, it is finished here), then the nets
        key = (self.seed, self.n_max, self.method)
        fit = (self.fit_min, self.fit_max)
        if key in _COMPARISONS:
            base = self._result(refit(_COMPARISONS[key], fit), self.seed, None)
        else:
            base = yield from self._stream(key, *fit, None)
        f = _cartoon(base.seed).image  # the same 256 x 256 image as the N-term curves
        kwargs = {} if sizes is None else {"sizes": sizes}
        sweep = None
        for fraction, sweep in relu_sweep(f, steps=steps, batch=2048, every=100, **kwargs):
            yield Progress(fraction, RateResult(base.comparison, base.theory, base.seed, sweep))
        return RateResult(base.comparison, base.theory, base.seed, sweep)


class RatePanel(LivePanel):
    """Log-log error against N: all systems, fitted slopes, theory; ReLU networks on demand."""

    def __init__(self, **values):
        super().__init__(
            RateState(compute_now=False, **values),
            title="Error of N-term approximation against N",
            show_progress=True,
        )
        fig, ax = new_figure(980, 440)
        self._fig, self._legend = fig, None
        self._lines, self._largest = {}, {}
        for s, color in zip(SYSTEM_NAMES, ("tab:gray", "tab:blue", "tab:red", "tab:green")):
            (self._lines[s],) = ax.loglog([1, 2], [1, 1], "o-", ms=3, lw=1.5, color=color, label=s)
            # frames: the N largest coefficients, faint, under the pursuit's curve
            (self._largest[s],) = ax.loglog([], [], ":", lw=1, color=color, alpha=0.7)
        self._theory = {}
        for name, style in zip(
            ("N^-1/4 (Fourier)", "N^-1/2 (wavelets)", "N^-1 (log N)^3/2 (shearlets, curvelets)"),
            (":", "--", "-."),
            strict=True,
        ):
            (self._theory[name],) = ax.loglog(
                [1, 2], [1, 1], "k" + style, lw=1, alpha=0.6, label=name
            )
        (self._relu,) = ax.loglog(
            [], [], "s", color="crimson", ms=7, label="ReLU network (x = nonzero weights)"
        )
        (self._relu_now,) = ax.loglog([], [], "s", mfc="none", color="crimson", ms=9)
        self._band = ax.axvspan(100, 1600, color="gray", alpha=0.08)
        ax.set(
            xlabel="N (real coefficients kept; nonzero weights for networks)",
            ylabel="$\\|f - f_N\\|_2 / \\|f\\|_2$ (not squared)",
        )
        self._legend_ax = ax
        self._ax = ax
        self.train_button = W.Button(
            description="Train ReLU networks",
            icon="play",
            button_style="primary",
            layout=W.Layout(width="200px"),
        )
        self.train_button.on_click(lambda _: self.state.train())
        self.figures = {"rates": fig}
        self.assemble(fig.canvas, left=self.control_box(extra=[self.train_button]))
        self.start()

    def render(self, r: RateResult):
        ax = self._ax
        comp = r.comparison
        pursuit = comp.method == "pursuit"
        for c in comp.curves:
            line = self._lines[c.system]
            line.set_data(c.n_terms, c.error)
            slope = f"slope {c.fit.slope:.2f}" if c.fit is not None else "no fit"
            line.set_label(f"{c.label}: {slope}")
            faint = self._largest[c.system]
            if pursuit and c.largest is not None and np.any(c.largest != c.error):
                faint.set_data(c.n_terms, c.largest)
                faint.set_label(f"{SYSTEM_NAMES[c.system]}: N largest coefficients only")
            else:
                faint.set_data([], [])
                faint.set_label("_hidden")
        n = comp.curves[0].n_terms
        for name, values in r.theory.items():
            self._theory[name].set_data(n, values)
        lo, hi = comp.fit_range
        self._band.set_x(lo)
        self._band.set_width(hi - lo)
        xs, ys = [n], [c.error for c in comp.curves]
        if r.relu is not None:
            self._relu.set_data(r.relu.n_weights, r.relu.errors)
            cur = r.relu.current
            self._relu_now.set_data([cur.n_weights] if cur else [], [cur.error] if cur else [])
            xs.append(np.asarray(r.relu.n_weights, dtype=float))
            ys.append(np.asarray(r.relu.errors, dtype=float))
        else:
            self._relu.set_data([], [])
            self._relu_now.set_data([], [])
        x = np.concatenate(xs)
        y = np.concatenate(ys + [c.largest for c in comp.curves if c.largest is not None])
        x, y = x[x > 0], y[np.isfinite(y) & (y > 0)]
        ax.set_xlim(x.min() * 0.8, x.max() * 1.25)
        ax.set_ylim(max(y.min(), 1e-5) * 0.7, min(y.max() * 1.5, 2.0))
        how = (
            "frames: iterative hard thresholding continued along N (solid), N largest (dotted)"
            if pursuit
            else "every system: its N largest coefficients"
        )
        ax.set_title(
            f"image {SIZE}x{SIZE}; slopes fitted on {lo:g} \u2264 N \u2264 {hi:g} (shaded)\n{how}",
            fontsize=9,
        )
        if self._legend is not None:
            self._legend.remove()
        # outside the axes, so that no curve hides behind it (constrained layout makes room)
        handles = [h for h in ax.get_lines() if not h.get_label().startswith("_")]
        self._legend = self._fig.legend(
            handles=handles, loc="outside right upper", fontsize=7, frameon=False
        )
