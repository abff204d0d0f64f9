"""A preheated kernel renders its canvases ahead; every frame it sends is the figure as it is.

Voila's pool runs the notebook before any page exists, so the page's first requests found no
canvas rendered (about 1 core-second per page of lecture 01). Rendered ahead, the requests only
encode the PNG. The fact that must hold: the frame a browser receives equals a fresh render of
the figure, before and after a change (a skipped render must never show an old picture).
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from widgets import figures
from widgets.figures import FRAMES
from widgets.neurons import NeuronPanel

from .test_hostile_clients import custom, update


@pytest.fixture
def renders(monkeypatch):
    """Count the Agg renders (a frame's pixels computed from the figure)."""
    count = [0]
    draw = FigureCanvasAgg.draw

    def counted(self, *args, **kwargs):
        count[0] += 1
        return draw(self, *args, **kwargs)

    monkeypatch.setattr(FigureCanvasAgg, "draw", counted)
    return count


def _frame(canvas, sent) -> np.ndarray:
    custom(canvas, {"type": "refresh"})  # a full frame, as a page's view asks on appearing
    custom(canvas, {"type": "draw"})
    assert FRAMES.join(60), "the frame was never drawn"
    assert sent, "no frame was sent"
    return np.asarray(Image.open(io.BytesIO(sent[-1])).convert("RGB"))


def test_a_preheated_page_gets_frames_rendered_ahead_and_current(monkeypatch, renders):
    monkeypatch.setattr(figures, "_PREHEATED", True)
    panel = NeuronPanel()
    assert panel.wait(60)
    assert FRAMES.join(60)
    figs = list(panel.figures.values())
    assert all(fig.canvas.draw.current() for fig in figs), "not every canvas was rendered ahead"
    fig = figs[0]
    canvas = fig.canvas
    sent = []
    monkeypatch.setattr(canvas, "send_binary", sent.append)

    before = renders[0]
    custom(canvas, {"type": "initialized"})
    shown = _frame(canvas, sent)
    assert renders[0] == before, "the page's request rendered again a frame drawn ahead"
    np.testing.assert_array_equal(shown, _fresh_pixels_of(fig))

    # a change: the next frame is rendered anew and shows the changed figure
    name, control = next(iter(panel.controls.items()))
    update(control, {"value": control.value + 10 * control.step})
    assert panel.wait(60)
    before, old = renders[0], shown
    shown = _frame(canvas, sent)
    assert renders[0] > before, "a changed figure was sent without being rendered"
    np.testing.assert_array_equal(shown, _fresh_pixels_of(fig))
    assert not np.array_equal(shown, old), "the control's change did not reach the frame"


def test_an_ordinary_kernel_renders_nothing_ahead(monkeypatch, renders):
    monkeypatch.setattr(figures, "_PREHEATED", False)
    panel = NeuronPanel()
    assert panel.wait(60)
    assert FRAMES.join(60)
    assert not any(fig.canvas.draw.current() for fig in panel.figures.values())


def _fresh_pixels_of(fig) -> np.ndarray:
    """The figure's artists rendered anew, now, at their current positions (Agg only).

    The layout is kept: constrained layout with a colour bar moves the axes by a few pixels on
    each of its first renders before it settles, which is matplotlib's, not a stale frame.
    """
    with figures.DRAW_LOCK:
        fig._mathdl_skip_layout = True
        try:
            FigureCanvasAgg.draw(fig.canvas)
        finally:
            fig._mathdl_skip_layout = False
        return np.asarray(fig.canvas.get_renderer().buffer_rgba())[..., :3].copy()
