"""A class on one server: N students open the same lecture at once, in headless Chromium.

For each lecture and N (default 1, 5, 10, 20): the course's server (``widgets.server``) is started
fresh; N pages are opened at the same moment; for each page, the time until every panel reports
'up to date' with its canvases drawn and nothing changed for 1 s (median, p95, max over the N
pages); the kernels' resident memory once the pages are idle (median and max per kernel) and the
server's; then the pages are closed and, 60 s later, the kernels still running are counted.
Modes: the shared result store cold (an empty folder) or warm (filled by a first load), and
optionally a preheated pool of N kernels. During the N = 10 load one client connects to a kernel
with the legacy websocket protocol; whether it is refused and how long the server takes to
answer an HTTP request meanwhile are recorded.

``python -m benchmarks.bench_class [--lectures 01 04] [--n 1 5 10 20] [--preheat] [--linger 60]
[--viewport 1400x900]`` (every page a laptop's window by default)
(``./mathdl bench class`` runs the default). The machine's cores run the browser as well as
the server: a real class's browsers do not share them.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

from benchmarks import wire_student
from benchmarks.harness import write_results
from course.lectures import LECTURES
from widgets.serve import CHROMIUM_ARGS, free_port, launch, stop

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
#: every page's window (width, height) in CSS pixels; set by ``--viewport``
VIEWPORT = (1400, 900)
KERNEL_ID = "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
STATE = """() => [document.body.innerText.split('up to date').length - 1,
    document.body.innerText.includes('computing\\u2026'),
    Array.from(document.querySelectorAll('canvas')).map(c => c.width + 'x' + c.height).join(),
    document.querySelectorAll('canvas').length]"""


def _stats(values) -> dict:
    v = sorted(values)
    if not v:
        return {}
    p95 = v[min(len(v) - 1, int(round(0.95 * len(v) + 0.5)) - 1)]
    return {
        "n": len(v),
        "median": round(statistics.median(v), 2),
        "p95": round(p95, 2),
        "max": round(v[-1], 2),
    }


async def _load(context, url: str, timeout: float = 300.0) -> tuple[float, str | None]:
    """Seconds from the request until the page settled, and its kernel id."""
    page = await context.new_page()
    _PAGES.append(page)
    t0 = time.perf_counter()
    await page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
    last, since = None, time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        try:
            state = tuple(await page.evaluate(STATE))
        except Exception:  # the page is still navigating
            state = None
        if state != last:
            last, since = state, time.perf_counter()
        elif state and state[0] > 0 and not state[1] and state[3] > 0:
            if time.perf_counter() - since > 1.0:
                break
        await asyncio.sleep(0.25)
    else:
        return float("nan"), None
    try:
        kid = await page.evaluate(KERNEL_ID)
    except Exception:
        kid = None
    return since - t0, kid


_PAGES: list = []


async def _close_all():
    """Every student closes the tab (the page's unload request runs, as in a browser)."""
    while _PAGES:
        page = _PAGES.pop()
        try:
            await page.close(run_before_unload=True)
        except Exception:
            pass


def _alive(port: int, kid: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kernels/{kid}", timeout=10):
            return True
    except urllib.error.HTTPError as e:
        return e.code != 404
    except OSError:
        return True


def _legacy_probe(port: int, kid_box: list, out: dict, stop: threading.Event):
    """Connect to a kernel without a subprotocol; time HTTP answers meanwhile."""
    import websocket

    while not kid_box and not stop.is_set():
        time.sleep(0.2)
    if not kid_box:
        return
    try:
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}/api/kernels/{kid_box[0]}/channels?session_id=legacy",
            timeout=10,
        )
        out["legacy_client"] = "connected (not refused)"
        ws.close()
    except websocket.WebSocketBadStatusException as e:
        out["legacy_client"] = f"refused with HTTP {e.status_code}"
    except Exception as e:
        out["legacy_client"] = f"failed: {type(e).__name__}"
    times = []
    while not stop.is_set():  # a cheap request (the page itself would start one more kernel)
        t = time.perf_counter()
        try:
            urllib.request.urlopen(
                f"http://127.0.0.1:{port}/api/kernels/{kid_box[0]}", timeout=60
            ).read()
            times.append(time.perf_counter() - t)
        except Exception:
            times.append(float("inf"))
        time.sleep(0.5)
    out["http_answer_s_during_load"] = _stats(times)


