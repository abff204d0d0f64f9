"""Lecture 02: what the panels share (the target and method choices, the typed formula)."""

from __future__ import annotations

from course.universal import (
    METHODS,
    expression_target,
    make_target,
)

from ..params import InvalidValue, Text

TARGET_CHOICE = {
    "sine": "sin(\u03c0x)",
    "bump": "Gaussian bump",
    "abs": "|x|  (kink)",
    "step": "steep step",
    "sines": "sum of sines (\u03c9)",
    "expression": "typed formula \u2193",
}
METHOD_CHOICE = {name: m.label for name, m in METHODS.items()}
MAX_CONTRIBUTIONS = 24  # neuron contributions drawn at most (evenly spread over the neurons)
_PLOT_POINTS = 2001


class Formula(Text):
    """A formula in x, checked by the safe parser when it is set (so a bad one never lands)."""

    def validate(self, name, value):
        value = super().validate(name, value)
        try:
            expression_target(value)
        except ValueError as exc:
            text = str(exc)
            raise InvalidValue(text if text.startswith(name) else f"{name}: {text}") from None
        return value


def _target(target, expression, frequency):
    if target == "expression":
        return expression_target(expression)
    return make_target(target, frequency=frequency)
