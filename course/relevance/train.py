"""Train the two digit classifiers from a fixed seed and write the shipped weights.

Run ``python -m course.relevance.train`` to reproduce ``course/relevance/weights/*.npz`` bit for
bit (deterministic torch on the CPU with one thread; a few seconds). The metadata
(seed, epochs, learning rate, test accuracy) goes into the ``.json`` file next to each ``.npz``.

The recipe: Adam, learning rate 3e-3 with a cosine decay, mini-batches of 64 drawn by a seeded
``torch.Generator``, cross-entropy loss, float32.
"""

from __future__ import annotations

import argparse
import json
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from ..progress import Progress, run_to_end
from .models import (
    MODELS,
    build_model,
    load_digit_images,
    predict,
    state_dict_to_arrays,
    weights_path,
)

__all__ = ["CONFIGS", "TrainConfig", "TrainResult", "train", "train_steps", "main"]


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of the training run; the defaults made the shipped weights."""

    seed: int = 0
    epochs: int = 40
    batch_size: int = 64
    lr: float = 3e-3
    weight_decay: float = 1e-4


@dataclass(frozen=True)
class TrainResult:
    """A trained model's parameters (float32 arrays), its test accuracy and the loss history."""

    name: str
    arrays: dict
    test_accuracy: float
    train_accuracy: float
    losses: tuple
    config: TrainConfig
    seconds: float


@contextmanager
def _deterministic(threads: int = 1):
    """One thread and deterministic kernels, restored afterwards."""
    old_threads = torch.get_num_threads()
    old_det = torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    try:
        yield
    finally:
        torch.set_num_threads(old_threads)
        torch.use_deterministic_algorithms(old_det)


#: The configuration of each shipped model.
CONFIGS = {"cnn": TrainConfig(), "mlp": TrainConfig()}


def train_steps(name: str, config: TrainConfig | None = None):
    """Train model ``name`` as a generator: yields ``Progress(fraction, loss)`` once per epoch.

    Returns (``StopIteration.value``) a :class:`TrainResult`. The same seed gives the same bits.
    """
    if name not in MODELS:
        raise ValueError(f"name must be one of {', '.join(map(repr, MODELS))}; got {name!r}")
    config = CONFIGS[name] if config is None else config
    data = load_digit_images()
    x = torch.tensor(data.x_train, dtype=torch.float32)[:, None]
    y = torch.tensor(data.y_train)
    start = time.perf_counter()
    losses = []
    with _deterministic():
        torch.manual_seed(config.seed)
        model = build_model(name)
        gen = torch.Generator().manual_seed(config.seed)
        opt = torch.optim.Adam(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
        steps_per_epoch = -(-len(y) // config.batch_size)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, config.epochs * steps_per_epoch)
        loss_fn = nn.CrossEntropyLoss()
        model.train()
        for epoch in range(config.epochs):
            order = torch.randperm(len(y), generator=gen)
            total = 0.0
            for k in range(0, len(y), config.batch_size):
                idx = order[k : k + config.batch_size]
                opt.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                opt.step()
                sched.step()
                total += loss.item() * len(idx)
            losses.append(total / len(y))
            yield Progress((epoch + 1) / config.epochs, losses[-1], f"epoch {epoch + 1}")
        model.eval()
    arrays = state_dict_to_arrays(model)
    # Accuracy of the weights as shipped and as loaded by `load_model`: float64.
    model64 = model.double()
    result = TrainResult(
        name=name,
        arrays=arrays,
        test_accuracy=float((predict(model64, data.x_test) == data.y_test).mean()),
        train_accuracy=float((predict(model64, data.x_train) == data.y_train).mean()),
        losses=tuple(losses),
        config=config,
        seconds=time.perf_counter() - start,
    )
    return result


def train(name: str, config: TrainConfig | None = None) -> TrainResult:
    """Train model ``name`` to the end (see :func:`train_steps`)."""
    return run_to_end(train_steps(name, config))


def save(result: TrainResult) -> None:
    """Write the weights (``.npz``) and metadata (``.json``) of a training run."""
    path = weights_path(result.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **result.arrays)
    meta = {
        "name": result.name,
        "architecture": MODELS[result.name][1],
        "config": asdict(result.config),
        "test_accuracy": result.test_accuracy,
        "train_accuracy": result.train_accuracy,
        "final_loss": result.losses[-1],
        "n_params": int(sum(a.size for a in result.arrays.values())),
        "torch": torch.__version__,
        "reproduce": "python -m course.relevance.train",
    }
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--dry-run", action="store_true", help="train but do not write weights")
    args = parser.parse_args(argv)
    for name in args.models:
        result = train(name)
        if not args.dry_run:
            save(result)
        print(
            f"{name}: test accuracy {result.test_accuracy:.4f}, "
            f"train accuracy {result.train_accuracy:.4f}, {result.seconds:.1f} s"
        )


if __name__ == "__main__":
    main()
