"""Lecture 07 executed top to bottom: the dashboard shows no exercise's answer."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

LECTURE = Path(__file__).resolve().parents[3] / "lectures" / "07_relevance_maps.ipynb"

#: What Exercise 1 asks the student to find out; the lecture must not print it.
ANSWERS = ("LRP-0 == gradient x input", "sum of relevance, layer by layer")


def _texts(output) -> list[str]:
    if output.get("output_type") == "stream":
        return [output.get("text", "")]
    data = output.get("data", {})
    return [str(data[k]) for k in ("text/plain", "text/html", "text/markdown") if k in data]


@pytest.mark.notebook
def test_no_cell_output_gives_an_exercise_answer():
    nb = nbformat.read(LECTURE, as_version=4)
    NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(LECTURE.parent)}}
    ).execute()
    outputs = [t for c in nb.cells if c.cell_type == "code" for o in c.outputs for t in _texts(o)]
    assert outputs, "the lecture printed nothing at all: was it executed?"
    for answer in ANSWERS:
        assert not any(answer in t for t in outputs), answer
    assert not any(t.strip() in ("True", "False") for t in outputs)
