"""Lecture 07 without torch: the catalog of names and facts, and the package's lazy names."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types

import pytest

import course.relevance as relevance
from course.relevance.catalog import (
    METHOD_LABELS,
    MODEL_LABELS,
    RULES,
    SLOW_METHODS,
    model_info,
    shipped_accuracy,
)


def test_the_torch_free_names_import_no_torch_nor_scikit_learn():
    code = (
        "import sys\n"
        "from course.relevance import METHOD_LABELS, MODEL_LABELS, RULES, shipped_accuracy\n"
        "from course.relevance import EvaluationResult, RateDistortionCurve\n"
        "assert shipped_accuracy('cnn') > 0.9\n"
        "print(sorted(m for m in ('torch', 'sklearn') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", list(MODEL_LABELS))
def test_shipped_accuracy_is_the_accuracy_of_the_shipped_weights(name):
    from course.relevance.models import accuracy

    # the fraction of the 540 test images classified correctly, recomputed: exactly equal
    assert shipped_accuracy(name) == accuracy(name)
    assert shipped_accuracy(name) == model_info(name)["test_accuracy"]
    with pytest.raises(ValueError, match="name must be one of 'cnn', 'mlp'"):
        shipped_accuracy("vgg")


def test_the_registries_are_keyed_and_labelled_as_the_catalog():
    from course.relevance.explain import METHODS
    from course.relevance.lrp import RULES as LRP_RULES
    from course.relevance.models import MODELS

    assert list(METHODS) == list(METHOD_LABELS)
    assert {n: m.label for n, m in METHODS.items()} == METHOD_LABELS
    assert tuple(n for n, m in METHODS.items() if m.slow) == SLOW_METHODS
    assert list(MODELS) == list(MODEL_LABELS)
    assert {n: label for n, (_, label) in MODELS.items()} == MODEL_LABELS
    assert LRP_RULES is RULES


@pytest.mark.parametrize("name", relevance.__all__)
def test_every_exported_name_resolves_to_what_its_module_defines(name):
    value = getattr(relevance, name)
    assert not isinstance(value, types.ModuleType), name
    module = relevance._MODULE_OF.get(name)
    if module is not None:  # a lazy name: the object of its module, also after the module loaded
        importlib.import_module(f"course.relevance.{module}")
        assert getattr(relevance, name) is getattr(sys.modules[f"course.relevance.{module}"], name)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        relevance.nothing  # noqa: B018


def test_functions_named_like_their_modules_stay_functions():
    names = ("explain", "lrp", "lrp_reference", "rde")
    for name in names:
        importlib.import_module(f"course.relevance.{name}")  # binds no module over the function
    from course.relevance import explain, lrp, lrp_reference, rde

    for name, value in zip(names, (explain, lrp, lrp_reference, rde)):
        assert value is getattr(sys.modules[f"course.relevance.{name}"], name)
        assert callable(value) and not isinstance(value, types.ModuleType)
