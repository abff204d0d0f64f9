"""Lecture 03's figures and texts as a student sees them, after computing: nothing outside its
figure, no overlapping texts or colliding ticks, legends off the data, math typeset
(:mod:`widgets.figcheck`), and the panels no wider than a 1280 px screen."""

from __future__ import annotations

import ipywidgets as W
import pytest

from widgets.figcheck import figure_problems, text_problems
from widgets.yarotsky import DepthPanel, ProductPanel, SawtoothPanel, SmoothPanel, SquarePanel

#: the control column (330 px) and the figures side by side must fit a 1280 px screen with the
#: page's margins and the gaps between widgets
MAX_ROW_PX = 1280 - 330 - 60

CASES = [
    (SawtoothPanel, [{"s": 1}, {"s": 6}, {"s": 12}]),
    (SquarePanel, [{"m": 0}, {"m": 3}, {"m": 12}]),
    (
        ProductPanel,
        [{"m": 0, "poly": "x3"}, {"m": 3}, {"m": 5, "poly": "mixed"}, {"m": 8, "poly": "exp5"}],
    ),
    (SmoothPanel, [{"s": 1}, {"s": 2}, {"s": 3}, {"s": 5}, {"s": 2, "d": 2}]),
    (DepthPanel, [{}, {"k_max": 2, "tol": 0.2, "train": True}]),
]


def _texts(panel):
    """(text, typeset?) of the panel's title, status line and HTML boxes."""
    out = [(panel.title.value, False), (panel.status.value, False)]
    for name in ("info", "table"):
        w = getattr(panel, name, None)
        if w is not None:
            out.append((w.value, isinstance(w, W.HTMLMath)))
    return out


@pytest.mark.parametrize("cls, settings", CASES, ids=[c.__name__ for c, _ in CASES])
def test_figures_and_texts_are_clean(cls, settings):
    p = cls()
    assert p.wait(60)
    width = sum(int(fig.get_figwidth() * fig.dpi) for fig in p.figures.values())
    assert width <= MAX_ROW_PX, width
    for values in settings:
        for name, value in values.items():
            if name != "train":
                p.controls[name].value = value
        assert p.wait(60)
        if values.get("train"):
            p.start_button.click()
            assert p.wait(120)
        assert p.state.ok, p.state.status
        for name, fig in p.figures.items():
            assert figure_problems(fig) == [], (values, name)
        for text, typeset in _texts(p):
            assert text_problems(text, math=typeset) == [], (values, text)
