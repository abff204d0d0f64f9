r"""A safe parser for target functions typed by a student, such as ``sin(3*pi*x) + abs(x)``.

The text is parsed with :func:`ast.parse` and the syntax tree is checked against a whitelist of
node types, names and functions *before* anything is evaluated; it is then turned into a tree of
numpy closures. Raw text is never passed to ``eval`` or ``exec``, so ``__import__('os')``,
``().__class__``, lambdas, comprehensions, subscripts and any name or function not listed below are
rejected with a :class:`ValueError` that names what was rejected.

Allowed:

- numbers (``2``, ``0.5``, ``1e-3``); the names ``x`` (and ``y`` when asked for), ``pi``, ``e``;
- ``+ - * / **`` and unary ``+ -``; comparisons ``< <= > >=`` (giving 0.0 or 1.0, for steps);
- the functions in :data:`FUNCTIONS`.

A power ``u ** p`` with a constant exponent needs ``|p| <= 64``; the text may hold at most
:data:`MAX_LENGTH` characters and :data:`MAX_NODES` syntax nodes.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "Expression",
    "parse_expression",
    "expression_tex",
    "FUNCTIONS",
    "CONSTANTS",
    "MAX_LENGTH",
    "MAX_NODES",
]

MAX_LENGTH = 200
MAX_NODES = 150
MAX_EXPONENT = 64.0

#: Functions a typed expression may call: name -> (numpy implementation, number of arguments).
FUNCTIONS: dict[str, tuple[Callable, int]] = {
    "sin": (np.sin, 1),
    "cos": (np.cos, 1),
    "tan": (np.tan, 1),
    "exp": (np.exp, 1),
    "log": (np.log, 1),
    "sqrt": (np.sqrt, 1),
    "abs": (np.abs, 1),
    "tanh": (np.tanh, 1),
    "sinh": (np.sinh, 1),
    "cosh": (np.cosh, 1),
    "arctan": (np.arctan, 1),
    "atan": (np.arctan, 1),
    "sign": (np.sign, 1),
    "floor": (np.floor, 1),
    "relu": (lambda u: np.maximum(u, 0.0), 1),
    "heaviside": (lambda u: (u > 0).astype(float), 1),
    "min": (np.minimum, 2),
    "max": (np.maximum, 2),
}

#: Named constants.
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}

_BINARY = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.Pow: np.power,
}
_UNARY = {ast.UAdd: np.positive, ast.USub: np.negative}
_COMPARE = {ast.Lt: np.less, ast.LtE: np.less_equal, ast.Gt: np.greater, ast.GtE: np.greater_equal}

# Readable names of node types a student might try, for the error message.
_WHAT = {
    ast.Attribute: "attribute access ('.')",
    ast.Subscript: "subscripts ('[...]')",
    ast.Lambda: "lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.Tuple: "a tuple",
    ast.List: "a list",
    ast.Dict: "a dict",
    ast.Set: "a set",
    ast.Starred: "starred arguments",
    ast.NamedExpr: "assignment (':=')",
    ast.IfExp: "'if ... else'",
    ast.BoolOp: "'and' / 'or'",
    ast.JoinedStr: "a string",
    ast.Await: "await",
    ast.Yield: "yield",
}


@dataclass(frozen=True)
class Expression:
    """A checked expression, callable on numpy arrays.

    Attributes
    ----------
    text : str
        The text as typed (stripped).
    variables : tuple of str
        The variable names it may use, in call order.

    Examples
    --------
    >>> f = parse_expression("abs(x) + x**2")
    >>> f(np.array([-1.0, 0.5]))
    array([2.  , 0.75])
    """

    text: str
    variables: tuple[str, ...]
    _fn: Callable = field(repr=False, compare=False)

    def __call__(self, *args) -> np.ndarray:
        """Evaluate on arrays (one per variable); returns a float array of their broadcast shape."""
        if len(args) != len(self.variables):
            raise ValueError(
                f"expression in {', '.join(self.variables)} needs {len(self.variables)} "
                f"argument(s); got {len(args)}"
            )
        arrays = [np.asarray(a, dtype=float) for a in args]
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        env = dict(zip(self.variables, arrays))
        with np.errstate(all="ignore"):
            out = np.asarray(self._fn(env), dtype=float)
        return np.broadcast_to(out, shape).copy()


def parse_expression(
    text: str, *, variables: tuple[str, ...] = ("x",), max_length: int = MAX_LENGTH
) -> Expression:
    """Parse and check a formula; never evaluates raw text.

    Parameters
    ----------
    text : str
        The formula, e.g. ``"sin(2*pi*x) * exp(-x**2)"``.
    variables : tuple of str
        Names the formula may use as variables (``("x",)`` or ``("x", "y")``).
    max_length : int
        Longest accepted text.

    Returns
    -------
    Expression

    Raises
    ------
    ValueError
        For text that is not a string, empty, too long, not valid syntax, or uses anything outside
        the whitelist; the message names what was rejected.

    Examples
    --------
    >>> parse_expression("__import__('os')")
    Traceback (most recent call last):
    ...
    ValueError: expression: unknown function '__import__'; allowed functions: sin, cos, tan, exp, log, sqrt, abs, tanh, sinh, cosh, arctan, atan, sign, floor, relu, heaviside, min, max
    """
    if not isinstance(text, str):
        raise ValueError(f"expression must be a string; got {type(text).__name__}")
    src = text.strip()
    if not src:
        raise ValueError("expression is empty; type a formula in x, e.g. sin(pi*x)")
    if len(src) > max_length:
        raise ValueError(
            f"expression is too long: {len(src)} characters; at most {max_length} are allowed"
        )
    try:
        tree = ast.parse(src, mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"expression is not a valid formula: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError):
        raise ValueError(
            "expression could not be parsed (nested too deeply or bad bytes)"
        ) from None
    n_nodes = sum(1 for _ in ast.walk(tree))
    if n_nodes > MAX_NODES:
        raise ValueError(f"expression is too complex: {n_nodes} syntax nodes; at most {MAX_NODES}")
    names = {v: None for v in variables}
    fn = _compile(tree.body, names)
    return Expression(src, tuple(variables), fn)


def _reject(what: str):
    raise ValueError(f"expression: {what} is not allowed")


def _compile(node: ast.AST, variables: dict) -> Callable[[dict], np.ndarray]:
    """Turn a checked node into a closure ``env -> array``; raises on anything not whitelisted."""
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            _reject(f"the constant {v!r:.40}")
        if isinstance(v, int) and abs(v) > 10**15:
            _reject(f"the integer constant with {len(str(abs(v)))} digits")
        value = float(v)
        return lambda env: value
    if isinstance(node, ast.Name):
        if node.id in variables:
            name = node.id
            return lambda env: env[name]
        if node.id in CONSTANTS:
            value = CONSTANTS[node.id]
            return lambda env: value
        if node.id in FUNCTIONS:
            _reject(f"the function name '{node.id}' without a call")
        allowed = ", ".join(list(variables) + list(CONSTANTS))
        raise ValueError(f"expression: unknown name '{node.id}'; allowed names: {allowed}")
    if isinstance(node, ast.BinOp):
        op = _BINARY.get(type(node.op))
        if op is None:
            _reject(f"the operator {type(node.op).__name__}")
        left, right = _compile(node.left, variables), _compile(node.right, variables)
        if isinstance(node.op, ast.Pow) and not _uses_variables(node.right, variables):
            with np.errstate(all="ignore"):
                p = float(right({}))  # a constant subtree: evaluating it needs no variable
            if not abs(p) <= MAX_EXPONENT:
                raise ValueError(
                    f"expression: the power ** {p:g} is too large; |exponent| <= {MAX_EXPONENT:g}"
                )
        return lambda env: op(left(env), right(env))
    if isinstance(node, ast.UnaryOp):
        op = _UNARY.get(type(node.op))
        if op is None:
            _reject(f"the operator {type(node.op).__name__}")
        inner = _compile(node.operand, variables)
        return lambda env: op(inner(env))
    if isinstance(node, ast.Compare):
        if len(node.ops) != 1 or type(node.ops[0]) not in _COMPARE:
            _reject("this comparison (use one of < <= > >= between two terms)")
        op = _COMPARE[type(node.ops[0])]
        left, right = _compile(node.left, variables), _compile(node.comparators[0], variables)
        return lambda env: op(left(env), right(env)).astype(float)
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute):
            _reject(_WHAT[ast.Attribute])
        if not isinstance(node.func, ast.Name):
            _reject("calling anything but a named function")
        name = node.func.id
        if name not in FUNCTIONS:
            raise ValueError(
                f"expression: unknown function '{name}'; allowed functions: {', '.join(FUNCTIONS)}"
            )
        if node.keywords:
            _reject(f"keyword arguments in {name}(...)")
        fn, n_args = FUNCTIONS[name]
        if len(node.args) != n_args:
            raise ValueError(f"expression: {name} takes {n_args} argument(s); got {len(node.args)}")
        args = [_compile(a, variables) for a in node.args]
        return lambda env: fn(*(a(env) for a in args))
    what = _WHAT.get(type(node), f"the syntax '{type(node).__name__}'")
    _reject(what)


def _uses_variables(node: ast.AST, variables: dict) -> bool:
    return any(isinstance(n, ast.Name) and n.id in variables for n in ast.walk(node))


# ----------------------------------------------------------------------------- typesetting
_TEX_FUNCTIONS = {
    "sin": r"\sin",
    "cos": r"\cos",
    "tan": r"\tan",
    "exp": r"\exp",
    "log": r"\log",
    "tanh": r"\tanh",
    "sinh": r"\sinh",
    "cosh": r"\cosh",
    "arctan": r"\arctan",
    "atan": r"\arctan",
    "sign": r"\mathrm{sign}",
    "relu": r"\mathrm{relu}",
    "heaviside": "H",
    "min": r"\min",
    "max": r"\max",
}
_TEX_COMPARE = {ast.Lt: "<", ast.LtE: r"\leq", ast.Gt: ">", ast.GtE: r"\geq"}
_PRECEDENCE = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.Pow: 4}


def expression_tex(text: str, *, variables: tuple[str, ...] = ("x",)) -> str:
    r"""A checked formula typeset for matplotlib's mathtext or LaTeX (without the ``$``).

    Raises ``ValueError`` as :func:`parse_expression` does.

    Examples
    --------
    >>> expression_tex("sin(3*pi*x) * exp(-x**2)")
    '\\sin(3\\,\\pi\\,x)\\,\\exp(-x^{2})'
    >>> expression_tex("abs(x - 1/3)"), expression_tex("(x + 1)**2 / 2")
    ('|x - \\frac{1}{3}|', '\\frac{(x + 1)^{2}}{2}')
    """
    expr = parse_expression(text, variables=variables)
    return _tex(ast.parse(expr.text, mode="eval").body)[0]


def _tex(node) -> tuple[str, int]:
    """(text, precedence) of a checked node; atoms have precedence 5."""
    if isinstance(node, ast.Constant):
        return f"{float(node.value):g}", 5
    if isinstance(node, ast.Name):
        return {"pi": r"\pi"}.get(node.id, node.id), 5
    if isinstance(node, ast.UnaryOp):
        inner, p = _tex(node.operand)
        sign = "-" if isinstance(node.op, ast.USub) else "+"
        return sign + (inner if p > 2 else f"({inner})"), 3
    if isinstance(node, ast.Compare):
        (left, _), (right, _) = _tex(node.left), _tex(node.comparators[0])
        return f"[{left} {_TEX_COMPARE[type(node.ops[0])]} {right}]", 5
    if isinstance(node, ast.Call):
        name = node.func.id
        args = [_tex(a)[0] for a in node.args]
        if name == "abs":
            return f"|{args[0]}|", 5
        if name == "sqrt":
            return rf"\sqrt{{{args[0]}}}", 5
        if name == "floor":
            return rf"\lfloor {args[0]} \rfloor", 5
        return f"{_TEX_FUNCTIONS[name]}({', '.join(args)})", 5
    # a binary operation
    op = type(node.op)
    prec = _PRECEDENCE[op]
    (left, pl), (right, pr) = _tex(node.left), _tex(node.right)
    if op is ast.Div:
        return rf"\frac{{{left}}}{{{right}}}", 5
    if op is ast.Pow:
        return (left if pl == 5 else f"({left})") + f"^{{{right}}}", 4
    if pl < prec:
        left = f"({left})"
    if pr < prec or (pr == prec and op is ast.Sub):
        right = f"({right})"
    if op is ast.Mult:
        joint = r"\cdot " if right[:1].isdigit() else r"\,"
        return left + joint + right, 2
    return f"{left} {'+' if op is ast.Add else '-'} {right}", 1
