"""Serve the lectures as Voila dashboards with the course's settings.

``python -m widgets.serve [NOTEBOOK_OR_FOLDER] [--port P] [--preheat N] [any Voila option]``
starts the course's server (:mod:`widgets.server`: Voila with kernels that end when their page
closes, a kernel ceiling, a kernel websocket no client can hang, a landing page) on 127.0.0.1.
Every Voila and jupyter_server option passes through, e.g.
``--MappingKernelManager.cull_idle_timeout=20`` or ``--max-kernels=40``.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from .cache import ENV as CACHE_ENV
from .cache import default_directory

__all__ = [
    "voila_command",
    "kernel_environment",
    "launch",
    "stop",
    "Served",
    "free_port",
    "CHROMIUM_ARGS",
    "main",
]

#: How the tests and benchmarks start Debian's chromium headless on this closed network (without
#: the background-networking flags it tries, and fails, to reach update and sync services).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

LECTURES = Path(__file__).resolve().parents[1] / "lectures"
#: seconds a kernel may sit idle before the idle culler (a safety net) shuts it down
CULL_IDLE_S = 600


def voila_command(
    target: Path | str = LECTURES,
    *,
    port: int = 8866,
    ip: str = "127.0.0.1",
    open_browser: bool = False,
    cull_idle_s: int = CULL_IDLE_S,
    preheat: int = 0,
    extra=(),
) -> list[str]:
    """The command line that serves ``target`` (a notebook, or a folder with the landing page).

    ``preheat > 0`` keeps that many kernels per notebook executed in advance (Voila's pre-heated
    kernel pool): a page then opens as fast as the browser draws it, at the cost of memory for
    the waiting kernels. ``extra`` are further options (``--grace=5``, ``--max-kernels=40``, any
    ``--Class.trait=value`` of Voila or jupyter_server), passed on unchanged.
    """
    cmd = [
        sys.executable,
        "-m",
        "widgets.server",
        str(target),
        f"--port={port}",
    ]
    # the defaults live in widgets.server.DEFAULTS; an option given twice is an error
    if ip != "127.0.0.1":
        cmd.append(f"--Voila.ip={ip}")
    if cull_idle_s != CULL_IDLE_S:
        cmd.append(f"--MappingKernelManager.cull_idle_timeout={cull_idle_s}")
    if preheat > 0:
        cmd.append(f"--preheat={preheat}")
    cmd.append(f"--Voila.open_browser={open_browser}")
    return cmd + list(extra)


def kernel_environment(env=None) -> dict:
    """The environment for Voila and its kernels: one BLAS/OpenMP thread per kernel, and the
    shared result store (:mod:`widgets.cache`).

    Every page view is a kernel, and each panel already computes on its own worker thread; BLAS
    pools of several threads per kernel then fight over the cores (measured here: a double-descent
    sweep took 14-23 s with two BLAS threads under contention, 1.5 s with one). A value the user
    set wins.

    glibc gives every thread that allocates its own heap ("arena"), and each keeps what its jobs
    freed; a kernel's panel threads then hold several partly empty heaps. Two arenas per kernel
    (``MALLOC_ARENA_MAX=2``, read by glibc when the kernel starts) measured: lecture 02 at rest
    200 -> 167 MB, lecture 06 210 -> 188 MB, the same page times.
    """
    env = dict(os.environ if env is None else env)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    env.setdefault("MALLOC_ARENA_MAX", "2")
    # results that are the same for every student are computed once, in a store all kernels
    # share (widgets.cache; ./mathdl warm fills it); MATHDL_CACHE_DIR= (empty) turns it off
    env.setdefault(CACHE_ENV, str(default_directory()))
    return env


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(target, *, port: int, preheat: int = 0, extra=(), timeout: float = 60.0, **popen_kwargs):
    """Start the server on ``target`` in the background; return the process once it answers."""
    proc = subprocess.Popen(
        voila_command(target, port=port, preheat=preheat, extra=extra),
        env=kernel_environment(),
        **popen_kwargs,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError(f"voila did not answer on port {port} within {timeout} s")


def stop(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """End a server started by :func:`launch`: SIGTERM, then SIGKILL after ``timeout`` s."""
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Served:
    """The course's server on ``target`` in the background, for tests and benchmarks.

    ``url`` and ``port`` say where it answers; its output goes to ``log_path``; :meth:`stop`
    (or leaving the ``with`` block) ends it. ``options`` are passed on as by :func:`launch`.
    """

    def __init__(
        self,
        target,
        *options: str,
        log_path: Path,
        preheat: int = 0,
        cwd=None,
        timeout: float = 180.0,
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = Path(log_path)
        self.log = open(self.log_path, "w")
        try:
            self.proc = launch(
                target,
                port=self.port,
                preheat=preheat,
                extra=options,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                cwd=None if cwd is None else str(cwd),
                timeout=timeout,
            )
        except BaseException:
            self.log.close()
            raise

    def stop(self) -> None:
        stop(self.proc)
        self.log.close()

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Any other option is passed to the server (Voila and jupyter_server options).",
    )
    parser.add_argument("target", nargs="?", default=str(LECTURES))
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument(
        "--preheat",
        type=int,
        default=0,
        metavar="N",
        help="keep N kernels per notebook executed in advance (class use)",
    )
    args, extra = parser.parse_known_args(argv)
    cmd = voila_command(
        args.target,
        port=args.port,
        open_browser=not args.no_browser,
        preheat=args.preheat,
        extra=extra,
    )
    env = kernel_environment()
    from .warm import in_background

    in_background(env[CACHE_ENV])  # the server's store, filled while it serves
    os.execve(cmd[0], cmd, env)


if __name__ == "__main__":
    main()
