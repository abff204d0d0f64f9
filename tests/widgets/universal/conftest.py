"""Lecture 02's panels, built once per test module (``reuse``) for its test files."""

from __future__ import annotations

import pytest

from widgets.universal import RatesPanel, ShallowPanel, TwoDPanel


@pytest.fixture
def shallow(reuse):
    return reuse("shallow", lambda: ShallowPanel(), 30)


@pytest.fixture
def rates(reuse):
    return reuse("rates", lambda: RatesPanel(), 120)


@pytest.fixture
def two_d(reuse):
    return reuse("two_d", lambda: TwoDPanel(), 180)
