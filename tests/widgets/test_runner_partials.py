"""The runner shows a throttled partial result at the next chance instead of dropping it
(issue 15: SGD's snapshots came just after progress-only items and were never drawn)."""

from __future__ import annotations

import types

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
