"""``python -m widgets.warm [--with-parent] [LECTURE_NUMBER ...]`` (``./mathdl warm``): fill the
server's shared result store before class, with every panel of every lecture (or of the lectures
named) at its default parameters (see :func:`widgets.cache.warm`).

``--with-parent``: end when the process that started this one ends (``./mathdl course`` starts
a warm in the background beside its server; it stops with the server).
"""

from __future__ import annotations

import os
import sys
import threading
import time

from widgets.cache import warm


def _end_with_parent(interval_s: float = 1.0) -> None:
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(interval_s)
        os._exit(0)  # the server has gone: nothing to warm for

    threading.Thread(target=watch, name="mathdl-warm-parent", daemon=True).start()


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--with-parent" in args:
        args.remove("--with-parent")
        _end_with_parent()
    warm([int(a) for a in args] or None)
