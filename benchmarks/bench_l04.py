"""Lecture 04 benchmark: N slider latency per system, shearlet transform time, cached memory.

Run: ``.venv/bin/python -m benchmarks.bench_l04``. Targets (issue 5): N slider p95 <= 50 ms at
256 x 256 for every system (sort once, reconstruct per N); shearlet decompose + reconstruct at
256 x 256 with 4 scales <= 0.3 s; memory of the cached system reported. Also measured (no
target; background jobs with progress): one N-term pursuit (iterative hard thresholding, 40
steps at most) per frame, and the rate panel's whole pursuit.
"""

from __future__ import annotations

import numpy as np

from course.sparse import expansion
from course.sparse.cartoon import cartoon
from course.sparse.shearlets import shearlet_system

from .harness import measure, measure_control, rss_mb, summary, write_results

N_VALUES = [13, 40, 120, 400, 1300, 4000, 10000]


def main() -> dict:
    results = {}
    f = cartoon(256).image
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 256))

    # shearlet transforms, 4 scales, 256 x 256
    rss0 = rss_mb()
    for kind in ("undecimated", "decimated"):
        system = shearlet_system((256, 256), scales=4, kind=kind)
        results[f"shearlet_{kind}_decompose_reconstruct_256"] = measure(
            lambda s=system: s.reconstruct(s.decompose(x)), repeats=10
        )
        results[f"shearlet_{kind}_cached_MB"] = round(system.nbytes / 1e6, 1)
        results[f"shearlet_{kind}_redundancy"] = round(system.redundancy, 3)
        x32 = x.astype(np.float32)
        results[f"shearlet_{kind}_decompose_reconstruct_256_float32"] = measure(
            lambda s=system, x32=x32: s.reconstruct(s.decompose(x32)), repeats=10
        )
    results["rss_growth_after_shearlet_systems_MB"] = round(rss_mb() - rss0, 1)

    # N-term approximation per system: sort once, synthesize per N
    for system in ("fourier", "wavelet", "shearlet", "curvelet"):
        e = expansion(f, system)
        results[f"expand_and_sort_{system}_256"] = measure(
            lambda s=system: expansion(f, s), repeats=5, warmup=1
        )
        it = iter(N_VALUES * 10)
        results[f"n_slider_{system}_256"] = measure(
            lambda e=e, it=it: e.approximation(next(it)), repeats=40
        )
        if not e.orthonormal:
            it2 = iter([100, 400, 1000] * 4)
            results[f"pursuit_one_n_{system}_256"] = measure(
                lambda e=e, it=it2: e.pursuit(next(it), f), repeats=6, warmup=1
            )

    # the whole panel: N control -> four syntheses -> render
    from widgets.sparse import NTermPanel

    panel = NTermPanel(method="largest")  # the instant part; the pursuit follows in the panel
    panel.wait(120)
    results["n_slider_panel_all_four_systems_256"] = measure_control(
        panel, "n_terms", N_VALUES, repeats=40
    )

    # the rate panel's whole background job: N largest curves, then 12 pursuits per frame
    import time

    from widgets.sparse import RatePanel

    durations = []
    for _ in range(3):
        t = time.perf_counter()
        rates = RatePanel()  # a new panel has an empty cache: the whole job runs
        rates.wait(300)
        durations.append(time.perf_counter() - t)
    results["rate_panel_with_pursuit_total"] = summary(durations)
    return results


if __name__ == "__main__":
    res = main()
    path = write_results("l04", res)
    for key, value in res.items():
        print(f"{key}: {value}")
    print(f"written to {path}")
