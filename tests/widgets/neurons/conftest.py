"""Lecture 01's panels, built once per test module (``reuse``) for its test files."""

from __future__ import annotations

import pytest

from widgets.neurons import BuilderPanel, NeuronPanel


@pytest.fixture
def neuron(reuse):
    return reuse("neuron", lambda: NeuronPanel(), 30)


@pytest.fixture
def builder(reuse):
    return reuse("builder", lambda: BuilderPanel(), 30)
