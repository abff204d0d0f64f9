"""Lecture 01: what the panels share (the activation choice, the plane grids)."""

from __future__ import annotations

import numpy as np

from course.activations import ACTIVATIONS

ACTIVATION_CHOICE = {name: name.replace("_", " ") for name in ACTIVATIONS if name != "identity"}
#: the widths a width control offers: about evenly spaced on a log scale, so that 2..16 get as
#: much of the slider as 16..256 (a linear 1..256 slider put 2..16 in its leftmost 6%)
WIDTHS = (1, 2, 3, 4, 5, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256)
_GRID = 101  # points per axis of the plane grids: fine enough to see kinks, fast to draw
_BOX = 2.0  # the neuron explorer shows [-2, 2]^2


def _grid(n, lo, hi):
    t = np.linspace(lo, hi, n)
    xx, yy = np.meshgrid(t, t)  # rows index x2, columns x1: image (row, col) = (x2, x1)
    return t, np.c_[xx.ravel(), yy.ravel()]
