r"""The classifiers whose decisions the lecture explains: a small CNN and an MLP for 8x8 digits.

The data (:mod:`.digits`) are scikit-learn's 8x8 digits, scaled to ``[0, 1]``.

We keep the images at 8x8 rather than upsampling them: each of the 64 pixels is then one input
coordinate that a relevance map scores and that pixel flipping removes, the maps read well when
drawn as 64 large cells, and RDE's Gaussian obfuscation needs only a 64x64 covariance, estimated
from 1257 training images (an upsampled 16x16 image would need a 256x256 covariance of rank at
most 64, since interpolation adds no information).

Both networks take a batch of shape ``(n, 1, 8, 8)`` and return 10 class scores (logits).
They are plain ``torch.nn.Sequential`` stacks of the layers LRP has rules for: ``Conv2d``,
``ReLU``, ``MaxPool2d``, ``Flatten`` and ``Linear``.

The names and labels of the networks and the facts of the shipped weights (metadata, test
accuracy) are in :mod:`.catalog`, which imports no torch; this module re-exports them.
"""

from __future__ import annotations

from copy import deepcopy
from functools import lru_cache

import numpy as np
import torch
from torch import nn

from ..threads import torch_threads  # re-exported: the lecture's scripts use it
from .catalog import MODEL_LABELS, _check_name, model_info, weights_path
from .digits import N_TEST, SPLIT_SEED, DigitsData, load_digit_images

__all__ = [
    "DigitsData",
    "MODELS",
    "accuracy",
    "load_digit_images",
    "build_model",
    "load_model",
    "model_info",
    "predict",
    "weights_path",
    "torch_threads",
    "N_TEST",
    "SPLIT_SEED",
]


def _cnn() -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(1, 8, kernel_size=3, padding=1),  # 8 x 8 x 8
        nn.ReLU(),
        nn.Conv2d(8, 16, kernel_size=3, padding=1),  # 16 x 8 x 8
        nn.ReLU(),
        nn.MaxPool2d(2),  # 16 x 4 x 4
        nn.Flatten(),  # 256
        nn.Linear(256, 64),
        nn.ReLU(),
        nn.Linear(64, 10),
    )


def _mlp() -> nn.Sequential:
    return nn.Sequential(
        nn.Flatten(),  # 64
        nn.Linear(64, 128),
        nn.ReLU(),
        nn.Linear(128, 64),
        nn.ReLU(),
        nn.Linear(64, 10),
    )


_BUILDERS = {"cnn": _cnn, "mlp": _mlp}
#: The model registry: name -> (builder, label). Validates and dispatches ``name``; keyed as
#: :data:`.catalog.MODEL_LABELS`, the labels without torch.
MODELS = {name: (_BUILDERS[name], label) for name, label in MODEL_LABELS.items()}


def build_model(name: str) -> nn.Sequential:
    """A freshly initialised (untrained) network; ``name`` is ``'cnn'`` or ``'mlp'``."""
    _check_name(name)
    return MODELS[name][0]()


def state_dict_to_arrays(model: nn.Module) -> dict:
    """The parameters as numpy arrays (float32, as trained), keyed like ``state_dict``."""
    return {k: v.detach().cpu().numpy().copy() for k, v in model.state_dict().items()}


@lru_cache(maxsize=8)
def _load(name: str, dtype: torch.dtype) -> nn.Sequential:
    model = build_model(name)
    with np.load(weights_path(name)) as f:
        state = {k: torch.from_numpy(f[k]) for k in f.files}
    model.load_state_dict(state)
    model = model.to(dtype).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def load_model(name: str = "cnn", *, dtype: torch.dtype = torch.float64) -> nn.Sequential:
    """The trained network with the shipped weights, in evaluation mode, gradients off.

    The weights are stored in float32 (as trained); by default they are cast (exactly) to
    float64, so that conservation laws of the explanation methods can be checked tightly.
    The returned model is cached and shared: do not modify it.

    Examples
    --------
    >>> model = load_model("mlp")
    >>> d = load_digit_images()
    >>> acc = float((predict(model, d.x_test) == d.y_test).mean())
    >>> acc >= 0.95
    True
    """
    _check_name(name)
    if dtype not in (torch.float32, torch.float64):
        raise ValueError(f"dtype must be torch.float32 or torch.float64; got {dtype}")
    return _load(name, dtype)


def as_batch(x, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Images ``(8, 8)`` or ``(n, 8, 8)`` (or already ``(n, 1, 8, 8)``) as a tensor (n, 1, 8, 8)."""
    t = torch.tensor(np.asarray(x), dtype=dtype)
    if t.ndim == 2:
        t = t[None]
    if t.ndim == 3:
        t = t[:, None]
    if t.ndim != 4 or t.shape[1:] != (1, 8, 8):
        raise ValueError(f"x must have shape (8, 8) or (n, 8, 8); got {tuple(np.shape(x))}")
    return t


def logits(model: nn.Module, x) -> np.ndarray:
    """Class scores, shape (n, 10), of images ``(8, 8)`` or ``(n, 8, 8)``."""
    dtype = next(model.parameters()).dtype
    with torch.no_grad():
        return model(as_batch(x, dtype)).numpy()


def predict(model: nn.Module, x) -> np.ndarray:
    """Predicted labels, shape (n,), of images ``(8, 8)`` or ``(n, 8, 8)``."""
    return logits(model, x).argmax(axis=1)


def accuracy(name: str = "cnn") -> float:
    """Fraction of the :data:`N_TEST` test images that the shipped network ``name`` classifies
    correctly (lecture 07 prints it).

    Examples
    --------
    >>> accuracy("mlp") >= 0.95
    True
    """
    d = load_digit_images()
    return float((predict(load_model(name), d.x_test) == d.y_test).mean())


def without_biases(model: nn.Module) -> nn.Module:
    r"""A copy of ``model`` with every bias set to zero (the weights unchanged).

    A ReLU network without biases is positively homogeneous, :math:`f(tx) = t f(x)` for
    :math:`t \ge 0` (max-pooling is too), so gradient x input sums to :math:`f(x)` (Euler) and
    LRP-0 conserves relevance exactly. The copy is a different network: it has its own scores.

    Examples
    --------
    >>> net = without_biases(load_model("cnn"))
    >>> x = load_digit_images().x_test[0]
    >>> bool(np.allclose(logits(net, 2 * x), 2 * logits(net, x), rtol=1e-12, atol=0))
    True
    """
    copy = deepcopy(model)
    with torch.no_grad():
        for layer in copy.modules():
            if getattr(layer, "bias", None) is not None:
                layer.bias.zero_()
    return copy
