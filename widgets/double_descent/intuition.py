"""Lecture 05, panel 1: double descent in one dimension."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from course.double_descent import (
    TARGET_FUNCTIONS,
    Fit1D,
    Regression1D,
    curve_1d,
    fit_1d,
    make_regression_1d,
)

from ..cache import computed_once
from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, FloatRange, IntRange, param
from ._common import (
    _THRESHOLD_STYLE,
    KINDS,
    RIDGES,
    _set_log_limits,
)


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
    cache_shared = True  # seeded: the same fit for every student, from the shared store

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
            IntuitionState(compute_now=False, **values),
            title="1D intuition: n noisy samples, N random features",
        )
        fig, ax = new_figure(440, 360)
        (self._truth,) = ax.plot([], [], color="#888888", lw=1.5, label="$f$")
        (self._fit,) = ax.plot([], [], color="C0", lw=2, label="fit $h_N$")
        (self._samples,) = ax.plot([], [], "o", color="C3", ms=5, label="samples")
        ax.set(xlim=(-1, 1), ylim=(-2.5, 2.5), xlabel="$x$")
        ax.legend(loc="lower left", fontsize=8)
        curve, cax = new_figure(460, 380)
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
        curve.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=8)
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


@dataclass(frozen=True)
class RidgeEffect:
    """What ridge does to the 1D curve (:func:`ridge_effect_1d`), one entry per ridge value."""

    n_samples: int
    ridges: tuple
    norm_at_threshold: tuple  # ||a||_2 at N = n
    max_test_loss: tuple  # over all N of the curve
    argmax: tuple  # the N where it is largest
    small_models: tuple  # the largest test loss over N <= 5 (the level of the smallest models)

    def __repr__(self) -> str:
        rows = [
            f"ridge {lam:g}: ||a||_2 at N = n = {self.n_samples}: {norm:.3g}; largest test loss "
            f"{top:.3g} at N = {at}; smallest models (N <= 5): {small:.3g}"
            for lam, norm, top, at, small in zip(
                self.ridges,
                self.norm_at_threshold,
                self.max_test_loss,
                self.argmax,
                self.small_models,
            )
        ]
        return "\n".join(rows)


@computed_once
def ridge_effect_1d(ridges=(0.0, 1e-2), **values) -> RidgeEffect:
    """The 1D panel's curve (its defaults, or ``values``) for each ridge: the numbers of the
    lecture's ridge prompt (milliseconds; computed once for the class, then read from the
    server's shared store)."""
    state = IntuitionState(compute_now=False, **values)
    params = state.params()
    out = []
    for lam in ridges:
        r = state.compute(**{**params, "ridge": float(lam)})
        n = params["n_samples"]
        at = int(np.flatnonzero(r.sizes == n)[0])
        i = int(np.argmax(r.test_loss))
        small = float(r.test_loss[r.sizes <= 5].max())
        out.append((float(r.coef_norm[at]), float(r.test_loss[i]), int(r.sizes[i]), small))
    cols = list(zip(*out))
    return RidgeEffect(params["n_samples"], tuple(map(float, ridges)), *map(tuple, cols))
