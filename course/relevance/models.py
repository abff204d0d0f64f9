r"""The classifiers whose decisions the lecture explains: a small CNN and an MLP for 8x8 digits.

The data are scikit-learn's handwritten digits (1797 images of 8x8 pixels with grey values
0..16, shipped inside scikit-learn, so nothing is downloaded). We scale the grey values to
``[0, 1]``, which makes the input domain the box :math:`[0, 1]^{64}` that the :math:`z^B` rule of
LRP needs, and split the images once, with a fixed seed, into a training and a test set.

We keep the images at 8x8 rather than upsampling them: each of the 64 pixels is then one input
coordinate that a relevance map scores and that pixel flipping removes, the maps read well when
drawn as 64 large cells, and RDE's Gaussian obfuscation needs only a 64x64 covariance, estimated
from 1257 training images (an upsampled 16x16 image would need a 256x256 covariance of rank at
most 64, since interpolation adds no information).

Both networks take a batch of shape ``(n, 1, 8, 8)`` and return 10 class scores (logits).
They are plain ``torch.nn.Sequential`` stacks of the layers LRP has rules for: ``Conv2d``,
``ReLU``, ``MaxPool2d``, ``Flatten`` and ``Linear``.

References
----------
.. [1] E. Alpaydin, C. Kaynak, "Optical Recognition of Handwritten Digits", UCI Machine Learning
   Repository, 1998 (the data behind ``sklearn.datasets.load_digits``).
"""

from __future__ import annotations

import json
from copy import deepcopy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ..threads import torch_threads  # re-exported: the lecture's scripts use it

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
]

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"

#: Seed of the train/test split; fixed, so the test set is the same for everyone.
SPLIT_SEED = 0
#: Number of test images (of 1797).
N_TEST = 540


@dataclass(frozen=True)
class DigitsData:
    """The digits, scaled to ``[0, 1]``, split into training and test set.

    Attributes
    ----------
    x_train, x_test : ndarray, shape (n, 8, 8), float64
        Grey values in ``[0, 1]`` (the original 0..16 divided by 16), indexed ``(row, col)``.
    y_train, y_test : ndarray, shape (n,), int64
        Labels 0..9.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


@lru_cache(maxsize=1)
def load_digit_images() -> DigitsData:
    """The 1797 digits, split once with seed :data:`SPLIT_SEED` into 1257 training, 540 test.

    Examples
    --------
    >>> d = load_digit_images()
    >>> d.x_train.shape, d.x_test.shape, float(d.x_train.max())
    ((1257, 8, 8), (540, 8, 8), 1.0)
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = digits.images.astype(np.float64) / 16.0
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(SPLIT_SEED).permutation(len(y))
    test, train = order[:N_TEST], order[N_TEST:]
    arrays = (x[train], y[train], x[test], y[test])
    for a in arrays:
        a.setflags(write=False)
    return DigitsData(*arrays)


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


#: The model registry: name -> (builder, label). Validates and dispatches ``name``.
MODELS = {
    "cnn": (_cnn, "CNN: 2 conv layers, max-pooling, 2 dense layers"),
    "mlp": (_mlp, "MLP: 64-128-64-10"),
}


def _check_name(name: str) -> None:
    if name not in MODELS:
        raise ValueError(f"name must be one of {', '.join(map(repr, MODELS))}; got {name!r}")


def build_model(name: str) -> nn.Sequential:
    """A freshly initialised (untrained) network; ``name`` is ``'cnn'`` or ``'mlp'``."""
    _check_name(name)
    return MODELS[name][0]()


def weights_path(name: str) -> Path:
    """Where the shipped weights of model ``name`` live (an ``.npz``; metadata in ``.json``)."""
    _check_name(name)
    return WEIGHTS_DIR / f"{name}.npz"


def model_info(name: str) -> dict:
    """The metadata written by the training script: seed, epochs, test accuracy, ..."""
    return json.loads(weights_path(name).with_suffix(".json").read_text())


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
