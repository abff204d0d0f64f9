"""The policy a state declares to the mechanism: how it starts (change, button, actions), what it
caches (per state, by some parameters, in a shared store), and how a sub-job's progress is relayed;
and the control registry keyed by spec type."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import ipywidgets as W
import pytest

from widgets.figures import new_figure
from widgets.live import NOT_COMPUTED, Action, LiveState, Progress
from widgets.panel import CONTROLS, LivePanel, make_control
from widgets.params import IntRange, Spec, param


class Trained(LiveState):
    """A button-started, cached state: counts its computations."""

    n = param(IntRange(default=1, min=0, max=100))
    starts_on = "button"
    start_label = "Train"
    cache_size = 2

    def __init__(self, **kw):
        self.computed = []
        super().__init__(**kw)

    def compute(self, n):
        self.computed.append(n)
        yield Progress(0.5, -n)
        return n


def test_button_state_computes_only_on_trigger_and_caches_bounded():
    s = Trained()
    assert s.wait()
    assert s.result is NOT_COMPUTED and s.computed == []
    s.trigger()
    assert s.wait()
    assert s.result == 1 and s.computed == [1] and not s.from_cache
    s.set(n=2)
    assert s.wait()
    assert s.result is NOT_COMPUTED  # a change never trains
    s.trigger()
    assert s.wait() and s.result == 2
    s.set(n=1)
    assert s.wait()
    assert s.result == 1 and s.from_cache and s.computed == [1, 2]
    s.set(n=3)
    s.trigger()
    assert s.wait() and s.computed == [1, 2, 3]
    # bounded: 2 entries, least recently used (n=2) evicted
    assert s.cached(n=3) and s.cached(n=1) and not s.cached(n=2)


def test_button_state_cancelled_job_is_not_cached():
    s = Trained(compute_now=False)
    gate = threading.Event()

    def compute(n):
        yield Progress(0.1, None)
        assert gate.wait(10)
        yield Progress(0.9, None)
        return n

    s.compute = compute
    s.trigger()
    s.cancel()
    gate.set()
    assert s.wait()
    assert not s.cached()


def test_panel_makes_the_start_button_for_a_button_state():
    class P(LivePanel):
        def __init__(self):
            super().__init__(Trained(compute_now=False), title="t", show_progress=True)
            fig, _ = new_figure(100, 100)
            self.figures = {"f": fig}
            self.cleared = 0
            self.shown = []
            self.assemble(fig.canvas)
            self.start()

        def render(self, r):
            self.shown.append(r)

        def render_not_computed(self):
            self.cleared += 1

    p = P()
    assert p.wait()
    assert p.start_button is not None and p.start_button.description == "Train"
    assert p.start_button in p.children[1].children[0].children
    assert p.cleared == 1 and p.shown == []
    p.start_button.click()
    assert p.wait()
    assert p.shown[-1] == 1


def test_shared_store_is_consulted_for_shared_states_only():
    class Store(dict):
        def set(self, k, v):
            self[k] = v

    class Shared(LiveState):
        n = param(IntRange(default=1, min=0, max=100))
        cache_shared = True
        calls = 0

        def compute(self, n):
            type(self).calls += 1
            return 10 * n

    store = Store()
    Shared.store = store
    try:
        a = Shared()
        assert a.wait() and a.result == 10
        b = Shared()  # another kernel would see the same store
        assert b.wait() and b.result == 10 and b.from_cache
        assert Shared.calls == 1 and len(store) == 1
    finally:
        Shared.store = None


def test_relay_maps_fractions_wraps_partials_and_closes_the_sub_job():
    from course.progress import relay, run_to_end

    closed = []

    def inner():
        try:
            yield Progress(0.0, 1)
            yield Progress(1.0, 2)
            yield Progress(float("nan"), None, "m")
            return "r"
        finally:
            closed.append(True)

    items = list(relay(inner(), span=(0.2, 0.6), wrap=lambda p: -p))
    assert [i.fraction for i in items[:2]] == [0.2, 0.6]
    assert math.isnan(items[2].fraction) and items[2].message == "m"
    assert [i.partial for i in items] == [-1, -2, None]
    assert run_to_end(relay(inner())) == "r"
    job = relay(inner())
    next(job)
    job.close()
    assert closed[-1] is True
    with pytest.raises(ValueError, match="span"):
        next(relay(inner(), span=(0.5, 0.2)))


class Player(LiveState):
    """Play keeps running (a parameter change restarts it with the new value); Once does not."""

    n = param(IntRange(default=1, min=0, max=100))
    actions = {"play": Action("Play", keeps_running=True), "once": Action("Once", "step-forward")}

    def __init__(self, **kw):
        self.played = []  # the n each play job started with
        super().__init__(**kw)

    def compute(self, n):
        return ("shown", n)

    def play_job(self, n):
        self.played.append(n)
        i = 0
        while True:  # until stopped
            i += 1
            yield Progress(float("nan"), ("playing", n, i))

    def once_job(self, n, times=1):
        return ("once", n, times)


def test_an_action_runs_on_the_runner_and_a_running_one_follows_the_parameters(until):
    s = Player()
    assert s.wait() and s.result == ("shown", 1)
    s.act("play")
    assert until(s, lambda s: s.result[0] == "playing" and s.result[2] > 3, 10)
    assert s.running_action == "play" and s.busy
    s.set(n=5)  # Play keeps running, restarted with the new value
    assert until(s, lambda s: s.result[:2] == ("playing", 5), 10)
    assert s.played == [1, 5] and s.running_action == "play"
    s.act("once", times=3)  # another action stops Play (newest wins)
    assert s.wait(10) and s.result == ("once", 5, 3) and not s.running_action
    s.set(n=6)  # nothing runs any more: the change computes
    assert s.wait(10) and s.result == ("shown", 6)
    s.act("play")
    assert until(s, lambda s: s.result[0] == "playing", 10)
    s.cancel()  # Stop ends a running action
    assert s.wait(10) and not s.running_action and s.played == [1, 5, 6]
    with pytest.raises(ValueError, match="action must be one of 'play', 'once'; got 'jump'"):
        s.act("jump")


def test_the_panel_makes_one_button_per_action():
    class P(LivePanel):
        def __init__(self):
            super().__init__(Player(compute_now=False))
            fig, _ = new_figure(100, 100)
            self.figures = {"f": fig}
            self.assemble(fig.canvas)
            self.start()

        def render(self, r):
            pass

    p = P()
    assert p.wait()
    assert [b.description for b in p.action_buttons.values()] == ["Play", "Once"]
    buttons = [w for row in p.children[1].children[0].children[1:] for w in row.children]
    assert buttons == list(p.action_buttons.values())
    p.action_buttons["once"].click()
    assert p.wait() and p.state.result == ("once", 1, 1)


@dataclass(frozen=True)
class Refit:
    curve: int
    fit: int


class Curves(LiveState):
    """The slow part depends on ``n`` only; ``fit`` is applied to the cached curve."""

    n = param(IntRange(default=1, min=0, max=100))
    fit = param(IntRange(default=0, min=0, max=100))
    cache_size = 4
    cache_params = ("n",)
    actions = {"extend": Action("Extend")}

    def __init__(self, **kw):
        self.computed = []
        super().__init__(**kw)

    def compute(self, n, fit):
        self.computed.append(n)
        yield Progress(0.5, 10 * n - 1)
        return 10 * n

    def present(self, curve, n, fit):
        return Refit(curve, fit)

    def extend_job(self, **params):
        curve = yield from self.result_job(**params)
        return Refit(curve + 1, params["fit"])


def test_cache_params_and_present_refit_without_recomputing():
    s = Curves()
    assert s.wait() and s.result == Refit(10, 0) and s.computed == [1]
    shown = []
    s.observe(lambda change: shown.append(change["new"]), names="result")
    s.set(fit=7)  # not a cache parameter: presented from the cache
    assert s.wait() and s.result == Refit(10, 7) and s.from_cache and s.computed == [1]
    s.set(n=2)  # a cache parameter: computed, partial results presented too
    assert s.wait() and s.result == Refit(20, 7) and s.computed == [1, 2]
    assert Refit(19, 7) in shown
    s.act("extend")  # an action building on the cached result computes nothing again
    assert s.wait() and s.result == Refit(21, 7) and s.computed == [1, 2]
    s.set(n=3)
    s.act("extend")
    assert s.wait() and s.result == Refit(31, 7) and s.computed == [1, 2, 3]


def test_controls_come_from_one_registry_keyed_by_spec_type():
    @dataclass(frozen=True)
    class Odd(IntRange):  # a new spec derived from a known one uses its control
        pass

    control = make_control("k", Odd(default=3, min=1, max=9, step=2), 3)
    assert isinstance(control, W.IntSlider) and control.step == 2

    @dataclass(frozen=True)
    class Colour(Spec):
        def validate(self, name, value):
            return value

    with pytest.raises(TypeError, match="no control for spec Colour"):
        make_control("c", Colour(default="red"), "red")
    CONTROLS[Colour] = lambda spec, value, common: W.ColorPicker(value=value, **common)
    try:  # a new kind of spec is one entry in the registry
        assert isinstance(make_control("c", Colour(default="red"), "red"), W.ColorPicker)
    finally:
        del CONTROLS[Colour]


class Doubled(LiveState):
    n = param(IntRange(default=1, min=0, max=100))

    def compute(self, n):
        return 2 * n


def test_a_message_kept_until_change_outlasts_results_and_ends_with_a_change():
    s = Doubled()
    assert s.wait()
    s.report("plain message")
    s.request()
    assert s.wait() and s.ok and s.status == ""  # a final result clears a plain message
    s.report("in the link: n must be ...", until_change=True)
    s.request()
    s.request()
    assert s.wait() and s.result == 2
    assert not s.ok and s.status == "in the link: n must be ..."  # results do not clear it
    s.set(n=3)
    assert s.wait() and s.result == 6
    assert s.ok and s.status == ""  # a change of a parameter does
