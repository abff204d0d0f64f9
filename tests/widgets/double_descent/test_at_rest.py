"""Lecture 05 at rest: with the shared store warm, a new kernel computes nothing.

Each check runs two fresh Python processes on one store folder, as two kernels of the server do:
the first computes the panels' default results and the prompts' numbers and stores them, the
second must only read them: no sweep, no fit, no digits loaded (scikit-learn not imported), no
torch, and the same numbers as the first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

#: Runs in a fresh process: counts every computation of course.double_descent that a panel or a
#: prompt could start, then runs the code given on stdin and prints a JSON report.
_PROBE = textwrap.dedent(
    """
    import functools, json, sys
    import course.double_descent as dd
    import course.double_descent.data as data
    import course.double_descent.effects as effects

    calls = {}

    def counted(module, name):
        fn = getattr(module, name)

        @functools.wraps(fn)  # the same store keys as without the count
        def wrapper(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return fn(*args, **kwargs)

        setattr(module, name, wrapper)

    for name in ("model_sweep_steps", "sample_sweep_steps", "curve_1d", "fit_1d",
                 "load_digits_split", "make_regression_1d", "digits_effects"):
        counted(dd, name)  # as the widgets import them (before widgets is imported)
    counted(effects, "model_sweep")
    counted(data, "_digits")

    numbers = {}
    exec(sys.stdin.read(), {"numbers": numbers})
    print(json.dumps({
        "calls": calls,
        "numbers": numbers,
        "sklearn": "sklearn" in sys.modules,
        "torch": "torch" in sys.modules,
    }))
    """
)


def _run(code: str, store: Path) -> dict:
    env = {**os.environ, "MATHDL_CACHE_DIR": str(store), "MPLBACKEND": "agg"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    out = subprocess.run(
        [sys.executable, "-c", _PROBE],
        input=code,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


_PANELS = textwrap.dedent(
    """
    from widgets.double_descent import (
        DigitsCurvePanel, IntuitionPanel, SampleWisePanel, WidthPanel, digits_effects,
        ridge_effect_1d,
    )

    panels = [IntuitionPanel(), DigitsCurvePanel(n_train=100), SampleWisePanel(n_features=60),
              WidthPanel()]
    for p in panels:
        assert p.wait(300) and p.state.ok, p.state.status
    intuition, digits, samples, _ = (p.state.result for p in panels)
    numbers["intuition"] = [float(v) for v in intuition.test_loss]
    numbers["digits"] = [float(v) for v in digits.sweep.test_loss]
    numbers["digits_cursor"] = [int(digits.n_features), int(digits.confusion.trace())]
    numbers["samples"] = [float(v) for v in samples.sweep.test_loss]
    numbers["ridge"] = repr(ridge_effect_1d())
    numbers["effects"] = repr(digits_effects(n_train=100))
    # the cursor only reads the stored curve
    digits = panels[1]
    digits.controls["cursor"].value = 10.0
    assert digits.wait(30) and digits.state.ok
    numbers["digits_cursor_10"] = int(digits.state.result.n_features)
    numbers["from_cache"] = [p.state.from_cache for p in panels]
    """
)


@pytest.mark.slow
def test_a_second_kernel_reads_every_default_result_from_the_store(tmp_path):
    first = _run(_PANELS, tmp_path)
    assert first["calls"].get("model_sweep_steps", 0) >= 1  # the first kernel computed
    assert first["calls"].get("digits_effects") == 1
    second = _run(_PANELS, tmp_path)
    assert second["calls"] == {}, second["calls"]
    assert not second["sklearn"] and not second["torch"]
    assert second["numbers"]["from_cache"][:3] == [True, True, True]
    for key in ("intuition", "digits", "digits_cursor", "samples", "ridge", "effects"):
        assert second["numbers"][key] == first["numbers"][key], key
    assert second["numbers"]["digits_cursor_10"] != second["numbers"]["digits_cursor"][0]


@pytest.mark.slow
@pytest.mark.notebook
def test_the_lecture_cells_compute_nothing_with_a_warm_store(tmp_path):
    """The notebook's own code cells (the served page's kernel), twice on one store."""
    import nbformat

    nb = nbformat.read(ROOT / "lectures" / "05_double_descent.ipynb", as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    code = "\n".join(
        [
            "from IPython.core.interactiveshell import InteractiveShell",
            "shell = InteractiveShell.instance()",
            f"for source in {cells!r}:",
            "    r = shell.run_cell(source, silent=True)",
            "    assert r.success, r.error_in_exec",
            "import gc",
            "from widgets.panel import LivePanel",
            "for p in [o for o in gc.get_objects() if isinstance(o, LivePanel)]:",
            "    assert p.wait(600) and p.state.ok, p.state.status",
        ]
    )
    _run(code, tmp_path)
    second = _run(code, tmp_path)
    assert second["calls"] == {}, second["calls"]
    assert not second["sklearn"] and not second["torch"]
