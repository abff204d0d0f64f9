"""Lecture 06's missing-angle panel, built once per test module (``reuse``) for its test files."""

from __future__ import annotations

import pytest

from widgets.tomography import MissingAnglePanel


@pytest.fixture
def missing(reuse):
    return reuse("missing", lambda: MissingAnglePanel(), 120)
