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
import time

import ipywidgets as W
from matplotlib.figure import Figure

from . import share
from .controls import (
    CONTROLS,
    _descendants,
    _kept_text,
    _lock,
    _restore,
    client_update,
    make_control,
)
from .figures import DRAW_LOCK, _draw_off_the_message_loop, redraw
from .live import NOT_COMPUTED, LiveState, short_error
from .params import Text

__all__ = ["CONTROLS", "LivePanel", "make_control", "client_update"]


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
