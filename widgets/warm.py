"""``python -m widgets.warm [--with-parent] [LECTURE_NUMBER ...]`` (``./mathdl warm``): fill the
server's shared result store before class, with every panel of every lecture (or of the lectures
named) at its default parameters (see :func:`widgets.cache.warm`).

``--with-parent``: end when the process that started this one ends (``./mathdl course`` starts
a warm in the background beside its server; it stops with the server).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from widgets.cache import ENV, warm

__all__ = ["in_background"]

ROOT = Path(__file__).resolve().parents[1]


def in_background(directory) -> subprocess.Popen | None:
    """Fill the store in ``directory`` in a background process at the lowest priority (nice 19)
    that ends with the calling process, also after that one has exec'd into a server; output in
    ``$TMPDIR/mathdl-warm.log``. On a warm store it only reads. ``MATHDL_NO_WARM=1``: nothing."""
    if os.environ.get("MATHDL_NO_WARM"):
        return None
    log = open(Path(tempfile.gettempdir()) / "mathdl-warm.log", "w")  # noqa: SIM115
    with log:
        return subprocess.Popen(
            ["nice", "-n", "19", sys.executable, "-m", "widgets.warm", "--with-parent"],
            env={**os.environ, ENV: str(directory)},
            cwd=str(ROOT),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


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
