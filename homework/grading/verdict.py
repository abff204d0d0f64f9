"""Verdicts decided in the grader's own process, on the plain data a student's kernel exported.

The checks of a test cell are the functions decorated with ``@check`` in the instructor's source
of that cell (``homework/source``, copied into the course's ``source/``). They run here, in a
namespace made of the notebook's given cells (locked, not solutions) executed by this process;
the student's objects never enter it, only their answers decoded from JSON.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from dataclasses import dataclass, field

from course.answers import MIME, decode

__all__ = ["Verdict", "checks_of", "given_namespace", "judge", "kernel_source", "cell_kind"]


@dataclass(frozen=True)
class Verdict:
    """The outcome of one graded test cell: ``passed``, a message for the student, and the kind
    (``"correct"``, ``"wrong"``, ``"no answer"``, ``"not plain"``, ``"malformed"``)."""

    passed: bool
    message: str
    kind: str
    not_plain: tuple[str, ...] = field(default=())


def cell_kind(cell) -> str:
    """``given``, ``solution``, ``test``, ``manual`` (an answer graded by hand), ``markdown`` or
    ``extra`` (a code cell the student added)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if cell["cell_type"] != "code":
        return "manual" if meta.get("solution") and meta.get("grade") else "markdown"
    if not meta.get("grade_id"):
        return "extra"
    if meta.get("grade") and not meta.get("solution"):
        return "test"
    if meta.get("solution"):
        return "solution"
    return "given" if meta.get("locked") else "extra"


def _is_check(node) -> bool:
    return isinstance(node, ast.FunctionDef) and any(
        isinstance(d, ast.Name) and d.id == "check" for d in node.decorator_list
    )


def exercise_of(source: str) -> str | None:
    """The exercise name of the cell's ``answer("exN", ...)`` call."""
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "answer"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            return node.args[0].value
    return None


def kernel_source(source: str) -> str:
    """What the student's kernel runs of a test cell: everything but the ``@check`` functions
    and the hidden-tests region (so the kernel never sees a hidden check or its helpers)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    drop, hidden = set(), False
    for i, line in enumerate(lines, start=1):
        if re.match(r"\s*### BEGIN HIDDEN TESTS", line):
            hidden = True
        if hidden:
            drop.add(i)
        if re.match(r"\s*### END HIDDEN TESTS", line):
            hidden = False
    for node in tree.body:
        if _is_check(node):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            drop.update(range(start, node.end_lineno + 1))
    keep = [line for i, line in enumerate(lines, start=1) if i not in drop]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(keep)).strip() + "\n"


def checks_of(source: str, namespace: dict) -> list:
    """The ``@check`` functions of a test cell, defined in a copy of ``namespace``."""
    tree = ast.parse(source)
    body = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom | ast.FunctionDef)]
    found = []
    ns = dict(namespace)
    ns["check"] = lambda fn: found.append(fn) or fn
    exec(compile(ast.Module(body=body, type_ignores=[]), "<checks>", "exec"), ns)
    return found


def given_namespace(notebook) -> dict:
    """Execute the notebook's given cells (instructor code) in a fresh namespace."""
    ns: dict = {"__name__": "__grader__"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code" and cell_kind(cell) == "given":
                exec(compile(cell["source"], "<given>", "exec"), ns)
    return ns


def _payloads(outputs, exercise: str):
    for out in outputs:
        data = out.get("data", {}) if out.get("output_type") != "stream" else {}
        body = data.get(MIME)
        if isinstance(body, dict) and body.get("exercise") == exercise:
            yield json.loads(json.dumps(body))  # plain dicts and lists, not nbformat's nodes


def _kernel_error(outputs) -> str:
    for out in outputs:
        if out.get("output_type") == "error":
            return f"{out.get('ename', 'Error')}: {str(out.get('evalue', ''))[:300]}"
    return ""


def judge(source: str, outputs, namespace: dict, event: str = "") -> Verdict:
    """Decide one test cell from its instructor ``source`` and the kernel's ``outputs``."""
    exercise = exercise_of(source)
    found = list(_payloads(outputs, exercise))
    if not found:
        why = event or _kernel_error(outputs) or "the cell printed no answer"
        return Verdict(False, f"{exercise}: no answer was recorded ({why})", "no answer")
    values = found[-1].get("values")
    if not isinstance(values, dict):
        return Verdict(False, f"{exercise}: the recorded answer is malformed", "malformed")
    not_plain = tuple(
        str(v["__notplain__"])[:200]
        for k, v in values.items()
        if isinstance(v, dict) and "__notplain__" in v
    )
    if not_plain:
        return Verdict(
            False,
            f"{exercise}: not plain data: {', '.join(not_plain)}; answers must be numbers, "
            "strings, numeric arrays or networks (and lists, tuples or dicts of these)",
            "not plain",
            not_plain,
        )
    try:
        a = {str(k): decode(v) for k, v in values.items()}
    except (ValueError, TypeError) as e:
        return Verdict(False, f"{exercise}: the recorded answer is malformed ({e})", "malformed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fn in checks_of(source, namespace):
            try:
                fn(a)
            except AssertionError as e:
                return Verdict(False, f"{exercise}: {e or 'a check failed'}", "wrong")
            except Exception as e:  # a wrong shape or type makes the check itself fail
                msg = f"{exercise}: your answer could not be checked ({type(e).__name__}: {e})"
                return Verdict(False, msg, "wrong")
    return Verdict(True, f"{exercise}: correct", "correct")
