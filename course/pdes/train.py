"""Train the parametric networks from fixed seeds and write the shipped weights.

Run ``python -m course.pdes.train`` to reproduce ``course/pdes/weights/*.npz`` (deterministic
torch on the CPU with one thread; the FEM training data is generated here from the seeds, nothing
is downloaded). ``python -m course.pdes.train trigonometric_p4`` trains one. The metadata (seed,
architecture, data sizes, training time, test errors) goes into the ``.json`` next to each
``.npz``.

The architecture is the one of Geist et al. (2021) in depth and activation, narrower to fit a CPU
and the 5 MB budget: 11 affine layers (10 hidden layers of width 80), leaky ReLU with slope 0.2
between them; trained with Adam (learning rate 2e-3 decaying exponentially to 1e-5 over 60 epochs), mini-batches of 128, on
the mean squared error of the standardised FEM solutions. The paper used 20000 training samples
and much wider layers; here 2000 training and 300 test samples on a 17 x 17 node mesh (D = 225 unknowns).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from ..progress import Progress, run_to_end
from .parametric import (
    LEAKY_SLOPE,
    ParametricModel,
    ParametricSolver,
    make_data,
    relative_errors,
    weights_dir,
)

__all__ = ["TrainConfig", "CONFIGS", "train", "train_steps", "main"]


@dataclass(frozen=True)
class TrainConfig:
    """One shipped network: family, parameter dimension and the recipe."""

    family: str
    p: int
    n: int = 16
    n_train: int = 2000
    n_test: int = 300
    width: int = 80
    hidden_layers: int = 10
    epochs: int = 60
    batch_size: int = 128
    lr: float = 2e-3
    lr_final: float = 1e-5
    seed: int = 0

    @property
    def name(self) -> str:
        return f"{self.family}_p{self.p}"


#: The shipped networks: the trigonometric family for p = 2, 4, 8, 16 (the error against p), and
#: each other family at p = 4 (the training budget of a shared CPU: about 20 minutes in all).
CONFIGS: dict[str, TrainConfig] = {
    c.name: c
    for c in [
        *(TrainConfig("trigonometric", p, seed=p) for p in (2, 4, 8, 16)),
        TrainConfig("chessboard", 4, seed=104),
        TrainConfig("cookies", 4, seed=204),
        TrainConfig("polynomial", 4, seed=304),
    ]
}


def _network(config: TrainConfig, d_out: int) -> nn.Sequential:
    layers: list[nn.Module] = []
    sizes = [config.p] + [config.width] * config.hidden_layers
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.LeakyReLU(LEAKY_SLOPE)]
    layers.append(nn.Linear(sizes[-1], d_out))
    return nn.Sequential(*layers)


def train_steps(config: TrainConfig):
    """Generate the data and train; yields :class:`Progress` per epoch (partial: the epoch's
    mean loss), returns ``(ParametricModel, info)``."""
    t0 = time.perf_counter()
    data = make_data(
        config.family, config.p, config.n_train + config.n_test, n=config.n, seed=config.seed
    )
    t_data = time.perf_counter() - t0
    y, u = data.y, data.u
    y_tr, u_tr = y[: config.n_train], u[: config.n_train]
    y_te, u_te = y[config.n_train :], u[config.n_train :]
    solver = ParametricSolver(config.family, config.p, config.n)
    fam = solver.family
    u_mean = u_tr.mean(axis=0)
    u_scale = float((u_tr - u_mean).std())
    x = torch.as_tensor(2.0 * (y_tr - fam.low) / (fam.high - fam.low) - 1.0, dtype=torch.float32)
    target = torch.as_tensor((u_tr - u_mean) / u_scale, dtype=torch.float32)
    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(config.seed)
    net = _network(config, u.shape[1])
    opt = torch.optim.Adam(net.parameters(), lr=config.lr)
    steps_per_epoch = int(np.ceil(config.n_train / config.batch_size))
    total = config.epochs * steps_per_epoch
    gamma = (config.lr_final / config.lr) ** (1.0 / total)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma)
    losses = []
    for epoch in range(config.epochs):
        order = torch.randperm(config.n_train, generator=gen)
        running = 0.0
        for k in range(steps_per_epoch):
            idx = order[k * config.batch_size : (k + 1) * config.batch_size]
            loss = torch.mean((net(x[idx]) - target[idx]) ** 2)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            running += float(loss.detach()) * len(idx)
        losses.append(running / config.n_train)
        yield Progress((epoch + 1) / config.epochs, losses[-1], f"epoch {epoch + 1}")
    linear = [m for m in net if isinstance(m, nn.Linear)]
    weights = tuple(m.weight.detach().numpy().T.copy() for m in linear)
    biases = tuple(m.bias.detach().numpy().copy() for m in linear)
    meta = {
        "family": config.family,
        "p": config.p,
        "n": config.n,
        "n_layers": len(linear),
        "config": asdict(config),
    }
    model = ParametricModel(
        config.family, config.p, config.n, weights, biases, u_mean, u_scale, meta
    )
    err_te = relative_errors(model.predict(y_te), u_te, solver.mass)
    err_tr = relative_errors(model.predict(y_tr[:500]), u_tr[:500], solver.mass)
    info = {
        "test_relative_error_mean": float(err_te.mean()),
        "test_relative_error_max": float(err_te.max()),
        "train_relative_error_mean": float(err_tr.mean()),
        "final_loss": losses[-1],
        "data_seconds": round(t_data, 1),
        "train_seconds": round(time.perf_counter() - t0 - t_data, 1),
        "n_params": model.n_params,
    }
    return model, info


def train(config: TrainConfig) -> tuple[ParametricModel, dict]:
    """Run :func:`train_steps` to the end."""
    return run_to_end(train_steps(config))


def save(model: ParametricModel, info: dict, folder=None) -> None:
    folder = weights_dir() if folder is None else folder
    name = f"{model.family}_p{model.p}"
    arrays = {f"W{i}": w for i, w in enumerate(model.weights)}
    arrays.update({f"b{i}": b for i, b in enumerate(model.biases)})
    arrays["u_mean"] = model.u_mean.astype(np.float32)
    arrays["u_scale"] = np.float32(model.u_scale)
    np.savez_compressed(folder / f"{name}.npz", **arrays)
    meta = {**model.meta, **info}
    (folder / f"{name}.json").write_text(json.dumps(meta, indent=1) + "\n")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"some of {', '.join(CONFIGS)} (default: all)")
    args = parser.parse_args(argv)
    names = args.names or list(CONFIGS)
    bad = [n for n in names if n not in CONFIGS]
    if bad:
        raise SystemExit(f"unknown networks {bad}; the networks are {', '.join(CONFIGS)}")
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for name in names:
            model, info = train(CONFIGS[name])
            save(model, info)
            print(name, json.dumps(info), flush=True)
    finally:
        torch.set_num_threads(old)


if __name__ == "__main__":
    main()
