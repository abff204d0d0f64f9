"""Every figure and status line of every panel of every lecture, as a student sees them.

The panels are the ones each lecture notebook imports (:mod:`widgets.catalog`, the enumeration
the hostile-client test and the store's warm-up use). Each panel is built headless and computes
its first result; a panel that computes on a button is checked before the press (what the
student sees first) and after it. Then :func:`widgets.figcheck.figure_problems` runs on every
figure in ``panel.figures`` and :func:`widgets.figcheck.text_problems` on the status line and
every other text widget of the panel (``HTML`` shows ``$...$`` untypeset; ``HTMLMath`` and
``Label`` typeset it).
"""

from __future__ import annotations

import ipywidgets as W
import pytest

from widgets.catalog import lecture_panels
from widgets.figcheck import figure_problems, text_problems
from widgets.panel import _descendants

pytestmark = pytest.mark.slow

#: Panels whose start button runs for minutes at the defaults (measured here: the default PINN
#: over 120 s, the deep BSDE at d = 100 over 120 s): before the press, these parameters make
#: the run short; the figures and texts drawn are the same code.
CHEAP_PRESS = {
    "08-PINNPanel": {"adam_steps": 100, "lbfgs_steps": 0},
    "08-BSDEPanel": {"iterations": 100},
}

#: A first result on a loaded two-core machine (with a CI run beside it) may take this long.
WAIT_S = 120.0

PANELS = [(lec.stem, cls) for lec, cls in lecture_panels()]


def _id(stem, cls):
    return f"{stem[:2]}-{cls.__name__}"


def _params():
    for stem, cls in PANELS:
        yield pytest.param(stem, cls, id=_id(stem, cls))


def _problems(panel, when: str) -> list[str]:
    problems = []
    for name, fig in panel.figures.items():
        problems += [f"{when}, figure {name!r}: {p}" for p in figure_problems(fig)]
    seen = set()
    for widget in _descendants(panel):
        if isinstance(widget, (W.HTML, W.HTMLMath, W.Label)) and id(widget) not in seen:
            seen.add(id(widget))
            what = "status line" if widget is panel.status else f"{type(widget).__name__} text"
            math = isinstance(widget, (W.HTMLMath, W.Label))
            problems += [f"{when}, {what}: {p}" for p in text_problems(widget.value, math=math)]
    return problems


def test_every_lecture_is_checked():
    from course.lectures import LECTURES

    assert {stem for stem, _ in PANELS} == {lec.stem for lec in LECTURES if lec.written}


@pytest.mark.parametrize("stem,cls", list(_params()))
def test_figures_and_texts_of_a_panel(stem, cls):
    panel = cls()
    try:
        assert panel.wait(WAIT_S), f"no first result within {WAIT_S:.0f} s"
        assert panel.state.ok, panel.state.status
        problems = _problems(panel, "first view")
        if panel.start_button is not None:
            for name, value in CHEAP_PRESS.get(_id(stem, cls), {}).items():
                panel.controls[name].value = value
            assert panel.wait(WAIT_S)
            panel.start_button.click()
            assert panel.wait(WAIT_S), f"{panel.start_button.description} took over {WAIT_S} s"
            assert panel.state.ok, panel.state.status
            problems += _problems(panel, f"after {panel.start_button.description}")
        assert not problems, "\n".join(problems)
    finally:
        panel.state.cancel()
        assert panel.wait(WAIT_S), f"{cls.__name__} did not stop"
