"""Every lecture as a student sees it: served by Voila, driven in a real headless Chromium.

For each lecture: the page loads, every panel renders, no Python traceback, error message or
source code appears, moving the first slider (with the keyboard, as a user would) changes a
figure, and screenshots before and after are kept in ``artifacts/browser/``; so are the screens a
student scrolls through at 1400 x 1000 (a laptop) and 1280 x 720 (a projector), named
``<lecture>-<width>x<height>-<screen>.png``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LECTURES = sorted((ROOT / "lectures").glob("[0-9][0-9]_*.ipynb"))
IGNORED_CONSOLE = (
    "fontawesome",
    "font-awesome",
    "ERR_NAME_NOT_RESOLVED",
    "Unsatisfied version",
    "No satisfying version",
    "favicon",
)
ERROR_TEXT = re.compile(r"Traceback \(most recent call last\)|\b[A-Z]\w*(Error|Exception):|\u26a0")
# code cells' editors or input areas: Voila must strip every source cell from the page
SOURCE_SELECTOR = (
    ".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .cm-editor, .CodeMirror, pre.jp-InputPrompt"
)

CANVAS_PIXELS = """() => Array.from(document.querySelectorAll('canvas')).map(c => {
    try { return c.toDataURL().length + ':' + c.toDataURL().slice(-64); } catch (e) { return ''; }
})"""


#: The screens a student sees a lecture on: a laptop and a projector.
SCREENS = [(1400, 1000), (1280, 720)]

# Voila scrolls inside its own container: the element whose content is the tallest
SCROLLER = """() => {
    const all = [document.scrollingElement, ...document.querySelectorAll('*')];
    let best = document.scrollingElement;
    for (const el of all) {
        if (!el) continue;
        const style = getComputedStyle(el);
        const scrolls = el === document.scrollingElement || /(auto|scroll)/.test(style.overflowY);
        if (scrolls && el.scrollHeight - el.clientHeight > best.scrollHeight - best.clientHeight)
            best = el;
    }
    window.__mathdl_scroller = best;
    return [best.scrollHeight, best.clientHeight];
}"""


def save_screens(page, stem: str, width: int, height: int, limit: int = 60) -> list[Path]:
    """Screenshots of the page at ``width`` x ``height``, one per screen from top to bottom."""
    page.set_viewport_size({"width": width, "height": height})
    total, visible = page.evaluate(SCROLLER)
    n = min(limit, max(1, -(-total // max(1, visible))))
    paths = []
    for i in range(n):
        page.evaluate(f"() => window.__mathdl_scroller.scrollTo(0, {i * visible})")
        path = ARTIFACTS / f"{stem}-{width}x{height}-{i:02d}.png"
        page.screenshot(path=str(path))
        paths.append(path)
    page.evaluate("() => window.__mathdl_scroller.scrollTo(0, 0)")
    return paths


def _settle(page, timeout=180.0):
    """Wait until every panel says 'up to date' (or shows an error) and the canvases are drawn.

    The timeout is generous on purpose: on a loaded two-core machine a lecture's first sweep can
    take tens of seconds; a failure says which condition never held.
    """
    deadline = time.monotonic() + timeout
    last, stable_since, changes, busy = None, time.monotonic(), 0, True
    while time.monotonic() < deadline:
        text = page.inner_text("body")
        busy = "computing\u2026" in text or "Executing" in text or "Running" in text
        state = (page.locator("canvas").count(), page.evaluate(CANVAS_PIXELS))
        if state != last:
            last, stable_since, changes = state, time.monotonic(), changes + 1
        if not busy and state[0] > 0 and time.monotonic() - stable_since > 1.5:
            return state
        time.sleep(0.25)
    page.screenshot(path=str(ARTIFACTS / "did-not-settle.png"), full_page=True)
    (ARTIFACTS / "did-not-settle.txt").write_text(page.inner_text("body"))
    raise AssertionError(
        f"the page did not settle in {timeout:.0f} s: a panel still computing: {busy}; "
        f"canvas changes seen: {changes}, last {time.monotonic() - stable_since:.1f} s ago"
    )


@pytest.mark.parametrize("path", LECTURES, ids=[p.stem for p in LECTURES])
def test_lecture_in_voila(path: Path, browser, voila):
    server = voila(path)
    # a tall viewport: Voila scrolls inside its own container, so full_page alone cuts the page
    page = browser.new_page(viewport={"width": 1400, "height": 12000})
    console = []
    page.on("console", lambda m: console.append((m.type, m.text)))
    page.on("pageerror", lambda e: console.append(("pageerror", str(e))))
    t0 = time.monotonic()
    page.goto(server.url, timeout=120_000, wait_until="domcontentloaded")
    page.wait_for_selector(".widget-slider, .jupyter-widgets canvas", timeout=120_000)
    state_before = _settle(page)
    ready_s = time.monotonic() - t0
    page.screenshot(path=str(ARTIFACTS / f"{path.stem}-loaded.png"), full_page=True)
    for width, height in SCREENS:
        for old in ARTIFACTS.glob(f"{path.stem}-{width}x{height}-*.png"):
            old.unlink()
        shots = save_screens(page, path.stem, width, height)
        assert shots and all(p.stat().st_size > 0 for p in shots)
    page.set_viewport_size({"width": 1400, "height": 12000})

    text = page.inner_text("body")
    assert not ERROR_TEXT.search(text), ERROR_TEXT.search(text).group(0)
    assert page.locator(SOURCE_SELECTOR).count() == 0, "source code is visible on the dashboard"
    n_panels = text.count("up to date")
    assert n_panels >= 1, "no panel reports 'up to date'"

    # move the first slider with the keyboard, as a student would
    handle = page.locator(".widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    # the new frame may arrive after the status line says 'up to date' again (a fast compute
    # never shows 'computing'): wait for a figure to change, then for the page to settle
    deadline = time.monotonic() + 60.0
    while time.monotonic() < deadline and page.evaluate(CANVAS_PIXELS) == state_before[1]:
        time.sleep(0.25)
    state_after = _settle(page)
    page.screenshot(path=str(ARTIFACTS / f"{path.stem}-moved.png"), full_page=True)
    assert state_after[1] != state_before[1], "moving the first slider changed no figure"

    text = page.inner_text("body")
    assert not ERROR_TEXT.search(text), ERROR_TEXT.search(text).group(0)
    bad = [
        (kind, msg)
        for kind, msg in console
        if kind in ("error", "pageerror") and not any(s in msg for s in IGNORED_CONSOLE)
    ]
    assert bad == [], bad
    (ARTIFACTS / f"{path.stem}-ready-seconds.txt").write_text(f"{ready_s:.2f}\n")
