"""Every control of every panel of every lecture against a hostile browser client.

The panels are the ones each lecture notebook imports from ``widgets`` (read from the notebook's
code, so a new panel is covered without editing this file). Updates arrive as a comm message
would deliver them (``comm.handle_msg`` of an ipywidgets "update"), with any trait a client can
name and any JSON value. Each must leave a clear status line, the parameter and the control's
traits unchanged, and the next good value must still be taken.
"""

from __future__ import annotations

import math

import ipywidgets as W
import pytest

from course.lectures import LECTURES
from widgets.catalog import lecture_panels
from widgets.figures import DEVICE_PIXEL_RATIO
from widgets.params import Choice, FloatRange

pytestmark = pytest.mark.slow

HOSTILE = [float("nan"), float("inf"), -float("inf"), 1e308, -1e308, 10**400, "7", None, [1], {}]
TRAITS = ["value", "min", "max", "step", "base", "options", "description", "disabled", "index"]
WATCHED = ["value", "min", "max", "step", "base", "options", "index", "description", "disabled"]


PANELS = [(lec.stem, cls) for lec, cls in lecture_panels()]


def update(widget, state: dict) -> None:
    """Deliver ``state`` to ``widget`` as a comm "update" message from a browser would."""
    widget.comm.handle_msg(
        {
            "content": {"data": {"method": "update", "state": state, "buffer_paths": []}},
            "buffers": [],
        }
    )


def custom(widget, content: dict) -> None:
    """Deliver a custom message (what ipympl's front-end sends) to ``widget``."""
    widget.comm.handle_msg(
        {"content": {"data": {"method": "custom", "content": content}}, "buffers": []}
    )


def reports(panel, send) -> list[str]:
    """The status lines reported while ``send()`` runs (a later result may clear the line)."""
    seen = []

    def record(change):
        if change["new"]:
            seen.append(change["new"])

    panel.state.status = ""
    panel.state.observe(record, names="status")
    try:
        send()
    finally:
        panel.state.unobserve(record, names="status")
    return seen


def _snapshot(control) -> dict:
    return {k: getattr(control, k) for k in WATCHED if control.has_trait(k)}


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def _good_value(control, spec):
    """A valid value different from the current one, as the client would send it."""
    if isinstance(control, (W.Dropdown, W.ToggleButtons)):
        return "index", (control.index + 1) % len(control.options)
    if isinstance(control, W.Checkbox):
        return "value", not control.value
    if isinstance(control, W.FloatLogSlider):
        # the browser's own arithmetic at the slider's right or left end
        end = control.max if control.value != control.base**control.max else control.min
        return "value", control.base**end
    if isinstance(control, (W.IntSlider, W.FloatSlider)):
        up = control.value + control.step
        return "value", up if up <= control.max else control.value - control.step
    return None, None  # texts (formulas): any change is a new formula, checked elsewhere


@pytest.fixture(scope="module")
def panels():
    made = {}
    for stem, cls in PANELS:
        made[(stem, cls.__name__)] = cls()
    yield made
    for panel in made.values():
        panel.state.cancel()
    for panel in made.values():  # no worker may still be inside torch when the interpreter exits
        assert panel.wait(120), f"{type(panel).__name__} did not stop"


def test_every_lecture_has_panels():
    stems = {stem for stem, _ in PANELS}
    assert stems == {lec.stem for lec in LECTURES if lec.written}


@pytest.mark.parametrize("stem,cls", PANELS, ids=[f"{s[:2]}-{c.__name__}" for s, c in PANELS])
def test_hostile_updates_of_every_control(panels, stem, cls):
    panel = panels[(stem, cls.__name__)]
    specs = panel.state.param_specs()
    assert panel.controls, f"{cls.__name__} has no controls"
    for name, control in panel.controls.items():
        spec = specs[name]
        selection = isinstance(control, (W.Dropdown, W.ToggleButtons))
        # for a text, any short string is a candidate value (checked by compute): send a long one
        hostile = [v for v in HOSTILE if not isinstance(v, str)] + ["x" * 100_000]
        settable = "index" if selection else "value"
        for trait in TRAITS:
            values = hostile if isinstance(control, W.Text) else HOSTILE
            if trait != settable:
                values = [-1e308, 10**400, None]  # refused whatever the value: a few suffice
            for value in values:
                before_param = getattr(panel.state, name)
                before_control = _snapshot(control)
                said = reports(panel, lambda: update(control, {trait: value}))  # noqa: B023
                refused = bool(said)
                if (trait == "value" and not selection) or (trait == "index" and selection):
                    # a hostile value of the one client-settable trait
                    assert refused, f"{stem} {name}: {trait}={value!r} was accepted"
                else:
                    assert refused, f"{stem} {name}: setting {trait} was not refused"
                status = said[-1]
                assert name in status or (spec.label and spec.label in status), status
                for word in ("ZeroDivisionError", "OverflowError", "Traceback", "TypeError"):
                    assert word not in status, status
                assert _same(getattr(panel.state, name), before_param), (name, trait, value)
                after = _snapshot(control)
                for k, v in before_control.items():
                    assert _same(after[k], v), f"{stem} {name}: {k} changed by {trait}={value!r}"
        # the next good value is taken
        key, good = _good_value(control, spec)
        if key is None:
            continue
        update(control, {key: good})
        expected = list(spec.labels)[good] if key == "index" else good
        got = getattr(panel.state, name)
        if isinstance(spec, FloatRange):
            assert got == pytest.approx(expected, rel=1e-9), (stem, name, got, expected)
            assert spec.min <= got <= spec.max
        else:
            assert got == expected, (stem, name, got, expected)
        assert isinstance(spec, Choice) or not isinstance(got, str) or isinstance(good, str)


