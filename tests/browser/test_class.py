"""A class on one server, in a real headless Chromium: kernels end when pages close, a held
arrow key never jumps back, the landing page lists every lecture.

One server serves the lectures folder with a short grace period (3 s); lecture 01, the lightest
page, is opened in new pages.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest

from course.lectures import LECTURES

from .conftest import ARTIFACTS, ROOT, VoilaServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LECTURE_01 = "voila/render/01_neurons_and_activations.ipynb"
KERNEL_ID = "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"


@pytest.fixture(scope="module")
def server():
    s = VoilaServer(ROOT / "lectures", "--grace=3", "--connect-timeout=60")
    yield s
    s.stop()


def _alive(server, kid: str) -> bool:
    try:
        with urllib.request.urlopen(f"{server.url}api/kernels/{kid}", timeout=10) as r:
            return r.status == 200
    except urllib.error.HTTPError as e:
        return e.code != 404


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"{what} did not happen within {timeout:.0f} s")


def _open(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 4000})
    page.goto(server.url + LECTURE_01, timeout=180_000, wait_until="domcontentloaded")
    page.wait_for_selector(".widget-slider .noUi-handle", timeout=180_000)
    page.wait_for_function(
        "() => document.body.innerText.includes('up to date')"
        " && !document.body.innerText.includes('computing')",
        timeout=180_000,
    )
    return page, page.evaluate(KERNEL_ID)


def test_play_then_disconnect_ends_the_kernel(browser, server):
    page, kid = _open(browser, server)
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("() => document.body.innerText.includes('computing')", timeout=60_000)
    # the tab dies without its unload request (a crash, a lost network, a closed laptop)
    page.close(run_before_unload=False)
    _wait_for(lambda: not _alive(server, kid), 60, "the training kernel's shutdown")
    assert f"Shutting down kernel {kid}: its page has gone" in server.log_path.read_text()


def test_held_arrow_key_never_jumps_back_and_leaving_ends_the_kernel(browser, server):
    page, kid = _open(browser, server)
    try:
        slider = page.locator(".widget-slider").first
        readout = slider.locator(".widget-readout")
        start = float(readout.inner_text())
        # record every value the readout shows, however briefly
        readout.evaluate(
            """el => { window.__seen = [el.innerText];
                new MutationObserver(() => window.__seen.push(el.innerText))
                    .observe(el, {childList: true, characterData: true, subtree: true}); }"""
        )
        slider.locator(".noUi-handle").focus()
        for _ in range(20):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(50)  # the pace of a held key (the stimulus, not a wait)
        expected = round(start + 20 * 0.05, 6)  # w1: step 0.05
        page.wait_for_function(
            f"() => document.body.innerText.includes('up to date') && "
            f"Math.abs(parseFloat(document.querySelector('.widget-slider .widget-readout')"
            f".innerText) - {expected}) < 1e-9",
            timeout=60_000,
        )
        page.wait_for_timeout(1500)  # a late echo would move it back now
        seen = [float(v) for v in page.evaluate("window.__seen") if v.strip()]
        assert float(readout.inner_text()) == pytest.approx(expected)
        assert all(b >= a for a, b in zip(seen, seen[1:])), f"the slider went back: {seen}"
        page.screenshot(path=str(ARTIFACTS / "held-arrow-key.png"))
        # leaving the page: its unload request shuts the kernel down (not the grace period)
        page.goto("about:blank")
        _wait_for(lambda: not _alive(server, kid), 60, "the kernel's shutdown")
        assert f"Shutting down kernel {kid}: its page has gone" not in server.log_path.read_text()
    finally:
        page.close()


def test_landing_page_lists_every_lecture(browser, server):
    page = browser.new_page()
    page.goto(server.url, timeout=60_000)
    text = page.inner_text("body")
    assert "The Mathematics of Deep Learning" in text
    for lec in LECTURES:
        row = page.locator(f"#lecture-{lec.number:02d}")
        assert lec.title in row.inner_text()
        if lec.written:
            href = row.locator("a.dashboard").get_attribute("href")
            assert href == f"/voila/render/{lec.stem}.ipynb"
        else:
            assert "not written yet" in row.inner_text()
    page.close()