def _cpu_s(server: psutil.Process) -> tuple[float, float]:
    """CPU seconds used so far by the server process and by its kernels."""
    kernels = 0.0
    for c in server.children(recursive=True):
        try:
            if "ipykernel" in " ".join(c.cmdline()):
                t = c.cpu_times()
                kernels += t.user + t.system
        except psutil.Error:
            pass
    t = server.cpu_times()
    return t.user + t.system, kernels


def _quiet(server: psutil.Process, seconds: int = 3, timeout: float = 600.0) -> None:
    """Wait until the server's kernels have used no CPU for ``seconds`` seconds."""

    def used():
        return _cpu_s(server)[1]

    quiet, last, deadline = 0, used(), time.monotonic() + timeout
    while quiet < seconds and time.monotonic() < deadline:
        time.sleep(1)
        now = used()
        quiet, last = (quiet + 1 if now - last < 0.05 else 0), now


def _memory(proc: psutil.Process) -> dict:
    kernels = [c for c in proc.children(recursive=True) if "ipykernel" in " ".join(c.cmdline())]
    rss = [c.memory_info().rss / 2**20 for c in kernels]
    return {
        "kernels": len(kernels),
        "kernel_rss_mb": _stats(rss),
        "server_rss_mb": round(proc.memory_info().rss / 2**20, 1),
    }


