"""Figures of the panels: matplotlib, shown by ipympl, built once and updated in place.

Why matplotlib + ipympl and not plotly's ``FigureWidget``: plotly 7's FigureWidget is an
anywidget that ships its 5 MB JavaScript bundle inside *every* figure's widget state. Measured on
this course's reference machine, a Voila page with seven FigureWidgets became interactive after
24.6 s, against 3.5 s for seven ipympl canvases. A lecture has up to a dozen figures, so plotly
would break the dashboards' time-to-interactive.

How drawing works with ipympl: changing artists (``im.set_data``, ``line.set_data``) is cheap;
:func:`redraw` asks the browser for a new frame, and the browser's request makes the kernel's
main thread render the figure with Agg and send the PNG difference. Browsers coalesce these
requests, so a burst of updates never queues a backlog of renders. Since panels change artists on
their worker thread while the main thread may be rendering, both take :data:`DRAW_LOCK`.

Without a browser (tests, homework scripts) nothing is rendered: tests read the artists' data.
"""

from __future__ import annotations

import os
import threading
import time

import matplotlib
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from .runner import release_freed_memory

__all__ = ["DRAW_LOCK", "new_figure", "notice", "redraw", "canvas_of"]

#: Held while a panel changes artists and while a canvas renders.
DRAW_LOCK = threading.RLock()

_DPI = 100
_counter = iter(range(1, 10**9))

matplotlib.rcParams.update(
    {
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "figure.autolayout": False,
    }
)


#: While a control is dragged, the (costly) constrained layout runs at most once per interval; the
#: frames between reuse the last layout, and one more frame with a fresh layout follows a burst.
LAYOUT_INTERVAL_S = 1.0


class _ThrottledLayout(ConstrainedLayoutEngine):
    """Constrained layout that a canvas can skip for one draw (it keeps the last positions)."""

    def execute(self, fig):
        if getattr(fig, "_mathdl_skip_layout", False):
            return None
        return super().execute(fig)


class _Drawer:
    """The canvas's draw, under :data:`DRAW_LOCK`, with the layout throttled.

    Measured on the neuron explorer: a draw costs 61 ms with the layout and 35 ms without; a
    slider drag redraws many times a second, and the layout barely changes between frames.
    """

    def __init__(self, fig, draw):
        self.fig, self.draw = fig, draw
        self.last_layout = 0.0
        self.timer: threading.Timer | None = None
        self.rendered_key = None  # the canvas's size and dpi at the last full render
        self.layout_owed = False  # the last render skipped the layout

    def current(self) -> bool:
        """The canvas's buffer already shows the figure as it is (nothing changed since)."""
        canvas = self.fig.canvas
        return (
            self.rendered_key is not None
            and not self.layout_owed
            and not self.fig.stale
            and getattr(canvas, "_lastKey", None) == self.rendered_key
        )

    def __call__(self, *args, **kwargs):
        with DRAW_LOCK:
            if self.current():  # drawn ahead, or asked again for the same frame: send it
                canvas = self.fig.canvas
                canvas._png_is_old = True
                canvas.manager.refresh_all()
                return None
            now = time.monotonic()
            skip = now - self.last_layout < LAYOUT_INTERVAL_S
            if not skip:
                self.last_layout = now
            self.fig._mathdl_skip_layout = skip
            try:
                out = self.draw(*args, **kwargs)
            finally:
                self.fig._mathdl_skip_layout = False
            self.rendered_key = getattr(self.fig.canvas, "_lastKey", None)
            self.layout_owed = skip
        release_freed_memory()  # a draw's scratch memory (layout, text, PNG) goes back
        if skip:
            self._follow_up()
        return out

    def render_ahead(self) -> None:
        """Render the frame into the canvas's buffer before any browser asks for it.

        A preheated kernel executes the notebook with no page attached, so no canvas is drawn;
        the student's page then asked every canvas for a frame at once (about 1 core-second per
        page of lecture 01). Rendered ahead, the page's requests only encode the PNGs.
        """
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        with DRAW_LOCK:
            if self.current():
                return
            FigureCanvasAgg.draw(self.fig.canvas)  # the pixels only; nothing is sent
            self.last_layout = time.monotonic()
            self.rendered_key = getattr(self.fig.canvas, "_lastKey", None)
            self.layout_owed = False

    def _follow_up(self):
        if self.timer is not None:
            self.timer.cancel()
        self.timer = threading.Timer(LAYOUT_INTERVAL_S, self.fig.canvas.draw_idle)
        self.timer.daemon = True
        self.timer.start()


