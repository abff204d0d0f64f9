r"""Target functions :math:`f: [-1, 1] \to \mathbb{R}` for lecture 02, in one registry.

Smooth targets (a sine, a Gaussian bump), rough ones (:math:`|x|` with a kink, a steep step), a
sum of sines whose frequency can be raised without bound, and formulas typed by the student
(parsed safely by :func:`course.universal.expressions.parse_expression`).

Each :class:`Target` carries what the error analysis needs: its domain, the points where it is
not smooth (they go into every error grid), and a ``kind`` that selects the predicted rate.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .expressions import parse_expression

__all__ = [
    "Target",
    "TARGETS",
    "make_target",
    "target_formula",
    "expression_target",
    "STEP_WIDTH",
    "DOMAIN",
]

DOMAIN = (-1.0, 1.0)
#: Width delta of the steep step :math:`1/(1 + e^{-x/\delta})`.
STEP_WIDTH = 0.02
_CHECK_POINTS = 4001  # a typed formula must be finite on this many points of the domain


@dataclass(frozen=True)
class Target:
    """A target function on an interval.

    Attributes
    ----------
    key : str
        Identifies the function (registry name with its parameter, or the typed text); two
        targets with the same key are the same function, which lets results be cached.
    label : str
        The formula, for legends.
    kind : str
        ``'smooth'`` (C^2 with moderate derivatives), ``'kink'`` (continuous, piecewise smooth,
        a jump of f' at the singular points), ``'steep'`` (smooth, but f'' of size 1/delta^2) or
        ``'unknown'`` (typed formulas).
    domain : tuple of float
    singular_points : tuple of float
        Where f is not smooth (or steepest); every error grid contains them.
    fn : callable
        ``ndarray -> ndarray``, elementwise.
    """

    key: str
    label: str
    kind: str
    fn: Callable = field(repr=False, compare=False)
    domain: tuple[float, float] = DOMAIN
    singular_points: tuple[float, ...] = ()
    #: How the target was made, ``(maker, *arguments)`` as :func:`_remake` reads it: what a
    #: pickle keeps (``fn`` is a closure), so a result holding a target can be stored and shared.
    recipe: tuple | None = field(default=None, repr=False, compare=False)

    def __call__(self, x) -> np.ndarray:
        return np.asarray(self.fn(np.asarray(x, dtype=float)), dtype=float)

    def __reduce__(self):
        if self.recipe is None:
            return super().__reduce__()
        return _remake, (self.recipe,)

    def derivative_bounds(self, n: int = 20001) -> tuple[float, float]:
        r"""Estimates of :math:`\max|f'|` and :math:`\max|f''|` on the domain.

        Central differences on ``n`` points (relative accuracy :math:`O(h^2)`, here about
        :math:`10^{-8}` for the registry targets); used for the constants of the predicted rates,
        not for the measured errors.
        """
        a, b = self.domain
        x = np.linspace(a, b, n)
        h = x[1] - x[0]
        y = self(x)
        d1 = np.gradient(y, h)
        d2 = (y[2:] - 2 * y[1:-1] + y[:-2]) / h**2
        return float(np.max(np.abs(d1))), float(np.max(np.abs(d2)))


def _sines(frequency: float) -> Callable:
    w = math.pi * frequency
    return lambda x: np.sin(w * x) + np.sin(2 * w * x + 1.0) / 2 + np.sin(3 * w * x + 2.0) / 3


def _step(x):
    # 1 / (1 + exp(-x / delta)), written with tanh so that it never overflows.
    return 0.5 + 0.5 * np.tanh(x / (2 * STEP_WIDTH))


#: name -> (label, kind, singular points, function of the frequency returning f)
TARGETS: dict[str, tuple[str, str, tuple[float, ...], Callable]] = {
    "sine": ("sin(\u03c0x)", "smooth", (), lambda freq: lambda x: np.sin(np.pi * x)),
    "bump": ("exp(-8x\u00b2)", "smooth", (), lambda freq: lambda x: np.exp(-8.0 * x * x)),
    "abs": ("|x|", "kink", (0.0,), lambda freq: np.abs),
    "step": (
        f"1/(1+exp(-x/\u03b4)), \u03b4={STEP_WIDTH:g}",
        "steep",
        (0.0,),
        lambda freq: _step,
    ),
    "sines": (
        "sin(\u03c9\u03c0x) + sin(2\u03c9\u03c0x+1)/2 + sin(3\u03c9\u03c0x+2)/3",
        "smooth",
        (),
        _sines,
    ),
}


def _remake(recipe) -> Target:
    maker, *args = recipe
    if maker == "registry":
        return make_target(args[0], frequency=args[1])
    if maker == "expression":
        return expression_target(args[0])
    if maker == "profile":
        from .twod import profile_target

        return profile_target(args[0])
    raise ValueError(f"unknown target recipe {recipe!r}")


def make_target(name: str, *, frequency: float = 4.0) -> Target:
    """A registry target; ``frequency`` (omega, > 0) is used by ``'sines'`` only.

    Examples
    --------
    >>> f = make_target("abs")
    >>> f(np.array([-0.5, 0.25])), f.kind, f.singular_points
    (array([0.5 , 0.25]), 'kink', (0.0,))
    """
    try:
        label, kind, singular, factory = TARGETS[name]
    except (KeyError, TypeError):
        raise ValueError(f"target must be one of {', '.join(TARGETS)}; got {name!r}") from None
    if not (isinstance(frequency, (int, float)) and math.isfinite(frequency) and frequency > 0):
        raise ValueError(f"frequency must be a positive finite number; got {frequency!r}")
    key = f"{name}@{float(frequency):g}" if name == "sines" else name
    if name == "sines":
        w = float(frequency)
        label = f"sin({w:g}\u03c0x) + sin({2 * w:g}\u03c0x+1)/2 + sin({3 * w:g}\u03c0x+2)/3"
    recipe = ("registry", name, float(frequency))
    return Target(key, label, kind, factory(float(frequency)), DOMAIN, singular, recipe)


def target_formula(name: str, *, frequency: float = 4.0) -> str:
    """The registry target ``name`` as a formula that :func:`expression_target` accepts.

    What a formula box shows for a chosen target, so that a student edits the target in view.

    Examples
    --------
    >>> target_formula("sine"), target_formula("sines", frequency=2)
    ('sin(pi*x)', 'sin(2*pi*x) + sin(4*pi*x + 1)/2 + sin(6*pi*x + 2)/3')
    """
    make_target(name, frequency=frequency)  # validates name and frequency
    if name == "sines":
        w = float(frequency)
        return f"sin({w:g}*pi*x) + sin({2 * w:g}*pi*x + 1)/2 + sin({3 * w:g}*pi*x + 2)/3"
    return _FORMULAS[name]


_FORMULAS = {
    "sine": "sin(pi*x)",
    "bump": "exp(-8*x**2)",
    "abs": "abs(x)",
    "step": f"1/(1 + exp(-x/{STEP_WIDTH:g}))",
}


def expression_target(text: str) -> Target:
    """A target typed as a formula in ``x``; checked to be finite on the whole domain.

    Raises
    ------
    ValueError
        From the parser (names what was rejected), or if the formula is not finite somewhere
        on the domain (naming such a point).

    Examples
    --------
    >>> expression_target("x**2 - 1")(np.array([0.5]))
    array([-0.75])
    >>> expression_target("log(x)")
    Traceback (most recent call last):
    ...
    ValueError: expression log(x) is not finite at x = -1 (the domain is [-1, 1])
    """
    expr = parse_expression(text, variables=("x",))
    x = np.linspace(*DOMAIN, _CHECK_POINTS)
    y = expr(x)
    bad = ~np.isfinite(y)
    if bad.any():
        raise ValueError(
            f"expression {expr.text} is not finite at x = {x[np.argmax(bad)]:g} "
            f"(the domain is [{DOMAIN[0]:g}, {DOMAIN[1]:g}])"
        )
    return Target(f"expr:{expr.text}", expr.text, "unknown", expr, DOMAIN, (), ("expression", text))
