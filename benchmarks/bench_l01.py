"""Lecture 01: control latency of every panel, SGD throughput while drawing, memory.

Targets (issue 2): p95 <= 50 ms per control of the neuron explorer and the builder at defaults;
>= 200 SGD steps/s for a 2-8-8-1 network while the view refreshes at <= 10 Hz.
"""

from __future__ import annotations

import time

from benchmarks.harness import measure_control, rss_mb, write_results
from widgets.neurons import BuilderPanel, NeuronPanel, TrainingPanel

SWEEPS = {
    "neuron": (
        NeuronPanel,
        {
            "w1": [0.5, 1.0, 1.5, -1.0],
            "w2": [0.0, 0.5, -0.5, 1.0],
            "b": [0.0, 0.5, 1.0, -0.5],
            "activation": ["relu", "sigmoid", "heaviside", "tanh", "gelu"],
        },
    ),
    "builder": (
        BuilderPanel,
        {
            "depth": [3, 4, 2, 5],
            "width": [8, 12, 6, 16],  # widths the discrete slider offers
            "activation": ["relu", "tanh", "gelu"],
            "sparsity": [0.0, 0.2, 0.4],
            "seed": [0, 1, 2, 3],
        },
    ),
    "training": (
        TrainingPanel,
        {
            "noise": [0.05, 0.1, 0.0],
            "lr": [0.1, 0.2, 0.05],
            "batch_size": [16, 32, 8],
            "dataset": ["circles", "xor", "blobs", "spiral"],
            "width": [8, 6],
            "depth": [3, 2],
        },
    ),
}


def sgd_throughput(seconds: float = 3.0) -> dict:
    panel = TrainingPanel(depth=3, width=8)  # a 2-8-8-1 network
    panel.wait()
    renders = []
    original = panel.render

    def counting_render(r):
        renders.append(time.perf_counter())
        original(r)

    panel.render = counting_render
    step0 = panel.state.result.snapshot.step
    t0 = time.perf_counter()
    panel.state.play()
    time.sleep(seconds)
    panel.state.pause()
    panel.wait()
    elapsed = time.perf_counter() - t0
    steps = panel.state.result.snapshot.step - step0
    return {
        "network": "2-8-8-1",
        "seconds": round(elapsed, 2),
        "sgd_steps_per_s": round(steps / elapsed, 1),
        "view_refresh_hz": round(len(renders) / elapsed, 2),
        "target_steps_per_s": 200,
        "target_refresh_hz_max": 10,
    }


def main():
    results = {"controls": {}}
    for panel_name, (cls, controls) in SWEEPS.items():
        panel = cls()
        panel.wait()
        for name, values in controls.items():
            stats = measure_control(panel, name, values, repeats=24)
            stats["target_p95_ms"] = 50 if panel_name in ("neuron", "builder") else None
            results["controls"][f"{panel_name}.{name}"] = stats
    results["sgd"] = sgd_throughput()
    results["rss_after_sweep_mb"] = round(rss_mb(), 1)
    return write_results("l01", results)


if __name__ == "__main__":
    print(main())
