"""A class through the shipped one-machine JupyterHub: 1, 5 and 10 students logging in at once.

For each class size, a fresh hub (``deploy/jupyterhub_config.py`` on 127.0.0.1, the real proxy,
the test authenticator) and one headless Chromium with one browser context per student: every
student logs in at the same moment, is sent to their server, opens lecture 01's dashboard and
moves a slider (tests/hub/students.py). Measured per student: seconds from submitting the login
form until the hub reports their server ready (spawn), and until the dashboard is interactive
(every panel up to date, canvases drawn and still); and the memory of each student's server
with its kernels (resident set of the process tree: the server, the landing page's kernel and
lecture 01's kernel). Target (issue 16): every one of 10 students interactive within 10 s.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

import psutil

from benchmarks.harness import summary, write_results
from tests.hub.students import Hub, run_students

ROOT = Path(__file__).resolve().parents[1]
SIZES = (1, 5, 10)


def _tree_mb(pid: int) -> float:
    proc = psutil.Process(pid)
    total = proc.memory_info().rss
    for child in proc.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


def class_of(n: int, log_dir: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="mathdl-hub-bench-") as data:
        hub = Hub(Path(data), log_dir / f"jupyterhub-{n}.log").start()
        try:
            names = [f"student{i:02d}" for i in range(1, n + 1)]
            runs = run_students(hub, names)
            servers = {u["name"]: u["servers"][""] for u in hub.api("/users") if u["servers"]}
            pids = [s.get("state", {}).get("pid") for s in servers.values()]
            memory = [_tree_mb(pid) for pid in pids if pid]
            if not memory:  # the REST API hides pids: find the servers by their home
                memory = [
                    _tree_mb(p.pid)
                    for p in psutil.process_iter(["cmdline", "cwd"])
                    if "jupyterhub-singleuser" in " ".join(p.info["cmdline"] or [])
                    and (p.info["cwd"] or "").startswith(data)
                ]
            for name in names:
                hub.api(f"/users/{name}/server", method="DELETE")
        finally:
            hub.stop()
    spawn = [r.server_s for r in runs]
    ready = [r.interactive_s for r in runs]
    return {
        "students": n,
        "spawn": summary(spawn),
        "login_to_interactive_dashboard": summary(ready),
        "interactive_within_10_s": sum(t <= 10.0 for t in ready),
        "slider_moved": sum(r.slider_moved for r in runs),
        "memory_per_student_mb": {
            "median": round(statistics.median(memory), 1) if memory else None,
            "max": round(max(memory), 1) if memory else None,
            "servers_measured": len(memory),
        },
        "target": "every student interactive within 10 s of logging in",
    }


def main():
    log_dir = ROOT / "artifacts" / "hub"
    log_dir.mkdir(parents=True, exist_ok=True)
    results = {f"{n} students": class_of(n, log_dir) for n in SIZES}
    results["load_caveat"] = (
        "measured on a two-core machine shared with other work; the load average during the run "
        f"was {psutil.getloadavg()[0]:.1f} at its end"
    )
    return write_results("hub", results)


if __name__ == "__main__":
    print(main())
