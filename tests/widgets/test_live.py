"""The live-update mechanism: newest value wins, validation, errors in the status line, stop."""

from __future__ import annotations

import math
import subprocess
import sys
import threading

import ipywidgets as W
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.figures import new_figure
from widgets.live import LiveState, Progress, Runner
from widgets.panel import LivePanel
from widgets.params import Choice, Flag, FloatRange, IntRange, InvalidValue, Text, param


class Slow(LiveState):
    """compute blocks on an event the test controls: deterministic, no sleeps."""

    n = param(IntRange(default=0, min=0, max=1000))
    x = param(FloatRange(default=0.5, min=0.0, max=1.0))
    kind = param(Choice(default="a", options={"a": "A", "b": "B"}))
    flag = param(Flag(default=False))
    text = param(Text(default="", max_length=10))

    def __init__(self, **kw):
        self.gate = threading.Event()
        self.gate.set()
        self.started = threading.Event()
        self.seen = []
        super().__init__(**kw)

    def compute(self, n, x, kind, flag, text):
        self.seen.append(n)
        self.started.set()
        assert self.gate.wait(10)
        if text == "boom":
            raise ZeroDivisionError("division by zero in compute")
        return n


class SlowPanel(LivePanel):
    def __init__(self, **kw):
        super().__init__(Slow(compute_now=False, **kw), title="test")
        fig, ax = new_figure(200, 150)
        (self.line,) = ax.plot([], [])
        self.figures = {"f": fig}
        self.rendered = []
        self.assemble(fig.canvas)
        self.start()

    def render(self, r):
        if r == 666:
            raise RuntimeError("render failed")
        self.rendered.append(r)
        self.line.set_data([0, 1], [r, r])


def test_flood_of_values_computes_only_the_first_and_the_last():
    p = SlowPanel()
    assert p.wait(10)
    s = p.state
    s.gate.clear()
    s.started.clear()
    p.controls["n"].value = 1
    assert s.started.wait(10)  # the first computation is running and blocked
    for v in range(2, 101):  # 99 more values arrive while it runs
        p.controls["n"].value = v
    s.gate.set()
    assert p.wait(10)
    assert s.n == 100 and s.result == 100
    # initial computation, the blocked one (n = 1), then only the newest (n = 100)
    assert s.seen == [0, 1, 100]
    assert p.rendered == [0, 1, 100]
    assert list(p.line.get_ydata()) == [100, 100]
    assert s.ok


def test_results_are_shown_in_request_order_never_stale_over_new():
    p = SlowPanel()
    for v in range(1, 60):
        p.controls["n"].value = v
    assert p.wait(10)
    assert p.rendered == sorted(p.rendered)
    assert p.rendered[-1] == 59
    assert p.state.generation >= 2


HOSTILE = [1e9, -1, 1001, 2.5, float("nan"), float("inf"), "abc", None, [1], {"a": 1}, True]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_client_values_give_a_message_and_keep_the_state(value):
    p = SlowPanel(n=7)
    assert p.wait(10)
    before = dict(p.state.params())
    p.controls["n"].set_state({"value": value})  # what a browser message does
    assert p.state.params() == before
    assert p.state.ok is False
    assert p.state.status.startswith("n must be an integer in [0, 1000]")
    assert "&#9888;" in p.status.value  # shown in the status line
    assert p.controls["n"].value == 7  # the control shows the last good value
    assert p.wait(10)


@pytest.mark.parametrize(
    "name, value",
    [
        ("x", 1.5),
        ("x", float("nan")),
        ("x", "0.5"),
        ("kind", "c"),
        ("kind", ["a"]),
        ("flag", 1),
        ("flag", "yes"),
        ("text", "x" * 11),
        ("text", 3),
    ],
)
def test_every_kind_of_control_rejects_bad_values(name, value):
    p = SlowPanel()
    assert p.wait(10)
    before = dict(p.state.params())
    p.controls[name].set_state({"value": value})
    assert p.state.params() == before
    assert not p.state.ok and p.state.status.startswith(name)


def test_dropdown_index_out_of_range_from_a_client_is_reported():
    p = SlowPanel()
    p.controls["kind"].set_state({"index": 99})
    assert not p.state.ok and p.state.kind == "a"


def test_a_good_value_after_a_bad_one_clears_the_message():
    p = SlowPanel()
    p.controls["n"].set_state({"value": 1e9})
    assert not p.state.ok
    p.controls["n"].value = 3
    assert p.wait(10)
    assert p.state.ok and p.state.status == "" and p.rendered[-1] == 3


