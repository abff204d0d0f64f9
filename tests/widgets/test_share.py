"""Shareable state, headless: values read from a link are validated like the controls' values,
and a page's link restores every control of every panel."""

from __future__ import annotations

import urllib.parse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from widgets import share
from widgets.neurons import BuilderPanel, NeuronPanel, TrainingPanel
from widgets.params import Choice, Flag, FloatRange, IntRange, Text

SPECS = {
    "depth": IntRange(default=3, min=1, max=10),
    "lr": FloatRange(default=0.1, min=1e-3, max=1.0, log=True),
    "rho": Choice(default="relu", options={"relu": "ReLU", "tanh": "tanh"}),
    "k": Choice(default=2, options=(1, 2, 4)),
    "exact": Flag(default=False),
    "formula": Text(default="x**2", max_length=20),
}


@pytest.mark.parametrize(
    "name, text, value",
    [
        ("depth", "5", 5),
        ("depth", "5.0", 5),
        ("lr", "0.30000000000000004", 0.30000000000000004),
        ("lr", "1e-3", 1e-3),
        ("rho", "tanh", "tanh"),
        ("k", "4", 4),
        ("exact", "true", True),
        ("exact", "False", False),
        ("formula", "sin(x)", "sin(x)"),
    ],
)
def test_from_text_reads_each_kind_of_value(name, text, value):
    got = share.from_text(SPECS[name], name, text)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("depth", "11", "depth must be an integer in [1, 10]; got 11"),
        ("depth", "2.5", "depth must be an integer in [1, 10]; got 2.5"),
        ("depth", "1e308", "depth must be an integer in [1, 10]; got 1e+308"),
        ("depth", "9" * 400, "depth must be an integer in [1, 10]; got '999"),
        ("lr", "nan", "lr must be a number in [0.001, 1]; got nan"),
        ("lr", "inf", "lr must be a number in [0.001, 1]; got inf"),
        ("lr", "0x10", "lr must be a number in [0.001, 1]; got '0x10' (str)"),
        ("rho", "<script>", "rho must be one of 'relu', 'tanh'; got '<script>'"),
        ("k", "3", "k must be one of 1, 2, 4; got '3'"),
        ("exact", "1", "exact must be True or False; got '1'"),
        ("formula", "x" * 21, "formula must be a text of at most 20 characters; got 21 characters"),
    ],
)
def test_bad_link_values_get_the_controls_messages(name, text, message):
    with pytest.raises(ValueError) as info:
        share.from_text(SPECS[name], name, text)
    assert str(info.value).startswith(message)


@given(name=st.sampled_from(sorted(SPECS)), text=st.text(max_size=60))
def test_any_text_is_taken_or_refused_with_a_value_error(name, text):
    try:
        value = share.from_text(SPECS[name], name, text)
    except ValueError:
        return
    assert SPECS[name].validate(name, value) == value


def test_to_text_and_from_text_are_inverse():
    values = {"depth": 7, "lr": 0.1 + 0.2, "rho": "tanh", "k": 4, "exact": True, "formula": "x"}
    for name, value in values.items():
        assert share.from_text(SPECS[name], name, share.to_text(value)) == value


def test_parse_splits_panels_parameters_and_mode():
    values, mode, messages = share.parse("a.x=1&a.y=2&b.x=3&mode=projector&bad=1&c.d.e=2")
    assert values == {"a": {"x": "1", "y": "2"}, "b": {"x": "3"}}
    assert mode == "projector"
    assert messages == ["'bad' is not <panel>.<parameter>", "'c.d.e' is not <panel>.<parameter>"]


def test_oversized_and_field_bombs_are_refused_whole():
    assert share.parse("a.x=" + "1" * share.MAX_QUERY)[0] == {}
    values, _, messages = share.parse("&".join(f"a.x{i}=1" for i in range(300)))
    assert values == {} and messages


def _lecture_01():
    neuron = NeuronPanel()
    builder = BuilderPanel()
    return [neuron, builder, TrainingPanel(architecture=builder)]


@pytest.mark.slow
def test_a_link_restores_every_control_of_every_panel():
    share.new_page("")
    first = _lecture_01()
    assert [p.share_key for p in first] == ["neuron", "builder", "training"]
    assert first[0].share_link.query == ""
    first[0].controls["w1"].value = -1.25
    first[0].controls["activation"].value = "tanh"
    first[1].controls["depth"].value = 5
    first[1].controls["sparsity"].value = 0.35
    first[2].controls["lr"].value = 0.01
    query = first[0].share_link.query
    assert all(p.share_link.query == query for p in first)
    assert dict(urllib.parse.parse_qsl(query)) == {
        "neuron.w1": "-1.25",
        "neuron.activation": "tanh",
        "builder.depth": "5",
        "builder.sparsity": "0.35",
        "training.depth": "5",  # the playground's own depth control, linked to the builder's
        "training.lr": "0.01",
    }
    share.new_page(query)
    second = _lecture_01()
    for p in first + second:
        p.wait()
    for a, b in zip(first, second):
        assert b.state.params() == a.state.params()
        assert b.state.ok, b.state.status
    assert second[2].state.depth == 5  # the training panel follows its builder
    assert second[0].share_link.query == query


@pytest.mark.slow
def test_a_hostile_link_changes_nothing_and_says_why():
    share.new_page("neuron.w1=1e999&neuron.b=0.25&builder.depth=-3&ghost.x=1&mode=evil")
    neuron, builder, training = _lecture_01()
    for p in (neuron, builder, training):
        p.wait()
    assert neuron.state.b == 0.25  # the good value of the link is taken
    assert neuron.state.w1 == 1.0 and builder.state.depth == 3  # the bad ones are not
    assert neuron.state.status.startswith("in the link: ")
    assert "w1 must be a number in [-3, 3]; got inf" in neuron.state.status
    assert "mode must be 'projector'" in neuron.state.status
    assert "depth must be an integer in [1, 10]; got -3" in builder.state.status
    assert training.state.ok
    assert neuron.share_link.missing == "ghost"
    assert not neuron.projector


@pytest.mark.slow
def test_projector_mode_hides_advanced_controls_only_there():
    share.new_page("mode=projector")
    builder = BuilderPanel()
    assert builder.projector
    assert builder.controls["seed"].layout.display == "none"
    assert builder.controls["depth"].layout.display != "none"
    share.new_page("")
    student = BuilderPanel()
    assert not student.projector
    assert student.controls["seed"].layout.display != "none"
    builder.wait()
    student.wait()
