"""Lecture 06's experiment, its methods and its table of errors: what a page shows at rest.

Nothing here imports torch or scikit-image (a kernel at rest shows the table and the controls;
torch is imported when a panel first reconstructs): :class:`Setup` fixes the size, the shearlet
system, the solver and the noise of the experiment (:mod:`course.tomography.ltI` uses it),
:data:`METHODS` names the compared methods, and :func:`load_error_table` reads the table that
``python -m course.tomography.train`` wrote (:mod:`course.tomography.evaluation` computes it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Setup",
    "SETUP",
    "WEIGHTS",
    "METHODS",
    "TV_ALPHA",
    "TV_ITERATIONS",
    "Scores",
    "load_error_table",
    "format_table",
]

#: The folder of the shipped weights and the table (reproduced by ``course.tomography.train``).
WEIGHTS = Path(__file__).resolve().parent / "weights"


@dataclass(frozen=True)
class Setup:
    """The experiment: image side, shearlet scales, step-1 solver, noise, wedges, seeds."""

    n: int = 128
    scales: int = 2
    alpha: float = 1e-4
    iterations: int = 60
    noise: float = 0.01
    wedges_deg: tuple = (30, 60, 90)
    train_seeds: tuple = (0, 100_000)  # range of phantom seeds training may use
    heldout_first: int = 1_000_000  # held-out phantoms: seeds from here on, never trained on


SETUP = Setup()

#: TV's regularisation parameter and iterations in the comparison.
TV_ALPHA = 3e-3
TV_ITERATIONS = 100

#: The methods of the comparison, in the lecture's order, with their labels.
METHODS = {
    "fbp": "FBP",
    "tv": "TV",
    "shearlet": "l1-shearlet",
    "postprocessing": "post-processing (U-Net on FBP)",
    "ltI": "Learn the Invisible",
}


@dataclass(frozen=True)
class Scores:
    """Relative l2 error, PSNR (dB) and SSIM of one reconstruction
    (:func:`course.tomography.evaluation.scores` computes them)."""

    rel_l2: float
    psnr: float
    ssim: float


def load_error_table(folder=WEIGHTS) -> dict:
    """The table written by the training script (``weights/table.json``)."""
    path = folder / "table.json"
    if not path.is_file():
        raise ValueError(f"no error table at {path}; run python -m course.tomography.train")
    return json.loads(path.read_text())


def format_table(table: dict) -> str:
    """The table as Markdown: one row per method, relative error / PSNR / SSIM per wedge."""
    wedges = sorted({r["missing_deg"] for r in table["rows"]})
    head = "| method | " + " | ".join(f"{w}° missing: rel. error / PSNR / SSIM" for w in wedges)
    lines = [head + " |", "|---|" + "---|" * len(wedges)]
    for k, label in METHODS.items():
        cells = []
        for w in wedges:
            r = next(r for r in table["rows"] if r["method"] == k and r["missing_deg"] == w)
            cells.append(f"{r['rel_l2']:.3f} / {r['psnr']:.1f} dB / {r['ssim']:.3f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