#: A client may ask for a canvas at most this many CSS pixels wide or high, and for a device
#: pixel ratio in this range: a resize to 60000 x 60000 px (~14 GB per draw) or a ratio of 1000
#: must not reach matplotlib.
MAX_CANVAS_PX = 2400
DEVICE_PIXEL_RATIO = (0.5, 3.0)
#: Traits of a canvas the browser may set (the PNG it shows, the toolbar's mode); no others.
_CANVAS_CLIENT_TRAITS = {"_data_url": str, "_current_action": str}
_MAX_DATA_URL = 4_000_000

_canvas_class = None
#: Voila's preheated pool starts its kernels with VOILA_PREHEAT=True: they run the notebook
#: before any page exists, so their canvases render their frames ahead (see _Drawer.render_ahead).
_PREHEATED = os.environ.get("VOILA_PREHEAT") == "True"


def _guarded_canvas():
    """ipympl's Canvas, with what a browser sends checked (made once, on first use)."""
    global _canvas_class
    if _canvas_class is not None:
        return _canvas_class
    from ipympl.backend_nbagg import Canvas

    class GuardedCanvas(Canvas):
        """Refuses client state other than the drawn PNG, caps resizes and pixel ratios."""

        def set_state(self, sync_data):
            ok = isinstance(sync_data, dict) and all(
                isinstance(sync_data[k], _CANVAS_CLIENT_TRAITS.get(k, ()))
                for k in sync_data
                if k in _CANVAS_CLIENT_TRAITS
            )
            ok = ok and all(k in _CANVAS_CLIENT_TRAITS for k in sync_data)
            ok = ok and len(sync_data.get("_data_url") or "") <= _MAX_DATA_URL
            ok = ok and sync_data.get("_current_action", "") in ("", "pan", "zoom")
            if ok:
                super().set_state(sync_data)
            else:
                self.send_state()

        def _handle_message(self, obj, content, buffers):
            checked = _checked_canvas_message(self, content)
            if checked is not None:
                if checked["type"] == "initialized":
                    self._mathdl_viewed = True
                super()._handle_message(obj, checked, buffers)

        def draw_idle(self, *args, **kwargs):
            super().draw_idle(*args, **kwargs)  # asks a browser's view for a frame
            ahead = getattr(self.draw, "render_ahead", None)
            if ahead is not None and _PREHEATED and not getattr(self, "_mathdl_viewed", False):
                FRAMES.submit(self, ahead)  # a pool kernel, no page yet: render ahead

    _canvas_class = GuardedCanvas
    return GuardedCanvas


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and x == x and abs(x) < 1e6


def _checked_canvas_message(canvas, content):
    """The message to pass to ipympl, made safe, or None to drop it."""
    if not isinstance(content, dict) or not isinstance(content.get("type"), str):
        return None
    kind = content["type"]
    if kind == "resize":
        if not canvas.resizable:
            return None  # the course's canvases have a fixed size
        w, h = content.get("width"), content.get("height")
        if not (_finite(w) and _finite(h)):
            return None
        cap = lambda v: int(min(max(v, 10), MAX_CANVAS_PX))  # noqa: E731
        return {**content, "width": cap(w), "height": cap(h)}
    if kind in ("set_device_pixel_ratio", "set_dpi_ratio"):
        key = "device_pixel_ratio" if kind == "set_device_pixel_ratio" else "dpi_ratio"
        ratio = content.get(key, 1)
        if not _finite(ratio):
            return None
        lo, hi = DEVICE_PIXEL_RATIO
        return {**content, key: min(max(float(ratio), lo), hi)}
    if kind in _MOUSE_EVENTS:
        # a mouse event needs finite coordinates and integer buttons, else ipympl raises on it
        ints = all(
            isinstance(content.get(k), int) and not isinstance(content.get(k), bool)
            for k in ("button", "buttons")
        )
        mods = content.get("modifiers")
        mods_ok = isinstance(mods, list) and all(isinstance(m, str) for m in mods)
        if not (_finite(content.get("x")) and _finite(content.get("y")) and ints and mods_ok):
            return None
        if kind == "scroll" and not _finite(content.get("step")):
            return None
    return content


#: The ipympl messages that become matplotlib mouse events (their coordinates are checked).
_MOUSE_EVENTS = frozenset(
    (
        "button_press",
        "button_release",
        "dblclick",
        "motion_notify",
        "scroll",
        "figure_enter",
        "figure_leave",
    )
)


