"""Lecture 01 as a student sees it in Voila: every panel's figures beside its controls at
1400 x 1000 and 1280 x 720, and the playground's warnings (Heaviside, divergence) on screen.
Screenshots in ``artifacts/browser/01-*.png``."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LECTURE = ROOT / "lectures" / "01_neurons_and_activations.ipynb"
SIZES = [(1400, 1000), (1280, 720)]
# for each panel row: the control column's box and its canvases' boxes
ROWS = """() => Array.from(document.querySelectorAll('.mathdl-row')).map(row => {
  const c = row.children[0].getBoundingClientRect();
  const figs = Array.from(row.querySelectorAll('canvas')).map(f => f.getBoundingClientRect())
      .filter(f => f.width > 0);
  return {controls_right: c.right, figures_left: Math.min(...figs.map(f => f.left)),
          figures_right: Math.max(...figs.map(f => f.right)), n: figs.length,
          page: document.documentElement.clientWidth};
})"""
SETTLED = (
    "() => document.body.innerText.includes('up to date')"
    " && !document.body.innerText.includes('computing')"
)
FIGURES = [2, 3, 2]  # per panel: neuron explorer, network builder, training playground
# the panel's figures have arrived: ipympl canvases holding a drawn frame (a blank or
# transparent canvas encodes to a few hundred bytes); ipympl draws what is in view
DRAWN = """([i, n]) => Array.from(document.querySelectorAll('.mathdl-panel')[i]
    .querySelectorAll('canvas'))
    .filter(c => { try { return c.toDataURL().length > 8000; } catch (e) { return false; } })
    .length >= n"""

# the panel's frames, to wait until every drawn figure of it has a new one after a change
FRAMES = """(i) => Array.from(document.querySelectorAll('.mathdl-panel')[i]
    .querySelectorAll('canvas')).map(c => { try { return c.toDataURL(); } catch (e) { return ''; } })"""
CHANGED = """([i, before]) => Array.from(document.querySelectorAll('.mathdl-panel')[i]
    .querySelectorAll('canvas')).every((c, k) => before[k].length < 8000
        || c.toDataURL() !== before[k])"""


def _open(browser, server, size):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(server.url, timeout=180_000, wait_until="domcontentloaded")
    page.wait_for_selector(".jupyter-widgets canvas", timeout=180_000)
    page.wait_for_function(SETTLED, timeout=180_000)
    return page


@pytest.fixture(scope="module")
def server():
    from .conftest import VoilaServer

    s = VoilaServer(LECTURE)
    yield s
    s.stop()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_figures_sit_beside_the_controls(browser, server, size):
    page = _open(browser, server, size)
    rows = page.evaluate(ROWS)
    assert len(rows) == 3  # neuron explorer, network builder, training playground
    for i, row in enumerate(rows):
        assert row["n"] >= 2, row
        # not wrapped below the controls, and inside the page
        assert row["figures_left"] >= row["controls_right"] - 1, (i, row)
        assert row["figures_right"] <= row["page"], (i, row)
    panels = page.locator(".mathdl-panel")
    for i in range(panels.count()):
        panels.nth(i).scroll_into_view_if_needed()
        page.wait_for_function(DRAWN, arg=[i, FIGURES[i]], timeout=120_000)
        page.screenshot(path=str(ARTIFACTS / f"01-{size[0]}x{size[1]}-panel{i}.png"))
    page.close()


def test_playground_warns_of_heaviside_and_of_divergence(browser, server):
    page = _open(browser, server, (1280, 720))
    play = page.locator(".mathdl-panel").nth(2)
    play.scroll_into_view_if_needed()
    page.wait_for_function(DRAWN, arg=[2, FIGURES[2]], timeout=120_000)
    before = page.evaluate(FRAMES, 2)
    play.locator("select").nth(1).select_option(label="heaviside")  # data, then activation
    page.wait_for_function(
        "() => document.body.innerText.includes('heaviside has zero derivative')",
        timeout=120_000,
    )
    page.wait_for_function(CHANGED, arg=[2, before], timeout=120_000)  # the new title's frame
    page.screenshot(path=str(ARTIFACTS / "01-playground-heaviside.png"))
    play.locator("select").nth(1).select_option(label="relu")
    page.wait_for_function(SETTLED, timeout=120_000)
    # the step size to its right end with the keyboard, then Play
    handle = play.locator(".widget-slider", has_text="step size").locator(".noUi-handle")
    handle.focus()
    page.keyboard.press("End")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.widget-readout'))"
        ".some(r => r.innerText.trim() === '10.0')",
        timeout=60_000,
    )
    before = page.evaluate(FRAMES, 2)
    play.get_by_role("button", name="Play").click()
    page.wait_for_function(
        "() => document.body.innerText.includes('training diverged at step')", timeout=120_000
    )
    page.wait_for_function(CHANGED, arg=[2, before], timeout=120_000)
    page.screenshot(path=str(ARTIFACTS / "01-playground-diverged.png"))
    assert "paused" in play.inner_text()  # Play stopped by itself
    page.close()
