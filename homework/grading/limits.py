"""Set resource limits (and optionally drop to a user), then exec a command.

``python -m homework.grading.limits CPU_S MEMORY_MB FILE_MB OPEN_FILES [--user UID] -- CMD...``
is how the grader starts a sandboxed kernel: the limits are inherited by bwrap and by every
process of the kernel.
"""

from __future__ import annotations

import os
import sys

from .sandbox import Limits, _set_limits


def main(argv: list[str]) -> None:
    sep = argv.index("--")
    head, cmd = argv[:sep], argv[sep + 1 :]
    cpu, mem, fsize, nofile = (int(v) for v in head[:4])
    _set_limits(Limits(cpu_s=cpu, memory_mb=mem, file_mb=fsize, open_files=nofile))
    if "--user" in head:
        uid = int(head[head.index("--user") + 1])
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
