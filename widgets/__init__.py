"""Shared widget package of the course: one live-update mechanism, one module per lecture.

``widgets.live`` and ``widgets.params`` import no ipywidgets (states work headless);
``widgets.panel`` is the ipywidgets view every lecture panel derives from.
"""

from .live import LiveState, Progress, Runner
from .params import Choice, Flag, FloatRange, IntRange, InvalidValue, Text, param

__all__ = [
    "LiveState",
    "Progress",
    "Runner",
    "Choice",
    "Flag",
    "FloatRange",
    "IntRange",
    "InvalidValue",
    "Text",
    "param",
]
