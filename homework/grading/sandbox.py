"""The sandbox a student's kernel runs in while it is graded.

With Debian's bubblewrap (``bwrap``), the kernel gets its own user, PID, network, IPC and UTS
namespaces (no network at all, no other process visible), a new session (no terminal
injection), all capabilities dropped, uid 65534, and a file system made of read-only system
directories, the Python installation, the ``course`` and ``widgets`` packages, a private
``/tmp``, and one writable scratch copy of the student's own submission as its working
directory. The course root (gradebook, ``source/``, other students' folders) and the repository
(``homework/source`` with the solutions) are not mounted. Resource limits (CPU seconds, address
space, file size, open files) are set before bwrap starts and inherited by everything inside.

Without bwrap (or where user namespaces are disabled) and as root, the kernel runs as the
unprivileged user ``nobody`` in the scratch copy with the same resource limits; the course root
must then not be readable by others (``./mathdl grade setup`` makes it 0700), and there is no
network isolation. :func:`probe` says which mode is in force.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["Limits", "Sandbox", "probe"]

NOBODY = 65534
HOME = "/home/student"
_SYSTEM = ("/usr", "/etc/alternatives", "/etc/ssl", "/etc/fonts", "/etc/ld.so.cache")


@dataclass(frozen=True)
class Limits:
    """Resource limits of one graded kernel (seconds of CPU, megabytes)."""

    cpu_s: int = 600
    memory_mb: int = 8192
    file_mb: int = 256
    open_files: int = 256


def _python_roots() -> list[str]:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sysconfig.get_paths()["purelib"]}
    real = Path(sys.executable).resolve()
    roots.add(str(real.parent.parent))
    return sorted(r for r in roots if r and os.path.isdir(r))


def _course_packages() -> list[str]:
    """Folders of the importable ``course`` and ``widgets`` packages (bound read-only)."""
    import course
    import widgets

    return [str(Path(m.__file__).resolve().parent) for m in (course, widgets)]


@cache
def nobody_can_run_python() -> bool:
    """Whether user ``nobody`` can start this Python (not if it lives in root's home)."""
    if os.geteuid() != 0:
        return False
    cmd = [sys.executable, "-m", "homework.grading.limits", "60", "4096", "16", "64"]
    cmd += ["--user", str(NOBODY), "--", sys.executable, "-c", "import numpy"]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    done = subprocess.run(cmd, capture_output=True, timeout=120, cwd="/", env=env)
    return done.returncode == 0


@cache
def probe() -> str:
    """``"bwrap"`` if bubblewrap runs here, else ``"nobody"`` (as root, if that user can run
    this Python), else ``"unavailable"``: the grader then refuses to run student code unless
    told ``--sandbox none``."""
    bwrap = shutil.which("bwrap")
    if bwrap:
        cmd = [bwrap, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true"]
        if subprocess.run(cmd, capture_output=True, timeout=30).returncode == 0:
            return "bwrap"
    return "nobody" if nobody_can_run_python() else "unavailable"


def _set_limits(limits: Limits) -> None:
    mb = 2**20
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 5))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb * mb,) * 2)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_mb * mb,) * 2)
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files,) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@dataclass(frozen=True)
class Sandbox:
    """How to run one kernel: ``scratch`` is its working directory (writable), ``runtime`` the
    folder of its connection file and IPC sockets."""

    scratch: Path
    runtime: Path
    limits: Limits = Limits()
    mode: str = "bwrap"

    def env(self) -> dict[str, str]:
        pythonpath = os.pathsep.join(str(Path(p).parent) for p in _course_packages())
        return {
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "HOME": HOME if self.mode == "bwrap" else str(self.scratch),
            "PYTHONPATH": pythonpath,
            "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "LANG": "C.UTF-8",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }

    def wrap(self, cmd: list[str]) -> list[str]:
        """The command that runs ``cmd`` (a kernel's argv) inside this sandbox."""
        limits = [
            sys.executable,
            "-m",
            "homework.grading.limits",
            str(self.limits.cpu_s),
            str(self.limits.memory_mb),
            str(self.limits.file_mb),
            str(self.limits.open_files),
        ]
        if self.mode == "nobody":  # a clean environment: no PYTHONPATH to the repository
            env = [f"{k}={v}" for k, v in self.env().items()]
            return [*limits, "--user", str(NOBODY), "--", "env", "-i", *env, *cmd]
        if self.mode == "none":
            return [*limits, "--", *cmd]
        args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
        args += ["--uid", str(NOBODY), "--gid", str(NOBODY), "--hostname", "sandbox"]
        args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/home"]
        for d in ("/usr", "/lib", "/lib64", "/bin", "/sbin"):
            if os.path.islink(d):
                args += ["--symlink", os.readlink(d), d]
            elif os.path.isdir(d):
                args += ["--ro-bind", d, d]
        for d in _SYSTEM[1:]:
            if os.path.exists(d):
                args += ["--ro-bind", d, d]
        for d in _python_roots() + _course_packages():
            args += ["--ro-bind", d, d]
        args += ["--bind", str(self.scratch), HOME, "--bind", str(self.runtime), str(self.runtime)]
        args += ["--chdir", HOME, "--clearenv"]
        for k, v in self.env().items():
            args += ["--setenv", k, v]
        return [*limits, "--", *args, *cmd]

    def prepare(self) -> None:
        """Make the scratch and runtime folders usable by the sandbox's user."""
        for d in (self.scratch, self.runtime):
            d.mkdir(parents=True, exist_ok=True)
            if self.mode == "nobody" and os.geteuid() == 0:
                for p in [d, *d.rglob("*")]:
                    os.chown(p, NOBODY, NOBODY, follow_symlinks=False)
