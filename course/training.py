r"""The learning set-up of the lecture, as a training loop that reports its progress.

Given samples :math:`(x_i, y_i)_{i=1}^m` with labels :math:`y_i \in \{0, 1\}`, choose the
architecture :math:`(d, L, (N_\ell), \rho)` and minimise

.. math::

    \frac{1}{m} \sum_{i=1}^m \mathrm{Loss}(\Phi(x_i), y_i) + \lambda R(W),
    \qquad \mathrm{Loss}(t, y) = \log(1 + e^{t}) - y t,

(the logistic loss, with :math:`\sigma(\Phi(x))` the predicted probability of class 1) by
stochastic gradient descent on mini-batches. The penalty is :math:`R(W) = \sum_\ell
\|W^{(\ell)}\|_F^2` (``'l2'``) or :math:`\sum_\ell \|W^{(\ell)}\|_1` (``'l1'``); biases are not
penalised.

:class:`Trainer` keeps the model between calls, so a panel can play, pause, step and reset.
torch is imported on the first training step only, so that building a trainer is instant.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from .datasets import Dataset2D
from .networks import Network, random_network
from .progress import Progress

__all__ = ["REGULARISERS", "TrainSnapshot", "Trainer"]

REGULARISERS = {"none": "no penalty", "l2": "squared l2 norm of the weights", "l1": "l1 norm"}


@dataclass(frozen=True)
class TrainSnapshot:
    """The state of a training run, for plotting.

    Attributes
    ----------
    step : int
        SGD steps taken so far.
    steps : ndarray
        Steps at which the losses were recorded.
    train_loss, test_loss : ndarray
        Mean logistic loss (without the penalty) on the training and test sets.
    train_accuracy, test_accuracy : float
        Fraction of correctly classified points, threshold 1/2.
    network : Network
        The current network (numpy copy of the weights).
    """

    step: int
    steps: np.ndarray
    train_loss: np.ndarray
    test_loss: np.ndarray
    train_accuracy: float
    test_accuracy: float
    network: Network = field(repr=False)


def _check_hyper(lr, batch_size, lam, reg):
    if not (np.isfinite(lr) and 0 < lr <= 10):
        raise ValueError(f"lr must be in (0, 10]; got {lr!r}")
    if not (isinstance(batch_size, (int, np.integer)) and batch_size >= 1):
        raise ValueError(f"batch_size must be a positive integer; got {batch_size!r}")
    if not (np.isfinite(lam) and lam >= 0):
        raise ValueError(f"lam must be a finite number >= 0; got {lam!r}")
    if reg not in REGULARISERS:
        raise ValueError(f"reg must be one of {', '.join(REGULARISERS)}; got {reg!r}")


class Trainer:
    """SGD on a fully connected network for binary classification of 2D points.

    Parameters
    ----------
    data : Dataset2D
    widths : sequence of int
        ``(2, N_1, ..., N_{L-1}, 1)``.
    activation : str
        Registry name.
    seed : int
        Seeds the initial weights and the order of the mini-batches.
    lr, batch_size, lam, reg
        Step size, mini-batch size, penalty weight :math:`\\lambda \\ge 0` and penalty
        (``'none'``, ``'l2'``, ``'l1'``); they may be changed between steps with
        :meth:`set_hyper`.

    Examples
    --------
    >>> from course.datasets import make_dataset
    >>> t = Trainer(make_dataset("blobs", seed=0), (2, 8, 1), seed=0)
    >>> t.train(300).train_accuracy
    1.0
    """

    def __init__(
        self,
        data: Dataset2D,
        widths=(2, 8, 8, 1),
        *,
        activation: str = "relu",
        seed: int = 0,
        lr: float = 0.1,
        batch_size: int = 16,
        lam: float = 0.0,
        reg: str = "none",
    ):
        widths = tuple(int(w) for w in widths)
        if widths[0] != 2 or widths[-1] != 1:
            raise ValueError(f"widths must start with 2 and end with 1; got {widths}")
        self.data = data
        self.initial = random_network(widths, activation=activation, seed=seed)
        self.activation = activation
        self._rng = np.random.default_rng(seed + 1)
        self.set_hyper(lr=lr, batch_size=batch_size, lam=lam, reg=reg)
        self._model = None
        self.step = 0
        self._steps: list[int] = []
        self._train_loss: list[float] = []
        self._test_loss: list[float] = []

    def set_hyper(self, *, lr, batch_size, lam, reg) -> None:
        """Change step size, batch size and penalty; they apply from the next step."""
        _check_hyper(lr, batch_size, lam, reg)
        self.lr, self.batch_size, self.lam, self.reg = float(lr), int(batch_size), float(lam), reg

    # ------------------------------------------------------------------ torch model
    def _torch(self):
        if self._model is None:
            import torch

            self._torch_mod = torch
            self._model = self.initial.to_torch(torch.float64)
            self._x = torch.as_tensor(self.data.x_train, dtype=torch.float64)
            self._y = torch.as_tensor(self.data.y_train, dtype=torch.float64)
            self._xt = torch.as_tensor(self.data.x_test, dtype=torch.float64)
            self._yt = torch.as_tensor(self.data.y_test, dtype=torch.float64)
            self._weights = [p for n, p in self._model.named_parameters() if n.endswith("weight")]
            self._record()
        return self._model

    def network(self) -> Network:
        """The current network as a numpy :class:`Network`."""
        if self._model is None:
            return self.initial
        return Network.from_torch(self._model, self.activation)

    def _loss(self, x, y):
        torch = self._torch_mod
        out = self._model(x)[:, 0]
        return torch.nn.functional.binary_cross_entropy_with_logits(out, y)

    def _record(self):
        torch = self._torch_mod
        with torch.no_grad():
            self._steps.append(self.step)
            self._train_loss.append(float(self._loss(self._x, self._y)))
            self._test_loss.append(float(self._loss(self._xt, self._yt)))

    def sgd_steps(self, k: int, record_every: int = 10) -> None:
        """Take ``k`` SGD steps, recording the losses every ``record_every`` steps."""
        model = self._torch()
        torch = self._torch_mod
        m = self._x.shape[0]
        bs = min(self.batch_size, m)
        for _ in range(int(k)):
            idx = torch.as_tensor(self._rng.choice(m, size=bs, replace=False))
            loss = self._loss(self._x[idx], self._y[idx])
            if self.reg == "l2" and self.lam > 0:
                loss = loss + self.lam * sum((w**2).sum() for w in self._weights)
            elif self.reg == "l1" and self.lam > 0:
                loss = loss + self.lam * sum(w.abs().sum() for w in self._weights)
            model.zero_grad(set_to_none=True)
            loss.backward()
            with torch.no_grad():
                for p in model.parameters():
                    p -= self.lr * p.grad
            self.step += 1
            if self.step % record_every == 0:
                self._record()
        if not torch.isfinite(next(model.parameters())).all():
            raise FloatingPointError(
                f"training diverged at step {self.step} (lr={self.lr:g}); reset with a smaller lr"
            )

    def snapshot(self) -> TrainSnapshot:
        """Losses so far, accuracies and the current network."""
        net = self.network()

        def acc(x, y):
            return float(np.mean((net(x)[:, 0] > 0) == (y > 0.5)))

        return TrainSnapshot(
            step=self.step,
            steps=np.array(self._steps),
            train_loss=np.array(self._train_loss),
            test_loss=np.array(self._test_loss),
            train_accuracy=acc(self.data.x_train, self.data.y_train),
            test_accuracy=acc(self.data.x_test, self.data.y_test),
            network=net,
        )

    def train(self, steps: int) -> TrainSnapshot:
        """Take ``steps`` SGD steps and return a snapshot."""
        self.sgd_steps(steps)
        return self.snapshot()

    def run(self, max_steps: int | None = None, *, report_every_s: float = 0.1):
        """Train as a generator: yields ``(fraction, snapshot)`` about every ``report_every_s``.

        Runs forever when ``max_steps`` is None (fraction is then NaN); a consumer stops it by
        closing the generator. Returns the final snapshot.
        """
        self._torch()
        t_report = time.monotonic()
        chunk = 5
        while max_steps is None or self.step < max_steps:
            n = chunk if max_steps is None else min(chunk, max_steps - self.step)
            t0 = time.monotonic()
            self.sgd_steps(n)
            # aim for chunks of ~20 ms so that a stop request is honoured quickly
            dt = max(time.monotonic() - t0, 1e-6)
            chunk = int(min(max(1, chunk * 0.02 / dt), 2000))
            if time.monotonic() - t_report >= report_every_s:
                t_report = time.monotonic()
                frac = float("nan") if max_steps is None else self.step / max_steps
                yield Progress(frac, self.snapshot())
        snap = self.snapshot()
        yield Progress(1.0, snap)
        return snap
