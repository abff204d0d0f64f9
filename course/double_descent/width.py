r"""Model-wise double descent of small neural networks: a width sweep on the digits (torch).

Two-layer ReLU networks :math:`x \mapsto W_2 \rho(W_1 x + b_1) + b_2`,
:math:`\mathbb{R}^{64} \to \mathbb{R}^{10}`, of width h are trained by full-batch Adam on the
squared loss to one-hot targets of digits with noisy labels, with no regularisation and no early
stopping, for a fixed number of steps. As h grows, the training loss reaches zero near
:math:`(64 + 1 + 10) h + 10 \approx nK` parameters; there the test loss peaks, and it falls again
for wider networks (Nakkiran et al., 2019, Fig. 1; Belkin et al., 2019, Fig. 3 for MNIST).

torch is imported inside the functions: ``import course.double_descent`` stays light.

References
----------
.. [1] P. Nakkiran, G. Kaplun, Y. Bansal, T. Yang, B. Barak and I. Sutskever, "Deep double
   descent: where bigger models and more data hurt", ICLR 2020 (arXiv:1912.02292, 2019).
.. [2] M. Belkin, D. Hsu, S. Ma and S. Mandal, "Reconciling modern machine-learning practice and
   the classical bias-variance trade-off", PNAS 116(32), 15849-15854, 2019.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..progress import Progress, run_to_end
from .data import load_digits_split, one_hot

__all__ = ["DEFAULT_WIDTHS", "WidthSweepResult", "width_sweep_steps", "width_sweep", "n_params"]

#: Widths of the default sweep: from far below to far above the threshold for n = 300.
DEFAULT_WIDTHS = (2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 256)


def n_params(width: int, dim: int = 64, n_classes: int = 10) -> int:
    """Number of weights and biases of the two-layer network of this width.

    Examples
    --------
    >>> n_params(1)
    85
    """
    return (dim + 1) * width + (width + 1) * n_classes


@dataclass(frozen=True)
class WidthSweepResult:
    """Train and test performance of trained networks, one entry per finished width.

    Attributes
    ----------
    widths, n_params : ndarray of int, shape (k,)
    train_loss, test_loss : ndarray, shape (k,)
        Mean squared loss to the one-hot targets (noisy labels for train, clean for test).
    train_error, test_error : ndarray, shape (k,)
        0-1 errors of the argmax.
    planned : tuple of int
        All widths of the sweep.
    n_train, label_noise, steps, lr, seed
        The settings.
    """

    widths: np.ndarray
    n_params: np.ndarray
    train_loss: np.ndarray
    test_loss: np.ndarray
    train_error: np.ndarray
    test_error: np.ndarray
    planned: tuple
    n_train: int
    label_noise: float
    steps: int
    lr: float
    seed: int

    @property
    def complete(self) -> bool:
        return len(self.widths) == len(self.planned)


def _result(rows, planned, settings):
    cols = list(zip(*rows)) if rows else [()] * 6
    ints = [np.asarray(c, dtype=np.int64) for c in cols[:2]]
    floats = [np.asarray(c, dtype=np.float64) for c in cols[2:]]
    return WidthSweepResult(*ints, *floats, tuple(planned), *settings)


def width_sweep_steps(
    widths=DEFAULT_WIDTHS,
    *,
    n_train: int = 300,
    label_noise: float = 0.2,
    steps: int = 2000,
    lr: float = 3e-3,
    seed: int = 0,
    check_every: int = 100,
):
    r"""Train one network per width; a generator of ``Progress`` for the live panel.

    Parameters
    ----------
    widths : sequence of int
        Hidden widths h >= 1.
    n_train : int
        Training images (``load_digits_split(n_train, label_noise=..., seed=seed)``; the rest
        is the test set).
    label_noise : float
        Fraction of training labels replaced by another class.
    steps : int
        Full-batch Adam steps per network.
    lr : float
        Adam's step size.
    seed : int
        Seeds the split, the noise and (``torch.manual_seed(seed)``) each network's
        initialisation.
    check_every : int
        The generator yields every ``check_every`` steps (so that Stop acts within them) and
        after each width with the partial result.

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

    widths = [int(w) for w in widths]
    if not widths or min(widths) < 1:
        raise ValueError(f"widths must be integers >= 1; got {widths!r}")
    for name, value in (("steps", steps), ("check_every", check_every)):
        if int(value) < 1:
            raise ValueError(f"{name} must be an integer >= 1; got {value!r}")
    data = load_digits_split(n_train, label_noise=label_noise, seed=seed)
    f32 = torch.float32
    x = torch.tensor(data.x_train, dtype=f32)
    y = torch.tensor(one_hot(data.y_train), dtype=f32)
    xt = torch.tensor(data.x_test, dtype=f32)
    yt = torch.tensor(one_hot(data.y_test), dtype=f32)
    settings = (int(n_train), float(label_noise), int(steps), float(lr), int(seed))
    rows = []
    total = len(widths) * steps
    for k, h in enumerate(widths):
        with torch_threads(1):
            torch.manual_seed(seed)
            net = torch.nn.Sequential(
                torch.nn.Linear(x.shape[1], h), torch.nn.ReLU(), torch.nn.Linear(h, 10)
            )
            opt = torch.optim.Adam(net.parameters(), lr=lr)
        done = 0
        while done < steps:
            chunk = min(check_every, steps - done)
            with torch_threads(1):
                for _ in range(chunk):
                    opt.zero_grad(set_to_none=True)
                    loss = ((net(x) - y) ** 2).sum(dim=1).mean()
                    loss.backward()
                    opt.step()
            done += chunk
            if done < steps:
                yield Progress((k * steps + done) / total, None, f"width {h}: step {done}")
        with torch.no_grad():
            out, out_t = net(x), net(xt)
            rows.append(
                (
                    h,
                    n_params(h, x.shape[1]),
                    float(((out - y) ** 2).sum(dim=1).mean()),
                    float(((out_t - yt) ** 2).sum(dim=1).mean()),
                    float(np.mean(out.argmax(dim=1).numpy() != data.y_train)),
                    float(np.mean(out_t.argmax(dim=1).numpy() != data.y_test)),
                )
            )
        yield Progress((k + 1) * steps / total, _result(rows, widths, settings), f"width {h}")
    return _result(rows, widths, settings)


def width_sweep(widths=DEFAULT_WIDTHS, **options) -> WidthSweepResult:
    """:func:`width_sweep_steps` run to the end."""
    return run_to_end(width_sweep_steps(widths, **options))
