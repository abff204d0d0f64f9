"""Shareable state and the projector layout, in Voila and headless Chromium.

For every lecture (one Voila server each, one browser): the page loads; every panel's first
control is moved as a student would (keyboard on a slider, else the next option); the "copy link"
control's link is read; a new page opened from that link (a new kernel) shows every control of
every panel exactly as before, and gives the same link. The new page is opened in the projector
layout (``&mode=projector``) at 1280 x 720: no element is wider than the viewport, each panel's
figures stand beside its controls (never wrapped below), advanced controls are hidden, and a
screenshot of each panel is kept in ``artifacts/browser/``. Hostile query strings give messages
in the status lines and change nothing.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, ROOT
from .test_voila import ERROR_TEXT, LECTURES, _settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# every control's shown value, panel by panel (hidden controls included: textContent)
CONTROL_VALUES = """() => Array.from(document.querySelectorAll('.mathdl-panel')).map(p =>
    Array.from(p.querySelectorAll('.widget-readout, select, .widget-toggle-button.mod-active,'
        + ' .widget-checkbox input, .widget-text input'))
    .map(e => e.tagName === 'SELECT' ? e.value
        : e.type === 'checkbox' ? String(e.checked)
        : e.tagName === 'INPUT' ? e.value : e.textContent.trim()))"""

# elements that reach past the viewport's right edge (the page is scrolled fully left)
TOO_WIDE = """(width) => Array.from(document.querySelectorAll('body *'))
    .filter(e => { const r = e.getBoundingClientRect();
                   return r.width > 0 && r.right > width + 1; })
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ' right=' + e.getBoundingClientRect().right)"""

# panels whose body (figures) starts below the bottom of its controls: wrapped
WRAPPED = """() => Array.from(document.querySelectorAll('.mathdl-panel > .mathdl-row'))
    .filter(r => r.children.length === 2 &&
        r.children[1].getBoundingClientRect().top >= r.children[0].getBoundingClientRect().bottom - 1)
    .map(r => r.parentElement.querySelector('h3') ? r.parentElement.querySelector('h3').textContent : '?')"""

MOVE_FIRST_CONTROLS = """() => Array.from(document.querySelectorAll('.mathdl-panel')).map((p, i) => {
    // the first slider shown (a panel hides controls that do nothing for its other settings)
    const handles = Array.from(p.querySelectorAll('.widget-slider .noUi-handle'));
    const k = handles.findIndex(h => h.offsetParent !== null);
    // a slider at its maximum (lecture 08's dimension d = 100) is moved left, as a student would
    if (k >= 0) { const h = handles[k];
        return [parseFloat(h.getAttribute('aria-valuenow')) >= parseFloat(h.getAttribute('aria-valuemax'))
            ? 'slider-left' : 'slider-right', k]; }
    const s = p.querySelector('.widget-dropdown select');
    if (s && s.options.length > 1) return ['select', 0];
    return ['none', 0];
})"""


def _link(page) -> str:
    return page.locator(".mathdl-share-link").first.get_attribute("href")


def _move_every_panel(page) -> int:
    """Move each panel's first shown control: one ArrowRight press on a slider (ArrowLeft where the
    slider is at its maximum: there ArrowRight changes nothing), else the next option of its
    first dropdown. Returns how many panels were changed."""
    kinds = page.evaluate(MOVE_FIRST_CONTROLS)
    panels = page.locator(".mathdl-panel")
    moved = 0
    link = _link(page)
    for i, (kind, k) in enumerate(kinds):
        panel = panels.nth(i)
        if kind.startswith("slider"):
            handle = panel.locator(".widget-slider .noUi-handle").nth(k)
            handle.scroll_into_view_if_needed()
            handle.focus()
            # one step: one change of the link to wait for
            page.keyboard.press("ArrowLeft" if kind == "slider-left" else "ArrowRight")
        elif kind == "select":
            select = panel.locator(".widget-dropdown select").first
            count = select.locator("option").count()
            current = select.evaluate("s => s.selectedIndex")
            select.select_option(index=(current + 1) % count)
        else:
            continue
        moved += 1
        # the kernel took the new value once the link (made from the kernel's state) changes
        page.wait_for_function(
            "(old) => document.querySelector('.mathdl-share-link').href !== old",
            arg=link,
            timeout=120_000,
        )
        link = _link(page)
        _settle(page)
    return moved


def _query(url: str) -> dict:
    return {
        k: v for k, v in urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query) if k != "mode"
    }


@pytest.mark.parametrize("path", LECTURES, ids=[p.stem for p in LECTURES])
def test_link_reproduces_the_page_and_projector_layout_fits(path: Path, browser, voila):
    server = voila(path)
    page = browser.new_page(viewport={"width": 1400, "height": 4000})
    page.goto(server.url, timeout=180_000, wait_until="domcontentloaded")
    page.wait_for_selector(".mathdl-share-link", timeout=180_000)
    _settle(page)
    assert _query(_link(page)) == {}, "a fresh page's link names changed controls"
    assert _move_every_panel(page) >= 1
    link = _link(page)
    before = page.evaluate(CONTROL_VALUES)
    assert _query(link), "moving controls did not change the link"
    page.close()

    # the link, in the projector layout, on a screen of 1280 x 720
    projector = browser.new_page(viewport={"width": 1280, "height": 720})
    url = link + ("&" if "?" in link else "?") + "mode=projector"
    projector.goto(url, timeout=180_000, wait_until="domcontentloaded")
    projector.wait_for_selector(".mathdl-share-link", timeout=180_000)
    _settle(projector)
    assert projector.evaluate(CONTROL_VALUES) == before, f"{link} did not restore every control"
    assert _query(_link(projector)) == _query(link), "the restored page gives another link"
    text = projector.inner_text("body")
    assert not ERROR_TEXT.search(text), ERROR_TEXT.search(text).group(0)

    assert (
        projector.locator(".mathdl-projector").count() == projector.locator(".mathdl-panel").count()
    )
    assert projector.evaluate("() => document.documentElement.scrollWidth") <= 1280
    assert projector.evaluate(TOO_WIDE, 1280) == []
    assert projector.evaluate(WRAPPED) == [], "figures wrapped below the controls"
    for i in range(projector.locator(".mathdl-panel").count()):
        panel = projector.locator(".mathdl-panel").nth(i)
        panel.scroll_into_view_if_needed()
        row = panel.locator(".mathdl-row").first.bounding_box()
        assert row["height"] <= 720, (
            f"panel {i}'s controls and figures are {row['height']:.0f} px tall"
        )
        panel.screenshot(path=str(ARTIFACTS / f"projector-{path.stem}-{i}.png"))
    projector.close()


def test_hostile_query_strings_give_messages_and_no_harm(browser, voila):
    server = voila(ROOT / "lectures" / "01_neurons_and_activations.ipynb")
    hostile = {
        "builder.depth": "1e308",
        "builder.width": "-1",
        "builder.sparsity": "nan",
        "builder.seed": "9" * 500,
        "neuron.activation": "<img src=x onerror=alert(1)>",
        "neuron.w1": "inf",
        "neuron.nope": "1",
        "x.y.z": "1",
        "ghost.w": "2",
        "mode": "evil",
    }
    page = browser.new_page(viewport={"width": 1400, "height": 4000})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server.url + "?" + urllib.parse.urlencode(hostile), timeout=180_000)
    page.wait_for_selector(".mathdl-share-link", timeout=180_000)
    _settle(page)
    text = page.inner_text("body")
    assert dialogs == [], "a query value ran script in the page"
    assert "Traceback" not in text
    for message in (
        "depth must be an integer in [1, 10]",
        "width must be one of 1, 2, 3",  # the discrete width slider's options
        "sparsity must be a number",
        "activation must be one of",
        "w1 must be a number",
        "unknown parameter 'nope'",
        "'x.y.z' is not <panel>.<parameter>",
        "mode must be 'projector'",
        "not on this page, ignored: ghost",
    ):
        assert message in text, f"no message {message!r}"
    # nothing was taken: the link still names no changed control, and the page still works
    assert _query(_link(page)) == {}
    handle = page.locator(".widget-slider .noUi-handle").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => /neuron\\.\\w+=/.test(document.querySelector('.mathdl-share-link').href)",
        timeout=120_000,
    )
