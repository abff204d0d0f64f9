r"""A ReLU network fitted to a cartoon-like image: error against the number of nonzero weights.

Boelcskei, Grohs, Kutyniok and Petersen (2019) prove that sparsely connected deep networks
achieve the optimal approximation rate of *every* affine system (wavelets, shearlets, ...) at
once: whatever a system approximates with N terms, a network with :math:`O(N)` nonzero weights
(up to log factors) approximates as well. That is an existence statement; here a network is
*trained* by gradient descent, so the measured error also shows how far training is from the
optimum.

The network maps pixel centres :math:`(y, x) \in [0,1]^2` to grey values; the error is the same
relative :math:`\ell^2` error as for the N-term approximations, and the complexity is
:func:`course.networks.complexity` (nonzero weights and biases).

References
----------
.. [1] H. Boelcskei, P. Grohs, G. Kutyniok and P. Petersen, "Optimal approximation with sparsely
   connected deep neural networks", SIAM J. Math. Data Science 1 (2019), 8-45, Theorem 6.8.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..networks import Network, complexity

__all__ = ["ReluFit", "relu_fit_steps", "relu_sweep_steps", "ReluSweep"]


@dataclass(frozen=True)
class ReluFit:
    """One trained network and its error.

    Attributes
    ----------
    widths : tuple of int
        Hidden widths.
    n_weights : int
        Nonzero weights and biases, :math:`C(\\Phi)`.
    error : float
        :math:`\\|f - \\Phi\\|_2 / \\|f\\|_2` on the pixel grid.
    step, steps : int
        Training steps done and planned.
    approximation : ndarray, shape (n0, n1)
    network : Network
    """

    widths: tuple
    n_weights: int
    error: float
    step: int
    steps: int
    approximation: np.ndarray
    network: Network


def _check(image, widths, steps, lr, batch):
    f = np.asarray(image, dtype=np.float64)
    if f.ndim != 2 or min(f.shape) < 8:
        raise ValueError(f"image must be a 2-D array with sides >= 8; got shape {f.shape}")
    widths = tuple(int(w) for w in widths)
    if not widths or min(widths) < 1 or max(widths) > 1024 or len(widths) > 8:
        raise ValueError(f"widths must be 1 to 8 integers in [1, 1024]; got {widths!r}")
    if not 1 <= steps <= 100_000:
        raise ValueError(f"steps must be in [1, 100000]; got {steps!r}")
    if not 0 < lr <= 1:
        raise ValueError(f"lr must be in (0, 1]; got {lr!r}")
    if not 1 <= batch <= 1_000_000:
        raise ValueError(f"batch must be in [1, 1000000]; got {batch!r}")
    return f, widths


def relu_fit_steps(
    image, *, widths=(32, 32, 32), steps=1500, lr=3e-3, batch=4096, seed=0, every=100
):
    """Train a ReLU network on ``image``; a generator of ``(fraction, ReluFit)``.

    Adam on mini-batches of pixels, mean squared error; every ``every`` steps the network is
    evaluated on all pixels and a partial :class:`ReluFit` is yielded. The generator returns the
    final :class:`ReluFit`. Torch is imported here, not at module import.

    Examples
    --------
    >>> f = np.outer(np.hanning(16), np.hanning(16))
    >>> job = relu_fit_steps(f, widths=(4,), steps=5, every=5)
    >>> fraction, partial = next(job)
    >>> fraction, partial.step, partial.n_weights
    (1.0, 5, 17)
    """
    f, widths = _check(image, widths, steps, lr, batch)
    import torch

    torch.manual_seed(seed)
    n0, n1 = f.shape
    yy, xx = np.meshgrid((np.arange(n0) + 0.5) / n0, (np.arange(n1) + 0.5) / n1, indexing="ij")
    pts = torch.tensor(np.column_stack([yy.ravel(), xx.ravel()]), dtype=torch.float32)
    target = torch.tensor(f.ravel(), dtype=torch.float32)[:, None]
    layers, d = [], 2
    for w in widths:
        layers += [torch.nn.Linear(d, w), torch.nn.ReLU()]
        d = w
    layers.append(torch.nn.Linear(d, 1))
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    gen = torch.Generator().manual_seed(seed)
    norm = float(np.linalg.norm(f))
    result = None
    for step in range(1, steps + 1):
        idx = torch.randint(0, pts.shape[0], (min(batch, f.size),), generator=gen)
        loss = torch.mean((model(pts[idx]) - target[idx]) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % every == 0 or step == steps:
            with torch.no_grad():
                approx = model(pts).double().numpy().reshape(f.shape)
            net = Network.from_torch(model, activation="relu")
            result = ReluFit(
                widths=widths,
                n_weights=complexity(net),
                error=float(np.linalg.norm(f - approx) / norm),
                step=step,
                steps=steps,
                approximation=approx,
                network=net,
            )
            yield step / steps, result
    return result


@dataclass(frozen=True)
class ReluSweep:
    """Networks of increasing size fitted to one image (the punchline plot's points).

    Attributes
    ----------
    fits : tuple of ReluFit
        Finished networks, smallest first.
    current : ReluFit or None
        The network being trained (partial), if any.
    """

    fits: tuple
    current: ReluFit | None

    @property
    def n_weights(self) -> np.ndarray:
        return np.array([r.n_weights for r in self.fits], dtype=int)

    @property
    def errors(self) -> np.ndarray:
        return np.array([r.error for r in self.fits])


#: Default architectures of the sweep: depth 3 or 4, widths 8 to 48.
SIZES = ((8, 8, 8), (16, 16, 16), (24, 24, 24, 24), (48, 48, 48, 48))


def relu_sweep_steps(image, *, sizes=SIZES, steps=1500, lr=3e-3, batch=4096, seed=0, every=100):
    """Train one network per size; a generator of ``(fraction, ReluSweep)``, returns the sweep."""
    fits = []
    for i, widths in enumerate(sizes):
        job = relu_fit_steps(
            image, widths=widths, steps=steps, lr=lr, batch=batch, seed=seed, every=every
        )
        last = None
        for fraction, partial in job:
            last = partial
            yield (i + fraction) / len(sizes), ReluSweep(tuple(fits), partial)
        fits.append(last)
    sweep = ReluSweep(tuple(fits), None)
    yield 1.0, sweep
    return sweep
