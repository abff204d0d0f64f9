"""Lecture 03: control latency of the panels, cold and warm costs, memory.

Targets (issue 4): the sawtooth's ``s`` and the square's ``m`` sliders p95 <= 20 ms (time from a
new slider value to the state updated and the figures' artists changed). Also measured: the
product panel's controls, the C^s panel's ``s`` and ``d`` (a background sweep, remembered per
value: first visit cold, then warm), one training sweep of the depth-separation panel, and the cold cost of
building what the sawtooth slider shows (remembered per s once built).
"""

from __future__ import annotations

import time

from benchmarks.harness import measure, measure_control, rss_mb, summary, write_results
from course.progress import run_to_end
from course.yarotsky.depth import depth_separation_steps
from course.yarotsky.smooth2d import smooth_rates_2d_steps
from course.yarotsky.smooth_rates import smooth_rates_steps
from widgets.yarotsky import (
    DepthPanel,
    ProductPanel,
    SawtoothPanel,
    SmoothPanel,
    SquarePanel,
    sawtooth_result,
)

TARGET_MS = 20


def cold_sawtooth() -> dict:
    """Building g_s and counting its pieces exactly, uncached, for the largest s values."""
    out = {}
    for s in (8, 10, 12):
        out[f"s={s}"] = measure(lambda s=s: sawtooth_result.__wrapped__(s), repeats=3, warmup=0)
    return out


def first_visits(panel, rounds: int = 4) -> dict:
    """Latency of the s slider when no g_s is cached: the cache is emptied before each round of
    visits to all twelve values."""
    order = [12, 1, 7, 11, 4, 9, 2, 10, 5, 8, 6, 3]
    times = []
    for _ in range(rounds):
        panel.controls["s"].value = 3
        panel.wait()
        sawtooth_result.cache_clear()
        for s in order:
            t = time.perf_counter()
            panel.controls["s"].value = s
            panel.wait()
            times.append(time.perf_counter() - t)
    return summary(times)


def main():
    results = {"controls": {}, "cold": {}}
    t0 = time.perf_counter()
    saw = SawtoothPanel()
    saw.wait()
    results["cold"]["sawtooth_panel_open_ms"] = round(1000 * (time.perf_counter() - t0), 1)
    results["cold"]["sawtooth_uncached"] = cold_sawtooth()
    cold = first_visits(saw, rounds=4)
    cold["target_p95_ms"] = TARGET_MS
    results["controls"]["sawtooth.s (first visits, uncached)"] = cold
    stats = measure_control(saw, "s", [12, 1, 7, 11, 3, 9, 2, 12, 5], repeats=40)
    stats["target_p95_ms"] = TARGET_MS
    results["controls"]["sawtooth.s"] = stats

    square = SquarePanel()
    square.wait()
    stats = measure_control(square, "m", [12, 0, 6, 11, 3, 9, 1, 12, 5], repeats=40)
    stats["target_p95_ms"] = TARGET_MS
    results["controls"]["square.m"] = stats

    product = ProductPanel()
    product.wait()
    for name, values in {"m": [2, 5, 8, 0, 3], "poly": ["x3", "cheb4", "exp5", "mixed"]}.items():
        results["controls"][f"product.{name}"] = measure_control(product, name, values, repeats=20)

    results["cold"]["smooth_sweep_s"] = {
        f"s={s}": measure(lambda s=s: run_to_end(smooth_rates_steps(s)), repeats=1, warmup=0)
        for s in (1, 2, 3, 4, 5)
    }
    results["cold"]["smooth_sweep_s_d2"] = {
        f"s={s}": measure(lambda s=s: run_to_end(smooth_rates_2d_steps(s)), repeats=1, warmup=0)
        for s in (1, 2, 3, 4, 5)
    }
    smooth = SmoothPanel()
    smooth.wait(120)
    for d in (2, 1):  # visit every value once: the sweeps are remembered
        smooth.controls["d"].value = d
        for s in (1, 2, 3, 4, 5):
            smooth.controls["s"].value = s
            smooth.wait(120)
    results["controls"]["smooth.s_warm"] = measure_control(smooth, "s", [1, 2, 3, 4, 5], repeats=20)
    results["controls"]["smooth.d_warm"] = measure_control(smooth, "d", [1, 2], repeats=10)

    t = time.perf_counter()
    table = run_to_end(depth_separation_steps())
    results["depth_separation_steps"] = {
        "seconds": round(time.perf_counter() - t, 2),
        "ks": table.ks.tolist(),
        "width_needed": table.width_needed.tolist(),
        "bound_2_to_k": table.bound.tolist(),
        "rms_error": [round(e, 4) for e in table.error_at_width],
        "tol": table.tol,
    }
    depth = DepthPanel()
    depth.wait()
    results["controls"]["depth.k_max (no training until the button)"] = measure_control(
        depth, "k_max", [3, 4, 5, 2], repeats=12
    )
    results["rss_after_sweep_mb"] = round(rss_mb(), 1)
    return write_results("l03", results)


if __name__ == "__main__":
    print(main())
