"""The panels of each lecture: the :class:`~widgets.panel.LivePanel` classes its notebook imports.

Read from the notebook's code (``from widgets.<theme> import SomePanel``), so a panel added to a
lecture is found without editing a list: the shared store's warm-up (:func:`widgets.cache.warm`)
and the tests that go over every panel of every lecture use this one enumeration.
"""

from __future__ import annotations

import ast
import importlib
import json

__all__ = ["panel_classes", "lecture_panels"]


def panel_classes(lecture) -> list[type]:
    """The LivePanel subclasses ``lecture``'s notebook imports from ``widgets``, in code order."""
    from .panel import LivePanel

    cells = json.loads(lecture.notebook.read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    classes = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("widgets"):
            module = importlib.import_module(node.module)
            for alias in node.names:
                obj = getattr(module, alias.name)
                if isinstance(obj, type) and issubclass(obj, LivePanel) and obj not in classes:
                    classes.append(obj)
    return classes


def lecture_panels(numbers=None) -> list[tuple]:
    """``[(lecture, panel class), ...]`` for every written lecture (or those numbered)."""
    from course.lectures import LECTURES

    return [
        (lec, cls)
        for lec in LECTURES
        if lec.written and (not numbers or lec.number in numbers)
        for cls in panel_classes(lec)
    ]
