"""Simulated students on a real JupyterHub: log in, get a server, open a dashboard, move a slider.

Shared by the hub test (tests/hub/test_hub.py) and the benchmark (benchmarks/bench_hub.py). Each
student is a separate browser context (own cookies) in one headless Chromium, driven with
Playwright's async API so that N students act at once.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Error as PlaywrightError

from course.lectures import lecture
from widgets.hub import COURSE_DIR, LANDING_PATH, launch_hub
from widgets.serve import CHROMIUM_ARGS, free_port

__all__ = ["StudentRun", "Hub", "run_students", "CANVAS_SUM"]

# a cheap checksum of every canvas's pixels (red channel), to see that a figure was redrawn
CANVAS_SUM = """() => Array.from(document.querySelectorAll('canvas')).map(c => {
    try { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let s = 0; for (let i = 0; i < d.length; i += 16) s = (s * 31 + d[i]) | 0; return s; }
    catch (e) { return 0; } }).join(',')"""


@dataclass(frozen=True)
class StudentRun:
    """What one simulated student saw (times in seconds from submitting the login form)."""

    name: str
    server_s: float  #: the hub redirected the student to their running server
    interactive_s: float  #: lecture's dashboard: every panel up to date, canvases drawn
    slider_moved: bool  #: three ArrowRight presses on the first slider redrew a figure
    page_text: str  #: the dashboard's text after the slider moved


class Hub:
    """The shipped one-machine hub on 127.0.0.1, with the dummy authenticator and an admin token."""

    PASSWORD = "class-of-300"
    TOKEN = "mathdl-test-token-0123456789abcdef"

    def __init__(self, data_dir: Path, log: Path, **settings):
        self.data_dir = Path(data_dir)
        self.port = free_port()
        self.settings = {
            "auth": "dummy",
            "dummy_password": self.PASSWORD,
            "api_token": self.TOKEN,
            "hub_port": free_port(),
            "proxy_api_port": free_port(),
            **settings,
        }
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self.proc = None

    def start(self, **overrides) -> Hub:
        self.settings.update(overrides)
        self.log = open(self.log_path, "a")
        self.proc = launch_hub(
            self.data_dir,
            port=self.port,
            popen_kwargs={"stdout": self.log, "stderr": self.log},
            timeout=300,  # measured here under load: two minutes before the hub's first line
            **self.settings,
        )
        return self

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(30)
            self.proc = None
            self.log.close()

    def api(self, path: str, method: str = "GET", body=None):
        """Call the hub's REST API as the admin service; returns the decoded JSON (or None)."""
        req = urllib.request.Request(
            f"{self.url}/hub/api{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.TOKEN}"},
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read()
        return json.loads(text) if text else None

    def running_servers(self) -> set[str]:
        return {u["name"] for u in self.api("/users") if u["servers"].get("", {}).get("ready")}


async def _settle(page, timeout: float) -> str:
    """Wait until no panel computes, some canvas is drawn and nothing changed for 1 s."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        text = await page.inner_text("body")
        busy = "computing\u2026" in text or "up to date" not in text
        state = (text.count("up to date"), await page.evaluate(CANVAS_SUM))
        if state != last:
            last, since = state, time.monotonic()
        elif not busy and state[1] and time.monotonic() - since > 1.0:
            return state[1]
        await asyncio.sleep(0.25)
    raise TimeoutError(f"dashboard did not settle in {timeout:.0f} s: {text[-300:]!r}")


async def _changed(page, before: str, timeout: float) -> bool:
    """Wait until some canvas shows other pixels than ``before``; False if none did in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await page.evaluate(CANVAS_SUM) != before:
            return True
        await asyncio.sleep(0.2)
    return False


async def _goto(page, url: str, attempts: int = 5, **kwargs):
    """``page.goto(url)``; when the page's own redirect (the spawn-pending page sending the
    student on to the landing page) interrupts it, go again once that navigation is done."""
    for attempt in range(attempts):
        try:
            return await page.goto(url, **kwargs)
        except PlaywrightError as e:
            if "interrupted by another navigation" not in str(e) or attempt == attempts - 1:
                raise
            await page.wait_for_load_state("domcontentloaded")


async def _wait_for_server(page, hub: Hub, name: str, t0: float, timeout: float) -> float:
    """Seconds from login until the hub reports the student's server ready; once it is, the
    page must reach the server. A spawn-pending page that has not moved on 5 s after the server
    is ready is reloaded, as a student would (seen on this loaded machine: its event stream
    sometimes never reported the end of a slow spawn)."""
    ready_at = reloaded_at = None
    deadline = t0 + timeout
    while time.monotonic() < deadline:
        if f"/user/{name}/" in page.url:
            return (ready_at or time.monotonic()) - t0
        now = time.monotonic()
        if ready_at is None:
            try:
                user = await asyncio.to_thread(hub.api, f"/users/{name}")
            except urllib.error.HTTPError as e:  # 404: the login has not reached the hub yet
                if e.code != 404:
                    raise
                user = {"servers": {}}
            if user["servers"].get("", {}).get("ready"):
                ready_at = now
        elif now - max(ready_at, reloaded_at or 0.0) > 5:
            reloaded_at = now
            try:
                await page.goto(f"{hub.url}/hub/spawn-pending/{name}", wait_until="commit")
            except PlaywrightError as e:  # the page moved on to the server just then: fine
                if "interrupted by another navigation" not in str(e):
                    raise
        await asyncio.sleep(0.5)
    raise TimeoutError(f"{name}'s server was not reached within {timeout:.0f} s")


