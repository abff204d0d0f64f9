r"""Train the two networks of lecture 06 and write their weights and the error table.

``python -m course.tomography.train`` reproduces the shipped files in
``course/tomography/weights/`` from the seed (one torch thread, CPU):

1. ``--n-train`` random ellipse phantoms (seeds ``0 .. n_train - 1``), phantom ``i`` scanned with
   the missing wedge ``wedges[i % 3]`` (30, 60, 90 degrees) and 1% noise, from exact line
   integrals. FBP and *step 1* (the same solver and iterations as at test time: the honest
   pipeline) are computed once.
2. The LtI network learns the invisible shearlet coefficients of the truth from the visible
   ones of step 1 (mean squared error over the invisible channels, each channel divided by its
   standard deviation over the training truths); the post-processing U-Net learns truth - FBP.
   Adam, random 64 x 64 crops (the networks are fully convolutional), ``--epochs`` passes.
3. The error table on ``--n-heldout`` held-out phantoms (seeds from 1 000 000) at each wedge.

``--quick`` is the few-second version the tests run (tiny data, one epoch, written to ``--out``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from course.progress import run_to_end
from course.sparse import shearlet_system

from . import networks
from .evaluation import error_table
from .ltI import (
    SETUP,
    LearnTheInvisible,
    PostProcessing,
    fbp_of,
    ltI_split,
    measure,
    network_input,
    step1,
)
from .phantoms import random_ellipses

__all__ = ["make_data", "train_network", "main"]


def make_data(n_train: int, setup=SETUP, log=print) -> dict:
    """Truths, FBPs and step-1 reconstructions of the training phantoms, batched by wedge."""
    wedges = setup.wedges_deg
    n = setup.n
    truth = np.zeros((n_train, n, n))
    fbps = np.zeros_like(truth)
    stars = np.zeros_like(truth)
    missing = np.array([wedges[i % len(wedges)] for i in range(n_train)], dtype=float)
    for w in wedges:
        idx = np.flatnonzero(missing == w)
        for start in range(0, idx.size, 16):
            chunk = idx[start : start + 16]
            ms = [measure(random_ellipses(int(i)), w, setup=setup) for i in chunk]
            truth[chunk] = [m.truth for m in ms]
            fbps[chunk] = [fbp_of(m, setup=setup) for m in ms]
            stars[chunk] = step1(np.stack([m.sinogram for m in ms]), ms[0].angles, setup=setup)
            log(f"  step 1: wedge {w}, {start + chunk.size} of {idx.size}")
    return {"truth": truth, "fbp": fbps, "star": stars, "missing": missing}


def _crops(rng, size, n, count):
    return rng.integers(0, n - size + 1, size=(count, 2)) if size < n else np.zeros((count, 2), int)


def train_network(model, inputs, targets, weights, *, epochs, batch=8, crop=64, lr=1e-3, seed=0):
    """Adam on random crops; ``weights`` multiply the squared error per sample and channel."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=max(1, epochs))
    x_all, y_all = torch.from_numpy(inputs), torch.from_numpy(targets)
    w_all = torch.from_numpy(weights)
    n_samples, n = inputs.shape[0], inputs.shape[-1]
    losses = []
    for _ in range(epochs):
        order = rng.permutation(n_samples)
        total = 0.0
        for start in range(0, n_samples, batch):
            b = order[start : start + batch]
            corners = _crops(rng, crop, n, b.size)
            xs, ys = [], []
            for i, (r, c) in zip(b, corners):
                xs.append(x_all[i, :, r : r + crop, c : c + crop])
                ys.append(y_all[i, :, r : r + crop, c : c + crop])
            x, y = torch.stack(xs), torch.stack(ys)
            w = w_all[b][:, :, None, None]
            loss = (w * (model(x) - y) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * b.size
        sched.step()
        losses.append(total / n_samples)
    return losses


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.tomography.train", description=__doc__)
    parser.add_argument("--n-train", type=int, default=96)
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--n-heldout", type=int, default=6)
    parser.add_argument("--width", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=networks.WEIGHTS)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--cache", type=Path, default=None, help="npz of step 1's results")
    parser.add_argument("--quick", action="store_true", help="tiny run for the tests (seconds)")
    args = parser.parse_args(argv)
    setup = SETUP
    if args.quick:
        setup = replace(SETUP, n=32, iterations=5, scales=2)
        args.n_train, args.epochs, args.n_heldout, args.width = 6, 1, 1, 4
    torch.set_num_threads(1)
    t0 = time.perf_counter()
    print(f"data: {args.n_train} phantoms at {setup.n} x {setup.n}", flush=True)
    if args.cache is not None and args.cache.is_file():
        with np.load(args.cache) as stored:
            data = {k: stored[k] for k in stored.files}
    else:
        data = make_data(args.n_train, setup, log=lambda s: print(s, flush=True))
        if args.cache is not None:
            np.savez(args.cache, **data)
    t_data = time.perf_counter() - t0

    system = shearlet_system((setup.n, setup.n), scales=setup.scales)
    coeffs = np.stack([system.decompose(f) for f in data["truth"]])
    # one scale for all channels: the squared error of the coefficients is then (Parseval frame)
    # an upper bound of the image's squared error, the quantity the metrics measure
    scale = np.full(system.n_atoms, np.sqrt(np.mean(coeffs**2)))
    inputs = np.stack(
        [network_input(f, w, scale, setup) for f, w in zip(data["star"], data["missing"])]
    )
    targets = (coeffs / scale[None, :, None, None]).astype(np.float32)
    invisible = np.stack([~ltI_split(w, setup)[0] for w in data["missing"]]).astype(np.float32)
    crop = min(64, setup.n)
    t1 = time.perf_counter()
    ltI_model = networks.ltI_network(system.n_atoms, width=args.width)
    ltI_losses = train_network(
        ltI_model,
        inputs,
        targets,
        invisible,
        epochs=args.epochs,
        crop=crop,
        seed=args.seed,
        lr=args.lr,
    )
    t_ltI = time.perf_counter() - t1
    t1 = time.perf_counter()
    post_model = networks.postprocess_network(width=args.width)
    post_losses = train_network(
        post_model,
        data["fbp"][:, None].astype(np.float32),
        data["truth"][:, None].astype(np.float32),
        np.ones((args.n_train, 1), np.float32),
        epochs=args.epochs,
        crop=crop,
        seed=args.seed,
        lr=args.lr,
    )
    t_post = time.perf_counter() - t1
    common = {
        "seed": args.seed,
        "n_train": args.n_train,
        "train_seeds": [0, args.n_train],
        "epochs": args.epochs,
        "lr": args.lr,
        "setup": {k: v for k, v in vars(setup).items()},
        "step1_seconds": round(t_data, 1),
    }
    ltI_meta = {**common, "channel_scale": scale.tolist(), "losses": ltI_losses}
    ltI_meta["train_seconds"] = round(t_ltI, 1)
    post_meta = {**common, "losses": post_losses, "train_seconds": round(t_post, 1)}
    ltI_model.eval()
    post_model.eval()
    networks.save(ltI_model, "ltI", ltI_meta, args.out)
    networks.save(post_model, "postprocess", post_meta, args.out)
    print(f"trained: LtI {t_ltI:.0f} s, post-processing {t_post:.0f} s", flush=True)
    t1 = time.perf_counter()
    table = run_to_end(
        error_table(
            args.n_heldout,
            setup=setup,
            ltI=LearnTheInvisible(ltI_model, ltI_meta, setup=setup),
            post=PostProcessing(post_model, post_meta, setup=setup),
        )
    )
    table["seconds"] = {
        "data_and_step1": round(t_data, 1),
        "train_ltI": round(t_ltI, 1),
        "train_postprocess": round(t_post, 1),
        "table": round(time.perf_counter() - t1, 1),
        "total": round(time.perf_counter() - t0, 1),
    }
    (Path(args.out) / "table.json").write_text(json.dumps(table, indent=1) + "\n")
    print(json.dumps(table["seconds"]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
