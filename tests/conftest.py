"""Shared test configuration."""

from __future__ import annotations

import os
import threading

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")  # pyplot, if anything uses it, never opens a window in tests
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def rng():
    """A seeded generator: every random test input is reproducible."""
    return np.random.default_rng(20211)


def _until(state, predicate, timeout: float = 30.0) -> bool:
    """Block until ``predicate(state)`` holds after a delivered result, or ``timeout`` passed.

    An event set by an observer of ``state.result`` (no polling, no sleeps); False on timeout.
    """
    event = threading.Event()

    def check(change=None):
        try:
            if predicate(state):
                event.set()
        except Exception:  # a result of another shape (NOT_COMPUTED, a partial): not yet
            pass

    state.observe(check, names="result")
    try:
        check()
        return event.wait(timeout)
    finally:
        state.unobserve(check, names="result")


def _drain(job):
    """Run a generator job to its end: ``(every item it yielded, the value it returned)``."""
    items = []
    while True:
        try:
            items.append(next(job))
        except StopIteration as stop:
            return items, stop.value


@pytest.fixture
def drain():
    """``drain(job)``: a slow generator's yielded items and its returned result."""
    return _drain


@pytest.fixture
def until():
    """``until(state, predicate, timeout)``: wait for an event, never a sleep-polling loop."""
    return _until


@pytest.fixture(scope="module")
def _made_panels():
    return {}


@pytest.fixture
def reuse(_made_panels):
    """``reuse(key, factory, timeout)``: a panel built once per test module and handed to each
    test reset to the parameters it was built with (its last result for them, status ok), so
    that no test depends on what an earlier one did to it."""

    def get(key, factory, timeout: float = 60.0):
        if key not in _made_panels:
            panel = factory()
            assert panel.wait(timeout) and panel.state.ok, panel.state.status
            _made_panels[key] = (panel, panel.state.params())
        panel, initial = _made_panels[key]
        state = panel.state
        assert panel.wait(timeout)
        changed = state.params() != initial
        if changed:
            state.set(**initial)
        if not state.ok and not changed:
            state.request()  # a fresh result: the status line says "up to date" again
        assert panel.wait(timeout) and state.ok and state.params() == initial, state.status
        return panel

    return get
