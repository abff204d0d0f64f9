"""Shared benchmark harness: every lecture's benchmark script uses these helpers.

Times are wall-clock on this machine, reported as median and p95 over repeats, written as JSON to
``benchmarks/results/<name>.json``; an anchor (a fixed numpy workload) is measured in the same run
so that numbers from different machines can be compared.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import time
from pathlib import Path

import numpy as np

__all__ = ["summary", "anchor", "measure_control", "measure", "rss_mb", "write_results"]

RESULTS = Path(__file__).resolve().parent / "results"


def summary(times_s) -> dict:
    """Median, p95, min and max in milliseconds of a list of durations in seconds."""
    ms = sorted(1000.0 * t for t in times_s)
    p95 = ms[min(len(ms) - 1, int(np.ceil(0.95 * len(ms))) - 1)]
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 3),
        "p95_ms": round(p95, 3),
        "min_ms": round(ms[0], 3),
        "max_ms": round(ms[-1], 3),
    }


def anchor(repeats: int = 20) -> dict:
    """A fixed workload (a 256x256 float64 matrix product and an FFT) timed in the same run."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((256, 256))
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        np.fft.fft2(a @ a)
        times.append(time.perf_counter() - t)
    return summary(times)


def measure(fn, repeats: int = 20, warmup: int = 2) -> dict:
    """Time ``fn()`` ``repeats`` times after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return summary(times)


def measure_control(panel, name: str, values, repeats: int = 20, timeout: float = 60.0) -> dict:
    """Time from setting ``panel.controls[name].value`` to the state updated and rendered.

    Cycles through ``values`` (consecutive values must differ) ``repeats`` times in all.
    """
    control = panel.controls[name]
    values = list(values)
    panel.wait(timeout)
    times = []
    for i in range(repeats):
        v = values[i % len(values)]
        if control.value == v:
            v = values[(i + 1) % len(values)]
        t = time.perf_counter()
        control.value = v
        if not panel.wait(timeout):
            raise TimeoutError(f"{name}={v!r} did not finish within {timeout} s")
        times.append(time.perf_counter() - t)
    if not panel.state.ok:
        raise RuntimeError(f"panel reported an error: {panel.state.status}")
    return summary(times)


def rss_mb() -> float:
    """Peak resident set size of this process in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def write_results(name: str, results: dict) -> Path:
    """Write ``results`` with machine facts and an anchor timing to ``results/<name>.json``."""
    RESULTS.mkdir(exist_ok=True)
    payload = {
        "name": name,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "python": platform.python_version(),
            "processor": platform.machine(),
            "cpus": os.cpu_count(),
        },
        "anchor_fft_matmul_256": anchor(),
        "peak_rss_mb": round(rss_mb(), 1),
        "results": results,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2))
    return path
