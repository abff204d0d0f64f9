"""The runner shows a throttled partial result at the next chance instead of dropping it
(issue 15: SGD's snapshots came just after progress-only items and were never drawn)."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

from course.progress import Progress
from widgets import runner as runner_module
from widgets.runner import Runner


def test_a_throttled_partial_is_shown_at_the_next_yield(monkeypatch):
    clock = types.SimpleNamespace(t=0.0)
    fake_time = types.SimpleNamespace(monotonic=lambda: clock.t, sleep=lambda s: None)
    monkeypatch.setattr(runner_module, "time", fake_time)

    def job():
        clock.t = 1.0
        yield Progress(0.1, None)  # progress only: shown, the clock restarts
        clock.t = 1.01
        yield Progress(0.2, "A")  # 10 ms later: throttled (max_rate 10 per second)
        clock.t = 1.05
        yield Progress(0.3, None)  # still within 100 ms: nothing shown
        clock.t = 1.2
        yield Progress(0.4, None)  # the interval has passed: "A" is shown now
        clock.t = 1.21
        yield Progress(0.5, "B")  # throttled, and the job ends before the next chance
        return "done"

    delivered = []
    r = Runner(
        lambda: job(),
        on_result=lambda value, final: delivered.append((value, final)),
        on_error=lambda exc: delivered.append(("error", exc)),
        max_rate=10.0,
    )
    r.submit()
    assert r.wait(10)
    assert delivered == [("A", False), ("done", True)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim, /proc")
def test_memory_a_finished_job_freed_goes_back_to_the_system():
    # a job on a worker thread allocates in that thread's malloc arena; freed, glibc keeps it
    # (measured: lecture 02's kernel 188 MB after its jobs, 154 MB trimmed). A kernel at rest
    # holds only what it uses: the Runner returns freed memory when its work is done.
    code = (
        "import time, numpy as np\n"
        "from widgets.runner import Runner\n"
        "def rss():\n"
        "    return int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20\n"
        "def job():\n"
        "    a = np.ones(2_000_000); del a  # a 16 MB block, freed: glibc's mmap threshold rises\n"
        "    keep = [np.ones(200_000) for _ in range(300)]  # 480 MB in the thread's arena\n"
        "    small = [np.ones(10) for _ in range(1000)]\n"
        "    del keep[:-1]\n"
        "    return len(small)\n"
        "r = Runner(job, on_result=lambda v, f: None, on_error=print)\n"
        "base = rss()\n"
        "r.submit(); assert r.wait(30)\n"
        "deadline = time.monotonic() + 5\n"
        "while rss() - base > 100 and time.monotonic() < deadline:\n"
        "    time.sleep(0.05)\n"
        "print(round(rss() - base))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert int(run.stdout.split()[-1]) < 100, run.stdout
