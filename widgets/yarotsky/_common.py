"""Lecture 03: what the panels share."""

from __future__ import annotations

S_MAX = 12  # sawtooth: 2^12 = 4096 pieces
