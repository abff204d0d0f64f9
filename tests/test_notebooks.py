"""Every lecture executes headless, top to bottom, and is committed stripped.

No cell may take longer than the one-minute budget (nbclient stops it: a hang fails the test);
how long a whole lecture takes is a measurement, recorded as the test's ``elapsed_s`` property
(``--junitxml``) and measured in the Voila benchmark, never asserted on a loaded machine.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

LECTURES = sorted((Path(__file__).resolve().parents[1] / "lectures").glob("[0-9][0-9]_*.ipynb"))
BUDGET_S = 60.0


def test_there_are_lectures():
    assert LECTURES, "no lecture notebooks found"


@pytest.mark.parametrize("path", LECTURES, ids=[p.stem for p in LECTURES])
def test_lecture_is_committed_without_outputs(path):
    nb = json.loads(path.read_text())
    dirty = [
        i
        for i, c in enumerate(nb["cells"])
        if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))
    ]
    assert dirty == [], f"cells with outputs or execution counts: {dirty}"
    assert "widgets" not in nb.get("metadata", {}), "stored widget state in the metadata"


@pytest.mark.parametrize("path", LECTURES, ids=[p.stem for p in LECTURES])
def test_lecture_has_the_course_arc(path):
    text = "\n".join(
        "".join(c["source"])
        for c in json.loads(path.read_text())["cells"]
        if c["cell_type"] == "markdown"
    ).lower()
    for part in ("what you will learn", "what to observe", "exercise", "summary", "references"):
        assert part in text, f"{path.name} lacks a '{part}' section"


@pytest.mark.parametrize("path", LECTURES, ids=[p.stem for p in LECTURES])
def test_markdown_tables_have_no_bar_inside_math(path):
    # a "|" inside $...$ in a table row splits the cell: the whole table renders as raw text
    # (seen in Voila: lecture 04's table of rates); write \lvert ... \rvert instead
    bad = [
        math
        for c in json.loads(path.read_text())["cells"]
        if c["cell_type"] == "markdown"
        for line in "".join(c["source"]).splitlines()
        if line.lstrip().startswith("|")
        for math in re.findall(r"\$[^$]*\$", line)
        if "|" in math
    ]
    assert bad == [], f"{path.name}: bars inside math in table rows: {bad}"


#: Code a student would type: a fenced block, or inline code that assigns or calls
#: (`p = BuilderPanel()`, `compare(f, ...)`); plain names (`radon`, `fbp`) are narrative.
_CODE_TO_RUN = re.compile(r"```|`[^`\n]*(?:\w\(|\s=\s)[^`\n]*`")


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_code_for_jupyterlab_is_marked_on_the_dashboard(path):
    """Voila hides code cells but shows markdown: code in the text that a student is meant to
    run (the exercises, the headless API) cannot run on the dashboard, so its cell says "in
    JupyterLab"; the exercises' code cells would print their answers there, so none follows
    the Exercises heading."""
    cells = json.loads(path.read_text())["cells"]
    heading = re.compile(r"^#+\s.*exercises", re.I | re.M)
    start = next(i for i, c in enumerate(cells) if heading.search("".join(c["source"])))
    summary = next(
        i for i, c in enumerate(cells) if i > start and "".join(c["source"]).startswith("## ")
    )
    unmarked = []
    for i, c in enumerate(cells):
        text = "".join(c["source"])
        if c["cell_type"] == "code":
            assert not (start < i < summary), f"cell {i}: an exercise's code cell on the dashboard"
            continue
        in_exercises = start <= i < summary
        if ("```" in text or (in_exercises and _CODE_TO_RUN.search(text))) and (
            "in jupyterlab" not in text.lower()
        ):
            unmarked.append(f"cell {i}: {text[:60]!r}")
    assert unmarked == [], f"{path.name}: code for JupyterLab shown unmarked: {unmarked}"


@pytest.mark.notebook
@pytest.mark.parametrize("path", LECTURES, ids=[p.stem for p in LECTURES])
def test_lecture_executes_headless(path, tmp_path, record_property):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=BUDGET_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    t0 = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - t0
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("output_type") == "error"
        or (
            o.get("output_type") == "stream"
            and o.get("name") == "stderr"
            and "Traceback" in o.get("text", "")
        )
    ]
    record_property("elapsed_s", round(elapsed, 1))
    assert errors == []


HOMEWORK = sorted((Path(__file__).resolve().parents[1] / "homework" / "source").glob("*.ipynb"))


@pytest.mark.parametrize(
    "path",
    LECTURES + HOMEWORK,
    ids=[f"{p.parent.name}-{p.stem}" for p in LECTURES + HOMEWORK],
)
def test_notebook_validates_with_cell_ids_and_no_warning(path):
    """nbformat 4.5 (cell ids): reading and validating gives no MissingIDFieldWarning or other
    warning (nbformat only warns, then adds ids in memory, on every read)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning fails the test
        nb = nbformat.reads(path.read_text(), as_version=nbformat.NO_CONVERT)
        nbformat.validate(nb)
    raw = json.loads(path.read_text())
    assert (raw["nbformat"], raw["nbformat_minor"]) >= (4, 5)
    ids = [c.get("id") for c in raw["cells"]]
    assert all(ids) and len(set(ids)) == len(ids), "cells without an id, or ids repeated"


@pytest.mark.parametrize("path", HOMEWORK, ids=[p.stem for p in HOMEWORK])
def test_homework_release_validates_with_cell_ids(path):
    """The students' version (nbgrader's preprocessors) keeps valid cell ids."""
    import io
    import warnings

    pytest.importorskip("nbgrader")
    from homework.make_release import student_version

    out = io.StringIO()
    nbformat.write(student_version(nbformat.read(path, as_version=4)), out)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nbformat.validate(nbformat.reads(out.getvalue(), as_version=nbformat.NO_CONVERT))
    assert all(c.get("id") for c in json.loads(out.getvalue())["cells"])
