"""The import direction course <- widgets <- lectures, and course free of UI libraries."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import course

UI = ("ipywidgets", "IPython", "matplotlib", "plotly", "ipympl", "anywidget", "bqplot")
ROOT = Path(course.__file__).resolve().parent


def _imports(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


def test_course_source_imports_no_ui_library_nor_widgets():
    bad = [
        f"{p.relative_to(ROOT.parent)}:{line} imports {mod}"
        for p in ROOT.rglob("*.py")
        for mod, line in _imports(p)
        if mod in UI or mod == "widgets"
    ]
    assert bad == []


def test_importing_every_course_module_loads_no_ui_library():
    names = sorted(
        ".".join(("course",) + p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in ROOT.rglob("*.py")
        if not p.name.startswith("test_")
    )
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}:\n"
        "    importlib.import_module(n)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {UI!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


def test_widgets_state_layer_imports_no_ipywidgets():
    code = "import sys, widgets.live, widgets.params\nprint('ipywidgets' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False"