def test_state_set_is_all_or_nothing_and_names_the_parameter():
    s = Slow()
    with pytest.raises(ValueError, match=r"x must be a number in \[0, 1\]; got 2"):
        s.set(n=5, x=2.0)
    assert s.n == 0
    with pytest.raises(ValueError, match="unknown parameter 'depth'"):
        s.set(depth=3)
    with pytest.raises(InvalidValue):
        s.n = -5  # direct assignment is validated too
    assert s.try_set(n=1e9) is False and "n must be" in s.status
    assert s.wait(10)


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.integers(), st.floats(), st.text(max_size=5), st.none(), st.booleans()))
def test_the_state_only_ever_holds_valid_values(value):
    s = Slow(compute_now=False)
    ok = s.try_set(n=value)
    assert isinstance(s.n, int) and 0 <= s.n <= 1000
    assert ok == (s.n == value and not isinstance(value, bool) and value == value)


def test_an_exception_in_compute_lands_in_the_status_line():
    p = SlowPanel()
    p.controls["text"].value = "boom"
    assert p.wait(10)
    assert not p.state.ok
    assert p.state.status == "ZeroDivisionError: division by zero in compute"
    assert "ZeroDivisionError" in p.status.value and "Traceback" not in p.status.value
    p.controls["text"].value = "fine"
    assert p.wait(10)
    assert p.state.ok


def test_an_exception_in_render_lands_in_the_status_line():
    p = SlowPanel()
    p.controls["n"].value = 666
    assert p.wait(10)
    assert p.state.status == "RuntimeError: render failed"


class Job(LiveState):
    """A generator job: streams partial results and can be stopped."""

    steps = param(IntRange(default=10, min=1, max=10**9))
    max_rate = 1000.0

    def compute(self, steps):
        total = 0
        for i in range(steps):
            total += 1
            yield Progress((i + 1) / steps, total)
        return total


class Unthrottled(Job):
    max_rate = 0  # deliver every partial result (0 switches the throttle off)


def test_a_generator_job_streams_partials_and_finishes():
    s = Unthrottled(steps=50)
    assert s.wait(10)
    assert s.result == 50 and s.final and s.progress == 1.0
    assert s.runner.n_delivered == 50 + 1  # every partial, then the result


def test_stop_ends_a_running_job(until):
    s = Job(compute_now=False, steps=10**9)
    s.request()
    assert until(s, lambda s: s.result > 5, 10)
    assert s.busy
    s.cancel()
    assert s.wait(10)  # 10^9 steps: idle within seconds only because the job stopped
    assert not s.busy and not s.final  # what is shown is the last partial result
    assert s.result < 10**9


def test_a_new_request_cancels_a_running_job(until):
    s = Job(compute_now=False, steps=10**9)
    s.request()
    assert until(s, lambda s: s.result > 0, 10)
    s.steps = 3
    assert s.wait(5)
    assert s.result == 3 and s.final


def test_runner_delivers_each_result_of_a_plain_function_in_order():
    got = []
    r = Runner(
        lambda v: v * 2, on_result=lambda v, final: got.append(v), on_error=lambda e: got.append(e)
    )
    for v in range(5):
        r.submit(v)
    assert r.wait(5)
    assert got == sorted(got) and got[-1] == 8


def test_wait_times_out_while_work_is_blocked():
    s = Slow(compute_now=False)
    s.gate.clear()
    s.request()
    assert s.wait(0.05) is False
    s.gate.set()
    assert s.wait(10)


def test_panels_refuse_plotly_figures():
    class Bad(LivePanel):
        def __init__(self):
            super().__init__(Slow(compute_now=False))
            self.figures = {"f": W.HTML()}
            self.assemble(W.HTML())

        def render(self, r):
            pass

    with pytest.raises(TypeError, match="matplotlib"):
        Bad()


def test_specs_validate_their_defaults():
    with pytest.raises(ValueError):
        param(IntRange(default=11, min=0, max=10))
    assert math.isclose(FloatRange(default=0.5).validate("x", np.float32(0.25)), 0.25)
    assert IntRange(default=1, min=0, max=3).validate("n", np.int64(2)) == 2
    assert IntRange(default=1, min=0, max=3).validate("n", 2.0) == 2


def test_values_given_to_a_constructor_request_nothing_before_start():
    s = Slow(compute_now=False, n=5, x=0.25)
    assert s.wait(1)
    assert s.seen == [] and s.result is None and (s.n, s.x) == (5, 0.25)
    p = SlowPanel(n=9)
    assert p.wait(10)
    assert p.rendered == [9] and p.state.seen == [9]


def test_an_equal_result_is_drawn_again():
    p = SlowPanel(n=4)
    assert p.wait(10)
    p.state.request()  # the same parameters: an equal result
    assert p.wait(10)
    assert p.rendered == [4, 4]


