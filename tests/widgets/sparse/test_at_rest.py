"""Lecture 04 at rest: with the shared store warm, a kernel that runs the notebook's cells builds
no shearlet system, expands no image, renders no cartoon and never imports PyWavelets, scipy.fft or torch;
every number the text prints and every panel's default view is read from the store.

Two fresh processes share one store: the first runs the cells (computing and storing), the
second runs them again and reports what it built. The resolution study's cells are left out:
its default study (up to 512 x 512) takes minutes; its panel starts on a button and reads the
store like the others (``ResolutionState.cache_shared``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "lectures" / "04_best_n_term_approximation.ipynb"

_RUN = r"""
import json, sys
import nbformat
from IPython.core.interactiveshell import InteractiveShell

from course.sparse import shearlets
import widgets.sparse._common as common

built = []
init = shearlets.ShearletSystem.__init__
def counting(self, *args, **kwargs):
    built.append(args[:1])
    init(self, *args, **kwargs)
shearlets.ShearletSystem.__init__ = counting

nb = nbformat.read(sys.argv[1], 4)
shell = InteractiveShell.instance()
cells = [c.source for c in nb.cells if c.cell_type == "code" and "resolution" not in c.source]
for source in cells:
    result = shell.run_cell(source, silent=True)
    if not result.success:
        raise SystemExit(f"cell failed: {source.splitlines()[0]}: {result.error_in_exec!r}")
import gc
from widgets.panel import LivePanel
panels = [o for o in gc.get_objects() if isinstance(o, LivePanel)]  # the displayed ones too
for p in panels:
    p.wait(300)
print(json.dumps({
    "cells": len(cells),
    "panels": len(panels),
    "shearlet_systems": len(built),
    "expansions": common._expansions.cache_info().misses,
    "cartoons": common._cartoon.cache_info().misses,
    "pywt": "pywt" in sys.modules,
    "torch": "torch" in sys.modules,
    "scipy_fft": "scipy.fft" in sys.modules,
    "ok": all(p.state.ok for p in panels),
}))
"""


def _run(store: Path) -> dict:
    env = {
        **os.environ,
        "MATHDL_CACHE_DIR": str(store),
        "MPLBACKEND": "Agg",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    out = subprocess.run(
        [sys.executable, "-c", _RUN, str(NOTEBOOK)],
        env=env,
        cwd=str(NOTEBOOK.parent),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_warm_store_serves_every_cell_and_panel_without_building_a_system(tmp_path):
    first = _run(tmp_path / "store")
    # the first kernel computes: it builds the systems and expands the cartoon (the check that
    # the counters see the work at all, so zeros below mean none was done)
    assert first["shearlet_systems"] > 0 and first["expansions"] > 0 and first["cartoons"] > 0
    assert first["ok"]
    second = _run(tmp_path / "store")
    assert second["cells"] == first["cells"] and second["panels"] == first["panels"] == 5
    assert second["ok"]
    assert second["shearlet_systems"] == 0
    assert second["expansions"] == 0
    assert second["cartoons"] == 0
    assert not second["pywt"]
    assert not second["torch"]
    assert not second["scipy_fft"]  # it loads scipy.special too; no transform runs at rest
