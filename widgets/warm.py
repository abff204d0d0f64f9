"""``python -m widgets.warm [LECTURE_NUMBER ...]`` (``./mathdl warm``): fill the server's shared
result store before class, with every panel of every lecture (or of the lectures named) at its
default parameters (see :func:`widgets.cache.warm`)."""

from __future__ import annotations

import sys

from widgets.cache import warm

if __name__ == "__main__":
    warm([int(a) for a in sys.argv[1:]] or None)
