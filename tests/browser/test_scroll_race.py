"""A slider moved right after the page shows it: the kernel takes the value.

At page load the browser asks each of the page's canvases (20 in lecture 03) for a frame. Those
frames were rendered on the kernel's message loop, about 0.5 s each on a loaded machine, so the
first keys pressed on a slider reached the kernel ~10 s later: the page said "up to date", the
slider showed the new value, and the kernel (its figure, the "copy link" control) the old one.
Here a lower panel's slider is scrolled into view and moved as soon as the page shows a slider,
on three fresh pages, then every panel in turn; once the page settles, the kernel's state (the
page's link) must name the value the slider shows. A race: on main it failed when the machine
was loaded (1 run in 3 at load 6, never at load 2); tests/widgets/test_canvas_draws.py checks
the mechanism without a browser.
"""

from __future__ import annotations

import math
import urllib.parse

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


def _open(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server.url, timeout=180_000, wait_until="domcontentloaded")
    page.wait_for_selector(".mathdl-panel .widget-slider .noUi-handle", timeout=180_000)
    return page


def _move_and_check(page, i: int, taken: dict) -> None:
    """Scroll panel ``i``'s first slider into view, press ArrowRight three times at once; once
    the page settles, the kernel's link must name that control at the value the slider shows."""
    slider = page.locator(".mathdl-panel").nth(i).locator(".widget-slider").first
    handle = slider.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    # the page settles: every status line says 'up to date' and the figures are still
    _settle(page)
    shown = slider.locator(".widget-readout").first.inner_text().strip()
    new = {k: v for k, v in _query(_link(page)).items() if k not in taken}
    if len(new) != 1:
        page.screenshot(path=str(ARTIFACTS / f"scroll-race-{LECTURE.stem}-{i}.png"))
    assert len(new) == 1, (
        f"panel {i}: its slider shows {shown}, but the kernel's link "
        f"{urllib.parse.unquote(_link(page))!r} names {sorted(new) or 'no new control'}"
    )
    ((key, value),) = new.items()
    assert math.isclose(_number(value), _number(shown), rel_tol=5e-3, abs_tol=1e-12), (
        f"panel {i}: its slider shows {shown}, the kernel has {key}={value}"
    )
    taken[key] = value


def test_keys_pressed_right_after_scrolling_reach_the_kernel(browser, voila):
    server = voila(LECTURE)
    # a race with the page's first frames: three fresh pages (each its own kernel), the second
    # panel's slider moved as soon as the page shows a slider
    for _ in range(3):
        page = _open(browser, server)
        indices = page.evaluate(PANELS_WITH_SLIDERS)
        assert len(indices) >= 2, "the lecture needs a slider below the first screen"
        _move_and_check(page, indices[1], {})
        page.close()
    # then every panel in turn, each scrolled into view and moved at once
    page = _open(browser, server)
    taken: dict = {}
    for i in page.evaluate(PANELS_WITH_SLIDERS):
        _move_and_check(page, i, taken)
    # the earlier panels kept their values
    assert {k: v for k, v in _query(_link(page)).items() if k in taken} == taken
    page.close()
