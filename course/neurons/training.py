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
The loop is plain numpy (backpropagation written out, tested against torch's autograd), so that
building and running a trainer imports nothing heavy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..activations import get_activation
from ..networks import Network, random_network
from ..progress import Progress
from .datasets import Dataset2D

__all__ = ["DIVERGENCE_FACTOR", "REGULARISERS", "TrainSnapshot", "Trainer"]

#: Training has diverged once the recorded training loss exceeds this multiple of its initial
#: value (or is not finite): gradient descent with a small enough step decreases the loss.
DIVERGENCE_FACTOR = 2.0

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
    epoch : float
        Training samples drawn so far divided by the size of the training set (passes over
        the data).
    diverged_at : int or None
        The first recorded step whose training loss exceeded :data:`DIVERGENCE_FACTOR` times
        the initial loss, or None.
    """

    step: int
    steps: np.ndarray
    train_loss: np.ndarray
    test_loss: np.ndarray
    train_accuracy: float
    test_accuracy: float
    network: Network = field(repr=False)
    epoch: float = 0.0
    diverged_at: int | None = None


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

    Plain numpy with backpropagation written out (the network is small; a step takes tens of
    microseconds and nothing heavy is imported). The gradient is tested against torch's autograd.

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
    >>> from course.neurons import make_dataset
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
        self._act = get_activation(activation)
        self._rng = np.random.default_rng(seed + 1)
        self.set_hyper(lr=lr, batch_size=batch_size, lam=lam, reg=reg)
        self.weights = [np.array(w) for w in self.initial.weights]
        self.biases = [np.array(b) for b in self.initial.biases]
        self.step = 0
        self.samples_seen = 0
        #: the first recorded step at which the loss exceeded DIVERGENCE_FACTOR times the
        #: initial loss (or was not finite); None while training behaves
        self.diverged_at: int | None = None
        self._record_every = 10
        self._steps: list[int] = []
        self._train_loss: list[float] = []
        self._test_loss: list[float] = []
        self._record()

    def set_hyper(self, *, lr, batch_size, lam, reg) -> None:
        """Change step size, batch size and penalty; they apply from the next step."""
        _check_hyper(lr, batch_size, lam, reg)
        self.lr, self.batch_size, self.lam, self.reg = float(lr), int(batch_size), float(lam), reg

    def network(self) -> Network:
        """The current network (a copy of the weights)."""
        return Network(self.weights, self.biases, self.activation)

    # ------------------------------------------------------------------ loss and gradient
    def _forward(self, x):
        hs, zs = [x], []
        h = x
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = h @ w.T + b
            zs.append(z)
            if l < len(self.weights) - 1:
                h = self._act.numpy(z)
                hs.append(h)
        return hs, zs

    @staticmethod
    def _logistic(t, y):
        # mean of log(1 + e^t) - y t, computed without overflow
        return float(np.mean(np.logaddexp(0.0, t) - y * t))

    def loss(self, x, y) -> float:
        """Mean logistic loss of the current network on ``(x, y)`` (without the penalty)."""
        return self._logistic(self._forward(x)[1][-1][:, 0], y)

    def gradient(self, x, y):
        """Gradients of the penalised mini-batch objective w.r.t. weights and biases.

        Backpropagation: with :math:`g_L = (\\sigma(\\Phi(x)) - y)/m`,
        :math:`\\nabla_{W^{(\\ell)}} = g_\\ell^T h_{\\ell-1}`, :math:`\\nabla_{b^{(\\ell)}} = \\sum g_\\ell`
        and :math:`g_{\\ell-1} = (g_\\ell W^{(\\ell)}) \\odot \\rho'(z_{\\ell-1})`.
        """
        hs, zs = self._forward(x)
        out = zs[-1][:, 0]
        g = ((0.5 * (1.0 + np.tanh(0.5 * out)) - y) / len(y))[:, None]
        gw = [None] * len(self.weights)
        gb = [None] * len(self.weights)
        for l in range(len(self.weights) - 1, -1, -1):
            gw[l] = g.T @ hs[l]
            gb[l] = g.sum(axis=0)
            if l > 0:
                g = (g @ self.weights[l]) * self._act.derivative(zs[l - 1])
        if self.lam > 0 and self.reg == "l2":
            gw = [gwl + 2.0 * self.lam * w for gwl, w in zip(gw, self.weights)]
        elif self.lam > 0 and self.reg == "l1":
            gw = [gwl + self.lam * np.sign(w) for gwl, w in zip(gw, self.weights)]
        return gw, gb

    #: At most this many recorded losses are kept: past it, every other one is dropped and the
    #: recording interval doubles, so a long run's history stays small and evenly spread.
    MAX_RECORDS = 1000

    def _record(self):
        self._steps.append(self.step)
        self._train_loss.append(self.loss(self.data.x_train, self.data.y_train))
        self._test_loss.append(self.loss(self.data.x_test, self.data.y_test))
        now, first = self._train_loss[-1], self._train_loss[0]
        if self.diverged_at is None and not (now <= DIVERGENCE_FACTOR * first):  # NaN too
            self.diverged_at = self.step
        if len(self._steps) > self.MAX_RECORDS:
            for history in (self._steps, self._train_loss, self._test_loss):
                del history[1::2]
            self._record_every *= 2

    def sgd_steps(self, k: int) -> None:
        """Take ``k`` SGD steps, recording the losses every ``self._record_every`` steps."""
        x, y = self.data.x_train, self.data.y_train
        m = len(y)
        bs = min(self.batch_size, m)
        for _ in range(int(k)):
            idx = self._rng.choice(m, size=bs, replace=False)
            gw, gb = self.gradient(x[idx], y[idx])
            for l in range(len(self.weights)):
                self.weights[l] -= self.lr * gw[l]
                self.biases[l] -= self.lr * gb[l]
            self.step += 1
            self.samples_seen += bs
            if self.step % self._record_every == 0:
                self._record()
        if not all(np.isfinite(w).all() for w in self.weights):
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
            epoch=self.samples_seen / len(self.data.y_train),
            diverged_at=self.diverged_at,
        )

    def train(self, steps: int) -> TrainSnapshot:
        """Take ``steps`` SGD steps and return a snapshot."""
        self.sgd_steps(steps)
        return self.snapshot()

    def run(self, max_steps: int | None = None, *, report_every_s: float = 0.1):
        """Train as a generator: yields ``Progress(fraction, snapshot)`` about every
        ``report_every_s`` seconds, in chunks of about 20 ms so that a stop is honoured quickly.

        Runs forever when ``max_steps`` is None (fraction is then NaN); a consumer stops it by
        closing the generator. Returns the final snapshot.
        """
        t_report = time.monotonic()
        chunk = 5
        while max_steps is None or self.step < max_steps:
            n = chunk if max_steps is None else min(chunk, max_steps - self.step)
            t0 = time.monotonic()
            self.sgd_steps(n)
            dt = max(time.monotonic() - t0, 1e-6)
            chunk = int(min(max(1, chunk * 0.02 / dt), 2000))
            if time.monotonic() - t_report >= report_every_s:
                t_report = time.monotonic()
                frac = float("nan") if max_steps is None else self.step / max_steps
                yield Progress(frac, self.snapshot())
        snap = self.snapshot()
        yield Progress(1.0, snap)
        return snap
