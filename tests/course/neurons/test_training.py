"""The learning set-up: data sets, backpropagation against autograd, SGD that learns."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course.neurons.datasets import DATASETS, make_dataset
from course.neurons.training import DIVERGENCE_FACTOR, Trainer
from course.progress import Progress


@pytest.mark.parametrize("name", list(DATASETS))
@pytest.mark.parametrize("n", [7, 200])
def test_datasets_shapes_split_and_seed(name, n):
    d = make_dataset(name, n_samples=n, noise=0.1, test_fraction=0.3, seed=4)
    assert len(d.x_train) + len(d.x_test) == n
    assert d.x_train.shape[1] == 2 and len(d.y_train) == len(d.x_train)
    assert set(np.unique(np.r_[d.y_train, d.y_test])) <= {0.0, 1.0}
    again = make_dataset(name, n_samples=n, noise=0.1, test_fraction=0.3, seed=4)
    np.testing.assert_array_equal(d.x_train, again.x_train)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(name="moons"), "name must be one of"),
        (dict(n_samples=2), "n_samples"),
        (dict(noise=-1.0), "noise"),
        (dict(noise=float("nan")), "noise"),
        (dict(test_fraction=1.0), "test_fraction"),
    ],
)
def test_dataset_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_dataset(**kwargs)


@pytest.mark.parametrize(
    "activation", ["relu", "tanh", "sigmoid", "gelu", "softplus", "leaky_relu"]
)
@pytest.mark.parametrize("reg", ["none", "l2", "l1"])
def test_backpropagation_equals_torch_autograd(activation, reg):
    data = make_dataset("spiral", n_samples=41, seed=2)
    t = Trainer(data, (2, 5, 4, 1), activation=activation, seed=3, lam=0.01, reg=reg)
    x, y = data.x_train, data.y_train
    gw, gb = t.gradient(x, y)
    model = t.network().to_torch(torch.float64)
    out = model(torch.as_tensor(x))[:, 0]
    loss = torch.nn.functional.binary_cross_entropy_with_logits(out, torch.as_tensor(y))
    weights = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
    if reg == "l2":
        loss = loss + 0.01 * sum((w**2).sum() for w in weights)
    elif reg == "l1":
        loss = loss + 0.01 * sum(w.abs().sum() for w in weights)
    loss.backward()
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    for l, m in enumerate(linears):
        # float64 on both sides: agreement to rounding
        np.testing.assert_allclose(gw[l], m.weight.grad.numpy(), rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(gb[l], m.bias.grad.numpy(), rtol=1e-10, atol=1e-13)


def test_sgd_reaches_full_training_accuracy_on_separable_blobs():
    data = make_dataset("blobs", n_samples=200, noise=0.0, seed=0)
    # the two blobs are 1.41 apart with standard deviation 0.15: linearly separable
    t = Trainer(data, (2, 8, 8, 1), seed=0, lr=0.1)
    snap = t.train(500)
    assert snap.train_accuracy == 1.0
    assert snap.train_loss[-1] < snap.train_loss[0]


def test_l1_penalty_drives_weights_towards_zero():
    data = make_dataset("circles", n_samples=200, noise=0.05, seed=1)
    plain = Trainer(data, (2, 16, 1), seed=1, lr=0.1)
    sparse = Trainer(data, (2, 16, 1), seed=1, lr=0.1, lam=0.02, reg="l1")
    plain.train(1500)
    sparse.train(1500)
    l1 = [sum(np.abs(w).sum() for w in t.weights) for t in (plain, sparse)]
    assert l1[1] < 0.7 * l1[0]


def test_divergence_is_reported_not_hidden():
    data = make_dataset("xor", n_samples=100, seed=0)
    # weight decay with lr * 2 lam = 20 multiplies the weights by -19 per step: they explode
    t = Trainer(data, (2, 8, 1), seed=0, lr=10.0, lam=1.0, reg="l2")
    with pytest.raises(FloatingPointError, match="diverged"):
        with np.errstate(all="ignore"):
            t.train(2000)


def test_run_is_a_generator_of_progress_that_stops_when_closed():
    t = Trainer(make_dataset("xor", seed=0), (2, 8, 1), seed=0)
    job = t.run(max_steps=200, report_every_s=0.0)
    items = list(job)
    assert all(isinstance(i, Progress) for i in items)
    assert items[-1].fraction == 1.0 and items[-1].partial.step == 200
    endless = t.run(report_every_s=0.0)
    first = next(endless)
    assert np.isnan(first.fraction)
    endless.close()  # what the stop button does
    assert t.step > 200


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(lr=0.0), "lr"),
        (dict(lr=float("inf")), "lr"),
        (dict(batch_size=0), "batch_size"),
        (dict(lam=-1.0), "lam"),
        (dict(reg="l3"), "reg"),
    ],
)
def test_hyperparameters_are_validated(kw, match):
    with pytest.raises(ValueError, match=match):
        Trainer(make_dataset("xor"), (2, 3, 1), **kw)
    with pytest.raises(ValueError, match="widths"):
        Trainer(make_dataset("xor"), (3, 3, 1))


def test_a_long_run_keeps_a_bounded_evenly_spread_history():
    t = Trainer(make_dataset("blobs", seed=0), (2, 4, 1), seed=0)
    snap = t.train(30_000)
    assert len(snap.steps) <= Trainer.MAX_RECORDS
    assert snap.steps[0] == 0 and snap.steps[-1] >= 30_000 - 2 * t._record_every
    gaps = np.diff(snap.steps)
    assert gaps.max() <= 2 * gaps.min()  # evenly spread up to the latest doubling


def test_a_rising_loss_is_flagged_as_divergence():
    data = make_dataset("circles", n_samples=200, noise=0.05, seed=0)
    calm = Trainer(data, (2, 8, 8, 1), seed=0, lr=0.1)
    wild = Trainer(data, (2, 8, 8, 1), seed=0, lr=10.0)
    s_calm, s_wild = calm.train(1000), wild.train(1000)
    assert s_calm.diverged_at is None
    assert s_calm.train_loss.max() <= DIVERGENCE_FACTOR * s_calm.train_loss[0]
    k = s_wild.diverged_at
    assert k is not None and 0 < k <= 1000
    assert s_wild.train_loss[list(s_wild.steps).index(k)] > DIVERGENCE_FACTOR * s_wild.train_loss[0]


def test_epochs_count_passes_over_the_training_set():
    data = make_dataset("xor", n_samples=100, test_fraction=0.3, seed=0)
    t = Trainer(data, (2, 4, 1), seed=0, batch_size=7)
    assert t.snapshot().epoch == 0.0
    assert t.train(50).epoch == 50 * 7 / 70
