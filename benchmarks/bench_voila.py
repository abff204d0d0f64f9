"""Voila time-to-interactive per lecture, cold: from the page request until every panel reports
'up to date' and its canvases stop changing, in headless Chromium (a fresh Voila server and
kernel per lecture). For lecture 01 also with a pre-heated kernel, and from a key press on the
first slider to new pixels. Target (issue 2): <= 4 s to interactive for lecture 01.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from pathlib import Path

from benchmarks.harness import summary, write_results
from widgets.serve import CHROMIUM_ARGS, free_port, launch, stop

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CANVASES = "() => Array.from(document.querySelectorAll('canvas')).map(c => c.toDataURL().length)"

# in the page: a cheap checksum of the first canvases, and a wait (on animation frames) until it
# changes, timed with the page's own clock so that polling costs nothing
CHECKSUM = """window.__sum = () => Array.from(document.querySelectorAll('canvas')).slice(0, 4)
    .map(c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let s = 0; for (let i = 0; i < d.length; i += 4) s = (s * 31 + d[i]) | 0;
                return s; }).join(',')"""
MARK = "() => { window.__before = window.__sum(); window.__t0 = performance.now(); }"
WAIT = """() => new Promise((resolve, reject) => {
    const step = () => {
        if (window.__sum() !== window.__before) resolve(performance.now() - window.__t0);
        else if (performance.now() - window.__t0 > 10000) reject(new Error('no change in 10 s'));
        else requestAnimationFrame(step);
    };
    step();
})"""


@contextlib.contextmanager
def _page(browser, notebook: Path, preheat: int = 0):
    """A fresh Voila server for ``notebook`` and a new page; yields (page, url)."""
    port = free_port()
    proc = launch(
        notebook,
        port=port,
        preheat=preheat,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=str(ROOT),
    )
    page = browser.new_page(viewport={"width": 1400, "height": 5000})
    try:
        if preheat:
            time.sleep(20)  # let the pool execute the notebook before the first visit
        yield page, f"http://127.0.0.1:{port}/"
    finally:
        page.close()
        stop(proc)


def time_to_interactive(browser, notebook: Path, preheat: int = 0) -> float:
    """Seconds until the canvases are drawn, no panel computes and nothing changed for 1 s (the
    time is that of the last change)."""
    with _page(browser, notebook, preheat) as (page, url):
        t0 = time.perf_counter()
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        last, since = None, time.perf_counter()
        while time.perf_counter() - t0 < 120:
            text = page.inner_text("body")
            state = (text.count("up to date"), tuple(page.evaluate(CANVASES)))
            busy = "computing\u2026" in text or not state[1]
            if state != last:
                last, since = state, time.perf_counter()
            elif not busy and time.perf_counter() - since > 1.0:
                return since - t0
            time.sleep(0.05)
    raise TimeoutError(f"{notebook.name} did not become interactive in 120 s")


def slider_to_pixels(browser, notebook: Path, repeats: int = 20) -> dict:
    """End to end, as a student sees it: from a key press on the first slider until the first
    panel's canvases show new pixels (browser -> kernel -> compute -> render -> PNG -> canvas)."""
    with _page(browser, notebook) as (page, url):
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_selector(".widget-slider .noUi-handle", timeout=120_000)
        time.sleep(8)  # let the page settle
        page.locator(".widget-slider .noUi-handle").first.focus()
        page.evaluate(CHECKSUM)
        times = []
        for i in range(repeats):
            page.evaluate(MARK)
            page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
            times.append(page.evaluate(WAIT) / 1000.0)
            time.sleep(0.5)
        return summary(times)


def main(repeats: int = 3, only: str | None = None):
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for nb in sorted((ROOT / "lectures").glob(f"{only or '[0-9][0-9]'}_*.ipynb")):
            times = [time_to_interactive(browser, nb) for _ in range(repeats)]
            first = nb.stem.startswith("01")
            results[nb.stem] = summary(times) | {"target_s": 4.0 if first else None}
            if first:
                warm = [time_to_interactive(browser, nb, preheat=1) for _ in range(2)]
                results[nb.stem + " (preheated pool)"] = summary(warm)
                results[nb.stem + ": first slider key press to new pixels"] = slider_to_pixels(
                    browser, nb
                )
        browser.close()
    return write_results("voila" if only is None else f"voila_{only}", results)


if __name__ == "__main__":
    import sys

    print(main(only=sys.argv[1] if len(sys.argv) > 1 else None))
