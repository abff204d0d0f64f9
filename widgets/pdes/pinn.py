"""Lecture 08, panels 2 and 3: a physics-informed network and the Deep Ritz method, trained live.

Both train in the background (the Train button), stream their loss terms, the solution and the
pointwise error, and can be stopped. Results are the same for every student with the same
settings: they are cached in the kernel and in the server's shared store. torch is imported by
the first training, not before: a stored result is plain numpy data.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.colors import LogNorm

from course.pdes.config import ACTIVATION_NAMES, BOUNDARY, OPTIMIZERS, RITZ_DEFAULTS, PINNConfig
from course.pdes.problems import PROBLEMS

from ..cache import computed_once
from ..figures import new_figure
from ..live import TrainOnButton
from ..panel import LivePanel
from ..params import Choice, FloatRange, IntRange, param
from ._common import TERM_COLOURS

__all__ = ["PINNState", "PINNPanel", "RitzState", "RitzPanel", "ritz_default_errors"]

_PROBLEMS = {"interval": "-u'' = f on (0, 1)", "square": "Poisson on the square"}
_OPTIMIZERS = {"adam": "Adam", "lbfgs": "L-BFGS", "adam+lbfgs": "Adam, then L-BFGS"}
assert set(_PROBLEMS) == set(PROBLEMS) and set(_OPTIMIZERS) == set(OPTIMIZERS)
_TERM_LABELS = {
    "residual": r"residual $\frac{1}{n}\sum (-\Delta u_\theta - f)^2$",
    "boundary": r"boundary $\frac{1}{n_b}\sum u_\theta^2$",
    "energy gap": r"$|E(u_\theta) - E(u)|$",
    "total": "total (minimised)",
}


class PINNState(TrainOnButton):
    """Settings of a PINN run; ``compute`` trains (a generator of snapshots)."""

    problem = param(Choice(default="interval", options=_PROBLEMS, label="problem"))
    width = param(IntRange(default=20, min=4, max=64, step=4, label="width"))
    depth = param(IntRange(default=3, min=1, max=6, label="depth"))
    activation = param(Choice(default="tanh", options=ACTIVATION_NAMES, label="activation"))
    n_points = param(IntRange(default=64, min=8, max=1024, step=8, label="points $n$"))
    optimizer = param(Choice(default="adam+lbfgs", options=_OPTIMIZERS, label="optimiser"))
    adam_steps = param(IntRange(default=200, min=0, max=4000, step=100, label="Adam steps"))
    lbfgs_steps = param(IntRange(default=300, min=0, max=1000, step=50, label="L-BFGS steps"))
    bc = param(Choice(default="soft", options=BOUNDARY, label="boundary"))
    bc_weight = param(
        FloatRange(default=10.0, min=0.01, max=1000.0, log=True, label="BC weight $\\lambda$")
    )
    seed = param(IntRange(default=0, min=0, max=99, label="seed"))

    max_rate = 5.0
    defaults: dict = {}

    def config(self, **params) -> PINNConfig:
        return PINNConfig(**params).check()

    def compute(self, **params):
        from course.pdes.pinn import iter_pinn  # torch: imported by the first training

        return iter_pinn(self.config(**params))


class RitzState(PINNState):
    """Settings of a Deep Ritz run (new Monte-Carlo points at every Adam step)."""

    n_points = param(IntRange(default=256, min=16, max=2048, step=16, label="points per step"))
    optimizer = param(Choice(default="adam", options=_OPTIMIZERS, label="optimiser"))
    adam_steps = param(IntRange(default=1500, min=0, max=4000, step=100, label="Adam steps"))
    lbfgs_steps = param(IntRange(default=0, min=0, max=1000, step=50, label="L-BFGS steps"))
    bc_weight = param(
        FloatRange(default=100.0, min=0.01, max=1000.0, log=True, label="BC weight $\\beta$")
    )

    def config(self, **params) -> PINNConfig:
        return PINNConfig(**{**RITZ_DEFAULTS, **params}).check()

    def compute(self, **params):
        from course.pdes.ritz import iter_ritz

        return iter_ritz(self.config(**params))


class PINNPanel(LivePanel):
    """Loss terms, solution against the exact one, pointwise error and collocation points."""

    state_class = PINNState
    heading = "Physics-informed network: the residual by automatic differentiation"

    def __init__(self, **values):
        super().__init__(
            self.state_class(compute_now=False, **values), title=self.heading, show_progress=True
        )
        fig, (lax, sax, eax) = new_figure(1120, 340, ncols=3)
        self._loss_axes, self._sol_axes, self._err_axes = lax, sax, eax
        self._terms = {}
        for key in ("residual", "energy gap", "boundary", "total"):
            (self._terms[key],) = lax.plot(
                [], [], color=TERM_COLOURS[key], lw=1.4, label=_TERM_LABELS[key]
            )
        (self._rel,) = lax.plot(
            [],
            [],
            color=TERM_COLOURS["rel. $L^2$ error"],
            ls="--",
            lw=1.4,
            label=r"rel. $L^2$ error",
        )
        self._switch = lax.axvline(0, color="0.5", ls=":", lw=1, label="L-BFGS starts")
        lax.set(
            yscale="log",
            ylim=(1e-6, 10),
            xlim=(0, 1),
            xlabel="step",
            title="loss terms (each separately)",
        )
        # 1D artists
        (self._exact,) = sax.plot([], [], color="k", lw=2.5, alpha=0.35, label="exact $u$")
        (self._u,) = sax.plot([], [], color="C0", lw=1.5, label=r"network $u_\theta$")
        (self._pts,) = sax.plot([], [], "|", color="C2", ms=10, label="collocation points")
        (self._err1,) = eax.plot([], [], color="C3", lw=1.4)
        # 2D artists
        self._im = sax.imshow(
            np.zeros((2, 2)), extent=(0, 1, 0, 1), origin="lower", cmap="viridis", visible=False
        )
        (self._pts2,) = sax.plot([], [], ".", color="w", ms=2.5, alpha=0.8)
        (self._bnd2,) = sax.plot([], [], "s", color="C1", ms=2.5)
        self._eim = eax.imshow(
            np.ones((2, 2)),
            extent=(0, 1, 0, 1),
            origin="lower",
            cmap="magma",
            norm=LogNorm(1e-6, 1),
            visible=False,
        )
        self._cb_u = fig.colorbar(self._im, ax=sax, shrink=0.85, label=r"$u_\theta$")
        self._cb_e = fig.colorbar(self._eim, ax=eax, shrink=0.85, label=r"$|u_\theta - u|$")
        self.figures = {"training": fig}
        self.info = W.HTML()
        self.assemble(fig.canvas, left=self.control_box(extra=[self.info]))
        self._dim = None
        self.start()

    # ------------------------------------------------------------------ drawing
    def _set_dim(self, dim: int):
        if dim == self._dim:
            return
        self._dim = dim
        one = dim == 1
        for artist in (self._exact, self._u, self._pts, self._err1):
            artist.set_visible(one)
        for artist in (self._im, self._pts2, self._bnd2, self._eim):
            artist.set_visible(not one)
        self._cb_u.ax.set_visible(not one)
        self._cb_e.ax.set_visible(not one)
        s, e = self._sol_axes, self._err_axes
        if one:
            s.set(xlim=(0, 1), ylim=(-0.15, 1.25), xlabel="$x$", ylabel="$u$", aspect="auto")
            e.set_ylim(1e-8, 1)  # positive before the log scale (the square left it at 0 .. 1)
            e.set(
                xlim=(0, 1),
                yscale="log",
                xlabel="$x$",
                ylabel=r"$|u_\theta(x) - u(x)|$",
                aspect="auto",
            )
            s.legend(loc="upper right", fontsize=8)
            s.grid(True)
        else:
            s.set(xlim=(0, 1), ylim=(0, 1), xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
            e.set_yscale("linear")  # linear before the limits (a log scale refuses 0)
            e.set(
                xlim=(0, 1),
                ylim=(0, 1),
                xlabel="$x_1$",
                ylabel="$x_2$",
                aspect="equal",
            )
            if s.get_legend():
                s.get_legend().remove()
            s.grid(False)
            e.grid(False)

    def render_not_computed(self):
        self._set_dim(PROBLEMS[self.state.problem].dim)
        for line in (
            *self._terms.values(),
            self._rel,
            self._u,
            self._pts,
            self._err1,
            self._pts2,
            self._bnd2,
        ):
            line.set_data([], [])
        self._im.set_data(np.full((2, 2), np.nan))
        self._eim.set_data(np.full((2, 2), np.nan))
        self._loss_axes.set(title="not trained yet: press Train", ylim=(1e-6, 10), xlim=(0, 1))
        if self._dim == 1:
            self._err_axes.set_ylim(1e-8, 1)
        self._sol_axes.set_title("")
        self._err_axes.set_title("")
        self.info.value = f"Press <b>{self.state.start_label}</b> to train with these settings."

    def render(self, s):
        self._set_dim(PROBLEMS[s.problem].dim)
        steps = s.steps
        for key, line in self._terms.items():
            if key in s.losses:
                y = np.abs(s.losses[key]) if key == "energy gap" else s.losses[key]
                line.set_data(steps, np.maximum(y, 1e-16))
                line.set_visible(not (key == "total" and s.method == "ritz"))
            else:
                line.set_data([], [])
        self._rel.set_data(steps, s.rel_l2)
        shown = [
            np.abs(v) for k, v in s.losses.items() if not (k == "total" and s.method == "ritz")
        ]
        shown.append(s.rel_l2)
        allv = np.concatenate(shown)
        allv = allv[np.isfinite(allv) & (allv > 0)]
        if allv.size:
            self._loss_axes.set_ylim(max(allv.min() / 3, 1e-12), allv.max() * 3)
        self._loss_axes.set_xlim(0, max(1, steps[-1]))
        if s.lbfgs_start is not None:
            self._switch.set_xdata([s.lbfgs_start] * 2)
            self._switch.set_visible(True)
        else:
            self._switch.set_visible(False)
        handles = [
            h
            for h in (*self._terms.values(), self._rel, self._switch)
            if h.get_visible() and len(np.atleast_1d(h.get_xdata()))
        ]
        self._loss_axes.legend(handles=handles, loc="lower left", fontsize=7)
        phase = "Adam" if s.phase == "adam" else "L-BFGS"
        self._loss_axes.set_title(f"loss terms, step {steps[-1]} ({phase})")
        err = s.error
        if s.x.shape[1] == 1:
            x = s.x[:, 0]
            self._exact.set_data(x, s.exact)
            self._u.set_data(x, s.u)
            self._pts.set_data(s.points[:, 0], np.full(len(s.points), -0.08))
            self._err1.set_data(x, np.maximum(err, 1e-16))
            pos = err[err > 0]
            if pos.size:
                self._err_axes.set_ylim(pos.min() / 3 if pos.min() > 0 else 1e-16, pos.max() * 3)
        else:
            k = int(round(np.sqrt(len(s.x))))
            self._im.set_data(s.u.reshape(k, k))
            self._im.set_clim(min(0.0, s.u.min()), max(1.0, s.u.max()))
            self._pts2.set_data(s.points[:, 0], s.points[:, 1])
            b = s.boundary
            self._bnd2.set_data(b[:, 0] if b.size else [], b[:, 1] if b.size else [])
            e2 = np.maximum(err.reshape(k, k), 1e-12)
            self._eim.set_data(e2)
            self._eim.set_norm(LogNorm(max(e2.min(), e2.max() * 1e-4), max(e2.max(), 1e-11)))
        self._sol_axes.set_title(f"solution; relative $L^2$ error {s.final_rel_l2:.2e}")
        self._err_axes.set_title("pointwise error $|u_\\theta - u|$")
        state = "done" if s.done else "training"
        cached = " (from the cache)" if self.state.from_cache else ""
        self.info.value = (
            f"{state}{cached}: {s.n_params} weights, {s.seconds:.1f} s; "
            f"relative L2 error {s.final_rel_l2:.2e}"
        )


class RitzPanel(PINNPanel):
    """The Deep Ritz method on the same problems, drawn like the PINN."""

    state_class = RitzState
    heading = r"Deep Ritz: minimise the energy $E(v) = \int \frac12 |\nabla v|^2 - f v$"


@computed_once
def ritz_default_errors(problem: str = "interval") -> dict:
    """:func:`course.pdes.ritz.ritz_default_errors` (the errors the lecture prints after the Ritz
    panel: two default trainings of some seconds each), computed once for the whole class."""
    from course.pdes.ritz import ritz_default_errors as errors

    return errors(problem)
