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


@pytest.fixture
def until():
    """``until(state, predicate, timeout)``: wait for an event, never a sleep-polling loop."""
    return _until
