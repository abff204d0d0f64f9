"""Lecture 07 without torch: the names of the networks, methods and LRP rules, and the facts of
the shipped weights.

Everything a dashboard shows before it computes anything (its choices, its labels, the test
accuracy the lecture prints) lives here, in plain Python, so that reading it imports neither
torch nor scikit-learn. The modules that compute (:mod:`.models`, :mod:`.explain`, :mod:`.lrp`)
build their registries from these tables, keyed the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = [
    "MODEL_LABELS",
    "METHOD_LABELS",
    "SLOW_METHODS",
    "RULES",
    "WEIGHTS_DIR",
    "weights_path",
    "model_info",
    "shipped_accuracy",
]

#: The networks: name -> label (:data:`.models.MODELS` adds each one's builder).
MODEL_LABELS = {
    "cnn": "CNN: 2 conv layers, max-pooling, 2 dense layers",
    "mlp": "MLP: 64-128-64-10",
}

#: The relevance methods: name -> label for legends (:data:`.explain.METHODS` adds the functions).
METHOD_LABELS = {
    "gradient": "gradient",
    "gradient_x_input": "gradient × input",
    "smoothgrad": "SmoothGrad",
    "integrated_gradients": "Integrated Gradients",
    "occlusion": "occlusion",
    "lrp": "LRP",
    "rde": "RDE",
}
#: The methods that stream their progress (an optimisation: slow enough to show it).
SLOW_METHODS = ("rde",)

#: Rules for the hidden (and, by default, input) linear layers; validates and dispatches ``rule``
#: in :func:`.lrp.lrp`.
RULES = {
    "zero": "LRP-0",
    "epsilon": "LRP-ε",
    "alpha_beta": "LRP-αβ",
    "zplus": "z⁺",
}

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"


def _check_name(name: str) -> None:
    if name not in MODEL_LABELS:
        raise ValueError(f"name must be one of {', '.join(map(repr, MODEL_LABELS))}; got {name!r}")


def weights_path(name: str) -> Path:
    """Where the shipped weights of model ``name`` live (an ``.npz``; metadata in ``.json``)."""
    _check_name(name)
    return WEIGHTS_DIR / f"{name}.npz"


def model_info(name: str) -> dict:
    """The metadata written by the training script: seed, epochs, test accuracy, ..."""
    return json.loads(weights_path(name).with_suffix(".json").read_text())


def shipped_accuracy(name: str = "cnn") -> float:
    """The fraction of the 540 test images that the shipped network ``name`` classifies
    correctly, as the training script wrote it next to the weights (lecture 07 prints it).

    A fact of the shipped weights, read without torch; the tests recompute it with
    :func:`.models.accuracy`, which classifies the test images.

    Examples
    --------
    >>> round(shipped_accuracy("cnn") * 540)
    529
    """
    return float(model_info(name)["test_accuracy"])
