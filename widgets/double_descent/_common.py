"""Lecture 05: what the panels share (choices, plot styles, the loss/error axes)."""

from __future__ import annotations

import numpy as np

from course.double_descent import (
    FEATURE_MAPS,
)

from ..figures import new_figure

KINDS = {"fourier": "Fourier (cos)", "relu": "ReLU"}
assert set(KINDS) == set(FEATURE_MAPS)
#: The ridge values offered by the panels (a choice: lambda spans many decades, and 0 matters).
RIDGES = {0.0: "0 (min-norm)", 1e-6: "1e-6", 1e-4: "1e-4", 1e-2: "1e-2", 1.0: "1"}
_THRESHOLD_STYLE = dict(color="#b00020", ls="--", lw=1.2, gid="threshold")
_CURSOR_STYLE = dict(color="#555555", ls=":", lw=1.5, gid="cursor")
_MAX_MISTAKES = 16  # misclassified digits shown under the cursor (2 rows of 8)


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

    @classmethod
    def figure(cls, width, height, *, stacked=False, **labels):
        """A new figure of ``width`` x ``height`` pixels holding the two axes, side by side or
        ``stacked`` (loss above error); ``labels`` as for the constructor. Returns
        ``(fig, loss/error axes)``."""
        fig, (lax, eax) = new_figure(width, height, **({"nrows": 2} if stacked else {"ncols": 2}))
        return fig, cls(lax, eax, **labels)

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
