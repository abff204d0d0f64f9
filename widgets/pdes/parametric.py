"""Lecture 08, panel 6: the parametric map y -> u_y^h, FEM against the shipped network."""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass

import ipywidgets as W
import numpy as np
from matplotlib.ticker import NullFormatter

from course.pdes.parametric import (
    ParametricSolver,
    load_parametric,
    make_data,
    relative_errors,
    weights_dir,
)

from ..cache import computed_once
from ..figures import new_figure
from ..live import LiveState
from ..panel import LivePanel
from ..params import Choice, IntRange, param
from ._common import image_limits

__all__ = ["ParametricState", "ParametricPanel", "test_errors"]

_PIXELS = 129


@functools.lru_cache(maxsize=1)
def _models():
    return load_parametric()


@functools.lru_cache(maxsize=16)
def _solver(name: str) -> ParametricSolver:
    m = _models()[name]
    return ParametricSolver(m.family, m.p, m.n)


@functools.lru_cache(maxsize=1)
@computed_once
def test_errors(m: int = 40, seed: int = 999) -> dict:
    """Mean and max relative L2 test error of every shipped network on ``m`` fresh parameters
    (computed once for the class, kept once per kernel)."""
    out = {}
    for name, model in _models().items():
        data = make_data(model.family, model.p, m, n=model.n, seed=seed)
        e = relative_errors(model.predict(data.y), data.u, _solver(name).mass)
        out[name] = (model.family, model.p, float(e.mean()), float(e.max()))
    return out


@dataclass(frozen=True, eq=False)
class ParametricResult:
    name: str
    family: str
    p: int
    y: np.ndarray
    coefficient: np.ndarray
    fem: np.ndarray  # nodal grid
    net: np.ndarray
    error: float
    fem_ms: float
    net_ms: float
    table: dict


def _choices() -> dict:
    """The shipped networks' labels, read from their descriptions (not their weights), in the
    order of :func:`course.pdes.parametric.load_parametric`."""
    metas = [json.loads(f.with_suffix(".json").read_text()) for f in weights_dir().glob("*_p*.npz")]
    metas.sort(key=lambda m: (m["family"], m["p"]))
    return {f"{m['family']}_p{m['p']}": f"{m['family']}, p = {m['p']}" for m in metas}


class ParametricState(LiveState):
    """A shipped network and a parameter sample drawn from its family's box."""

    network = param(Choice(default="trigonometric_p8", options=_choices(), label="network"))
    sample = param(IntRange(default=0, min=0, max=99, label="sample $y$"))

    cache_shared = True  # the same for everyone: the page's first view is read from the store

    def compute(self, network, sample):
        model = _models()[network]
        solver = _solver(network)
        y = model.family_obj.sample(model.p, 100, seed=31)[sample]
        t0 = time.perf_counter()
        u = solver.solve(y)
        t1 = time.perf_counter()
        phi = model.predict(y)
        t2 = time.perf_counter()
        t = np.linspace(0, 1, _PIXELS)
        X1, X2 = np.meshgrid(t, t)
        a = model.family_obj(y, X1, X2)
        err = float(relative_errors(phi[None], u[None], solver.mass)[0])
        grid = solver.mesh.grid
        return ParametricResult(
            network,
            model.family,
            model.p,
            y,
            a,
            grid(solver.full(u)),
            grid(solver.full(phi)),
            err,
            1e3 * (t1 - t0),
            1e3 * (t2 - t1),
            test_errors(),
        )


class ParametricPanel(LivePanel):
    """a_y, the FEM solution, the network's, their difference; the test error against p."""

    def __init__(self, **values):
        super().__init__(
            ParametricState(compute_now=False, **values),
            title="A network for the parametric map $y \\mapsto u_y^h$ (Geist et al. 2021)",
        )
        fig, axes = new_figure(1180, 300, ncols=4)
        self._ims = []
        labels = ("$a_y$", "$u_y^h$ (FEM)", r"$\Phi(y)$ (network)", r"$\Phi(y) - u_y^h$")
        cmaps = ("cividis", "viridis", "viridis", "RdBu_r")
        for ax, label, cmap in zip(axes, labels, cmaps):
            im = ax.imshow(np.zeros((2, 2)), extent=(0, 1, 0, 1), origin="lower", cmap=cmap)
            fig.colorbar(im, ax=ax, shrink=0.8)
            ax.set(title=label, xlabel="$x_1$")
            ax.grid(False)
            self._ims.append(im)
        axes[0].set_ylabel("$x_2$")
        efig, eax = new_figure(520, 300)
        (self._trig_mean,) = eax.semilogy([], [], "o-", color="C0", label="trigonometric, mean")
        (self._trig_max,) = eax.semilogy([], [], "o--", color="C0", alpha=0.5, label="max")
        self._others = {}
        for k, fam in enumerate(("chessboard", "cookies", "polynomial")):
            (self._others[fam],) = eax.semilogy([], [], "s", color=f"C{k + 1}", label=fam)
        (self._current,) = eax.semilogy(
            [], [], "o", ms=14, mfc="none", color="k", label="this network"
        )
        eax.set(
            xlabel="parameter dimension $p$",
            ylabel=r"relative $L^2$ test error",
            xscale="log",
            xlim=(1.5, 24),
            ylim=(1e-4, 1),
        )
        eax.set_xticks([2, 4, 8, 16], ["2", "4", "8", "16"])
        eax.xaxis.set_minor_formatter(NullFormatter())  # no 3e0, 6e0, 2e1 over the p labels
        eax.legend(fontsize=7, loc="upper left", ncol=2)
        self.figures = {"sample": fig, "error": efig}
        self.assemble(W.VBox([fig.canvas, efig.canvas]))
        self.start()

    def render(self, r: ParametricResult):
        a_im, u_im, p_im, e_im = self._ims
        a_im.set_data(r.coefficient)
        a_im.set_clim(*image_limits(r.coefficient))
        lim = image_limits(r.fem, r.net)
        for im, data in ((u_im, r.fem), (p_im, r.net)):
            im.set_data(data)
            im.set_clim(*lim)
        diff = r.net - r.fem
        e_im.set_data(diff)
        e_im.set_clim(*image_limits(diff, symmetric=True))
        fig = self.figures["sample"]
        fig.axes[0].set_title(f"$a_y$, {r.family}, p = {r.p}")
        fig.axes[1].set_title(f"$u_y^h$ (FEM, {r.fem_ms:.2f} ms)")
        fig.axes[2].set_title(rf"$\Phi(y)$ (network, {r.net_ms:.3f} ms)")
        fig.axes[3].set_title(f"difference: {100 * r.error:.2f}% rel. $L^2$")
        rows = sorted(r.table.values(), key=lambda v: (v[0], v[1]))
        trig = [v for v in rows if v[0] == "trigonometric"]
        self._trig_mean.set_data([v[1] for v in trig], [v[2] for v in trig])
        self._trig_max.set_data([v[1] for v in trig], [v[3] for v in trig])
        for fam, line in self._others.items():
            pts = [v for v in rows if v[0] == fam]
            line.set_data([v[1] for v in pts], [v[2] for v in pts])
        here = r.table[r.name]
        self._current.set_data([here[1]], [here[2]])
