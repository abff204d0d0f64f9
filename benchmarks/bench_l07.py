"""Lecture 07 benchmark: relevance methods per input, RDE, evaluation over 50 images, panels.

Run ``python -m benchmarks.bench_l07``; results go to ``benchmarks/results/bench_l07.json``.
Targets (issue 7): gradient, LRP and IG (64 steps) <= 50 ms per input; RDE <= 3 s with progress;
pixel flipping over 50 images <= 10 s with progress.
"""

from __future__ import annotations

import time

import torch

from benchmarks.harness import measure, measure_control, rss_mb, summary, write_results
from course.progress import Progress
from course.relevance.evaluation import evaluate_steps
from course.relevance.lrp import lrp
from course.relevance.methods import gradient, integrated_gradients
from course.relevance.models import load_digit_images, load_model, predict, torch_threads
from course.relevance.rde import rde_steps

TARGETS_MS = {
    "gradient": 50,
    "lrp": 50,
    "integrated_gradients_64": 50,
    "rde": 3000,
    "pixel_flipping_50_images": 10000,
}


def _timed_job(job):
    """Run a generator job to the end; time it and count its progress reports."""
    t = time.perf_counter()
    n = 0
    while True:
        try:
            item = next(job)
        except StopIteration as stop:
            return time.perf_counter() - t, n, stop.value
        assert isinstance(item, Progress)
        n += 1


def main():
    data = load_digit_images()
    results = {"targets_ms": TARGETS_MS, "torch_threads": torch.get_num_threads()}
    for name in ("cnn", "mlp"):
        model = load_model(name)
        x = data.x_test[0]
        c = int(predict(model, x)[0])
        per_input = {
            "gradient": measure(
                lambda model=model, x=x, c=c: gradient(model, x, target=c), repeats=30
            ),
            "lrp": measure(
                lambda model=model, x=x, c=c: lrp(
                    model, x, target=c, rule="epsilon", input_rule="zB"
                ),
                repeats=30,
            ),
            "integrated_gradients_64": measure(
                lambda model=model, x=x, c=c: integrated_gradients(model, x, target=c, steps=64),
                repeats=30,
            ),
        }
        times, reports = [], []
        for i in range(5):
            xi = data.x_test[i]
            dt, n, _ = _timed_job(rde_steps(model, xi, target=int(predict(model, xi)[0])))
            times.append(dt)
            reports.append(n)
        per_input["rde"] = {**summary(times), "progress_reports": reports[0]}
        images = data.x_test[:50]
        flip = []
        for _ in range(3):
            dt, n, res = _timed_job(evaluate_steps(model, images, methods=("lrp",)))
            flip.append(dt)
        per_input["pixel_flipping_50_images"] = {
            **summary(flip),
            "progress_reports": n,
            "what": "LRP maps + random baseline, "
            "relevance ordering and pixel flipping, 17 fractions x 4 noise draws",
            "aopc": res.aopc,
            "ordering_area": res.ordering_area,
        }
        dt, n, res = _timed_job(
            evaluate_steps(
                model,
                images,
                methods=(
                    "gradient",
                    "gradient_x_input",
                    "smoothgrad",
                    "integrated_gradients",
                    "occlusion",
                    "lrp",
                    "rde",
                ),
            )
        )
        per_input["evaluation_all_methods_50_images"] = {
            "seconds": round(dt, 2),
            "aopc": res.aopc,
            "ordering_area": res.ordering_area,
        }
        results[name] = per_input

    from widgets.relevance import ExplainPanel, RateDistortionPanel

    p = ExplainPanel()
    p.wait(60)
    panels = {"explain_lrp_index": measure_control(p, "index", [1, 2, 3, 4], repeats=20)}
    p.state.set(method="integrated_gradients")
    panels["explain_ig_index"] = measure_control(p, "index", [1, 2, 3, 4], repeats=20)
    p.state.set(method="rde")
    panels["explain_rde_index"] = measure_control(p, "index", [1, 2, 3], repeats=5)
    q = RateDistortionPanel()
    q.wait(60)
    panels["rate_distortion_lambda"] = measure_control(q, "lam", [0.001, 0.01], repeats=4)
    results["panels"] = panels
    results["rss_mb"] = round(rss_mb(), 1)
    path = write_results("l07", results)
    print(path)
    for name in ("cnn", "mlp"):
        for k, v in results[name].items():
            if "median_ms" in v:
                print(f"{name:4s} {k:28s} median {v['median_ms']:9.1f} ms  p95 {v['p95_ms']:9.1f}")
            else:
                print(f"{name:4s} {k:28s} {v['seconds']} s")
        print(
            "     AOPC",
            {
                k: round(v, 3)
                for k, v in results[name]["evaluation_all_methods_50_images"]["aopc"].items()
            },
        )
        print(
            "     ordering",
            {
                k: round(v, 3)
                for k, v in results[name]["evaluation_all_methods_50_images"][
                    "ordering_area"
                ].items()
            },
        )
    for k, v in panels.items():
        print(f"panel {k:28s} median {v['median_ms']:9.1f} ms  p95 {v['p95_ms']:9.1f}")


if __name__ == "__main__":
    # one torch thread, as the panels use (see course.relevance.models.torch_threads)
    with torch_threads(1):
        main()
