"""Lecture 07's course tests: the digits and one torch thread, shared by the test files.

Not autouse: ``test_train.py`` (the training that reproduces the shipped weights) keeps the
thread count it is run with; ``test_rde.py`` and ``test_relevance.py`` ask for one thread with
``pytestmark = pytest.mark.usefixtures("one_torch_thread")``.
"""

from __future__ import annotations

import pytest

from course.relevance.models import load_digit_images, torch_threads


@pytest.fixture(scope="module")
def one_torch_thread():
    """Tiny networks: one torch thread is faster, and far faster on a shared machine."""
    with torch_threads(1):
        yield


@pytest.fixture(scope="module")
def data():
    """The digits of lecture 07 (train and test images, labels)."""
    return load_digit_images()
