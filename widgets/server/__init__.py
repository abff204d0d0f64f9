"""The course's server: Voila with kernels that end and a server no client can hang.

``python -m widgets.server [NOTEBOOK_OR_FOLDER] [OPTIONS]`` (what ``./mathdl course`` and
``python -m widgets.serve`` run). See :mod:`widgets.server.app` for the options,
:mod:`widgets.server.kernels` for how kernels end and :mod:`widgets.server.handlers` for the
websocket, page and landing handlers.
"""

from .app import DEFAULTS, CourseVoila, main
from .handlers import V1_PROTOCOL, read_v1_header
from .kernels import CourseKernelManager

__all__ = [
    "CourseVoila",
    "CourseKernelManager",
    "DEFAULTS",
    "V1_PROTOCOL",
    "read_v1_header",
    "main",
]
