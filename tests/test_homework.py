"""Homework: the sources pass their own checks; the students' versions hide the solutions and fail
until solved (so the checks can fail)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "homework" / "source").glob("*.ipynb"))
pytest.importorskip("nbgrader")


def _make_release():
    spec = importlib.util.spec_from_file_location(
        "make_release", ROOT / "homework" / "make_release.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(nb, path):
    NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()


def test_there_is_homework():
    assert SOURCES


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_source_metadata_is_valid_nbgrader(path):
    nb = json.loads(path.read_text())
    ids = [
        c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"] if "nbgrader" in c["metadata"]
    ]
    assert len(ids) == len(set(ids)) == len(nb["cells"])
    graded = [c for c in nb["cells"] if c["metadata"]["nbgrader"].get("grade")]
    assert graded and all(c["metadata"]["nbgrader"]["points"] > 0 for c in graded)
    for c in nb["cells"]:
        assert not c.get("outputs") and not c.get("execution_count")


@pytest.mark.notebook
@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_solutions_pass_all_checks_hidden_ones_included(path):
    _run(nbformat.read(path, as_version=4), path)


@pytest.mark.notebook
@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_students_version_has_no_solutions_and_fails_until_solved(path, tmp_path):
    (out,) = [p for p in _make_release().main(tmp_path) if p.name == path.name]
    text = out.read_text()
    for secret in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS"):
        assert secret not in text
    nb = nbformat.read(out, as_version=4)
    with pytest.raises(CellExecutionError, match="NotImplementedError"):
        _run(nb, path)