async def student(
    browser, hub: Hub, name: str, stem: str, timeout: float = 480.0, artifacts: Path | None = None
) -> StudentRun:
    """One student: log in, land on the course page, open ``stem``'s dashboard, move a slider."""
    context = await browser.new_context(viewport={"width": 1400, "height": 5000})
    context.set_default_timeout(timeout * 1000)  # a spawn under load takes longer than 30 s
    page = await context.new_page()
    console = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    try:
        await page.goto(f"{hub.url}/hub/login", timeout=timeout * 1000)
        await page.fill("#username_input", name)
        await page.fill("#password_input", hub.PASSWORD)
        t0 = time.monotonic()
        await page.click("#login_submit", no_wait_after=True)
        # the hub spawns the server, then its spawn-pending page sends the student on to the
        # default URL (the landing page)
        server_s = await _wait_for_server(page, hub, name, t0, timeout)
        # the landing page (plain HTML, no kernel): the student clicks the lecture's dashboard
        landing = f"{hub.url}/user/{name}/{LANDING_PATH}"
        if not page.url.startswith(landing):
            await _goto(page, landing, timeout=timeout * 1000, wait_until="domcontentloaded")
        link = page.locator(f"#lecture-{stem[:2]} a.dashboard")
        await link.wait_for(timeout=timeout * 1000)
        href = await link.get_attribute("href")
        if href != f"/user/{name}/voila/render/{COURSE_DIR}/{stem}.ipynb":
            raise AssertionError(f"{name}'s landing page links lecture {stem[:2]} to {href}")
        await link.click()
        await page.wait_for_selector(".widget-slider .noUi-handle", timeout=timeout * 1000)
        before = await _settle(page, timeout)
        interactive_s = time.monotonic() - t0
        handle = page.locator(".widget-slider .noUi-handle").first
        await handle.focus()
        for _ in range(3):
            await page.keyboard.press("ArrowRight")
        moved = await _changed(page, before, timeout)
        after = await _settle(page, timeout)
        return StudentRun(
            name, server_s, interactive_s, moved and after != before, await page.inner_text("body")
        )
    except Exception as exc:
        if artifacts is not None:  # what the student saw, for the failure's reader
            await _leave_artifacts(page, artifacts, name, exc, console)
        raise
    finally:
        await context.close()


async def _leave_artifacts(page, artifacts: Path, name: str, exc: Exception, console) -> None:
    """The page's text and a screenshot, as far as the page still gives them: a failed capture
    must not hide the student's own error."""
    artifacts.mkdir(parents=True, exist_ok=True)
    parts = [page.url, f"{type(exc).__name__}: {exc}", "\n".join(console)]
    try:
        parts.append(await page.inner_text("body", timeout=10_000))
    except Exception as text_exc:  # a closed or crashed page
        parts.append(f"(no page text: {text_exc})")
    (artifacts / f"{name}-failed.txt").write_text("\n\n".join(parts))
    try:
        await page.screenshot(path=str(artifacts / f"{name}-failed.png"), timeout=20_000)
    except Exception as shot_exc:
        with open(artifacts / f"{name}-failed.txt", "a") as f:
            f.write(f"\n\n(no screenshot: {shot_exc})")


async def _run(hub: Hub, names, stem: str, chromium: str, artifacts):
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            return await asyncio.gather(
                *(student(browser, hub, n, stem, artifacts=artifacts) for n in names)
            )
        finally:
            await browser.close()


def run_students(
    hub: Hub,
    names,
    *,
    lecture_number: int = 1,
    chromium: str = "/usr/bin/chromium",
    artifacts: Path | None = None,
):
    """All ``names`` log in at once and use lecture ``lecture_number``; a list of StudentRun.
    A student who fails leaves a screenshot and the page's text in ``artifacts``."""
    stem = lecture(lecture_number).stem
    # A fresh thread has no running event loop: Playwright's sync API, used by the browser tests
    # of the same session, keeps one running on the main thread while its browser is open.
    out = {}

    def main():
        try:
            out["runs"] = list(asyncio.run(_run(hub, names, stem, chromium, artifacts)))
        except BaseException as exc:  # re-raised on the test's thread
            out["error"] = exc

    worker = threading.Thread(target=main, name="hub-students")
    worker.start()
    worker.join()
    if "error" in out:
        raise out["error"]
    return out["runs"]
