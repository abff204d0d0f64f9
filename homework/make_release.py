"""Make the students' versions of the homework: ``python homework/make_release.py``.

Each notebook in ``homework/source/`` carries nbgrader metadata: solution regions between
``### BEGIN SOLUTION`` and ``### END SOLUTION``, and test cells with hidden parts between
``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``. This script runs nbgrader's own
preprocessors to clear the solutions (a stub that raises ``NotImplementedError`` takes their
place), remove the hidden tests and the outputs, and writes ``homework/release/<name>.ipynb``.

To collect and grade, use ``./mathdl grade`` (``homework/grade.py``): it makes an nbgrader course
from these sources and grades in a sandbox, with verdicts the students' kernels cannot fool. The
metadata here is nbgrader's (schema 3).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbgrader.preprocessors import ClearHiddenTests, ClearOutput, ClearSolutions

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source"
RELEASE = HERE / "release"


def student_version(nb):
    """Return a copy of ``nb`` without solutions, hidden tests and outputs."""
    nb = nbformat.from_dict(nb)
    resources = {}
    for pre in (ClearSolutions(), ClearHiddenTests(), ClearOutput()):
        nb, resources = pre.preprocess(nb, resources)
    return nb


def main(out: Path = RELEASE) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(SOURCE.glob("*.ipynb")):
        nb = student_version(nbformat.read(path, as_version=4))
        target = out / path.name
        nbformat.write(nb, target)
        written.append(target)
    return written


if __name__ == "__main__":
    for p in main(Path(sys.argv[1]) if len(sys.argv) > 1 else RELEASE):
        print(p)
