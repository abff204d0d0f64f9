"""Lecture 01: what the panels share (the activation choice, the plane grids)."""

from __future__ import annotations

import numpy as np

from course.activations import ACTIVATIONS

ACTIVATION_CHOICE = {name: name.replace("_", " ") for name in ACTIVATIONS if name != "identity"}
_GRID = 101  # points per axis of the plane grids: fine enough to see kinks, fast to draw
_BOX = 2.0  # the neuron explorer shows [-2, 2]^2


def _grid(n, lo, hi):
    t = np.linspace(lo, hi, n)
    xx, yy = np.meshgrid(t, t)  # rows index x2, columns x1: image (row, col) = (x2, x1)
    return t, np.c_[xx.ravel(), yy.ravel()]
