r"""Metrics and the comparison of FBP, TV, l1-shearlet, post-processing and Learn the Invisible.

Metrics (against the rasterised phantom, over the field of view):
relative :math:`\ell^2` error :math:`\|u - f\|_2 / \|f\|_2`, PSNR
:math:`10\log_{10}(\max f - \min f)^2 / \mathrm{MSE}` and SSIM (scikit-image's
``peak_signal_noise_ratio`` and ``structural_similarity`` with ``data_range`` that of the truth).

:func:`error_table` runs every method on held-out phantoms (seeds from
``Setup.heldout_first``, never used in training) at each missing wedge; ``python -m
course.tomography.train`` writes it to ``weights/table.json`` and :func:`load_error_table` reads
it back for the lecture and the README.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from course.progress import Progress

from .experiment import (
    METHODS,
    SETUP,
    TV_ALPHA,
    TV_ITERATIONS,
    Scores,
    Setup,
    format_table,
    load_error_table,
)
from .ltI import LearnTheInvisible, PostProcessing, fbp_of, field_of_view, measure
from .ltI import step1 as _step1
from .phantoms import random_ellipses
from .solvers import reconstruct

__all__ = [
    "Scores",
    "scores",
    "METHODS",
    "TV_ALPHA",
    "reconstruct_all",
    "error_table",
    "load_error_table",
    "format_table",
]


def scores(image, truth) -> Scores:
    """The three metrics of ``image`` against ``truth`` over the field of view."""
    u, f = np.asarray(image, dtype=np.float64), np.asarray(truth, dtype=np.float64)
    fov = field_of_view(f.shape[0])
    u = np.where(fov, u, 0.0)
    data_range = float(f.max() - f.min())
    return Scores(
        float(np.linalg.norm(u - f) / np.linalg.norm(f)),
        float(peak_signal_noise_ratio(f, u, data_range=data_range)),
        float(structural_similarity(f, u, data_range=data_range)),
    )


def reconstruct_all(m, *, setup: Setup = SETUP, ltI=None, post=None, f_star=None) -> dict:
    """``{method: image}`` for one measurement (networks loaded when not given)."""
    ltI = LearnTheInvisible(setup=setup) if ltI is None else ltI
    post = PostProcessing(setup=setup) if post is None else post
    f_fbp = fbp_of(m, setup=setup)
    f_star = _step1(m.sinogram, m.angles, setup=setup) if f_star is None else f_star
    f_tv = reconstruct(
        m.sinogram, m.angles, regulariser="tv", alpha=TV_ALPHA, iterations=TV_ITERATIONS, n=setup.n
    ).image
    return {
        "fbp": f_fbp,
        "tv": f_tv,
        "shearlet": f_star,
        "postprocessing": post(f_fbp),
        "ltI": ltI(f_star, m.missing_deg),
    }


def error_table(n_phantoms: int = 10, *, setup: Setup = SETUP, ltI=None, post=None):
    """A generator job: mean scores per wedge and method on held-out phantoms.

    Returns ``{"setup": ..., "n_phantoms": ..., "rows": [{"missing_deg", "method", "rel_l2",
    "psnr", "ssim"}]}``.
    """
    ltI = LearnTheInvisible(setup=setup) if ltI is None else ltI
    post = PostProcessing(setup=setup) if post is None else post
    rows = []
    total = len(setup.wedges_deg) * n_phantoms
    done = 0
    for wedge in setup.wedges_deg:
        acc = {k: [] for k in METHODS}
        for j in range(n_phantoms):
            m = measure(random_ellipses(setup.heldout_first + j), wedge, setup=setup)
            for k, img in reconstruct_all(m, setup=setup, ltI=ltI, post=post).items():
                acc[k].append(scores(img, m.truth))
            done += 1
            yield Progress(done / total, None, f"{wedge} degrees missing, phantom {j + 1}")
        for k, values in acc.items():
            rows.append(
                {
                    "missing_deg": wedge,
                    "method": k,
                    **{
                        f: float(np.mean([getattr(s, f) for s in values]))
                        for f in Scores.__dataclass_fields__
                    },
                }
            )
    return {"setup": asdict(setup), "n_phantoms": n_phantoms, "rows": rows}


README_START = "<!-- lecture 06 error table: written by python -m course.tomography.evaluation -->"
README_END = "<!-- end of lecture 06 error table -->"


def readme_block(table: dict) -> str:
    """The README's block: markers, the table, and where it comes from."""
    return (
        f"{README_START}\n{format_table(table)}\n\nMean over {table['n_phantoms']} held-out random "
        f"ellipse phantoms (seeds from {table['setup']['heldout_first']:,}, never trained on), "
        f"{table['setup']['n']} x {table['setup']['n']}, {100 * table['setup']['noise']:.0f}% "
        f"noise, data from exact line integrals.\n{README_END}"
    )


def update_readme(path, table: dict | None = None) -> bool:
    """Write the block into the README at ``path`` between its markers; True if it changed."""
    from pathlib import Path

    path = Path(path)
    text = path.read_text()
    block = readme_block(load_error_table() if table is None else table)
    start, end = text.index(README_START), text.index(README_END) + len(README_END)
    new = text[:start] + block + text[end:]
    if new != text:
        path.write_text(new)
    return new != text


if __name__ == "__main__":  # python -m course.tomography.evaluation README.md
    import sys

    print(
        "updated"
        if update_readme(sys.argv[1] if len(sys.argv) > 1 else "README.md")
        else "unchanged"
    )
