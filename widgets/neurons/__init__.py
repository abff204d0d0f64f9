r"""Lecture 01, neurons and activations: three panels.

- :class:`NeuronPanel`: one neuron :math:`x \mapsto \rho(\langle x, w\rangle - b)` on the plane.
- :class:`BuilderPanel`: a random network :math:`\Phi` of chosen depth, width, activation and
  sparsity; its graph, its complexity :math:`C(\Phi)` and, for piecewise-linear activations, its
  linear regions.
- :class:`TrainingPanel`: the learning set-up, live: SGD on 2D data with play, pause, step, reset.

Each panel is a :class:`widgets.panel.LivePanel` over a state; the states compute through
:mod:`course` and can be used without a browser.
"""

from .builder import BuilderPanel, BuilderState
from .neuron import NeuronPanel, NeuronState
from .training import TrainingPanel, TrainingState

__all__ = [
    "NeuronState",
    "NeuronPanel",
    "BuilderState",
    "BuilderPanel",
    "TrainingState",
    "TrainingPanel",
]
