"""Shared widget package of the course: one live-update mechanism, one module per lecture.

``widgets.live`` and ``widgets.params`` import no ipywidgets (states work headless);
``widgets.panel`` is the ipywidgets view every lecture panel derives from. Each lecture's
subpackage ``widgets.<theme>`` holds its states and panels; the states compute through
``course.<theme>`` and work without a browser.

Importing ``widgets`` limits BLAS to one thread in this process (see :mod:`course.threads`):
panels already compute in parallel, one worker thread each.
"""

from course.threads import single_threaded_numerics

from . import cache as _cache
from .live import LiveState, Progress, Runner
from .params import Choice, Flag, FloatRange, IntRange, InvalidValue, Text, param

single_threaded_numerics()
_cache.install()  # the server's shared result store, when MATHDL_CACHE_DIR names one

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
