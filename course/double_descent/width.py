r"""Model-wise double descent of small neural networks: a width sweep on the digits (torch).

Two-layer ReLU networks :math:`x \mapsto W_2 \rho(W_1 x + b_1) + b_2`,
:math:`\mathbb{R}^{64} \to \mathbb{R}^{10}`, of width h are trained by full-batch Adam on the
squared loss to one-hot targets of digits with noisy labels, with no regularisation and no early
stopping, for a fixed number of steps. As h grows, the training loss reaches zero near
:math:`p(h) = (64 + 1 + 10) h + 10 \approx nK` parameters (K = 10 classes); there the test loss
peaks, and it falls again for wider networks (Nakkiran et al., 2019, Fig. 1; Belkin et al.,
2019, Fig. 3 for MNIST). The default set-up (n = 100, 20% label noise, Adam 3e-3 for 4,000
steps, seeds 0-2 averaged) shows the peak at the threshold width 14 (a test checks it).

The seeds of one width are trained together, as one batch of independent networks
(``torch.baddbmm``): Adam acts coordinate-wise and the summed loss has independent gradients per
network, so this is the same training as one network after another (a test compares them), at a
third of the Python overhead.

torch is imported inside the functions: ``import course.double_descent`` stays light.

References
----------
.. [1] P. Nakkiran, G. Kaplun, Y. Bansal, T. Yang, B. Barak and I. Sutskever, "Deep double
   descent: where bigger models and more data hurt", ICLR 2020 (arXiv:1912.02292, 2019).
.. [2] M. Belkin, D. Hsu, S. Ma and S. Mandal, "Reconciling modern machine-learning practice and
   the classical bias-variance trade-off", PNAS 116(32), 15849-15854, 2019.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from ..progress import Progress, run_to_end
from .data import load_digits_split, one_hot

__all__ = [
    "DEFAULT_SEEDS",
    "WIDTH_FACTORS",
    "WidthSweepResult",
    "n_params",
    "threshold_width",
    "width_grid",
    "width_sweep",
    "width_sweep_steps",
]

N_CLASSES, DIM = 10, 64
#: Seeds averaged by default (each seeds the split, the label noise and the initialisation).
DEFAULT_SEEDS = (0, 1, 2)
#: The widths of :func:`width_grid`, as multiples of the threshold width: dense around it, then
#: geometric up to 20 times it (for n = 100: 2, 4, 6, 9, 12, 14, 17, 22, 32, 66, 132, 263).
WIDTH_FACTORS = (0.15, 0.3, 0.45, 0.65, 0.85, 1.0, 1.2, 1.6, 2.3, 4.7, 9.4, 18.8)


def n_params(width: int, dim: int = DIM, n_classes: int = N_CLASSES) -> int:
    """Number of weights and biases of the two-layer network of this width.

    Examples
    --------
    >>> n_params(1)
    85
    """
    return (dim + 1) * width + (width + 1) * n_classes


def threshold_width(n_train: int, dim: int = DIM, n_classes: int = N_CLASSES) -> int:
    """The interpolation threshold as a width: the smallest h with ``n_params(h) >= n K``.

    A network with p parameters can fit at most about p numbers; the n one-hot targets are
    n K numbers. (For n = 100: 1,000 numbers; width 13 has 985 parameters, width 14 has 1,060.)

    Examples
    --------
    >>> threshold_width(100), n_params(13), n_params(14)
    (14, 985, 1060)
    """
    if int(n_train) < 1:
        raise ValueError(f"n_train must be an integer >= 1; got {n_train!r}")
    return max(1, math.ceil((n_train * n_classes - n_classes) / (dim + 1 + n_classes)))


def width_grid(n_train: int, *, factors=WIDTH_FACTORS) -> tuple:
    """Widths around the threshold width of ``n_train`` samples (distinct, increasing, >= 1).

    Examples
    --------
    >>> width_grid(100)
    (2, 4, 6, 9, 12, 14, 17, 22, 32, 66, 132, 263)
    """
    h = threshold_width(n_train)
    return tuple(sorted({max(1, round(f * h)) for f in factors}))


@dataclass(frozen=True)
class WidthSweepResult:
    """Train and test performance of trained networks, one entry per finished width.

    Attributes
    ----------
    widths, n_params : ndarray of int, shape (k,)
    train_loss, test_loss, train_error, test_error : ndarray, shape (k,)
        Means over the seeds: squared loss to the one-hot targets (noisy labels for train,
        clean for test) and 0-1 error of the argmax.
    train_loss_seeds, test_loss_seeds, train_error_seeds, test_error_seeds : ndarray, (k, S)
        The same per seed.
    planned : tuple of int
        All widths of the sweep.
    n_train, label_noise, steps, lr, seeds
        The settings.
    seconds : float
        Wall-clock time of the training so far.
    """

    widths: np.ndarray
    n_params: np.ndarray
    train_loss_seeds: np.ndarray
    test_loss_seeds: np.ndarray
    train_error_seeds: np.ndarray
    test_error_seeds: np.ndarray
    planned: tuple
    n_train: int
    label_noise: float
    steps: int
    lr: float
    seeds: tuple
    seconds: float

    @property
    def complete(self) -> bool:
        return len(self.widths) == len(self.planned)

    @property
    def threshold(self) -> int:
        """The interpolation threshold in parameters, ``n K``."""
        return self.n_train * N_CLASSES

    @property
    def threshold_width(self) -> int:
        return threshold_width(self.n_train)

    @property
    def train_loss(self) -> np.ndarray:
        return self.train_loss_seeds.mean(axis=1)

    @property
    def test_loss(self) -> np.ndarray:
        return self.test_loss_seeds.mean(axis=1)

    @property
    def train_error(self) -> np.ndarray:
        return self.train_error_seeds.mean(axis=1)

    @property
    def test_error(self) -> np.ndarray:
        return self.test_error_seeds.mean(axis=1)


def _result(rows, planned, settings, seconds):
    k, s = len(rows), len(settings[-1])
    ints = [np.asarray([r[j] for r in rows], dtype=np.int64) for j in (0, 1)]
    per_seed = [
        np.asarray([r[j] for r in rows], dtype=np.float64).reshape(k, s) for j in (2, 3, 4, 5)
    ]
    return WidthSweepResult(*ints, *per_seed, tuple(planned), *settings, float(seconds))


def _networks(width, seeds, dim):
    """Initial parameters of one network per seed, stacked: ``torch.manual_seed(seed)`` and
    ``nn.Linear(dim, width), nn.Linear(width, 10)``, as a single network would be made."""
    import torch

    parts = [[], [], [], []]
    for seed in seeds:
        torch.manual_seed(seed)
        first, second = torch.nn.Linear(dim, width), torch.nn.Linear(width, N_CLASSES)
        for store, p in zip(parts, (first.weight.T, first.bias, second.weight.T, second.bias)):
            store.append(p.detach())
    w1, b1, w2, b2 = (torch.stack(p) for p in parts)
    return [t.clone().requires_grad_() for t in (w1, b1[:, None], w2, b2[:, None])]


def _forward(params, x):
    import torch

    w1, b1, w2, b2 = params
    return torch.baddbmm(b2, torch.relu(torch.baddbmm(b1, x, w1)), w2)


def width_sweep_steps(
    widths=None,
    *,
    n_train: int = 100,
    label_noise: float = 0.2,
    steps: int = 4000,
    lr: float = 3e-3,
    seeds=DEFAULT_SEEDS,
    check_every: int = 100,
):
    r"""Train networks of each width, one per seed; a generator of ``Progress`` for the panel.

    Parameters
    ----------
    widths : sequence of int, optional
        Hidden widths h >= 1 (default: :func:`width_grid` of ``n_train``).
    n_train : int
        Training images (``load_digits_split(n_train, label_noise=..., seed=seed)`` per seed;
        the rest is that seed's test set).
    label_noise : float
        Fraction of training labels replaced by another class.
    steps : int
        Full-batch Adam steps per network.
    lr : float
        Adam's step size.
    seeds : sequence of int
        Each seeds the split, the noise and (``torch.manual_seed(seed)``) the initialisation.
    check_every : int
        The generator yields every ``check_every`` steps (so that Stop acts within them) and
        after each width with the partial result (all seeds of the finished widths).

    Returns
    -------
    WidthSweepResult (the generator's return value)

    Notes
    -----
    torch runs on one thread here (restored between steps of the generator): on a shared
    2-core machine this is faster than two threads waiting on each other. float32.
    """
    import torch

    from ..threads import torch_threads

    widths = width_grid(n_train) if widths is None else tuple(int(w) for w in widths)
    seeds = tuple(int(s) for s in seeds)
    if not widths or min(widths) < 1:
        raise ValueError(f"widths must be integers >= 1; got {widths!r}")
    if not seeds:
        raise ValueError(f"seeds must name at least one seed; got {seeds!r}")
    for name, value in (("steps", steps), ("check_every", check_every)):
        if int(value) < 1:
            raise ValueError(f"{name} must be an integer >= 1; got {value!r}")
    splits = [load_digits_split(n_train, label_noise=label_noise, seed=s) for s in seeds]
    f32 = torch.float32
    x = torch.tensor(np.stack([d.x_train for d in splits]), dtype=f32)
    y = torch.tensor(np.stack([one_hot(d.y_train) for d in splits]), dtype=f32)
    tests = [
        (torch.tensor(d.x_test, dtype=f32)[None], torch.tensor(one_hot(d.y_test), dtype=f32))
        for d in splits
    ]
    settings = (int(n_train), float(label_noise), int(steps), float(lr), seeds)
    rows = []
    total = len(widths) * steps
    start = time.perf_counter()
    for k, h in enumerate(widths):
        with torch_threads(1):
            params = _networks(h, seeds, x.shape[2])
            opt = torch.optim.Adam(params, lr=lr)
        done = 0
        while done < steps:
            chunk = min(check_every, steps - done)
            with torch_threads(1):
                for _ in range(chunk):
                    opt.zero_grad(set_to_none=True)
                    # summed over the networks: each one's gradient is its own loss's
                    loss = ((_forward(params, x) - y) ** 2).sum(dim=2).mean(dim=1).sum()
                    loss.backward()
                    opt.step()
            done += chunk
            if done < steps:
                yield Progress((k * steps + done) / total, None, f"width {h}: step {done}")
        with torch.no_grad(), torch_threads(1):
            out = _forward(params, x)
            train_loss = ((out - y) ** 2).sum(dim=2).mean(dim=1).numpy()
            train_err = out.argmax(dim=2).numpy() != np.stack([d.y_train for d in splits])
            test_loss, test_err = [], []
            for j, ((xt, yt), d) in enumerate(zip(tests, splits)):
                out_t = _forward([p[j : j + 1] for p in params], xt)[0]
                test_loss.append(float(((out_t - yt) ** 2).sum(dim=1).mean()))
                test_err.append(float(np.mean(out_t.argmax(dim=1).numpy() != d.y_test)))
        rows.append(
            (
                h,
                n_params(h, x.shape[2]),
                train_loss.astype(np.float64),
                np.asarray(test_loss),
                train_err.mean(axis=1),
                np.asarray(test_err),
            )
        )
        partial = _result(rows, widths, settings, time.perf_counter() - start)
        yield Progress((k + 1) * steps / total, partial, f"width {h}")
    return _result(rows, widths, settings, time.perf_counter() - start)


def width_sweep(widths=None, **options) -> WidthSweepResult:
    """:func:`width_sweep_steps` run to the end."""
    return run_to_end(width_sweep_steps(widths, **options))
