r"""Lecture 05, double descent: four panels.

- :class:`IntuitionPanel`: 1D regression with N random features; the fitted curve is wild at the
  interpolation threshold N = n and tame again for N >> n.
- :class:`DigitsCurvePanel`: the double-descent curve of random Fourier (or ReLU) features on the
  digits (Belkin et al., 2019, Fig. 2), streamed in as N grows; a cursor on N shows that model's
  confusion matrix and misclassified digits.
- :class:`SampleWisePanel`: fixed N, more and more data n: more data can hurt (Nakkiran et al.,
  2019).
- :class:`WidthPanel`: model-wise double descent of small trained networks (torch, background,
  started by a button, cached per settings).

The states compute through :mod:`course.double_descent` and work without a browser.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from course.double_descent import (
    DEFAULT_WIDTHS,
    FEATURE_MAPS,
    TARGET_FUNCTIONS,
    DigitsSplit,
    Fit1D,
    Regression1D,
    SweepResult,
    WidthSweepResult,
    curve_1d,
    feature_grid,
    fit_1d,
    iter_model_sweep,
    iter_sample_sweep,
    iter_width_sweep,
    load_digits_split,
    make_regression_1d,
)
from course.double_descent.width import n_params
from course.progress import Progress

from .figures import new_figure
from .live import LiveState
from .panel import LivePanel
from .params import Choice, FloatRange, IntRange, param

__all__ = [
    "IntuitionState",
    "IntuitionPanel",
    "DigitsCurveState",
    "DigitsCurvePanel",
    "SampleWiseState",
    "SampleWisePanel",
    "WidthState",
    "WidthPanel",
]

KINDS = {"fourier": "Fourier (cos)", "relu": "ReLU"}
assert set(KINDS) == set(FEATURE_MAPS)
#: The ridge values offered by the panels (a choice: lambda spans many decades, and 0 matters).
RIDGES = {0.0: "0 (min-norm)", 1e-6: "1e-6", 1e-4: "1e-4", 1e-2: "1e-2", 1.0: "1"}
_THRESHOLD_STYLE = dict(color="#b00020", ls="--", lw=1.2, gid="threshold")
_CURSOR_STYLE = dict(color="#555555", ls=":", lw=1.5, gid="cursor")
_MAX_MISTAKES = 16  # misclassified digits shown under the cursor (2 rows of 8)


def _new_state(cls, values: dict) -> LiveState:
    """A state with these parameter values and no computation requested yet.

    ``LiveState(compute_now=False, **values)`` still requests a computation when ``values``
    change a parameter (``set`` requests it), so a result could reach ``render`` before the
    panel has built its figures. Values are validated here all the same (ValueError).
    """
    state = cls(compute_now=False)
    state.auto = False  # instance attribute: set() below requests nothing
    try:
        state.set(**values)
    finally:
        del state.auto  # back to the class's policy
    return state


def _set_log_limits(ax, main, *others, pad=2.0, depth=100.0):
    """Fit the y-limits of a log axis to ``main`` (the test loss) and to the values of
    ``others`` (train losses) down to ``min(main) / depth``; smaller values (a training loss
    that has reached zero) leave the plot at the bottom instead of squeezing the curve."""
    main = np.ravel(main)
    main = main[np.isfinite(main) & (main > 0)]
    if not main.size:
        return
    lo, hi = main.min(), main.max()
    for a in others:
        a = np.ravel(a)
        a = a[np.isfinite(a) & (a >= lo / depth)]
        if a.size:
            lo, hi = min(lo, a.min()), max(hi, a.max())
    ax.set_ylim(lo / pad, hi * pad)


class _LossErrorAxes:
    """Squared loss (log-log) and 0-1 error over the same x, train and test, with a threshold.

    ``lax.lines`` starts with the test and the train loss, ``eax.lines`` with the test and the
    train error; the threshold lines have gid ``"threshold"``.
    """

    def __init__(self, lax, eax, *, xlabel, threshold_label, loss_label="squared loss"):
        (self.test,) = lax.plot([], [], ".-", color="C0", lw=2, label="test loss")
        (self.train,) = lax.plot([], [], ".-", color="C2", lw=1.2, label="train loss")
        (self.test_err,) = eax.plot([], [], ".-", color="C0", lw=2, label="test")
        (self.train_err,) = eax.plot([], [], ".-", color="C2", lw=1.2, label="train")
        self.thresholds = [
            a.axvline(1.0, **_THRESHOLD_STYLE, label=threshold_label) for a in (lax, eax)
        ]
        lax.set(xscale="log", yscale="log", ylabel=loss_label)
        eax.set(xscale="log", xlabel=xlabel, ylabel="0-1 error", ylim=(0, 1))
        if lax.get_subplotspec().rowspan != eax.get_subplotspec().rowspan:
            lax.set_xlabel("")  # stacked: the lower axes carries the label
        else:
            lax.set_xlabel(xlabel)
        eax.legend(loc="upper right", fontsize=8)
        self.loss_axes, self.error_axes = lax, eax

    def set_xlim(self, lo, hi):
        for a in (self.loss_axes, self.error_axes):
            a.set_xlim(lo, hi)

    def draw(self, x, result, threshold) -> None:
        """Draw ``result.test_loss``, ``train_loss``, ``test_error``, ``train_error`` over x."""
        self.test.set_data(x, result.test_loss)
        self.train.set_data(x, np.maximum(result.train_loss, 1e-12))  # 0 has no logarithm
        self.test_err.set_data(x, result.test_error)
        self.train_err.set_data(x, result.train_error)
        for line in self.thresholds:
            line.set_xdata([threshold, threshold])
        _set_log_limits(self.loss_axes, result.test_loss, result.train_loss)

    def clear(self) -> None:
        for line in (self.test, self.train, self.test_err, self.train_err):
            line.set_data([], [])


# ============================================================================ 1D intuition
@dataclass(frozen=True, eq=False)  # identity: every delivered result is drawn
class IntuitionResult:
    """The data, the fit with N features, and the whole curve over N."""

    data: Regression1D
    fit: Fit1D
    sizes: np.ndarray
    train_loss: np.ndarray
    test_loss: np.ndarray
    coef_norm: np.ndarray


class IntuitionState(LiveState):
    r"""n noisy samples of a function on [-1, 1], fitted with N random features.

    Minimum-norm least squares (or ridge) on :math:`\phi(x) = \sqrt{2/N}\cos(v x + b)`,
    :math:`v \sim N(0, \sigma^{-2})`. The curve over N (up to 400) is computed once per data and
    features and cached, so moving N only refits one model.
    """

    n_features = param(IntRange(default=20, min=1, max=400, label="features $N$"))
    n_samples = param(IntRange(default=20, min=5, max=50, label="samples $n$"))
    noise = param(FloatRange(default=0.2, min=0.0, max=1.0, step=0.01, label="noise std"))
    function = param(Choice(default="smooth", options=tuple(TARGET_FUNCTIONS), label="$f$"))
    kind = param(Choice(default="fourier", options=KINDS, label="features"))
    sigma = param(FloatRange(default=0.04, min=0.02, max=0.1, step=0.005, label="$\\sigma$"))
    ridge = param(Choice(default=0.0, options=RIDGES, label="ridge $\\lambda$"))
    seed = param(IntRange(default=0, min=0, max=99, label="seed"))

    #: N of the curve: 60 values from 1 to 400, geometric, and every N within 3 of n.
    max_features = 400

    def __init__(self, **kwargs):
        self._curves = OrderedDict()
        super().__init__(**kwargs)

    def compute(self, n_features, n_samples, noise, function, kind, sigma, ridge, seed):
        data = make_regression_1d(n_samples, noise=noise, function=function, seed=seed)
        opts = dict(kind=kind, sigma=sigma, ridge=ridge, seed=seed)
        key = (n_samples, noise, function, kind, sigma, ridge, seed)
        if key not in self._curves:
            sizes = np.unique(
                np.concatenate(
                    [
                        np.round(np.geomspace(1, self.max_features, 60)).astype(np.int64),
                        np.clip(np.arange(n_samples - 3, n_samples + 4), 1, None),
                    ]
                )
            )
            self._curves[key] = (sizes, *curve_1d(data, sizes, **opts))
            while len(self._curves) > 16:
                self._curves.popitem(last=False)
        sizes, train, test, norm = self._curves[key]
        fit = fit_1d(data, n_features, **opts)
        return IntuitionResult(data, fit, sizes, train, test, norm)


class IntuitionPanel(LivePanel):
    """1D intuition: the fit with N features, and test loss and ||a|| over N."""

    def __init__(self, **values):
        super().__init__(
            _new_state(IntuitionState, values),
            title="1D intuition: n noisy samples, N random features",
        )
        fig, ax = new_figure(440, 360)
        (self._truth,) = ax.plot([], [], color="#888888", lw=1.5, label="$f$")
        (self._fit,) = ax.plot([], [], color="C0", lw=2, label="fit $h_N$")
        (self._samples,) = ax.plot([], [], "o", color="C3", ms=5, label="samples")
        ax.set(xlim=(-1, 1), ylim=(-2.5, 2.5), xlabel="$x$")
        ax.legend(loc="lower left", fontsize=8)
        curve, cax = new_figure(460, 360)
        (self._test,) = cax.plot([], [], "-", color="C0", lw=2, label="test loss")
        (self._train,) = cax.plot([], [], "-", color="C2", lw=1.2, label="train loss")
        self._threshold = cax.axvline(20, **_THRESHOLD_STYLE, label="$N = n$")
        (self._here,) = cax.plot([], [], "o", color="C0", ms=8, mfc="none", mew=2)
        cax.set(xscale="log", yscale="log", xlabel="features $N$", ylabel="mean squared error")
        nax = cax.twinx()
        (self._norm,) = nax.plot([], [], color="C1", lw=1.2, ls="-.", label=r"$\|a\|_2$")
        nax.set(yscale="log", ylabel=r"$\|a\|_2$")
        nax.grid(False)
        handles = [self._test, self._train, self._norm, self._threshold]
        cax.legend(handles=handles, loc="upper right", fontsize=8)
        cax.set_xlim(1, IntuitionState.max_features)
        self.figures = {"fit": fig, "curve": curve}
        self.assemble(W.HBox([fig.canvas, curve.canvas]))
        self.start()

    def render(self, r: IntuitionResult):
        d, fit = r.data, r.fit
        self._truth.set_data(d.x_grid[:, 0], d.f_grid)
        self._fit.set_data(d.x_grid[:, 0], fit.prediction)
        self._samples.set_data(d.x_train[:, 0], d.y_train)
        n = len(d.y_train)
        regime = (
            "under-parametrised"
            if fit.n_features < n
            else "interpolation threshold"
            if fit.n_features == n
            else "over-parametrised"
        )
        self._fit.axes.set_title(
            f"N = {fit.n_features}, n = {n} ({regime})\n"
            f"test MSE {fit.test_loss:.3g}, train MSE {fit.train_loss:.2g}, "
            f"$\\|a\\|_2$ = {fit.coef_norm:.3g}",
            fontsize=10,
        )
        self._test.set_data(r.sizes, r.test_loss)
        self._train.set_data(r.sizes, np.maximum(r.train_loss, 1e-12))
        self._threshold.set_xdata([n, n])
        self._here.set_data([fit.n_features], [fit.test_loss])
        self._norm.set_data(r.sizes, r.coef_norm)
        _set_log_limits(self._test.axes, r.test_loss, r.train_loss)
        _set_log_limits(self._norm.axes, r.coef_norm, pad=1.5)
        self._test.axes.set_title("test (vs $f$) and train loss over N; $\\|a\\|_2$ dash-dot")


# ============================================================================ digits curve
@dataclass(frozen=True, eq=False)  # identity: every delivered result is drawn
class DigitsCurveResult:
    """The (possibly partial) double-descent curve and the model under the cursor."""

    sweep: SweepResult
    data: DigitsSplit
    index: int  # the computed point nearest the cursor
    n_features: int  # its N
    confusion: np.ndarray  # (10, 10): rows true class, columns predicted
    mistakes: np.ndarray  # indices into the test set of misclassified images (at most 16)
    test_error: float

    @property
    def threshold(self) -> int:
        return self.data.n_train


class _Entry:
    """A model sweep being computed or done: resumable across requests (cursor moves)."""

    def __init__(self, data, iterator):
        self.data = data
        self.iterator = iterator
        self.latest: SweepResult | None = None
        self.fraction = 0.0
        self.done = False


class DigitsCurveState(LiveState):
    r"""Model-wise double descent on the digits with random features.

    For each setting the curve over N (41 values from n/10 to 20 n, geometric, with N = n) is
    computed once, in the background, N by N; moving the cursor while it streams does not
    restart it (the sweep is resumed), and once it is done the cursor only reads the stored
    predictions. Split and features use ``seed``; pixels are scaled to [0, 1].
    """

    n_train = param(IntRange(default=400, min=100, max=1000, step=50, label="samples $n$"))
    label_noise = param(FloatRange(default=0.0, min=0.0, max=0.5, step=0.05, label="label noise"))
    sigma = param(FloatRange(default=5.0, min=1.0, max=20.0, step=0.5, label="$\\sigma$"))
    ridge = param(Choice(default=0.0, options=RIDGES, label="ridge $\\lambda$"))
    kind = param(Choice(default="fourier", options=KINDS, label="features"))
    seed = param(IntRange(default=0, min=0, max=99, label="seed"))
    cursor = param(FloatRange(default=1.0, min=0.1, max=20.0, log=True, label="cursor $N/n$"))

    #: The curve runs from ``start * n`` to ``stop * n`` features.
    start, stop, num = 0.1, 20.0, 40
    max_entries = 8

    def __init__(self, **kwargs):
        self._entries: OrderedDict = OrderedDict()
        super().__init__(**kwargs)

    def compute(self, n_train, label_noise, sigma, ridge, kind, seed, cursor):
        key = (n_train, label_noise, sigma, ridge, kind, seed)
        entry = self._entries.get(key)
        if entry is None:
            data = load_digits_split(n_train, label_noise=label_noise, seed=seed)
            grid = feature_grid(n_train, start=self.start, stop=self.stop, num=self.num)
            sweep = iter_model_sweep(data, grid, kind=kind, sigma=sigma, ridge=ridge, seed=seed)
            entry = self._entries[key] = _Entry(data, sweep)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        self._entries.move_to_end(key)
        return self._follow(key, entry, cursor)

    def _follow(self, key, entry, cursor):
        if entry.latest is not None:
            if entry.done:
                return self._view(entry, cursor)
            yield Progress(entry.fraction, self._view(entry, cursor))
        while not entry.done:
            try:
                item = next(entry.iterator)
            except StopIteration as stop:
                entry.latest, entry.done, entry.iterator = stop.value, True, None
                break
            except Exception:
                self._entries.pop(key, None)  # a failed sweep is not resumed
                raise
            entry.latest, entry.fraction = item.partial, item.fraction
            yield Progress(item.fraction, self._view(entry, cursor), item.message)
        return self._view(entry, cursor)

    @staticmethod
    def _view(entry: _Entry, cursor: float) -> DigitsCurveResult:
        sweep, data = entry.latest, entry.data
        i = sweep.at(int(round(cursor * data.n_train)))
        pred = sweep.test_pred[i].astype(np.int64)
        confusion = np.bincount(10 * data.y_test + pred, minlength=100).reshape(10, 10)
        wrong = np.flatnonzero(pred != data.y_test)
        return DigitsCurveResult(
            sweep,
            data,
            i,
            int(sweep.sizes[i]),
            confusion,
            wrong[:_MAX_MISTAKES],
            float(sweep.test_error[i]),
        )


_CELL, _GAP_X, _GAP_Y = 8, 2, 5  # mosaic: 8x8 digits, gaps, a band above each for its label


def _mosaic(images, rows=2, cols=8):
    """Images of shape (k, 64) tiled in a rows x cols grid, NaN between them (k <= rows*cols).

    Cell (r, c) occupies rows ``r*(8+5)+5 ..`` and columns ``c*(8+2) ..``; the 5 rows above
    each image hold its label.
    """
    h, w = rows * (_CELL + _GAP_Y), cols * (_CELL + _GAP_X) - _GAP_X
    out = np.full((h, w), np.nan)
    for k, img in enumerate(images[: rows * cols]):
        r, c = divmod(k, cols)
        top, left = r * (_CELL + _GAP_Y) + _GAP_Y, c * (_CELL + _GAP_X)
        out[top : top + _CELL, left : left + _CELL] = img.reshape(_CELL, _CELL)
    return out


class DigitsCurvePanel(LivePanel):
    """The double-descent curve on the digits, with a cursor on N."""

    def __init__(self, **values):
        super().__init__(
            _new_state(DigitsCurveState, values),
            title="Double descent on the digits: random features, min-norm least squares",
            show_progress=True,
        )
        curve, (lax, eax) = new_figure(520, 560, nrows=2)
        self._plot = _LossErrorAxes(
            lax,
            eax,
            xlabel="features $N$",
            threshold_label="$N = n$",
            loss_label=r"squared loss $\frac{1}{m}\sum\|h(x)-e_y\|^2$",
        )
        self._cur = [a.axvline(400, **_CURSOR_STYLE) for a in (lax, eax)]
        nax = lax.twinx()
        (self._norm,) = nax.plot([], [], ".-.", color="C1", lw=1.2, label=r"$\|a\|_2$")
        nax.set(yscale="log", ylabel=r"$\|a\|_2$")
        nax.grid(False)
        lax.legend(
            handles=[self._plot.test, self._plot.train, self._norm, self._plot.thresholds[0]],
            labels=["test loss", "train loss", r"$\|a\|_2$ (right)", "$N = n$"],
            loc="upper right",
            fontsize=8,
        )
        look, (cax, max_) = new_figure(760, 300, ncols=2)
        self._confusion = cax.imshow(np.zeros((10, 10)), cmap="Blues", vmin=0, vmax=1)
        cax.set(xticks=range(10), yticks=range(10), xlabel="predicted", ylabel="true")
        cax.grid(False)
        self._digits = max_.imshow(
            _mosaic(np.zeros((0, 64))), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest"
        )
        max_.set(xticks=[], yticks=[])
        max_.grid(False)
        self._labels = [
            max_.text(
                c * (_CELL + _GAP_X) + _CELL / 2 - 0.5,
                r * (_CELL + _GAP_Y) + _GAP_Y - 1.0,
                "",
                ha="center",
                va="bottom",
                fontsize=9,
                color="#b00020",
            )
            for r in range(2)
            for c in range(8)
        ]
        self.figures = {"curve": curve, "cursor": look}
        self.assemble(W.VBox([curve.canvas, look.canvas]))
        self.start()

    def render(self, r: DigitsCurveResult):
        s, n = r.sweep, r.threshold
        self._plot.draw(s.sizes, s, n)
        self._plot.set_xlim(s.planned[0] / 1.2, s.planned[-1] * 1.2)
        self._norm.set_data(s.sizes, s.coef_norm)
        _set_log_limits(self._norm.axes, s.coef_norm, pad=1.5)
        for line in self._cur:
            line.set_xdata([r.n_features, r.n_features])
        ax = self._plot.loss_axes
        status = "" if s.complete else f" ({len(s.sizes)}/{len(s.planned)} values of N)"
        ax.set_title(
            f"n = {n}, label noise {s.label_noise:.0%}, {s.kind}, $\\sigma$ = {s.sigma:g}, "
            f"$\\lambda$ = {s.ridge:g}{status}",
            fontsize=10,
        )
        self._confusion.set_data(r.confusion)
        self._confusion.set_clim(0, max(1, r.confusion.max()))
        self._confusion.axes.set_title(
            f"N = {r.n_features}: test error {r.test_error:.1%}", fontsize=10
        )
        imgs = r.data.x_test[r.mistakes]
        self._digits.set_data(_mosaic(imgs))
        pred = s.test_pred[r.index]
        for k, text in enumerate(self._labels):
            if k < len(r.mistakes):
                j = r.mistakes[k]
                text.set_text(f"{r.data.y_test[j]}\u2192{pred[j]}")
            else:
                text.set_text("")
        n_wrong = int(r.confusion.sum() - np.trace(r.confusion))
        self._digits.axes.set_title(
            f"misclassified: {n_wrong} of {r.data.n_test} (true\u2192predicted)", fontsize=10
        )


# ============================================================================ sample-wise
@dataclass(frozen=True, eq=False)  # identity: every delivered result is drawn
class SampleWiseResult:
    sweep: SweepResult


class SampleWiseState(LiveState):
    r"""Sample-wise double descent: N fixed, the number of training images n grows.

    40 values of n from 10 to 1300 (geometric, with n = N); the test set is the same 497 images
    for every n; the training sets are nested.
    """

    n_features = param(IntRange(default=300, min=50, max=800, step=10, label="features $N$"))
    label_noise = param(FloatRange(default=0.1, min=0.0, max=0.5, step=0.05, label="label noise"))
    sigma = param(FloatRange(default=5.0, min=1.0, max=20.0, step=0.5, label="$\\sigma$"))
    ridge = param(Choice(default=0.0, options=RIDGES, label="ridge $\\lambda$"))
    kind = param(Choice(default="fourier", options=KINDS, label="features"))

    n_max, num = 1300, 40

    def compute(self, n_features, label_noise, sigma, ridge, kind):
        sizes = np.unique(
            np.concatenate(
                [np.round(np.geomspace(10, self.n_max, self.num)).astype(np.int64), [n_features]]
            )
        )
        job = iter_sample_sweep(
            n_features, sizes, kind=kind, sigma=sigma, ridge=ridge, label_noise=label_noise, seed=0
        )
        for item in job:
            yield Progress(item.fraction, SampleWiseResult(item.partial), item.message)
        return None  # the last partial is the complete sweep


class SampleWisePanel(LivePanel):
    """Test loss and error against the number of samples, for a fixed number of features."""

    def __init__(self, **values):
        super().__init__(
            _new_state(SampleWiseState, values),
            title="Sample-wise: more data can hurt",
            show_progress=True,
        )
        fig, (lax, eax) = new_figure(760, 330, ncols=2)
        self._plot = _LossErrorAxes(
            lax, eax, xlabel="training samples $n$", threshold_label="$n = N$"
        )
        lax.legend(loc="lower left", fontsize=8)
        self._plot.set_xlim(8, SampleWiseState.n_max * 1.2)
        self.figures = {"curve": fig}
        self.assemble(fig.canvas)
        self.start()

    def render(self, r: SampleWiseResult):
        s = r.sweep
        n_feat = int(s.n_features[0]) if len(s.n_features) else 0
        self._plot.draw(s.sizes, s, n_feat)
        status = "" if s.complete else f" ({len(s.sizes)}/{len(s.planned)} values of n)"
        self._plot.loss_axes.set_title(f"N = {n_feat} features{status}", fontsize=10)


# ============================================================================ network widths
@dataclass(frozen=True, eq=False)  # identity: every delivered result is drawn
class WidthResult:
    sweep: WidthSweepResult | None  # None: not trained yet for these settings
    cached: bool


class WidthState(LiveState):
    r"""Width sweep of two-layer ReLU networks on digits with noisy labels (torch).

    Slow (about 10-30 s on two cores): it starts with :meth:`train` (the panel's button), not on
    a parameter change, runs in the background and can be stopped. Finished sweeps are kept per
    settings, for every panel in this kernel: a parameter change shows the stored sweep for the
    new settings at once, or says that they are not trained yet. A parameter change during
    training stops it (the newest request wins), like the Stop button; nothing partial is
    cached.
    """

    n_train = param(IntRange(default=300, min=100, max=600, step=50, label="samples $n$"))
    label_noise = param(FloatRange(default=0.2, min=0.0, max=0.5, step=0.05, label="label noise"))
    steps = param(IntRange(default=2000, min=200, max=5000, step=100, label="Adam steps"))
    seed = param(IntRange(default=0, min=0, max=99, label="seed"))

    widths = DEFAULT_WIDTHS
    _cache: dict = {}  # settings -> WidthSweepResult, shared by all panels of the kernel

    def __init__(self, **kwargs):
        self._armed = None  # the settings the Train button asked for
        super().__init__(**kwargs)

    def key(self, **params) -> tuple:
        p = {**self.params(), **params}
        return (tuple(self.widths), p["n_train"], p["label_noise"], p["steps"], p["seed"])

    def compute(self, n_train, label_noise, steps, seed):
        key = self.key(n_train=n_train, label_noise=label_noise, steps=steps, seed=seed)
        if key in self._cache:
            return WidthResult(self._cache[key], True)
        if key != self._armed:
            return WidthResult(None, False)
        return self._train(key, n_train, label_noise, steps, seed)

    def _train(self, key, n_train, label_noise, steps, seed):
        job = iter_width_sweep(
            self.widths, n_train=n_train, label_noise=label_noise, steps=steps, seed=seed
        )
        while True:
            try:
                item = next(job)
            except StopIteration as stop:
                self._cache[key] = stop.value
                return WidthResult(stop.value, False)
            partial = None if item.partial is None else WidthResult(item.partial, False)
            yield Progress(item.fraction, partial, item.message)

    def train(self) -> int:
        """Train (or show from the cache) the sweep for the current settings."""
        self._armed = self.key()
        return self.request()


class WidthPanel(LivePanel):
    """Test and train loss of trained networks against their number of parameters."""

    def __init__(self, **values):
        super().__init__(
            _new_state(WidthState, values),
            title="Model-wise double descent of small networks (trained with Adam)",
            show_progress=True,
        )
        self.train_button = W.Button(
            description="Train", icon="play", button_style="success", layout=W.Layout(width="110px")
        )
        self.train_button.on_click(lambda _: self.state.train())
        self.info = W.HTML()
        fig, (lax, eax) = new_figure(760, 330, ncols=2)
        self._plot = _LossErrorAxes(
            lax, eax, xlabel="parameters", threshold_label="parameters $= nK$"
        )
        lax.legend(loc="lower left", fontsize=8)
        lo, hi = n_params(min(WidthState.widths)), n_params(max(WidthState.widths))
        self._plot.set_xlim(lo / 1.3, hi * 1.3)
        self.figures = {"curve": fig}
        left = self.control_box(extra=[self.train_button, self.info])
        self.assemble(fig.canvas, left=left)
        self.start()

    def render(self, r: WidthResult):
        s = r.sweep
        if s is None:
            self._plot.clear()
            for line in self._plot.thresholds:
                line.set_xdata([10 * self.state.n_train] * 2)
            self._plot.loss_axes.set_title("not trained yet for these settings", fontsize=10)
            self.info.value = "Press <b>Train</b> (about 10&ndash;30 s on two cores)."
            return
        self._plot.draw(s.n_params, s, 10 * s.n_train)  # n K parameters fit n one-hot targets
        done = f"{len(s.widths)}/{len(s.planned)} widths"
        self._plot.loss_axes.set_title(
            f"n = {s.n_train}, label noise {s.label_noise:.0%}, {s.steps} steps ({done})",
            fontsize=10,
        )
        self.info.value = "from the cache" if r.cached else ("done" if s.complete else "training")
