"""Lecture 07: drawing a digit with the mouse, in the grey levels of the digits data.

The digits data (Alpaydin, Kaynak 1998) are 8x8 images whose pixels count ink in 17 levels,
0 (white) to 16 (black). :class:`DrawingCanvas` is an ipympl figure of such an image: pressing
the left button and dragging paints with a soft brush (:func:`brush`), which darkens the pixel
under the mouse to 16 and its four neighbours a little (:data:`EDGE` levels), clamped to 16, as
the pen strokes of the data are dark in the middle and grey at their edges.

The mouse events come from the browser and are untrusted: an event outside the image, or with
coordinates that are not finite numbers, is ignored (the canvas itself drops messages whose
coordinates are not numbers; see :func:`widgets.figures._checked_canvas_message`).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backend_bases import MouseButton

from ..figures import DRAW_LOCK, new_figure, redraw

__all__ = ["MAX_LEVEL", "EDGE", "brush", "stroke_pixels", "DrawingCanvas"]

#: The darkest grey level of the digits data (the images are stored divided by it, in [0, 1]).
MAX_LEVEL = 16
#: How many levels the brush adds to each of the four neighbours of the pixel under the mouse.
EDGE = 4


def brush(levels: np.ndarray, row: int, col: int) -> np.ndarray:
    """``levels`` (8x8, integers 0..16) after one dab of the brush at ``(row, col)``.

    >>> brush(np.zeros((8, 8), int), 0, 0)[:2, :2].tolist()
    [[16, 4], [4, 0]]
    """
    out = np.array(levels, dtype=int)
    out[row, col] += MAX_LEVEL
    for dr, dc in ((0, 1), (0, -1), (1, 0), (-1, 0)):
        r, c = row + dr, col + dc
        if 0 <= r < out.shape[0] and 0 <= c < out.shape[1]:
            out[r, c] += EDGE
    return np.minimum(out, MAX_LEVEL)


def stroke_pixels(start, end, shape=(8, 8)) -> list[tuple[int, int]]:
    """The pixels ``(row, col)`` a straight stroke from ``start`` to ``end`` passes, in order.

    ``start`` and ``end`` are ``(x, y)`` in data coordinates of the image (pixel centres at
    integers). A fast mouse reports points far apart; the pixels between them are painted too.

    >>> stroke_pixels((4.0, 1.0), (4.0, 3.0))
    [(1, 4), (2, 4), (3, 4)]
    """
    (x0, y0), (x1, y1) = start, end
    n = max(1, int(math.ceil(4 * max(abs(x1 - x0), abs(y1 - y0)))))
    pixels = []
    for t in np.linspace(0.0, 1.0, n + 1):
        r, c = int(round(y0 + t * (y1 - y0))), int(round(x0 + t * (x1 - x0)))
        if 0 <= r < shape[0] and 0 <= c < shape[1] and (not pixels or pixels[-1] != (r, c)):
            pixels.append((r, c))
    return pixels


def _point(event):
    """The event's ``(x, y)`` in image coordinates, or None if it is not a usable point."""
    x, y = event.xdata, event.ydata
    if x is None or y is None:
        return None
    try:
        x, y = float(x), float(y)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(x) and math.isfinite(y)):
        return None
    if not (-0.5 <= x < 7.5 and -0.5 <= y < 7.5):
        return None
    return x, y


class DrawingCanvas:
    """An 8x8 image drawn with the mouse; ``on_change(levels)`` is called after each change.

    ``levels`` is an integer array ``(8, 8)`` with values 0..16; ``figure.canvas`` is the widget.
    Each pixel is painted at most once per stroke (press, drag, release), so lingering on a
    pixel does not darken its neighbours further; a second stroke over it adds again.
    """

    def __init__(self, on_change, *, size: int = 230):
        self.on_change = on_change
        self.figure, ax = new_figure(size, size + 20)
        self.ax = ax
        self.image = ax.imshow(
            np.zeros((8, 8)), cmap="gray_r", vmin=0, vmax=MAX_LEVEL, interpolation="nearest"
        )
        ax.set_xticks(np.arange(-0.5, 8, 1), minor=True)
        ax.set_yticks(np.arange(-0.5, 8, 1), minor=True)
        ax.grid(False)
        ax.grid(True, which="minor", color="#bdbdbd", lw=0.5)
        ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
        ax.set_title("draw: press and drag", fontsize=10)
        self.figure.colorbar(self.image, ax=ax, ticks=[0, 8, 16], shrink=0.8, pad=0.03)
        self.levels = np.zeros((8, 8), dtype=int)
        self._last = None  # the last point of the stroke in progress, or None
        self._painted: set = set()
        canvas = self.figure.canvas
        canvas.mpl_connect("button_press_event", self._press)
        canvas.mpl_connect("motion_notify_event", self._move)
        canvas.mpl_connect("button_release_event", self._release)

    # ------------------------------------------------------------------ mouse
    def _press(self, event):
        if event.inaxes is not self.ax or event.button != MouseButton.LEFT:
            return
        p = _point(event)
        if p is None:
            return
        self._last, self._painted = p, set()
        self._paint(stroke_pixels(p, p))

    def _move(self, event):
        if self._last is None:
            return
        if event.buttons is not None and MouseButton.LEFT not in event.buttons:
            self._last = None  # the button was released outside the canvas
            return
        p = _point(event) if event.inaxes is self.ax else None
        if p is None:
            return
        pixels = stroke_pixels(self._last, p)
        self._last = p
        self._paint(pixels)

    def _release(self, event):
        self._last = None

    # ------------------------------------------------------------------ the image
    def _paint(self, pixels):
        levels = self.levels
        for rc in pixels:
            if rc not in self._painted:
                self._painted.add(rc)
                levels = brush(levels, *rc)
        if not np.array_equal(levels, self.levels):
            self.show(levels)
            self.on_change(self.levels)

    def show(self, levels) -> None:
        """Show ``levels`` (integers 0..16) without calling ``on_change``."""
        self.levels = np.array(levels, dtype=int)
        with DRAW_LOCK:
            self.image.set_data(self.levels)
        redraw(self.figure)
