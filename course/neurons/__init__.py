"""Lecture 01, neurons and activations: two-dimensional data sets and SGD training of a network.

The network (:mod:`course.networks`) and its activations (:mod:`course.activations`) are shared
by every lecture and live at the top level of ``course``; this package holds what only lecture 01
uses: the data sets (:mod:`.datasets`) and the training loop (:mod:`.training`).
"""

from .datasets import DATASETS, Dataset2D, make_dataset
from .training import REGULARISERS, Trainer, TrainSnapshot

__all__ = [
    "DATASETS",
    "Dataset2D",
    "make_dataset",
    "REGULARISERS",
    "Trainer",
    "TrainSnapshot",
]
