"""Lecture 06 benchmark: Radon operator, missing-angle slider, l1-shearlet iteration, LtI.

Run: ``.venv/bin/python -m benchmarks.bench_l06``. Targets (issue 13): ``radon`` and
``backproject`` at 256 x 256 with 180 angles at least 2x faster than scikit-image's ``radon`` and
unfiltered ``iradon`` measured in the same run (ASTRA's CPU projector beside them when it is
installed); the missing-angle slider p95 <= 20 ms at 256 x 256; l1-shearlet time per iteration;
LtI inference <= 1 s; memory of the cached operator and of the prefix sums.
"""

from __future__ import annotations

import time

import numpy as np

from course.tomography import radon_operator, rasterize, scan_angles, shepp_logan

from .harness import measure, measure_control, rss_mb, summary, write_results


def _astra(image, angles):
    try:
        import astra
    except ImportError:
        return None
    n = image.shape[0]
    vol = astra.create_vol_geom(n, n)
    proj = astra.create_proj_geom("parallel", 1.0, n, angles)
    pid = astra.create_projector("linear", proj, vol)
    out = {}
    out["forward"] = measure(lambda: astra.create_sino(image, pid), repeats=10)
    _, sino = astra.create_sino(image, pid)
    out["backproject"] = measure(lambda: astra.create_backprojection(sino, pid), repeats=10)
    return out


def main() -> dict:
    from skimage.transform import iradon
    from skimage.transform import radon as sk_radon

    results = {}
    angles = scan_angles(0)
    f = rasterize(shepp_logan(), 256)
    rss0 = rss_mb()
    t = time.perf_counter()
    op = radon_operator(256, angles, dtype="float32")
    results["operator_build_256_180_s"] = round(time.perf_counter() - t, 2)
    results["operator_cached_MB"] = round(op.nbytes / 1e6, 1)
    f32 = f.astype(np.float32)
    g = op.forward(f32)
    results["radon_256_180_float32"] = measure(lambda: op.forward(f32), repeats=20)
    results["backproject_256_180_float32"] = measure(lambda: op.adjoint(g), repeats=20)
    op64 = radon_operator(256, angles)
    results["radon_256_180_float64"] = measure(lambda: op64.forward(f), repeats=10)
    results["backproject_256_180_float64"] = measure(lambda: op64.adjoint(g), repeats=10)
    theta = np.rad2deg(angles)
    results["skimage_radon_256_180"] = measure(
        lambda: sk_radon(f, theta, circle=True), repeats=10, warmup=1
    )
    sk_sino = sk_radon(f, theta, circle=True)
    results["skimage_iradon_unfiltered_256_180"] = measure(
        lambda: iradon(sk_sino, theta, filter_name=None, circle=True), repeats=10, warmup=1
    )
    results["speedup_radon_vs_skimage"] = round(
        results["skimage_radon_256_180"]["median_ms"]
        / results["radon_256_180_float32"]["median_ms"],
        2,
    )
    results["speedup_backproject_vs_skimage"] = round(
        results["skimage_iradon_unfiltered_256_180"]["median_ms"]
        / results["backproject_256_180_float32"]["median_ms"],
        2,
    )
    astra = _astra(f, angles)
    results["astra_linear_cpu"] = astra if astra is not None else "not installed"
    results["rss_growth_operators_MB"] = round(rss_mb() - rss0, 1)

    # the missing-angle slider: prefix sums once, then one subtraction per move, drawn
    from widgets.tomography import MissingAnglePanel

    t = time.perf_counter()
    panel = MissingAnglePanel()
    panel.wait(300)
    results["missing_angle_panel_first_result_s"] = round(time.perf_counter() - t, 2)
    results["missing_angle_slider_256"] = measure_control(
        panel, "phi_deg", [15, 30, 45, 60, 75, 90], repeats=60
    )
    from widgets.tomography._common import missing_angle_fbp

    results["missing_angle_prefix_sums_MB"] = round(
        missing_angle_fbp("shepp", 0.0, "shepp-logan").nbytes / 1e6, 1
    )

    # l1-shearlet: time per iteration at the LtI size (128, 60 degrees missing)
    from course.tomography.ltI import SETUP, LearnTheInvisible, step1
    from course.tomography.ltI import measure as scan
    from course.tomography.phantoms import random_ellipses
    from course.tomography.solvers import reconstruct

    m = scan(random_ellipses(SETUP.heldout_first + 900), 60)
    step1(m.sinogram, m.angles)  # operator and norm cached
    times = []
    for _ in range(3):
        t = time.perf_counter()
        reconstruct(
            m.sinogram, m.angles, alpha=SETUP.alpha, iterations=20, every=20, scales=SETUP.scales
        )
        times.append((time.perf_counter() - t) / 20)
    results["l1_shearlet_per_iteration_128"] = summary(times)
    t = time.perf_counter()
    f_star = step1(m.sinogram, m.angles)
    results["step1_128_s"] = round(time.perf_counter() - t, 2)
    ltI = LearnTheInvisible()
    results["ltI_inference_128"] = measure(lambda: ltI(f_star, 60), repeats=10)
    write_results("l06", results)
    return results


if __name__ == "__main__":
    import json

    print(json.dumps(main(), indent=1))