def test_new_figure_shares_axes_and_passes_axes_options():
    fig, (a, b) = new_figure(300, 200, nrows=2, sharex=True, xscale="log")
    assert a.get_shared_x_axes().joined(a, b)
    assert a.get_xscale() == b.get_xscale() == "log"


class Scaled(LiveState):
    scale = param(FloatRange(default=50.0, min=1.0, max=1000.0, log=True))
    x = param(FloatRange(default=0.333, min=0.0, max=1.0, step=0.1))

    def compute(self, scale, x):
        return scale


class ScaledPanel(LivePanel):
    def __init__(self):
        super().__init__(Scaled(compute_now=False))
        self.assemble(W.HTML())
        self.start()

    def render(self, r):
        pass


def test_a_slider_snapping_to_its_grid_does_not_change_the_state():
    p = ScaledPanel()
    log_slider, slider = p.controls["scale"], p.controls["x"]
    snapped = 10 ** (round(np.log10(50.0) / log_slider.step) * log_slider.step)
    log_slider.set_state({"value": snapped})  # what the browser sends on first display
    slider.set_state({"value": 0.3})
    assert p.wait(10)
    assert p.state.scale == 50.0 and p.state.x == 0.333
    log_slider.set_state({"value": 100.0})  # a real move
    slider.set_state({"value": 0.6})
    assert p.wait(10)
    assert p.state.scale == 100.0 and p.state.x == 0.6


def test_a_value_set_from_python_is_taken_exactly():
    p = ScaledPanel()
    p.controls["x"].value = 0.34  # off the slider's grid, but a script means it
    assert p.wait(10)
    assert p.state.x == 0.34


def test_a_script_that_exits_during_a_torch_job_exits_cleanly(tmp_path):
    # Without the runners' exit handler this aborts ("terminate called without an active
    # exception", exit code 134): torch's thread pool is torn down under a running daemon thread.
    (tmp_path / "endless_job.py").write_text(
        "import torch\n"
        "from widgets.live import LiveState, Progress\n"
        "from widgets.params import IntRange, param\n"
        "class Endless(LiveState):\n"
        "    n = param(IntRange(default=1, min=1, max=2))\n"
        "    def compute(self, n):\n"
        "        a = torch.randn(300, 300)\n"
        "        while True:\n"
        "            a = torch.tanh(a @ a)\n"
        "            yield Progress(float('nan'), 1)\n"
    )
    script = (
        "import threading\n"
        "from endless_job import Endless\n"
        "s = Endless(compute_now=False)\n"
        "first = threading.Event()\n"
        "s.observe(lambda change: first.set(), names='result')\n"
        "s.request()\n"
        "first.wait(30)\n"
        "print('leaving', s.busy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "leaving True"


class Instant(LiveState):
    n = param(IntRange(default=0, min=0, max=10**6))

    def compute(self, n):
        return n


class InstantPanel(LivePanel):
    def __init__(self):
        super().__init__(Instant(compute_now=False))
        self.assemble(W.HTML())
        self.start()

    def render(self, r):
        pass


def test_status_line_agrees_with_the_state_after_a_storm_of_changes():
    # The worker toggles busy while the main thread sets parameters; no notification may be
    # lost between the two threads, or the status line stays at "computing" forever.
    for _ in range(5):
        p = InstantPanel()
        for v in range(1, 1500):
            p.state.set(n=v)
        assert p.wait(10)
        assert not p.state.busy
        assert "up to date" in p.status.value, p.status.value


def test_a_new_browser_view_gets_every_widget_state_again(monkeypatch):
    p = SlowPanel()
    assert p.wait(10)
    sent = []
    for w in (p.status, p.progress, p.controls["n"]):
        monkeypatch.setattr(w, "send_state", lambda key=None, w=w: sent.append(w))
    canvas = p.figures["f"].canvas
    p._view_appeared(canvas, {"type": "resize"}, [])
    assert sent == []
    p._view_appeared(canvas, {"type": "initialized"}, [])
    assert {id(w) for w in sent} == {id(p.status), id(p.progress), id(p.controls["n"])}


def test_torch_imported_by_a_panel_job_runs_one_thread():
    # lectures 07 and 08 import torch on a worker thread, at the first training: it must start
    # with one intra-op thread (panels compute side by side), with nothing set under a job
    import os

    code = (
        "import threading, widgets\n"
        "out = []\n"
        "t = threading.Thread(target=lambda: out.append(__import__('torch').get_num_threads()))\n"
        "t.start(); t.join()\n"
        "print(out[0])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["1"]
