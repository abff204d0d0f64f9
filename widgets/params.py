"""Parameter specifications: one place that says what values a control may take.

A spec validates a value (type, finiteness, range, membership) and raises ``ValueError`` naming
the parameter, the value and the valid range. :func:`param` turns a spec into a traitlets trait,
so that every value that reaches a state object passes the same check, whether it comes from a
slider, from a browser client sending arbitrary JSON, or from a homework script. This module does
not import ipywidgets.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

from traitlets import TraitError, TraitType

__all__ = [
    "InvalidValue",
    "Spec",
    "IntRange",
    "FloatRange",
    "Choice",
    "Flag",
    "Text",
    "param",
]


class InvalidValue(TraitError, ValueError):
    """A value rejected by a :class:`Spec`; both a ``TraitError`` and a ``ValueError``."""


@dataclass(frozen=True)
class Spec:
    """Base class of parameter specifications.

    Attributes
    ----------
    default : object
        The initial value.
    label : str
        Text shown beside the control (LaTeX between ``$`` is rendered by ipywidgets).
    description : str
        A tooltip.
    advanced : bool
        A control for the curious: hidden in the projector layout (``?mode=projector``).
    """

    default: object = None
    label: str = ""
    description: str = ""
    advanced: bool = field(default=False, kw_only=True)

    def validate(self, name: str, value):
        """Return the value, coerced to its canonical type, or raise ``ValueError``."""
        raise NotImplementedError

    def describe(self) -> str:
        """The valid range, in words."""
        raise NotImplementedError


def _fmt(v) -> str:
    if isinstance(v, str):
        return repr(v) if len(v) <= 40 else repr(v[:37] + "...")
    if isinstance(v, int) and not isinstance(v, bool) and v.bit_length() > 128:
        return f"an integer of {len(str(abs(v))) if v.bit_length() < 10000 else 'many'} digits"
    try:
        text = repr(v)
    except Exception:  # a hostile object's repr
        text = f"<{type(v).__name__}>"
    return text if len(text) <= 40 else text[:37] + "..."


def _real(name: str, value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidValue(f"{name} must be {what}; got {_fmt(value)} ({type(value).__name__})")
    try:
        v = float(value)
    except OverflowError:  # an integer of hundreds of digits (JSON allows them)
        v = math.inf
    if not math.isfinite(v):
        raise InvalidValue(f"{name} must be {what}; got {_fmt(value)}")
    return v


#: Values this close to a bound (relative to the range) are taken as the bound: a browser's log
#: slider computes 10 ** log10(20) = 20.000000000000004 at its right end.
SNAP_RTOL = 1e-9


@dataclass(frozen=True)
class IntRange(Spec):
    """An integer in ``[min, max]``; floats equal to an integer (3.0) are accepted as 3."""

    min: int = 0
    max: int = 10
    step: int = 1

    def describe(self) -> str:
        return f"an integer in [{self.min}, {self.max}]"

    def validate(self, name, value):
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            v = int(value)  # exact, however many digits
        else:
            f = _real(name, value, self.describe())
            if f != int(f):
                raise InvalidValue(f"{name} must be {self.describe()}; got {_fmt(value)}")
            v = int(f)
        if not (self.min <= v <= self.max):
            raise InvalidValue(f"{name} must be {self.describe()}; got {_fmt(value)}")
        return v


@dataclass(frozen=True)
class FloatRange(Spec):
    """A finite real number in ``[min, max]``; ``log=True`` asks for a log-scale slider."""

    min: float = 0.0
    max: float = 1.0
    step: float | None = None
    log: bool = False

    def describe(self) -> str:
        return f"a number in [{self.min:g}, {self.max:g}]"

    def validate(self, name, value):
        v = _real(name, value, self.describe())
        tol = SNAP_RTOL * max(abs(self.min), abs(self.max), self.max - self.min)
        if self.min - tol <= v < self.min:
            v = float(self.min)
        elif self.max < v <= self.max + tol:
            v = float(self.max)
        if not (self.min <= v <= self.max):
            raise InvalidValue(f"{name} must be {self.describe()}; got {_fmt(value)}")
        return v


@dataclass(frozen=True)
class Choice(Spec):
    """One of a fixed set of options.

    ``options`` maps the value to its display label (a tuple of values uses the values as
    labels). The same dict validates and labels, so the two cannot drift apart. ``buttons``
    asks for toggle buttons, ``slider`` for a selection slider (ordered options, such as the
    widths 1, 2, 4, ..., 256 on an even log-like scale).
    """

    options: dict | tuple = field(default_factory=tuple)
    buttons: bool = False
    slider: bool = False

    @property
    def labels(self) -> dict:
        if isinstance(self.options, dict):
            return dict(self.options)
        return {o: str(o) for o in self.options}

    def describe(self) -> str:
        return "one of " + ", ".join(_fmt(o) for o in self.labels)

    def validate(self, name, value):
        try:
            ok = value in self.labels
        except TypeError:  # unhashable
            ok = False
        if not ok:
            raise InvalidValue(f"{name} must be {self.describe()}; got {_fmt(value)}")
        return value


@dataclass(frozen=True)
class Flag(Spec):
    """True or False (0 and 1 are not accepted: a client must send a boolean)."""

    default: bool = False

    def describe(self) -> str:
        return "True or False"

    def validate(self, name, value):
        if not isinstance(value, bool):
            raise InvalidValue(f"{name} must be True or False; got {_fmt(value)}")
        return value


@dataclass(frozen=True)
class Text(Spec):
    """A string of at most ``max_length`` characters."""

    default: str = ""
    max_length: int = 200

    def describe(self) -> str:
        return f"a text of at most {self.max_length} characters"

    def validate(self, name, value):
        if not isinstance(value, str):
            raise InvalidValue(f"{name} must be {self.describe()}; got {_fmt(value)}")
        if len(value) > self.max_length:
            raise InvalidValue(f"{name} must be {self.describe()}; got {len(value)} characters")
        return value


class Param(TraitType):
    """A trait whose values are checked by a :class:`Spec`."""

    info_text = "a validated parameter"

    def __init__(self, spec: Spec, **kwargs):
        self.spec = spec
        super().__init__(default_value=spec.default, **kwargs)
        self.metadata["spec"] = spec

    def validate(self, obj, value):
        return self.spec.validate(self.name, value)


def param(spec: Spec) -> Param:
    """Declare a parameter of a :class:`widgets.live.LiveState` subclass.

    Examples
    --------
    >>> from widgets.live import LiveState
    >>> class S(LiveState):
    ...     depth = param(IntRange(default=3, min=1, max=10))
    >>> s = S()
    >>> s.set(depth=4); s.depth
    4
    >>> s.set(depth=11)
    Traceback (most recent call last):
    ...
    widgets.params.InvalidValue: depth must be an integer in [1, 10]; got 11
    """
    # Validate the default once, at class creation, so that a wrong spec fails loudly.
    spec.validate("default", spec.default)
    return Param(spec)