async def _class(browser, port: int, url: str, n: int, legacy: bool) -> dict:
    """``n`` pages at once: in Chromium (``browser``) or, with ``browser=None``, on the wire."""
    context = None
    if browser is not None:
        width, height = VIEWPORT
        context = await browser.new_context(viewport={"width": width, "height": height})
    probe, kid_box, stop = {}, [], threading.Event()
    thread = None
    if legacy:
        thread = threading.Thread(target=_legacy_probe, args=(port, kid_box, probe, stop))
        thread.start()

    students = concurrent.futures.ThreadPoolExecutor(max_workers=n)

    async def one():
        if context is None:
            page = await asyncio.get_running_loop().run_in_executor(
                students, wire_student.load_page, url
            )
            seconds, kid = page["seconds"], page.get("kernel")
        else:
            seconds, kid = await _load(context, url)
        if kid:
            kid_box.append(kid)
        return seconds, kid

    loads = await asyncio.gather(*[one() for _ in range(n)])
    students.shutdown()
    stop.set()
    if thread is not None:
        thread.join(90)
    times = [s for s, _ in loads]
    return {"context": context, "times": times, "kernels": [k for _, k in loads if k], **probe}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lectures", nargs="*", default=None, help="numbers, e.g. 01 04")
    parser.add_argument("--n", nargs="*", type=int, default=[1, 5, 10, 20])
    parser.add_argument("--preheat", action="store_true", help="also with a pool of N kernels")
    parser.add_argument("--linger", type=float, default=60.0)
    parser.add_argument("--modes", nargs="*", default=["cold", "warm"], help="cold, warm")
    parser.add_argument("--name", default="class", help="results/<name>.json")
    parser.add_argument(
        "--viewport",
        default="1400x900",
        help="WIDTHxHEIGHT of every page (default: a laptop's window; the browser rasterizes "
        "what is near the window, so a taller one costs the shared cores more)",
    )
    parser.add_argument(
        "--client",
        choices=["chromium", "wire"],
        default="chromium",
        help="chromium: real pages in headless Chromium on this machine's cores; wire: "
        "students that ask the server for what a page asks and draw nothing "
        "(benchmarks/wire_student.py), so that the server's own share is measured",
    )
    args = parser.parse_args(argv)
    global VIEWPORT
    VIEWPORT = tuple(int(x) for x in args.viewport.lower().split("x"))
    from playwright.async_api import async_playwright

    wanted = {int(x) for x in args.lectures} if args.lectures else None
    lectures = [lec for lec in LECTURES if lec.written and (not wanted or lec.number in wanted)]
    results = {
        "caveat": (
            "the browsers' rendering runs on the same cores as the server and kernels"
            if args.client == "chromium"
            else "wire students: the server's own share, no browser rendering on this machine"
        ),
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "runs": [],
    }

    async def start_browser(pw):
        return await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    loop = asyncio.new_event_loop()
    pw = browser = None
    if args.client == "chromium":
        pw = loop.run_until_complete(async_playwright().start())
        browser = loop.run_until_complete(start_browser(pw))
    results["client"] = args.client
    results["viewport"] = args.viewport
    try:
        for lec in lectures:
            warm_dir = None
            if "warm" in args.modes or args.preheat:
                warm_dir = tempfile.mkdtemp(prefix="mathdl-cache-")
                t = time.perf_counter()
                subprocess.run(  # ./mathdl warm, before class
                    [sys.executable, "-m", "widgets.warm", str(lec.number)],
                    env={**os.environ, "MATHDL_CACHE_DIR": warm_dir},
                    cwd=str(ROOT),
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                results.setdefault("warm_s", {})[lec.stem] = round(time.perf_counter() - t, 1)
            for n in args.n:
                modes = []
                if "cold" in args.modes:
                    modes.append(("cold", tempfile.mkdtemp(prefix="mathdl-cold-"), 0))
                if "warm" in args.modes:
                    modes.append(("warm", warm_dir, 0))
                if args.preheat and n <= 10:
                    modes.append(("warm+preheat", warm_dir, n))
                for name, cache_dir, preheat in modes:
                    row = run_one(loop, browser, lec, n, cache_dir, preheat, args.linger)
                    row = {"lecture": lec.stem, "cache": name, **row}
                    print(row, flush=True)
                    results["runs"].append(row)
    finally:
        if browser is not None:
            loop.run_until_complete(browser.close())
            loop.run_until_complete(pw.stop())
    return write_results(args.name, results)


def run_one(loop, browser, lecture, n, cache_dir, preheat, linger) -> dict:
    """One class: a fresh server, ``n`` pages at once, their memory, the kernels left."""
    port = free_port()
    os.environ["MATHDL_CACHE_DIR"] = cache_dir
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    proc = launch(
        lecture.notebook,  # one notebook: a preheated pool is made for every notebook served
        port=port,
        preheat=preheat,
        extra=["--max-kernels=100", "--grace=30"],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=str(ROOT),
        timeout=180,
    )
    server = psutil.Process(proc.pid)
    url = f"http://127.0.0.1:{port}/"
    try:
        if preheat:
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                if re.search(r"Kernel pool of .* is filled", Path(log.name).read_text()):
                    break
                time.sleep(1)
            _quiet(server)  # the pool's kernels have executed the notebook
        cpu0 = _cpu_s(server)
        out = loop.run_until_complete(_class(browser, port, url, n, legacy=(n == 10)))
        cpu1 = _cpu_s(server)
        memory = _memory(server)
        loop.run_until_complete(_close_all())
        context = out.pop("context")
        if context is not None:
            loop.run_until_complete(context.close())
        time.sleep(linger)  # the server a minute after class
        left = sum(_alive(port, k) for k in out["kernels"])
        return {
            "n_pages": n,
            "preheat": preheat,
            "ready_s": _stats([t for t in out["times"] if t == t]),
            "pages_not_ready": sum(1 for t in out["times"] if t != t),
            **memory,
            # core-seconds per page view during the load (kernels that ended are not counted)
            "server_cpu_s_per_page": round((cpu1[0] - cpu0[0]) / n, 2),
            "kernel_cpu_s_per_page": round((cpu1[1] - cpu0[1]) / n, 2),
            f"kernels_left_{int(linger)}s_after_close": left,
            **{k: v for k, v in out.items() if k not in ("times", "kernels")},
        }
    finally:
        stop(proc, 20)
        os.unlink(log.name)


if __name__ == "__main__":
    print(main())
