r"""Is a relevance map right? Randomise pixels in its order and watch the score.

A relevance map orders the pixels, most relevant first. Two tests replace pixels by noise
:math:`\eta \sim \mathcal{N}(\mu, \Sigma)` (the obfuscation of RDE) in that order and record the
classifier's score :math:`p_c` (softmax probability of the explained class) against the
fraction of pixels randomised:

*Relevance ordering* (Macdonald et al. [1]_)
    randomise the **least** relevant pixels first; a good map keeps the score high for long
    (the curve's mean, the area under it, is large).
*Pixel flipping* (Samek et al. [2]_)
    randomise the **most** relevant pixels first; a good map destroys the score fast. Its
    summary is their *area over the perturbation curve*,

    .. math::

        \mathrm{AOPC} = \frac{1}{L + 1} \Big\langle \sum_{k=0}^{L} f(x^{(0)}) - f(x^{(k)})
        \Big\rangle_{x},

    with :math:`x^{(k)}` the image after :math:`k` steps; larger is better.

Both are compared with a **random ordering** (a map of i.i.d. uniform numbers): a method that
does not beat it has not found what the classifier uses.

References
----------
.. [1] J. Macdonald, S. Waeldchen, S. Hauch, G. Kutyniok, "A rate-distortion framework for
   explaining neural network decisions", arXiv:1905.11092, 2019.
.. [2] W. Samek, A. Binder, G. Montavon, S. Lapuschkin, K.-R. Mueller, "Evaluating the
   visualization of what a deep neural network has learned", IEEE Trans. Neural Netw. Learn.
   Syst. 28(11), 2660-2673, 2017.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..progress import Progress, run_to_end
from .explain import METHODS, explain
from .models import as_batch, predict
from .rde import Obfuscation, digits_obfuscation
from .results import EvaluationResult

__all__ = [
    "ORDERINGS",
    "EvaluationResult",
    "relevance_order",
    "randomisation_curve",
    "aopc",
    "evaluate",
    "evaluate_steps",
]

#: The two tests; validates and dispatches ``ordering``.
ORDERINGS = {
    "relevance_ordering": "least relevant randomised first (Macdonald et al.)",
    "pixel_flipping": "most relevant randomised first (Samek et al.)",
}


def relevance_order(relevance, *, seed: int = 0) -> np.ndarray:
    """Pixel indices (0..63), most relevant first, one row per map; ties broken at random.

    Examples
    --------
    >>> r = np.zeros((8, 8)); r[0, 3] = 2.0; r[7, 7] = 1.0
    >>> relevance_order(r)[0, :2].tolist()
    [3, 63]
    """
    rel = np.asarray(relevance, dtype=np.float64).reshape(-1, 64)
    tiebreak = np.random.default_rng(seed).random(rel.shape)
    return np.lexsort((tiebreak, -rel), axis=-1)


def _check_fractions(n_steps):
    if n_steps != int(n_steps) or not 1 <= n_steps <= 64:
        raise ValueError(f"n_steps must be an integer in [1, 64]; got {n_steps!r}")
    return np.linspace(0.0, 1.0, int(n_steps) + 1)


def randomisation_curve(
    model: nn.Module,
    x,
    relevance,
    *,
    target,
    ordering: str = "pixel_flipping",
    n_steps: int = 16,
    n_draws: int = 4,
    seed: int = 0,
    obfuscation: Obfuscation | None = None,
) -> tuple:
    r"""Score :math:`p_c` against the fraction of pixels randomised, averaged over images and draws.

    Returns ``(fractions, scores)``, both of shape ``(n_steps + 1,)``; at fraction 0 the score is
    the image's own, at 1 the image is pure noise. The same ``seed`` gives the same noise for
    every map (common random numbers), so two methods are compared on equal terms.
    """
    if ordering not in ORDERINGS:
        raise ValueError(
            f"ordering must be one of {', '.join(map(repr, ORDERINGS))}; got {ordering!r}"
        )
    fractions = _check_fractions(n_steps)
    if n_draws != int(n_draws) or not 1 <= n_draws <= 256:
        raise ValueError(f"n_draws must be an integer in [1, 256]; got {n_draws!r}")
    ob = digits_obfuscation() if obfuscation is None else obfuscation
    dtype = next(model.parameters()).dtype
    xb = as_batch(x, dtype).reshape(-1, 64)
    m = len(xb)
    c = torch.as_tensor(np.broadcast_to(np.asarray(target), (m,)).astype(np.int64))
    order = relevance_order(relevance, seed=seed + 1)
    counts = np.rint(fractions * 64).astype(int)
    keep = np.ones((len(counts), m, 64))
    for a, k in enumerate(counts):
        chosen = order[:, :k] if ordering == "pixel_flipping" else order[:, 64 - k :]
        np.put_along_axis(keep[a], chosen, 0.0, axis=1)
    rng = np.random.default_rng(seed)
    eta = torch.as_tensor(ob.sample((n_draws, m), rng).reshape(n_draws, m, 64), dtype=dtype)
    keep_t = torch.as_tensor(keep, dtype=dtype)[:, None]  # (K, 1, m, 64)
    y = keep_t * xb + (1 - keep_t) * eta  # (K, R, m, 64)
    with torch.no_grad():
        p = torch.softmax(model(y.reshape(-1, 1, 8, 8)), dim=-1).reshape(
            len(counts), n_draws, m, -1
        )
    scores = p[..., torch.arange(m), c].mean(dim=(1, 2))
    return fractions, scores.to(torch.float64).numpy()


def aopc(scores) -> float:
    r"""Area over the perturbation curve: :math:`\frac{1}{L+1}\sum_{k=0}^L (f^{(0)} - f^{(k)})`.

    Examples
    --------
    >>> aopc([1.0, 0.5, 0.0])
    0.5
    """
    s = np.asarray(scores, dtype=np.float64)
    return float(np.mean(s[0] - s))


#: Options per method for the evaluation (RDE shortened, so that 50 images take seconds).
EVALUATION_OPTIONS = {
    "gradient": {},
    "gradient_x_input": {},
    "smoothgrad": {"n_samples": 16},
    "integrated_gradients": {"steps": 32},
    "occlusion": {"patch": 1},
    "lrp": {"rule": "epsilon", "eps": 0.1, "input_rule": "zB"},
    "rde": {"iterations": 80, "n_samples": 8},
}


def evaluate_steps(
    model: nn.Module,
    images,
    *,
    methods=("gradient", "lrp", "rde"),
    options: dict | None = None,
    n_steps: int = 16,
    n_draws: int = 4,
    seed: int = 0,
    obfuscation: Obfuscation | None = None,
):
    """Evaluate methods on images ``(m, 8, 8)`` as a generator of ``Progress(fraction, partial)``.

    Each method explains the network's predicted class of each image. ``options`` overrides
    :data:`EVALUATION_OPTIONS` per method (``{"lrp": {"rule": "zero"}}``). The random baseline
    is always included. Returns an :class:`EvaluationResult`.
    """
    images = np.asarray(images, dtype=np.float64).reshape(-1, 8, 8)
    for name in methods:
        if name not in METHODS:
            raise ValueError(
                f"methods must be names from {', '.join(map(repr, METHODS))}; got {name!r}"
            )
    fractions = _check_fractions(n_steps)
    targets = predict(model, images)
    names = ["random", *[n for n in methods if n != "random"]]
    out = {"ordering": {}, "flipping": {}, "aopc": {}, "ordering_area": {}}
    # The same for every curve: only the relevance (the method) and the ordering change.
    curve_options = {
        "target": targets,
        "n_steps": n_steps,
        "n_draws": n_draws,
        "seed": seed,
        "obfuscation": obfuscation,
    }
    for i, name in enumerate(names):
        if name == "random":
            relevance = np.random.default_rng(seed + 7).random(images.shape)
        else:
            opts = {**EVALUATION_OPTIONS[name], **((options or {}).get(name, {}))}
            relevance = explain(model, images, method=name, target=targets, **opts)
        for key, ordering in (("ordering", "relevance_ordering"), ("flipping", "pixel_flipping")):
            _, curve = randomisation_curve(
                model, images, relevance, ordering=ordering, **curve_options
            )
            out[key][name] = curve
        out["aopc"][name] = aopc(out["flipping"][name])
        out["ordering_area"][name] = float(np.mean(out["ordering"][name]))
        partial = EvaluationResult(
            fractions,
            {k: dict(v) for k, v in out.items()}["ordering"],
            dict(out["flipping"]),
            dict(out["aopc"]),
            dict(out["ordering_area"]),
            len(images),
            tuple(names[: i + 1]),
        )
        yield Progress((i + 1) / len(names), partial, f"{name} done")
    return partial


def evaluate(model: nn.Module, images, **kwargs) -> EvaluationResult:
    """Run :func:`evaluate_steps` to the end (same parameters)."""
    return run_to_end(evaluate_steps(model, images, **kwargs))