def new_figure(
    width: int = 420,
    height: int = 360,
    *,
    nrows: int = 1,
    ncols: int = 1,
    toolbar: bool = False,
    sharex=False,
    sharey=False,
    **subplot_kw,
):
    """A matplotlib figure on an ipympl canvas of ``width`` x ``height`` pixels.

    Returns ``(fig, axes)``; ``axes`` is a single Axes when ``nrows == ncols == 1``, else an
    array. ``fig.canvas`` is the ipywidgets widget to put in a layout. No pyplot state is used,
    so panels never leak figures into pyplot's list or show up twice.
    """
    from ipympl.backend_nbagg import FigureManager

    fig = Figure(figsize=(width / _DPI, height / _DPI), dpi=_DPI, layout=_ThrottledLayout())
    canvas = _guarded_canvas()(fig)
    FigureManager(canvas, next(_counter))
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.resizable = False
    canvas.toolbar_visible = "fade-in-fade-out" if toolbar else False
    canvas.capture_scroll = False
    canvas.draw = _Drawer(fig, canvas.draw)
    axes = fig.subplots(
        nrows, ncols, sharex=sharex, sharey=sharey, squeeze=True, subplot_kw=subplot_kw or None
    )
    return fig, axes


#: Where :func:`notice` puts its text: ``loc -> ((x, y) in axes coordinates, ha, va)``.
NOTICE_PLACES = {
    "center": ((0.5, 0.5), "center", "center"),
    "upper left": ((0.03, 0.97), "left", "top"),
}


def notice(ax, *, loc: str = "center", fontsize: float = 9):
    """An empty text in a white box inside ``ax``, for what the axes will show once computed
    ("press Train ..."): a panel sets it in ``render_not_computed`` and empties or hides it in
    ``render`` (an empty text draws nothing, its box included). Returns the ``Text``.

    Raises
    ------
    ValueError
        If ``loc`` is not one of :data:`NOTICE_PLACES`.
    """
    if loc not in NOTICE_PLACES:
        raise ValueError(f"loc must be one of {', '.join(map(repr, NOTICE_PLACES))}; got {loc!r}")
    (x, y), ha, va = NOTICE_PLACES[loc]
    box = dict(boxstyle="round", facecolor="white", alpha=0.9, edgecolor="0.75")
    return ax.text(
        x, y, "", transform=ax.transAxes, ha=ha, va=va, fontsize=fontsize, color="0.25", bbox=box
    )


def canvas_of(fig: Figure):
    """The ipywidgets widget that shows ``fig``."""
    return fig.canvas


def redraw(*figs: Figure) -> None:
    """Ask the browser to fetch a new frame of each figure (a no-op without a browser)."""
    for fig in figs:
        fig.canvas.draw_idle()


class FrameQueue:
    """Renders the browser's "draw" requests of canvases on one thread, newest per canvas.

    At page load the browser asks every canvas for a frame; rendered on the kernel's message
    loop (about 0.5 s each on a loaded machine, 20 canvases in lecture 03) they queued a
    student's first slider moves behind them for ~10 s. Canvas draws hold ``DRAW_LOCK``.
    """

    def __init__(self):
        self._pending: dict[int, object] = {}
        self._drawing = False
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, canvas, draw) -> None:
        with self._wake:
            self._pending[id(canvas)] = draw  # a newer request of the same canvas replaces it
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="mathdl-draw", daemon=True)
                self._thread.start()
            self._wake.notify_all()

    def waiting(self) -> int:
        """How many canvases have a frame requested and not yet drawn."""
        with self._wake:
            return len(self._pending)

    def join(self, timeout: float | None = 30.0) -> bool:
        """Block until every requested frame is drawn; False if ``timeout`` passed first."""
        with self._wake:
            return self._wake.wait_for(lambda: not self._pending and not self._drawing, timeout)

    def _run(self) -> None:
        while True:
            with self._wake:
                self._drawing = False
                self._wake.notify_all()
                while not self._pending:
                    self._wake.wait()
                _, draw = self._pending.popitem()
                self._drawing = True
            try:
                draw()
            except Exception:  # a failed frame must not end the thread of every canvas
                pass


#: the one queue of every canvas of this kernel
FRAMES = FrameQueue()


def _draw_off_the_message_loop(canvas) -> None:
    """Route a canvas's "draw" messages to :data:`FRAMES`; other messages stay in order."""
    if getattr(canvas, "_mathdl_deferred", False):
        return
    handler = canvas._handle_message
    canvas.on_msg(handler, remove=True)

    def handle(widget, content, buffers):
        if isinstance(content, dict) and content.get("type") == "draw":
            FRAMES.submit(canvas, lambda: handler(widget, content, buffers))
        else:
            handler(widget, content, buffers)

    canvas.on_msg(handle)
    canvas._mathdl_deferred = True
