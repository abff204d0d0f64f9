"""Lecture 02: width-slider latency of the 1D panel, SGD streaming, the slower panels, memory.

Targets (issue 3): width slider p95 <= 50 ms for (a) construction and (b) least squares with
N <= 1000 on the 2,001-point grid (plus breakpoints), measured from setting the control to the
state updated and the figure redrawn; SGD streams progress (partial results while it trains).
Widths up to 2000 are reported too, without a target. The least-squares pools are factorised
once per target (a warm-up visits every width first; the cold cost is reported separately).
"""

from __future__ import annotations

import time

from benchmarks.harness import measure, measure_control, rss_mb, write_results
from course.universal import fit_least_squares, make_target
from widgets.universal import RatesPanel, ShallowPanel, TwoDPanel

WIDTHS = [1000, 250, 999, 500, 750, 100, 998, 333, 10, 1000 - 7]
WIDE = [2000, 1500, 1999, 1200]


def width_slider(method: str, activation: str, widths) -> dict:
    panel = ShallowPanel(method=method, activation=activation, target="sine")
    panel.wait(120)
    for n in widths:  # warm-up: builds every least-squares pool the sweep will use
        panel.controls["width"].value = n
        panel.wait(300)
    stats = measure_control(panel, "width", widths, repeats=40, timeout=120)
    stats["target_p95_ms"] = 50 if max(widths) <= 1000 else None
    return stats


def cold_least_squares() -> dict:
    """Time of the first least-squares fit at N = 1000 for a new target (pool QR included)."""
    t = make_target("sines", frequency=7.25)
    t0 = time.perf_counter()
    fit_least_squares(t, width=1000)
    return {"first_fit_n1000_s": round(time.perf_counter() - t0, 3)}


def sgd_streaming(width: int = 64, steps: int = 3000) -> dict:
    panel = ShallowPanel(width=width, steps=steps, target="sine", activation="tanh")
    panel.wait()
    seen = []
    panel.state.observe(
        lambda c: seen.append((time.perf_counter(), c["new"], panel.state.final)), names="result"
    )
    progress = []
    panel.state.observe(lambda c: progress.append(c["new"]), names="progress")
    t0 = time.perf_counter()
    panel.controls["method"].value = "sgd"
    panel.wait(600)
    elapsed = time.perf_counter() - t0
    partials = [t for t, _, final in seen if not final]
    final = panel.state.result.approx
    return {
        "width": width,
        "steps": steps,
        "seconds": round(elapsed, 2),
        "steps_per_s": round(steps / elapsed, 1),
        "partial_results": len(partials),
        "first_partial_after_s": round(partials[0] - t0, 3) if partials else None,
        "progress_updates": len(progress),
        "refresh_hz": round(len(partials) / elapsed, 2),
        "final_sup_error": final.sup_error,
        "target_refresh_hz_max": 10,
    }


def stop_latency(width: int = 1000) -> dict:
    """From pressing Stop during a long SGD run to the panel idle."""
    panel = ShallowPanel(width=width, steps=20000, target="sine", method="sgd")
    time.sleep(3.0)  # torch imported, training under way
    t0 = time.perf_counter()
    panel.state.cancel()
    panel.wait(60)
    return {"width": width, "stop_to_idle_ms": round(1000 * (time.perf_counter() - t0), 1)}


def main():
    results = {"width_slider": {}}
    for method in ("construction", "least_squares"):
        for act in ("relu", "sigmoid", "tanh", "heaviside", "polynomial"):
            results["width_slider"][f"{method}.{act}.N<=1000"] = width_slider(method, act, WIDTHS)
    for method in ("construction", "least_squares"):
        results["width_slider"][f"{method}.relu.N<=2000"] = width_slider(method, "relu", WIDE)
    results["least_squares_cold"] = cold_least_squares()
    results["sgd"] = sgd_streaming()
    results["sgd_stop"] = stop_latency()

    def rates():
        p = RatesPanel()
        p.wait(300)

    def two_d():
        p = TwoDPanel()
        p.wait(300)

    results["rates_panel_first_result"] = measure(rates, repeats=3, warmup=0)
    results["two_d_panel_first_result"] = measure(two_d, repeats=3, warmup=0)
    results["rss_after_sweep_mb"] = round(rss_mb(), 1)
    return write_results("l02", results)


if __name__ == "__main__":
    print(main())
