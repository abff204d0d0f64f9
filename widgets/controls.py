"""The controls of a panel: one widget per parameter spec, and the guard on what a browser sends.

:data:`CONTROLS` maps a spec's type to the function that makes its widget (a new kind of spec
registers here, nothing else changes). :func:`client_update` decides what of a client's update
is taken: only a control's value (a selection's index), validated by its spec; everything else
is refused with a message, and the client's view restored (:func:`_restore`). Display widgets
are locked (:func:`_lock`): a browser cannot write into a status line.
"""

from __future__ import annotations

import math

import ipywidgets as W

from .params import Choice, Flag, FloatRange, IntRange, InvalidValue, Spec, Text, _fmt

__all__ = ["CONTROLS", "client_update", "make_control"]

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
