"""Lecture 05, panel 2: the double-descent curve on the digits, streamed, with a cursor."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from course.double_descent import (
    DigitsEffect,
    DigitsSplit,
    SweepResult,
    feature_grid,
    load_digits_split,
    model_sweep_steps,
)
from course.double_descent import digits_effects as _digits_effects
from course.progress import Progress

from ..cache import computed_once
from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, FloatRange, IntRange, param
from ._common import (
    _CURSOR_STYLE,
    _MAX_MISTAKES,
    KINDS,
    RIDGES,
    _LossErrorAxes,
    _set_log_limits,
)


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


@dataclass(frozen=True, eq=False)
class _Curve:
    """What is computed, cached and shared per setting (the cursor aside): the sweep over N and
    the split it was fitted on (plain arrays: reading it from the store imports nothing)."""

    sweep: SweepResult
    data: DigitsSplit


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
    predictions (:meth:`present`). Split and features use ``seed``; pixels are scaled to [0, 1].
    Seeded, the curve is the same for every student: it goes to the server's shared store.
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
    cache_size = 8
    cache_shared = True
    cache_params = ("n_train", "label_noise", "sigma", "ridge", "kind", "seed")

    def __init__(self, **kwargs):
        self._entries: OrderedDict = OrderedDict()
        super().__init__(**kwargs)

    def compute(self, n_train, label_noise, sigma, ridge, kind, seed, cursor):
        key = (n_train, label_noise, sigma, ridge, kind, seed)
        entry = self._entries.get(key)
        if entry is None:
            data = load_digits_split(n_train, label_noise=label_noise, seed=seed)
            grid = feature_grid(n_train, start=self.start, stop=self.stop, num=self.num)
            sweep = model_sweep_steps(data, grid, kind=kind, sigma=sigma, ridge=ridge, seed=seed)
            entry = self._entries[key] = _Entry(data, sweep)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        self._entries.move_to_end(key)
        return self._follow(key, entry)

    def _follow(self, key, entry):
        if entry.latest is not None:
            if entry.done:
                return _Curve(entry.latest, entry.data)
            yield Progress(entry.fraction, _Curve(entry.latest, entry.data))
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
            yield Progress(item.fraction, _Curve(entry.latest, entry.data), item.message)
        return _Curve(entry.latest, entry.data)

    def present(self, result: _Curve, *, cursor, **params) -> DigitsCurveResult:
        """The model under the cursor: its confusion matrix and misclassified test digits."""
        sweep, data = result.sweep, result.data
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
            DigitsCurveState(compute_now=False, **values),
            title="Double descent on the digits: random features, min-norm least squares",
            show_progress=True,
        )
        curve, self._plot = _LossErrorAxes.figure(
            520,
            560,
            stacked=True,
            xlabel="features $N$",
            threshold_label="$N = n$",
            loss_label="squared loss $L$",
        )
        lax, eax = self._plot.loss_axes, self._plot.error_axes
        self._cur = [a.axvline(400, **_CURSOR_STYLE) for a in (lax, eax)]
        nax = lax.twinx()
        (self._norm,) = nax.plot([], [], ".-.", color="C1", lw=1.2, label=r"$\|a\|_2$")
        nax.set(yscale="log", ylabel=r"$\|a\|_2$")
        nax.grid(False)
        curve.legend(
            handles=[self._plot.test, self._plot.train, self._norm, self._plot.thresholds[0]],
            labels=["test loss", "train loss", r"$\|a\|_2$ (right axis)", "$N = n$"],
            loc="outside upper center",
            ncol=4,
            fontsize=8,
        )
        eax.get_legend().remove()  # the same lines: one legend above both axes
        look, (cax, max_) = new_figure(760, 300, ncols=2)
        self._confusion = cax.imshow(np.zeros((10, 10)), cmap="Blues", vmin=0, vmax=1)
        cax.set(xticks=range(10), yticks=range(10), xlabel="predicted", ylabel="true")
        cax.grid(False)
        look.colorbar(self._confusion, ax=cax, label="test images", shrink=0.9)
        self._digits = max_.imshow(
            _mosaic(np.zeros((0, 64))), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest"
        )
        self._digits._mathdl_no_colorbar = True  # ink of a digit, not a value
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


_stored_digits_effects = computed_once(_digits_effects)


def digits_effects(*, label_noise: float = 0.2, ridge: float = 1e-2, **values) -> DigitsEffect:
    """The digits panel's curve (its defaults, or ``values``) without and with ``label_noise``,
    and with ``ridge`` (:func:`course.double_descent.digits_effects`): the numbers of the
    lecture's prompt, computed once for the whole class (four sweeps, a few seconds each) and
    then read from the server's shared store."""
    state = DigitsCurveState(compute_now=False, **values)  # checks the values
    p = state.params()
    return _stored_digits_effects(
        p["n_train"],
        kind=p["kind"],
        sigma=float(p["sigma"]),
        seed=p["seed"],
        label_noise=float(label_noise),
        ridge=float(ridge),
        start=state.start,
        stop=state.stop,
        num=state.num,
    )
