"""Lecture 07 in Voila and Chromium: panels fit 1280 px, the page keeps its height when the method
changes, and the digit is drawn with the mouse. Screenshots of each panel in ``artifacts/browser/``.
"""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, ROOT
from .test_voila import _settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LECTURE = ROOT / "lectures" / "07_relevance_maps.ipynb"
METHOD_LABELS = [
    "gradient",
    "gradient × input",
    "SmoothGrad",
    "Integrated Gradients",
    "occlusion",
    "RDE",
    "LRP",
]


@pytest.mark.parametrize("width,height", [(1280, 720), (1400, 1000)])
def test_relevance_lecture_in_the_browser(browser, voila, width, height):
    server = voila(LECTURE)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(server.url, timeout=120_000, wait_until="domcontentloaded")
    page.wait_for_selector(".mathdl-panel canvas", timeout=120_000)
    _settle(page)
    panels = page.locator(".mathdl-panel")
    assert panels.count() == 4
    for k in range(4):
        panel = panels.nth(k)
        panel.scroll_into_view_if_needed()
        panel.screenshot(path=str(ARTIFACTS / f"07-panel{k + 1}-{width}x{height}.png"))
        # the figures sit beside the controls, not wrapped below them, and inside the page
        row = panel.locator(".mathdl-row").first
        left, body = (row.locator(":scope > *").nth(i).bounding_box() for i in (0, 1))
        assert body["x"] >= left["x"] + left["width"] - 1, (k, left, body)
        assert body["y"] < left["y"] + 5, (k, left, body)
        assert body["x"] + body["width"] <= width, (k, body)

    explain = panels.nth(0)
    explain.scroll_into_view_if_needed()
    select = explain.locator(".widget-dropdown", has_text="method").locator("select")
    heights = {}
    for label in METHOD_LABELS:
        select.select_option(label=label)
        _settle(page)
        heights[label] = explain.bounding_box()["height"]
    assert len(set(heights.values())) == 1, heights

    # draw with the mouse: press, drag down the middle column, release
    canvases = explain.locator("canvas")
    boxes = [canvases.nth(i).bounding_box() for i in range(canvases.count())]
    drawing = min((b for b in boxes if b and b["width"] > 100), key=lambda b: b["x"])
    before = page.evaluate("() => document.body.innerText")
    x = drawing["x"] + drawing["width"] * 0.5
    top, bottom = drawing["y"] + drawing["height"] * 0.25, drawing["y"] + drawing["height"] * 0.8
    page.mouse.move(x, top)
    page.mouse.down()
    for i in range(1, 13):
        page.mouse.move(x, top + (bottom - top) * i / 12)
    page.mouse.up()
    _settle(page)
    selected = explain.locator(".widget-toggle-buttons button.mod-active").all_inner_texts()
    assert "my drawing" in selected, selected
    assert explain.bounding_box()["height"] == heights["LRP"]
    explain.screenshot(path=str(ARTIFACTS / f"07-drawn-{width}x{height}.png"))
    assert "up to date" in explain.inner_text() and before
