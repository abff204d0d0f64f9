"""Lecture 08 benchmark: PINN accuracy in time, deep BSDE at d = 100, network against FEM.

Run ``python -m benchmarks.bench_l08`` (everything, ``results/l08.json``) or name parts:
``python -m benchmarks.bench_l08 pinn bsde parametric`` (``results/l08-<parts>.json``).
Targets (issue 17):

- ``pinn``: the 1D PINN (-u'' = pi^2 sin(pi x)) reaches relative L2 error <= 1e-3 within 30 s;
- ``bsde``: the deep BSDE estimate of u(0, 0) for Allen-Cahn at d = 100 within 1% of 0.052802,
  with its time (the paper's set-up: 4000 iterations, batch 64, N = 20, lr 5e-4);
- ``parametric``: evaluating the trained network y -> u_y^h is >= 100x faster than the FEM solve
  (assembly + sparse LU) it replaces, per parameter, batched as a class would use it.

Everything runs on one torch and one BLAS thread (the machine is shared; so do the course's
kernels).
"""

from __future__ import annotations

import sys
import time

import numpy as np
import torch

from benchmarks.harness import measure, write_results


def bench_pinn() -> dict:
    from course.pdes.pinn import PINNConfig, iter_pinn
    from course.progress import relay

    config = PINNConfig()  # the lecture's defaults: width 20, depth 3, tanh, 64 points
    t0 = time.perf_counter()
    reached = None
    final = None
    for item in relay(iter_pinn(config)):
        s = item.partial
        if s is not None and reached is None and s.final_rel_l2 <= 1e-3:
            reached = {"seconds": round(time.perf_counter() - t0, 2), "step": int(s.steps[-1])}
        final = s
    total = time.perf_counter() - t0
    return {
        "config": config.__dict__,
        "first_below_1e-3": reached,
        "final_rel_l2": final.final_rel_l2 if final else None,
        "total_seconds": round(total, 2),
        "target": "rel L2 <= 1e-3 within 30 s",
        "met": reached is not None and reached["seconds"] <= 30.0,
    }


def bench_bsde() -> dict:
    from course.pdes.bsde import REFERENCE_D100, BSDEConfig, deep_bsde

    config = BSDEConfig()  # the paper's set-up at d = 100
    t0 = time.perf_counter()
    r = deep_bsde(config)
    seconds = time.perf_counter() - t0
    last = r.y0[-10:]  # the last 10 records (250 iterations)
    return {
        "dim": config.dim,
        "iterations": config.iterations,
        "estimate": r.estimate,
        "mean_last_250_iterations": float(np.mean(last)),
        "reference": REFERENCE_D100,
        "relative_error": r.relative_error,
        "seconds": round(seconds, 1),
        "seconds_per_iteration": round(seconds / config.iterations, 4),
        "target": "within 1% of 0.052802",
        "met": r.relative_error <= 0.01,
        "y0_every_250": [float(v) for v in r.y0[9::10]],
    }


def _speed(model) -> dict:
    from course.pdes.parametric import ParametricSolver

    solver = ParametricSolver(model.family, model.p, model.n)
    ys = model.family_obj.sample(model.p, 256, seed=123)
    fem = measure(lambda: [solver.solve(y) for y in ys[:16]], repeats=5, warmup=1)
    one = measure(lambda: model.predict(ys[:1]), repeats=50)
    batch = measure(lambda: model.predict(ys), repeats=20)
    fem_per = fem["median_ms"] / 16
    net_per = batch["median_ms"] / len(ys)
    return {
        "fem_solve_ms_per_parameter": round(fem_per, 4),
        "network_ms_single": one["median_ms"],
        "network_ms_per_parameter_batch_256": round(net_per, 5),
        "speed_up_batched": round(fem_per / net_per, 1),
        "speed_up_single": round(fem_per / one["median_ms"], 1),
        "met": fem_per / net_per >= 100,
    }


def bench_parametric() -> dict:
    from course.pdes.parametric import load_parametric

    return {name: _speed(model) for name, model in load_parametric().items()}


PARTS = {"pinn": bench_pinn, "bsde": bench_bsde, "parametric": bench_parametric}


def main(argv=()) -> None:
    from course.threads import limit_blas_threads

    torch.set_num_threads(1)
    with limit_blas_threads(1):
        _main(argv)


def _main(argv) -> None:
    names = list(argv) or list(PARTS)
    bad = [n for n in names if n not in PARTS]
    if bad:
        raise SystemExit(f"unknown parts {bad}; the parts are {', '.join(PARTS)}")
    results = {}
    for name in names:
        results[name] = PARTS[name]()
        print(name, results[name], flush=True)
    tag = "l08" if not argv else "l08-" + "-".join(names)
    print(write_results(tag, results))


if __name__ == "__main__":
    main(sys.argv[1:])
