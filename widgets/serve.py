"""Serve the lectures as Voila dashboards with the course's settings.

``python -m widgets.serve [NOTEBOOK_OR_FOLDER] [--port P]`` starts Voila on 127.0.0.1 with idle
kernel culling on (Voila gives every page view its own kernel and culls none by default) and
without the JupyterLab extensions that are not meant for dashboards (nbgrader's and notebook's
front-end plug-ins fail to load in Voila and only add console errors).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["voila_command", "kernel_environment", "launch", "free_port", "CHROMIUM_ARGS", "main"]

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
#: seconds a kernel may sit idle (no page open, no execution) before Voila shuts it down
CULL_IDLE_S = 600
DENY_EXTENSIONS = ["@jupyter/nbgrader", "@jupyter-notebook/lab-extension"]


def voila_command(
    target: Path | str = LECTURES,
    *,
    port: int = 8866,
    ip: str = "127.0.0.1",
    open_browser: bool = False,
    cull_idle_s: int = CULL_IDLE_S,
    preheat: int = 0,
) -> list[str]:
    """The command line that serves ``target`` (a notebook, or a folder to browse).

    ``preheat > 0`` keeps that many kernels per notebook executed in advance (Voila's pre-heated
    kernel pool): a page then opens as fast as the browser draws it, at the cost of memory for
    the waiting kernels (about 200-400 MB each). Meant for serving a lecture to a class.
    """
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(target),
        f"--port={port}",
        f"--Voila.ip={ip}",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_s}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
        "--VoilaConfiguration.extension_denylist=" + repr(DENY_EXTENSIONS).replace("'", '"'),
        "--VoilaConfiguration.show_tracebacks=False",
    ]
    if preheat > 0:
        cmd += ["--preheat_kernel=True", f"--pool_size={preheat}"]
    if not open_browser:
        cmd.append("--no-browser")
    return cmd


def kernel_environment(env=None) -> dict:
    """The environment for Voila and its kernels: one BLAS/OpenMP thread per kernel.

    Every page view is a kernel, and each panel already computes on its own worker thread; BLAS
    pools of several threads per kernel then fight over the cores (measured here: a double-descent
    sweep took 14-23 s with two BLAS threads under contention, 1.5 s with one). A value the user
    set wins.
    """
    env = dict(os.environ if env is None else env)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    return env


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(target, *, port: int, preheat: int = 0, timeout: float = 60.0, **popen_kwargs):
    """Start Voila on ``target`` in the background; return the process once the port answers."""
    proc = subprocess.Popen(
        voila_command(target, port=port, preheat=preheat), env=kernel_environment(), **popen_kwargs
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


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
    args = parser.parse_args(argv)
    cmd = voila_command(
        args.target, port=args.port, open_browser=not args.no_browser, preheat=args.preheat
    )
    os.execve(cmd[0], cmd, kernel_environment())


if __name__ == "__main__":
    main()
