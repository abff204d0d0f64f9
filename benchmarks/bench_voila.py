"""Voila time-to-interactive per lecture, cold: from the page request until every panel reports
'up to date' and its canvases stop changing, in headless Chromium (a fresh Voila server and
kernel per lecture). Target (issue 2): <= 4 s for lecture 01 on the reference machine.
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

from benchmarks.harness import summary, write_results
from widgets.serve import kernel_environment, voila_command

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CANVASES = "() => Array.from(document.querySelectorAll('canvas')).map(c => c.toDataURL().length)"


def _port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_to_interactive(browser, notebook: Path, preheat: int = 0) -> float:
    port = _port()
    proc = subprocess.Popen(voila_command(notebook, port=port, preheat=preheat),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(ROOT),
                            env=kernel_environment())
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        if preheat:
            time.sleep(20)  # let the pool execute the notebook before the first visit
        page = browser.new_page(viewport={"width": 1400, "height": 5000})
        t0 = time.perf_counter()
        page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded", timeout=120_000)
        last, since, ready = None, time.perf_counter(), None
        while time.perf_counter() - t0 < 120:
            text = page.inner_text("body")
            state = (text.count("up to date"), tuple(page.evaluate(CANVASES)))
            if state != last:
                last, since = state, time.perf_counter()
                if state[0] > 0 and "computing\u2026" not in text:
                    ready = since - t0
            elif ready is not None and time.perf_counter() - since > 1.0:
                page.close()
                return ready
            time.sleep(0.05)
        raise TimeoutError(f"{notebook.name} did not become interactive in 120 s")
    finally:
        proc.terminate()
        proc.wait(10)


def main(repeats: int = 3, only: str | None = None):
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for nb in sorted((ROOT / "lectures").glob(f"{only or '[0-9][0-9]'}_*.ipynb")):
            times = [time_to_interactive(browser, nb) for _ in range(repeats)]
            results[nb.stem] = summary(times) | {"target_s": 4.0 if nb.stem.startswith("01") else None}
            if nb.stem.startswith("01"):
                warm = [time_to_interactive(browser, nb, preheat=1) for _ in range(2)]
                results[nb.stem + " (preheated pool)"] = summary(warm)
        browser.close()
    return write_results("voila" if only is None else f"voila_{only}", results)


if __name__ == "__main__":
    import sys

    print(main(only=sys.argv[1] if len(sys.argv) > 1 else None))
