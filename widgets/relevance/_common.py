"""Lecture 07: what the panels share (choices, the drawing, map plotting).

Nothing here imports torch: the panels show their default results from the shared store at
rest, and import torch (:mod:`._torch`) only when a computation starts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course.relevance import digits
from course.relevance.catalog import METHOD_LABELS, MODEL_LABELS

from ..params import InvalidValue, Text
from .draw import MAX_LEVEL

N_TEST = digits.N_TEST  # the test digits, for the panels' sliders
METHOD_CHOICE = dict(METHOD_LABELS)
MODEL_CHOICE = {name: name.upper() for name in MODEL_LABELS}
TARGET_CHOICE = {-1: "predicted", **{c: str(c) for c in range(10)}}
CONTRAST_CHOICE = {-2: "runner-up", -1: "none", **{c: str(c) for c in range(10)}}
SOURCE_CHOICE = {"test": "test digit", "drawing": "my drawing"}
#: The characters of a drawing code: grey level k (0..16, as in the digits data) is ``_CODE[k]``.
_CODE = "0123456789abcdefg"


@dataclass(frozen=True)
class Drawing(Text):
    """A drawn 8x8 image as 64 characters, row by row: grey level k in 0..16 is ``_CODE[k]``."""

    default: str = "0" * 64
    max_length: int = 64

    def describe(self) -> str:
        return "64 characters from '0'-'9', 'a'-'g' (grey levels 0..16, row by row)"

    def validate(self, name, value):
        if not isinstance(value, str) or len(value) != 64 or set(value) - set(_CODE):
            raise InvalidValue(f"{name} must be {self.describe()}; got {value!r:.40}")
        return value


def drawing_to_levels(code: str) -> np.ndarray:
    """The grey levels ``(8, 8)``, integers 0..16, of a drawing code."""
    return np.array([_CODE.index(ch) for ch in code], dtype=int).reshape(8, 8)


def levels_to_drawing(levels) -> str:
    """The drawing code of grey levels ``(8, 8)`` (integers 0..16)."""
    return "".join(_CODE[int(v)] for v in np.asarray(levels).ravel())


def drawing_to_image(code: str) -> np.ndarray:
    """The image ``(8, 8)``, values in [0, 1] as the network's inputs, of a drawing code."""
    return drawing_to_levels(code) / MAX_LEVEL


def image_to_drawing(image) -> str:
    """The nearest drawing code of an image with values in [0, 1] (exact for the digits data)."""
    levels = np.rint(np.clip(np.asarray(image, dtype=float), 0, 1) * MAX_LEVEL).astype(int)
    return levels_to_drawing(levels)


# ---------------------------------------------------------------------------- shared pieces
def _method_options(p: dict) -> dict:
    """The options of each method, from a panel's parameters (one dict: validates and dispatches)."""
    return {
        "gradient": {},
        "gradient_x_input": {},
        "smoothgrad": {"noise": p.get("noise", 0.15), "n_samples": p.get("sg_samples", 32)},
        "integrated_gradients": {"steps": p.get("ig_steps", 64)},
        "occlusion": {"patch": p.get("patch", 2)},
        "lrp": {
            "rule": p.get("rule", "epsilon"),
            "eps": p.get("eps", 0.1),
            "alpha": p.get("alpha", 2.0),
            "input_rule": "zB" if p.get("input_zb", True) else None,
        },
        "rde": {"lam": p.get("lam", 0.003), "iterations": p.get("rde_iterations", 150)},
    }


#: LRP's parameters that matter only for one rule.
RULE_PARAMS = {"eps": "epsilon", "alpha": "alpha_beta"}

#: Which parameters belong to which method: the panel shows only the chosen method's.
METHOD_PARAMS = {
    "gradient": (),
    "gradient_x_input": (),
    "smoothgrad": ("noise", "sg_samples"),
    "integrated_gradients": ("ig_steps",),
    "occlusion": ("patch",),
    "lrp": ("rule", "eps", "alpha", "input_zb"),
    "rde": ("lam", "rde_iterations"),
}


def _show_shared(pairs) -> float:
    """Show maps ``[(image, values), ...]`` on one symmetric colour scale (vmin = -vmax).

    The maps being compared share the scale, so equal colours are equal values; returns vmax.
    """
    m = max((float(np.max(np.abs(v))) for _, v in pairs if np.size(v)), default=0.0)
    m = m if np.isfinite(m) and m > 0 else 1.0
    for im, values in pairs:
        im.set_data(values)
        im.set_clim(-m, m)
    return m


def _colorbar(fig, im, axes, label):
    """One colour bar for the maps on ``axes`` (they share ``im``'s scale)."""
    bar = fig.colorbar(im, ax=axes, shrink=0.85, pad=0.02, aspect=15)
    bar.set_label(label, fontsize=9)
    bar.ax.tick_params(labelsize=8)
    return bar


def _map_axes(ax, title):
    im = ax.imshow(np.zeros((8, 8)), cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
    ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    return im


def _digit_axes(ax, title="input"):
    im = ax.imshow(np.zeros((8, 8)), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    im._mathdl_no_colorbar = True  # a picture of a digit in ink, as the data's images
    ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    return im


_COLOURS = {
    "random": "black",
    **{n: f"C{i}" for i, n in enumerate(METHOD_LABELS)},
}  # one colour per method in every curve plot
