"""The view layer: an ipywidgets container that links controls to a :class:`LiveState`.

Every lecture panel derives from :class:`LivePanel`. It gets, for free:

- one control per declared parameter (or only those named), two-way linked to the state;
- a guard on each control: a value a browser client sends is checked against the parameter's
  spec *before* ipywidgets sees it, so a value past a slider's max, of the wrong type, NaN or
  1e9 gives a message in the status line and the control snaps back to the last good value
  (a refused text of a :class:`~widgets.params.Text` spec stays in its box, to be corrected,
  while the state keeps its last good value);
- a status line (errors from validation, compute and render), a progress bar and a stop button;
- ``render(result)`` called with each new result; figures are built once by the subclass and
  updated in place;
- FIGURES ARE MATPLOTLIB, shown by ipympl: make them with :func:`widgets.figures.new_figure`
  (returns ``(fig, axes)``; put ``fig`` in ``self.figures`` and ``fig.canvas`` in the layout),
  update artists in ``render`` (``im.set_data``, ``line.set_data``, ``ax.set_title``); the base
  class holds the draw lock around ``render`` and asks the browser for a new frame afterwards.
  Do not use plotly's ``FigureWidget``: it ships a 5 MB bundle per figure (a page with seven
  took 24.6 s to become interactive under Voila, against 3.5 s with ipympl); ``assemble``
  refuses it.
- the headless API: ``panel.controls``, ``panel.state``, ``panel.figures``, ``panel.wait()``;
- a shareable state (:mod:`widgets.share`): controls read from the page's URL query, a "copy
  link" control, and the projector layout (``?mode=projector``).
"""

from __future__ import annotations

import html
import math
import threading
import time

import ipywidgets as W
from matplotlib.figure import Figure

from . import share
from .figures import DRAW_LOCK, redraw
from .live import NOT_COMPUTED, LiveState, short_error
from .params import Choice, Flag, FloatRange, IntRange, InvalidValue, Spec, Text, _fmt

__all__ = ["CONTROLS", "LivePanel", "make_control", "client_update"]

#: controls whose client side sends the index of an option, not a value
_SELECTIONS = (W.Dropdown, W.ToggleButtons, W.RadioButtons, W.Select, W.SelectionSlider)
_CONTROL_STYLE = {"description_width": "110px"}
_CONTROL_LAYOUT = {"width": "330px"}


def _checkbox(spec: Flag, value, common) -> W.ValueWidget:
    return W.Checkbox(value=value, indent=False, **common)


def _int_slider(spec: IntRange, value, common) -> W.ValueWidget:
    return W.IntSlider(
        value=value, min=spec.min, max=spec.max, step=spec.step, continuous_update=True, **common
    )


def _float_slider(spec: FloatRange, value, common) -> W.ValueWidget:
    if spec.log:
        lo, hi = math.log10(spec.min), math.log10(spec.max)
        # exponent steps of about 0.05, so that round values (0.1, 1e-3) lie on the grid
        step = (hi - lo) / max(1, round((hi - lo) / 0.05))
        return W.FloatLogSlider(
            value=value,
            base=10,
            min=lo,
            max=hi,
            step=step,
            continuous_update=True,
            readout_format=".3g",
            **common,
        )
    step = spec.step or (spec.max - spec.min) / 100
    return W.FloatSlider(
        value=value,
        min=spec.min,
        max=spec.max,
        step=step,
        continuous_update=True,
        readout_format=".3g",
        **common,
    )


def _choice(spec: Choice, value, common) -> W.ValueWidget:
    options = [(text, key) for key, text in spec.labels.items()]
    if spec.buttons:
        common.pop("description_allow_html")
        return W.ToggleButtons(value=value, options=options, **{**common, "layout": W.Layout()})
    if spec.slider:
        return W.SelectionSlider(value=value, options=options, continuous_update=True, **common)
    return W.Dropdown(value=value, options=options, **common)


