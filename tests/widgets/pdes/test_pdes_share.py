"""Lecture 08, shareable state headless: every control of every panel is in the page's link, and
the link restores all of them on a new page (the browser test moves only each first control)."""

from __future__ import annotations

import urllib.parse

import pytest
import torch

from widgets import share
from widgets.pdes import BSDEPanel, CostPanel, FEMPanel, ParametricPanel, PINNPanel, RitzPanel

torch.set_num_threads(1)


def _lecture_08():
    # the notebook's panels, in the notebook's order
    return [FEMPanel(), PINNPanel(), RitzPanel(), BSDEPanel(), CostPanel(), ParametricPanel()]


def _other_value(control):
    """A valid value of the control other than its current one: the next option, or one step
    (down where the control is at its maximum, as lecture 08's dimension d = 100 is)."""
    if not hasattr(control, "max"):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return values[(values.index(control.value) + 1) % len(values)]
    if type(control).__name__ == "FloatLogSlider":
        up = control.value * control.base**control.step
        return up if up <= control.base**control.max else control.value / control.base**control.step
    up = control.value + control.step
    return up if up <= control.max else control.value - control.step


@pytest.mark.slow
def test_every_lecture_08_control_is_in_the_link_and_restored():
    share.new_page("")
    first = _lecture_08()
    keys = [p.share_key for p in first]
    assert keys == ["fem", "pinn", "ritz", "bsde", "cost", "parametric"]  # no key collides
    assert first[0].share_link.query == ""
    assert first[3].state.dim == first[3].controls["dim"].max  # the BSDE slider starts at its max
    expected = {}
    for panel in first:
        for name, control in panel.controls.items():
            control.value = _other_value(control)
            assert getattr(panel.state, name) == control.value, (panel.share_key, name)
            expected[f"{panel.share_key}.{name}"] = share.to_text(control.value)
    query = first[0].share_link.query
    assert dict(urllib.parse.parse_qsl(query)) == expected
    assert all(p.share_link.query == query for p in first)
    share.new_page(query)
    second = _lecture_08()
    for p in first + second:
        assert p.wait(120)
    for a, b in zip(first, second):
        assert b.state.params() == a.state.params(), a.share_key
        assert b.state.ok, (a.share_key, b.state.status)
        assert {n: c.value for n, c in b.controls.items()} == a.state.params(), a.share_key
    assert second[0].share_link.query == query
