"""The safe expression parser: what it accepts computes what numpy computes; everything else is
rejected with a message that names what was rejected; raw text never reaches eval."""

from __future__ import annotations

import ast
import builtins

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.universal.expressions import FUNCTIONS, MAX_LENGTH, parse_expression

X = np.linspace(-0.9, 0.9, 37)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x", X),
        ("2*x**2 - 1", 2 * X**2 - 1),
        ("sin(3*pi*x) * exp(-x**2)", np.sin(3 * np.pi * X) * np.exp(-(X**2))),
        ("abs(x) + sqrt(abs(x))", np.abs(X) + np.sqrt(np.abs(X))),
        ("-x + +x", 0 * X),
        ("1/(1+exp(-x/0.01))", 1 / (1 + np.exp(-X / 0.01))),
        ("(x > 0) - (x <= 0)", np.where(X > 0, 1.0, -1.0)),
        ("max(x, 0) + min(x, 0)", X),
        ("e**x", np.exp(X)),
        (
            "tanh(x) + log(2 + x) + arctan(x) + cosh(x) - sinh(x)",
            np.tanh(X) + np.log(2 + X) + np.arctan(X) + np.cosh(X) - np.sinh(X),
        ),
        ("3", np.full_like(X, 3.0)),
    ],
)
def test_accepted_formulas_compute_what_numpy_computes(text, expected):
    np.testing.assert_allclose(parse_expression(text)(X), expected, rtol=1e-14, atol=1e-14)


def test_two_variables():
    f = parse_expression("x * y + 1", variables=("x", "y"))
    np.testing.assert_allclose(f(X, 2 * X), 2 * X**2 + 1)
    with pytest.raises(ValueError, match="needs 2 argument"):
        f(X)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os')", "unknown function '__import__'"),
        ("__import__('os').system('ls')", "attribute access"),
        ("().__class__", "attribute access"),
        ("().__class__.__bases__[0].__subclasses__()", "attribute access"),
        ("x.real", "attribute access"),
        ("foo", "unknown name 'foo'"),
        ("y + 1", "unknown name 'y'"),
        ("open('/etc/passwd')", "unknown function 'open'"),
        ("eval('1')", "unknown function 'eval'"),
        ("exec('x=1')", "unknown function 'exec'"),
        ("getattr(x, 'real')", "unknown function 'getattr'"),
        ("x[0]", "subscripts"),
        ("lambda: 1", "lambda"),
        ("[t for t in x]", "a comprehension"),
        ("(t for t in x)", "a comprehension"),
        ("(x, 1)", "a tuple"),
        ("[x]", "a list"),
        ("{1: x}", "a dict"),
        ("'text'", "the constant 'text'"),
        ("True * x", "the constant True"),
        ("1j * x", "the constant 1j"),
        ("x if x else 1", "'if ... else'"),
        ("x and 1", "'and' / 'or'"),
        ("(y := 2)", "assignment"),
        ("x == 1", "comparison"),
        ("0 < x < 1", "comparison"),
        ("x // 2", "FloorDiv"),
        ("x % 2", "Mod"),
        ("~x", "Invert"),
        ("sin(x, 2)", "sin takes 1 argument"),
        ("sin(x=1)", "keyword arguments"),
        ("sin", "without a call"),
        ("x ** 1000", "too large"),
        ("2 ** 10 ** 10", "too large"),
        ("9**9**9", "too large"),
        ("x ** (1/0)", "too large"),
        ("10**100000000000000000", "digits"),
        ("x" * (MAX_LENGTH + 1), "too long"),
        ("-" * 190 + "x", "too complex"),
        ("", "empty"),
        ("   ", "empty"),
        ("sin(x", "not a valid formula"),
        ("x = 1", "not a valid formula"),
        ("import os", "not a valid formula"),
        ("x\x00", "expression"),
    ],
)
def test_rejected_with_a_message_naming_what(text, message):
    with pytest.raises(ValueError, match="expression") as info:
        parse_expression(text)
    assert message in str(info.value)


def test_non_string_is_rejected():
    with pytest.raises(ValueError, match="must be a string"):
        parse_expression(3)


def test_the_message_lists_what_is_allowed():
    with pytest.raises(ValueError) as info:
        parse_expression("gamma(x)")
    for name in ("sin", "exp", "abs", "sqrt", "tanh"):
        assert name in str(info.value)
    assert set(("sin", "cos", "exp", "log", "sqrt", "abs", "tanh")) <= set(FUNCTIONS)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_never_reaches_eval(text):
    # Any text: either parsed and evaluated to a float array, or a ValueError. eval and exec
    # are replaced by traps while this runs, and compile may only build a syntax tree (that is
    # how ast.parse works): the parser must never run code.
    traps = {name: getattr(builtins, name) for name in ("eval", "exec", "compile")}

    def trap(*args, **kwargs):
        raise AssertionError("eval or exec was called")

    def ast_only(source, filename, mode, flags=0, *args, **kwargs):
        assert flags & ast.PyCF_ONLY_AST, "compile was asked for code, not a syntax tree"
        return traps["compile"](source, filename, mode, flags, *args, **kwargs)

    builtins.eval = builtins.exec = trap
    builtins.compile = ast_only
    try:
        try:
            f = parse_expression(text)
        except ValueError:
            return
        out = f(X)
        assert out.shape == X.shape and out.dtype == float
    finally:
        for name, fn in traps.items():
            setattr(builtins, name, fn)


@settings(max_examples=100, deadline=None)
@given(st.from_regex(r"[xpie0-9+\-*/(). ]{1,40}", fullmatch=True))
def test_arithmetic_fuzz_gives_arrays_or_value_errors(text):
    try:
        f = parse_expression(text)
    except ValueError:
        return
    assert f(X).shape == X.shape


def test_lecture_02_table_is_the_exact_error_of_the_interpolant():
    # the ReLU interpolant of x^2 with N pieces on [-1, 1] has sup error exactly h^2/4, h = 2/N
    from course.universal import square_interpolant_table

    rows = [
        r.strip("|").split("|") for r in square_interpolant_table((4, 5, 6, 9)).splitlines()[2:]
    ]
    assert [int(r[0]) for r in rows] == [4, 5, 6, 9]
    for n, measured, exact in ((int(a), float(b), float(c)) for a, b, c in rows):
        assert exact == pytest.approx((2 / n) ** 2 / 4, abs=1e-10)
        assert measured == pytest.approx(exact, abs=1e-9)