def _text(spec: Text, value, common) -> W.ValueWidget:
    return W.Text(value=value, continuous_update=False, **common)


#: spec type -> control factory ``(spec, value, common keyword arguments) -> widget``; a new
#: kind of spec is one entry here (subclasses of a spec use its entry).
CONTROLS = {
    Flag: _checkbox,
    IntRange: _int_slider,
    FloatRange: _float_slider,
    Choice: _choice,
    Text: _text,
}


def make_control(name: str, spec: Spec, value) -> W.ValueWidget:
    """The ipywidgets control for a spec, showing ``value`` (dispatched by :data:`CONTROLS`)."""
    factory = next((CONTROLS[k] for k in type(spec).__mro__ if k in CONTROLS), None)
    if factory is None:
        raise TypeError(f"no control for spec {type(spec).__name__}")
    common = dict(
        description=spec.label or name,
        description_allow_html=True,
        style=_CONTROL_STYLE,
        layout=W.Layout(**_CONTROL_LAYOUT),
        tooltip=spec.description or None,
    )
    return factory(spec, value, common)


def _same_position(control, new, current) -> bool:
    """True when a slider only snapped ``current`` to its step grid (the browser does this on
    first display, e.g. 50 on a log slider becomes 50.15): the same position, not a new value."""
    if isinstance(control, W.FloatLogSlider):
        if not (isinstance(new, float) and isinstance(current, float) and new > 0 and current > 0):
            return False
        return abs(math.log(new, control.base) - math.log(current, control.base)) < control.step / 2
    if isinstance(control, W.FloatSlider):
        return isinstance(new, float) and abs(new - current) < control.step / 2
    return False


def _descendants(widget):
    """The widget and every widget inside it (through ``children``)."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


def client_update(control, spec: Spec, name: str, sync_data, current) -> dict:
    """The part of a client's state update that may be applied to ``control``, checked.

    A browser may send any JSON for any synced trait. Only the value (for selections: the
    index of an option) may change; it is validated by the parameter's spec (which snaps values
    within rounding of a bound onto it, as a log slider's ends). Returns ``{}`` when nothing is
    to be applied (a slider snapping the current value to its grid); raises ``ValueError``
    naming what was refused.
    """
    if not isinstance(sync_data, dict):
        raise InvalidValue(
            f"{name}: a client update must be a mapping; got {type(sync_data).__name__}"
        )
    selection = isinstance(control, _SELECTIONS)
    key = "index" if selection else "value"
    refused = sorted(str(k) for k in sync_data if k != key)
    if refused:
        shown = ", ".join(refused[:4]) + (", ..." if len(refused) > 4 else "")
        raise InvalidValue(
            f"{name}: only its {'choice' if selection else 'value'} can be changed from the "
            f"browser; refused {shown[:80]}"
        )
    if key not in sync_data:
        return {}
    raw = sync_data[key]
    if selection:
        values = list(spec.labels)
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw < len(values):
            raise InvalidValue(f"{name} must be {spec.describe()}; got option number {_fmt(raw)}")
        spec.validate(name, values[raw])
        return {"index": raw}
    value = spec.validate(name, raw)
    if _same_position(control, value, current):
        return {}
    return {"value": value}


def _kept_text(spec: Spec, sync_data) -> bool:
    """Whether a refused client update is a text for a :class:`Text` spec that stays in its box
    (a typed formula with an error is kept, to be corrected; the state keeps its last good
    value). Only a plain value of a string, at most 4 x ``max_length`` long."""
    if not (isinstance(spec, Text) and isinstance(sync_data, dict) and set(sync_data) == {"value"}):
        return False
    text = sync_data["value"]
    return isinstance(text, str) and len(text) <= 4 * spec.max_length


class _FrameQueue:
    """Renders the browser's "draw" requests of canvases on one thread, newest per canvas.

    At page load the browser asks every canvas for a frame; rendered on the kernel's message
    loop (about 0.5 s each on a loaded machine, 20 canvases in lecture 03) they queued a
    student's first slider moves behind them for ~10 s. Canvas draws hold ``DRAW_LOCK``.
    """

    def __init__(self):
        self._pending: dict[int, object] = {}
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, canvas, draw) -> None:
        with self._wake:
            self._pending[id(canvas)] = draw  # a newer request of the same canvas replaces it
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="mathdl-draw", daemon=True)
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._pending:
                    self._wake.wait()
                _, draw = self._pending.popitem()
            try:
                draw()
            except Exception:  # a failed frame must not end the thread of every canvas
                pass


_FRAMES = _FrameQueue()


def _draw_off_the_message_loop(canvas) -> None:
    """Route a canvas's "draw" messages to :data:`_FRAMES`; other messages stay in order."""
    if getattr(canvas, "_mathdl_deferred", False):
        return
    handler = canvas._handle_message
    canvas.on_msg(handler, remove=True)

    def handle(widget, content, buffers):
        if isinstance(content, dict) and content.get("type") == "draw":
            _FRAMES.submit(canvas, lambda: handler(widget, content, buffers))
        else:
            handler(widget, content, buffers)

    canvas.on_msg(handle)
    canvas._mathdl_deferred = True


