"""A browser's "draw" requests of a panel's canvases are rendered off the kernel's message loop.

At page load the browser asks every canvas for a frame; rendered where the message arrives (the
kernel's only message loop), lecture 03's 20 canvases queued a student's first slider moves about
10 s behind them (tests/browser/test_scroll_race.py). They are rendered on one thread instead,
the newest request per canvas.
"""

from __future__ import annotations

import threading

from widgets.figures import FRAMES
from widgets.yarotsky.sawtooth import SawtoothPanel

from .test_hostile_clients import custom, update


def test_draw_requests_leave_the_message_loop_free():
    panel = SawtoothPanel()
    assert panel.wait(60)
    canvas = next(iter(panel.figures.values())).canvas
    gate, started, second = threading.Event(), threading.Event(), threading.Event()
    drawn = []
    draw = canvas.draw
    here = threading.current_thread()

    def slow_draw(*args, **kwargs):
        drawn.append(threading.current_thread())
        started.set()
        if len(drawn) == 2:
            second.set()
        if threading.current_thread() is not here:  # on the message loop: do not block it
            assert gate.wait(30), "the test never opened the gate"
        return draw(*args, **kwargs)

    canvas.draw = slow_draw
    try:
        custom(canvas, {"type": "draw"})
        assert started.wait(30), "a 'draw' request was never rendered"
        for _ in range(5):  # while the first frame renders: newer requests of the same canvas
            custom(canvas, {"type": "draw"})
        # the message loop is free: a slider's move is taken while the frame still renders
        name, control = next(iter(panel.controls.items()))
        update(control, {"value": control.value + control.step})
        assert getattr(panel.state, name) == control.value
        assert all(t is not here for t in drawn), "a frame was rendered on the message loop"
        gate.set()
        assert second.wait(30), "the newest request was not rendered after the first frame"
        assert panel.wait(60)
    finally:
        gate.set()
        canvas.draw = draw
    # the five requests that came while the first frame rendered gave one frame
    assert len(drawn) == 2 and not FRAMES.waiting(), f"{len(drawn)} frames"
