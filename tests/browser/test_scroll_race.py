"""A slider moved right after it is scrolled into view: the kernel takes the value.

At a screen's height (1400 x 1000) Voila renders a panel's figures only when they are scrolled
into view; the figure's canvas then tells the kernel that it exists, and the panel sends its
widgets' state once more. Keys pressed on a slider at that moment were lost: the slider showed
the new value while the kernel (the figure, the "copy link" control) kept the old one. Here each
panel's first slider is scrolled into view and moved at once, as a student would; after the page
settles, the kernel's state (the page's link) must name the value the slider shows.
"""

from __future__ import annotations

import math
import urllib.parse
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, ROOT
from .test_share import _link, _query
from .test_voila import _settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LECTURE = ROOT / "lectures" / "03_yarotsky_rates.ipynb"
PANELS_WITH_SLIDERS = """() => Array.from(document.querySelectorAll('.mathdl-panel'))
    .map((p, i) => p.querySelector('.widget-slider .noUi-handle') ? i : -1)
    .filter(i => i >= 0)"""


def _number(text: str) -> float:
    return float(text.replace("\u2212", "-"))


@pytest.mark.parametrize("path", [LECTURE], ids=[LECTURE.stem])
def test_keys_pressed_right_after_scrolling_reach_the_kernel(path: Path, browser, voila):
    server = voila(path)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server.url, timeout=180_000, wait_until="domcontentloaded")
    page.wait_for_selector(".mathdl-panel .widget-slider .noUi-handle", timeout=180_000)
    panels = page.locator(".mathdl-panel")
    indices = page.evaluate(PANELS_WITH_SLIDERS)
    assert len(indices) >= 2, "the lecture needs a slider below the first screen"
    # at once, while the page's figures are still being drawn: the second panel first
    indices = indices[1:] + indices[:1]
    taken = {}
    for i in indices:
        slider = panels.nth(i).locator(".widget-slider").first
        handle = slider.locator(".noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        readout = slider.locator(".widget-readout").first
        # the page settles: every status line says 'up to date' and the figures are still
        _settle(page)
        shown = readout.inner_text().strip()
        new = {k: v for k, v in _query(_link(page)).items() if k not in taken}
        if len(new) != 1:
            page.screenshot(path=str(ARTIFACTS / f"scroll-race-{path.stem}-{i}.png"))
        assert len(new) == 1, (
            f"panel {i}: its slider shows {shown}, but the kernel's link "
            f"{urllib.parse.unquote(_link(page))!r} names {sorted(new) or 'no new control'}"
        )
        ((key, value),) = new.items()
        assert math.isclose(_number(value), _number(shown), rel_tol=5e-3, abs_tol=1e-12), (
            f"panel {i}: its slider shows {shown}, the kernel has {key}={value}"
        )
        taken[key] = value
    # the earlier panels kept their values
    assert {k: v for k, v in _query(_link(page)).items() if k in taken} == taken
