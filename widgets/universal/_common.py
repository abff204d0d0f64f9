"""Lecture 02: what the panels share (the target and method choices, the typed formula, which
controls matter for the chosen target and method)."""

from __future__ import annotations

from course.universal import (
    METHODS,
    STEP_WIDTH,
    Target,
    expression_target,
    expression_tex,
    make_target,
    target_formula,
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

#: parameter -> when it changes the result (given the parameters); the others always do. A
#: control whose parameter does nothing for the chosen target, activation or method is hidden.
RELEVANT = {
    "frequency": lambda p: p["target"] == "sines",
    "degree": lambda p: p["activation"] == "polynomial",
    "steps": lambda p: p["method"] == "sgd",
    "seed": lambda p: p["method"] != "construction",  # the random features of (b) and (c)
}


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


class FormulaFollowsTarget:
    """A state mixin: the formula box shows the chosen target's formula, and typing a new
    formula chooses it (``target = "expression"``)."""

    def set(self, **values):
        super().set(**_follow_target(self.params(), values))


def _follow_target(current: dict, values: dict) -> dict:
    values = dict(values)
    target = values.get("target", current["target"])
    typed = values.get("expression", current["expression"])
    if "target" not in values and typed != current["expression"]:
        values["target"] = target = "expression"
    if target != "expression":
        try:
            frequency = values.get("frequency", current["frequency"])
            values["expression"] = target_formula(target, frequency=frequency)
        except (ValueError, TypeError):
            pass  # a bad target or frequency: set() refuses it, naming the parameter
    return values


def show_relevant(panel) -> None:
    """Hide the panel's controls that do nothing for the state's current parameters (and keep
    them in step with the state). A control hidden by the projector layout stays hidden."""
    specs = panel.state.param_specs()
    names = [n for n in RELEVANT if n in panel.controls]

    def update(change=None):
        params = panel.state.params()
        for name in names:
            projector = getattr(panel, "projector", False) and specs[name].advanced
            shown = RELEVANT[name](params) and not projector
            panel.controls[name].layout.display = None if shown else "none"

    panel.state.observe(update, names=["target", "activation", "method"])
    update()


def target_title(target: Target) -> str:
    """The target for a figure title: a typed formula typeset (``$f(x) = ...$``), a registry
    target by its label."""
    if target.key.startswith("expr:"):
        return f"$f(x) = {expression_tex(target.label)}$"
    name, _, frequency = target.key.partition("@")
    if name == "step":
        return f"steep step $1/(1+e^{{-x/\\delta}})$, $\\delta = {STEP_WIDTH:g}$"
    formula = target_formula(name, frequency=float(frequency or 4.0))
    return f"$f(x) = {expression_tex(formula)}$"


def _target(target, expression, frequency):
    if target == "expression":
        return expression_target(expression)
    return make_target(target, frequency=frequency)
