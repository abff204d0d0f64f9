"""Lecture 07: what the panels share (choices, the drawing, map plotting, one torch thread)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course.relevance.explain import METHODS
from course.relevance.models import MODELS
from course.threads import single_threaded_numerics

from ..params import InvalidValue, Text

# torch is imported by now: one intra-op thread, set here on the importing (main) thread, once;
# nothing changes it later, under a running job
single_threaded_numerics()

N_TEST = 540
METHOD_CHOICE = {name: m.label for name, m in METHODS.items()}
MODEL_CHOICE = {name: name.upper() for name in MODELS}
TARGET_CHOICE = {-1: "predicted", **{c: str(c) for c in range(10)}}
CONTRAST_CHOICE = {-2: "runner-up", -1: "none", **{c: str(c) for c in range(10)}}
SOURCE_CHOICE = {"test": "test digit", "drawing": "my drawing"}
LEVELS = (0.0, 0.5, 1.0)  # grey levels of a drawn pixel; a click cycles through them


@dataclass(frozen=True)
class Drawing(Text):
    """A drawn 8x8 image as 64 characters '0', '1', '2' (grey levels 0, 1/2, 1), row by row."""

    default: str = "0" * 64
    max_length: int = 64

    def describe(self) -> str:
        return "64 characters from '012' (the drawn pixels, row by row)"

    def validate(self, name, value):
        if not isinstance(value, str) or len(value) != 64 or set(value) - set("012"):
            raise InvalidValue(f"{name} must be {self.describe()}; got {value!r:.40}")
        return value


def drawing_to_image(code: str) -> np.ndarray:
    """The image ``(8, 8)`` of a drawing code."""
    return np.array([LEVELS[int(ch)] for ch in code], dtype=np.float64).reshape(8, 8)


def image_to_drawing(image) -> str:
    """The nearest drawing code of an image with values in [0, 1]."""
    levels = np.rint(np.clip(np.asarray(image, dtype=float), 0, 1) * 2).astype(int)
    return "".join(str(v) for v in levels.ravel())


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


def _symmetric(im, values):
    m = float(np.max(np.abs(values))) if np.size(values) else 0.0
    m = m if m > 0 else 1.0
    im.set_data(values)
    im.set_clim(-m, m)


def _map_axes(ax, title):
    im = ax.imshow(np.zeros((8, 8)), cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
    ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    return im


def _digit_axes(ax, title="input"):
    im = ax.imshow(np.zeros((8, 8)), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    return im


_COLOURS = {
    "random": "black",
    **{n: f"C{i}" for i, n in enumerate(METHODS)},
}  # one colour per method in every curve plot