def _restore(widget) -> None:
    """Send the kernel's state of ``widget`` to the client again (undo a refused update)."""
    try:
        widget.send_state()
    except Exception:
        pass


def _lock(widget) -> None:
    """Make ``widget`` ignore client state updates (and restore the client's view)."""
    if getattr(widget, "_mathdl_locked", False):
        return

    def set_state(sync_data):
        _restore(widget)

    widget.set_state = set_state
    widget._mathdl_locked = True


class LivePanel(W.VBox):
    """Base class of every panel: controls, figures, status line, progress, stop.

    Parameters
    ----------
    state : LiveState
        Created with ``compute_now=False``; the panel requests the first computation in
        :meth:`start`, once its figures exist.
    title : str
        Heading shown above the panel.
    controls : sequence of str, optional
        Which parameters get a control (default: all, in declaration order).
    show_progress : bool
        Show the progress bar and stop button (panels with slow jobs).

    Subclasses build their figures, put them in ``self.figures`` (name -> widget), call
    :meth:`assemble` with the figure area, then :meth:`start`. They implement :meth:`render`.
    """

    def __init__(
        self,
        state: LiveState,
        *,
        title: str = "",
        controls=None,
        show_progress: bool = False,
    ):
        super().__init__()
        self.state = state
        self.figures: dict[str, W.Widget] = {}
        specs = state.param_specs()
        names = list(specs) if controls is None else list(controls)
        self.controls: dict[str, W.ValueWidget] = {}
        self._syncing = False
        self._refused_text: set[str] = set()  # text controls showing a text the state refused
        for name in names:
            control = make_control(name, specs[name], getattr(state, name))
            self.controls[name] = control
            control.observe(self._control_changed(name), names="value")
            self._guard(name, control)
        state.observe(self._state_param_changed, names=names)

        # HTMLMath: $...$ in a title or a status message is typeset (HTML shows the dollars)
        heading = f"<h3 style='margin:4px 0'>{html.escape(title)}</h3>" if title else ""
        self.title = W.HTMLMath(heading)
        self.status = W.HTMLMath("", layout=W.Layout(min_height="22px"))
        self.progress = W.FloatProgress(
            value=0.0, min=0.0, max=1.0, description="", layout=W.Layout(width="220px")
        )
        self.stop_button = W.Button(
            description="Stop", icon="stop", button_style="warning", layout=W.Layout(width="90px")
        )
        self.stop_button.on_click(lambda _: self.state.cancel())
        self._progress_box = W.HBox(
            [self.progress, self.stop_button],
            layout=W.Layout(display="flex" if show_progress else "none"),
        )
        self.start_button = None
        if state.starts_on == "button":
            self.start_button = W.Button(
                description=state.start_label,
                icon="play",
                button_style="success",
                layout=W.Layout(width="110px"),
            )
            self.start_button.on_click(lambda _: self.state.trigger())
        #: One button per declared action (``state.actions``), placed by :meth:`control_box`.
        self.action_buttons: dict[str, W.Button] = {}
        for name, action in state.actions.items():
            button = W.Button(
                description=action.label, icon=action.icon, layout=W.Layout(width="105px")
            )
            button.on_click(lambda _, name=name: self.state.act(name))
            self.action_buttons[name] = button
        state.observe(self._show_status, names=["status", "ok", "busy"])
        state.observe(self._show_progress, names=["progress", "busy"])
        state.observe(self._result_changed, names="result")
        self._last_resend = 0.0
        self._assembled = False  # results that arrive before the figures exist are not drawn
        self._show_status()
        self._show_progress()

    # ------------------------------------------------------------------ layout
    def control_box(self, names=None, extra=()) -> W.VBox:
        """A column with the named controls (default: all), then ``extra`` widgets."""
        names = list(self.controls) if names is None else names
        button = [self.start_button] if self.start_button is not None else []
        actions = list(self.action_buttons.values())
        rows = [W.HBox(actions[i : i + 2]) for i in range(0, len(actions), 2)]
        return W.VBox([self.controls[n] for n in names] + button + rows + list(extra))

    def assemble(self, body: W.Widget, *, left: W.Widget | None = None) -> None:
        """Lay the panel out: title, controls on the left, ``body`` (figures) on the right,
        then the progress row and the status line."""
        for name, fig in self.figures.items():
            if not isinstance(fig, Figure):
                raise TypeError(
                    f"figure {name!r} is a {type(fig).__name__}; panels use matplotlib figures "
                    "made by widgets.figures.new_figure (plotly FigureWidget ships 5 MB per "
                    "figure and makes Voila pages take ~25 s to load)"
                )
        for fig in self.figures.values():
            _draw_off_the_message_loop(fig.canvas)
            fig.canvas.on_msg(self._view_appeared)
        left = self.control_box() if left is None else left
        row = W.HBox([left, body], layout=W.Layout(align_items="flex-start", flex_flow="row wrap"))
        row.add_class("mathdl-row")
        self.children = [self.title, row, self._progress_box, self.status]
        self._lock_display()
        # the page's link: controls read from the URL query, a "copy link" control, projector mode
        self._assembled = True
        self.share_key = share.attach(self)

    def start(self) -> LivePanel:
        """Request the first computation (call at the end of the subclass's ``__init__``).

        A ``starts_on = "button"`` state shows its cached result, or :data:`NOT_COMPUTED`
        (drawn by :meth:`render_not_computed`).
        """
        self.state.request()
        return self

    def render_not_computed(self) -> None:
        """Show that the current parameters have not been computed (``starts_on = "button"``):
        clear the figures and say which button to press. Default: nothing."""

    def _view_appeared(self, canvas, content, buffers) -> None:
        """A figure's view now exists in a browser: send every widget's state once more.

        Voila fetches all widget states once, when the page connects; an update that a worker
        thread sends between that snapshot and the models' creation in the browser is dropped
        (seen: a status line stuck at "computing" over an idle kernel). A canvas says
        'initialized' once its view exists, when updates are surely received.
        """
        if not isinstance(content, dict) or content.get("type") != "initialized":
            return
        now = time.monotonic()
        if now - self._last_resend < 0.5:  # one canvas of the panel is enough
            return
        self._last_resend = now
        figures = {id(fig.canvas) for fig in self.figures.values()}
        for widget in _descendants(self):
            if id(widget) not in figures:
                widget.send_state()

    # ------------------------------------------------------------------ headless API
    def wait(self, timeout: float | None = 30.0) -> bool:
        """Block until pending work is computed and rendered (tests, homework)."""
        return self.state.wait(timeout)

    def render(self, result) -> None:
        """Draw a result into the figures (in place). Subclasses implement it."""
        raise NotImplementedError

    # ------------------------------------------------------------------ linking
    def _control_changed(self, name):
        keeps_text = isinstance(self.state.param_specs()[name], Text)

        def handler(change):
            if self._syncing:
                return
            if self.state.try_set(**{name: change["new"]}):
                if keeps_text and name in self._refused_text:
                    # a good text after a refused one: clear the message even when the
                    # state already had this value (then nothing would recompute)
                    self._refused_text.discard(name)
                    self.state.request()
            elif keeps_text and isinstance(change["new"], str):
                # a refused text stays in its box, to be corrected; the message is in the
                # status line and the state keeps its last good value
                self._refused_text.add(name)
            else:
                self._sync_control(name, resend=True)

        return handler

    def _state_param_changed(self, change):
        self._sync_control(change["name"])
        # another parameter changed: a refused text left in its box gives way to the state's
        # value, so that the box never shows a text that is not what is computed without its
        # message
        for name in sorted(self._refused_text - {change["name"]}):
            self._refused_text.discard(name)
            self._sync_control(name)

    def _sync_control(self, name, resend=False):
        """Show the state's value on its control. A value the client itself just sent (the
        state took it) is never sent back: while a key is held, that echo would arrive after
        newer presses and move the slider back. Only a rejected value is corrected."""
        control = self.controls[name]
        value = getattr(self.state, name)
        if control.value != value:
            self._syncing = True
            try:
                control.value = value
            finally:
                self._syncing = False
        elif resend:
            # The client may show a value the kernel rejected: send the good one back.
            control.send_state("value")

    def _guard(self, name, control):
        """Check what a client sends before ipywidgets applies it (it would clamp or raise).

        Only a control's value (a selection's index) may change from the browser; any other
        trait (min, max, step, base, options, description, disabled, ...) is refused, and the
        client's view is restored, with the reason in the status line.
        """
        spec = self.state.param_specs()[name]
        original = control.set_state

        def set_state(sync_data):
            try:
                update = client_update(control, spec, name, sync_data, getattr(self.state, name))
                if update:
                    original(update)
            except Exception as exc:  # a hostile client must not reach the kernel's log only
                if _kept_text(spec, sync_data):
                    original(sync_data)  # shown in its box; the handler reports the refusal
                    return
                self.state.report(exc if isinstance(exc, ValueError) else short_error(exc))
                _restore(control)

        control.set_state = set_state

    def _lock_display(self):
        """Widgets that only display (title, status, progress, boxes, buttons, their layouts and
        styles) ignore client state updates: a browser cannot write HTML into the status line."""
        controls = {id(c) for c in self.controls.values()}
        canvases = {id(fig.canvas) for fig in self.figures.values()}
        for widget in _descendants(self):
            if id(widget) in canvases:
                continue
            if id(widget) not in controls:
                _lock(widget)
            for attr in ("layout", "style"):
                part = getattr(widget, attr, None)
                if isinstance(part, W.Widget):
                    _lock(part)

    # ------------------------------------------------------------------ status
    def _show_status(self, change=None):
        s = self.state
        if not s.ok:
            text = f"<span style='color:#b00020'>&#9888; {html.escape(s.status)}</span>"
        elif s.busy:
            text = "<span style='color:#666'>computing&hellip;</span>"
        else:
            text = "<span style='color:#2e7d32'>up to date</span>"
        self.status.value = text

    def _show_progress(self, change=None):
        self.progress.value = self.state.progress
        self.stop_button.disabled = not self.state.busy

    def _result_changed(self, change):
        new = change["new"]
        if new is not None and self._assembled:
            with DRAW_LOCK:
                if new is NOT_COMPUTED:
                    self.render_not_computed()
                else:
                    self.render(new)
            redraw(*self.figures.values())
