"""Lecture 07 at rest: with a warm store, the dashboard's cells import no torch and compute nothing.

A served page runs the notebook's code cells in a fresh kernel. Every panel's default result is
the same for every student, so it comes from the shared store (plain numpy arrays), and the
accuracies the text prints are facts of the shipped weights: no torch (about 0.9 s and 180 MB
per kernel) and no scikit-learn until a student asks for a new computation, which then works
as before. Each step runs in its own interpreter, as a kernel does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LECTURE = Path(__file__).resolve().parents[3] / "lectures" / "07_relevance_maps.ipynb"

#: Fill the store as ``./mathdl warm 7`` does for the panels: build each one and wait.
WARM = """
import widgets  # installs the store named by MATHDL_CACHE_DIR
from widgets.relevance import ComparePanel, EvaluationPanel, ExplainPanel, RateDistortionPanel

for cls in (ExplainPanel, ComparePanel, EvaluationPanel, RateDistortionPanel):
    assert cls().wait(240), cls
"""

#: A kernel's page: the lecture's code cells, in order; then what they imported and computed,
#: and one change of a control (a new digit), which must compute as without a store.
PAGE = """
import gc, json, sys
import nbformat
import numpy as np

nb = nbformat.read(sys.argv[1], as_version=4)
namespace = {}
for cell in nb.cells:
    if cell.cell_type == "code":
        exec(compile(cell.source, "<cell>", "exec"), namespace)

from widgets.panel import LivePanel

panels = {type(o).__name__: o for o in gc.get_objects() if isinstance(o, LivePanel)}
for p in panels.values():
    assert p.wait(60), p
rest = {
    "panels": sorted(panels),
    "from_cache": {n: bool(p.state.from_cache) for n, p in panels.items()},
    "shown": {n: bool(p.state.result) and p.state.ok for n, p in panels.items()},
    "modules": sorted(m for m in ("torch", "sklearn") if m in sys.modules),
}
# the default maps shown are the methods' maps (read from the store, not recomputed)
shown = panels["ExplainPanel"].state.result
compare = panels["ComparePanel"].state.result

explain = panels["ExplainPanel"]
explain.state.set(index=1)
assert explain.wait(60) and explain.state.ok
changed = explain.state.result

from course.relevance import explain as method_map, load_digit_images, load_model

x = load_digit_images().x_test
net = load_model("cnn")
lrp = dict(method="lrp", rule="epsilon", eps=0.1, alpha=2.0, input_rule="zB")
rest["default_map_error"] = float(
    np.abs(shown.maps["c"] - method_map(net, x[0], target=shown.target, **lrp)).max()
)
rest["default_image_is_digit_0"] = bool(np.array_equal(shown.image, x[0]))
rest["compare_gradient_error"] = float(
    np.abs(
        compare.maps["gradient"] - method_map(net, x[0], method="gradient", target=compare.target)
    ).max()
)
rest["changed"] = {
    "from_cache": bool(explain.state.from_cache),
    "image_is_digit_1": bool(np.array_equal(changed.image, x[1])),
    "map_error": float(
        np.abs(changed.maps["c"] - method_map(net, x[1], target=changed.target, **lrp)).max()
    ),
    "torch": "torch" in sys.modules,
}
print("RESULT " + json.dumps(rest))
"""


def _run(code, store, *args, timeout=600):
    env = {**os.environ, "MATHDL_CACHE_DIR": str(store), "MPLBACKEND": "Agg"}
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=str(LECTURE.parent),
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


@pytest.mark.slow
def test_a_page_with_a_warm_store_imports_no_torch_and_computes_nothing(tmp_path):
    store = tmp_path / "store"
    _run(WARM, store)
    stdout = _run(PAGE, store, str(LECTURE))
    line = next(x for x in stdout.splitlines() if x.startswith("RESULT "))
    rest = json.loads(line.removeprefix("RESULT "))
    names = ["ComparePanel", "EvaluationPanel", "ExplainPanel", "RateDistortionPanel"]
    assert rest["panels"] == names
    # every panel shows its default result, read from the store; nothing heavy was imported
    assert rest["shown"] == dict.fromkeys(names, True)
    assert rest["from_cache"] == dict.fromkeys(names, True)
    assert rest["modules"] == []
    # what the store served is the methods' maps of test digit 0 (the same computation:
    # equal to round-off; 1e-12 on relevances of size ~1)
    assert rest["default_image_is_digit_0"]
    assert rest["default_map_error"] <= 1e-12
    assert rest["compare_gradient_error"] <= 1e-12
    # a new digit is computed (torch imported on demand), as without a store
    changed = rest["changed"]
    assert changed["torch"] and not changed["from_cache"]
    assert changed["image_is_digit_1"] and changed["map_error"] <= 1e-12