@pytest.mark.parametrize("stem,cls", PANELS, ids=[f"{s[:2]}-{c.__name__}" for s, c in PANELS])
def test_log_slider_ends_accepted(panels, stem, cls):
    panel = panels[(stem, cls.__name__)]
    specs = panel.state.param_specs()
    for name, control in panel.controls.items():
        if not isinstance(control, W.FloatLogSlider):
            continue
        for end, bound in ((control.max, specs[name].max), (control.min, specs[name].min)):
            sent = control.base**end  # e.g. 10 ** log10(20) = 20.000000000000004
            said = reports(panel, lambda: update(control, {"value": sent}))  # noqa: B023
            assert not any(name in text for text in said), said
            assert getattr(panel.state, name) == pytest.approx(bound, rel=1e-12)
            assert specs[name].min <= getattr(panel.state, name) <= specs[name].max


@pytest.mark.parametrize("stem,cls", PANELS, ids=[f"{s[:2]}-{c.__name__}" for s, c in PANELS])
def test_display_widgets_and_canvases_ignore_clients(panels, stem, cls):
    panel = panels[(stem, cls.__name__)]
    status, title = panel.status.value, panel.title.value
    update(panel.status, {"value": "<img src=x onerror=alert(1)>"})
    update(panel.title, {"value": "<b>pwned</b>"})
    assert panel.status.value == status
    assert panel.title.value == title
    update(panel.progress, {"max": 1e308, "value": float("nan")})
    assert panel.progress.max == 1.0
    for fig in panel.figures.values():
        canvas = fig.canvas
        size = tuple(fig.get_size_inches())
        custom(canvas, {"type": "resize", "width": 60000, "height": 60000})
        update(canvas, {"resizable": True, "_size": [60000, 60000]})
        custom(canvas, {"type": "resize", "width": 60000, "height": 60000})
        assert canvas.resizable is False
        assert tuple(fig.get_size_inches()) == size
        custom(canvas, {"type": "set_device_pixel_ratio", "device_pixel_ratio": 1000})
        assert canvas.device_pixel_ratio <= DEVICE_PIXEL_RATIO[1]
        custom(canvas, {"type": "set_device_pixel_ratio", "device_pixel_ratio": 1})
        assert canvas.device_pixel_ratio == 1


def test_try_set_never_raises(panels):
    panel = next(iter(panels.values()))
    name = next(iter(panel.controls))
    for value in HOSTILE:
        said = reports(panel, lambda: panel.state.try_set(**{name: value}))  # noqa: B023
        assert said and name in said[-1], said
        assert panel.state.try_set(**{name: value}) is False
    assert panel.state.try_set(no_such_parameter=1) is False


def test_a_value_from_the_client_is_not_sent_back(panels):
    """While a key is held, sending the client's own value back would land after its newer
    presses and move the slider back (ipywidgets' front-end applies every plain "update"; only
    "echo_update" messages are matched to what it sent)."""
    for panel in panels.values():
        for name, control in panel.controls.items():
            key, good = _good_value(control, panel.state.param_specs()[name])
            if key != "value":
                continue
            sent = []
            send = control.comm.send
            control.comm.send = lambda data=None, metadata=None, buffers=None, sent=sent: (
                sent.append(data)
            )
            try:
                update(control, {key: good})
            finally:
                control.comm.send = send
            assert getattr(panel.state, name) == pytest.approx(control.value)
            back = [m for m in sent if m.get("method") == "update" and "value" in m["state"]]
            assert back == [], f"{type(panel).__name__} {name}: its value was sent back"
