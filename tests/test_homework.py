"""Homework graded by the real ``nbgrader autograde``, through ``homework.grade`` (the module that
``./mathdl grade`` runs after its set-up), with honest and hostile submissions.

One course, one ``setup`` (``generate_assignment``), one ``collect``, ONE ``nbgrader autograde``
run for every assignment and student, one ``generate_feedback`` (nbgrader starts slowly; this
keeps the whole module near 5 minutes on two idle cores). Students, for every assignment
discovered in ``homework/source/``:

- ``solution``: the release with the source's solutions filled in: full marks;
- ``release``: the students' version untouched: 0;
- ``partial``: only the first exercise solved: that exercise's points;
- ``hostile``: every kernel-level attack at once: numpy functions, builtins and the course's
  functions rebound, always-equal objects as every answer, an IPython input transformer that
  wraps every later cell in ``try/except``: 0.

and, against assignment 01 only (the file-system and crash attacks do not depend on the
mathematics): ``intruder`` (reads and executes the source notebook, writes the gradebook,
deletes the other students' folders, plants a file in ``source/``), ``looper`` (an infinite
loop that ignores SIGINT in exercise 2), ``exiter`` (``os._exit(0)`` after correct answers, in
exercise 3's cell), ``quitter`` (``sys.exit(0)`` at the end of exercise 2's cell). Each earns no
undeserved point, keeps the points earned before its crash, changes no other student's score
or files, and every student's grading ends within the notebook timeout plus 10 s.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("nbgrader")

from homework.grade import assignments, reports, scores  # noqa: E402
from homework.grading.sandbox import probe  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "homework" / "source").glob("*.ipynb"))
CELL_TIMEOUT, NOTEBOOK_TIMEOUT = 30, 180
# the module's one autograde run is in a fixture that pytest-timeout counts with the first test
pytestmark = pytest.mark.timeout(1800)
FIRST = SOURCES[0].stem


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def _kind(cell) -> str:
    m = _meta(cell)
    if cell.cell_type != "code":
        return "manual" if m.get("solution") and m.get("grade") else "text"
    if m.get("grade") and not m.get("solution"):
        return "test"
    return "solution" if m.get("solution") else "given"


def _exercise_of_cells(nb) -> dict[str, str]:
    """grade_id of each solution cell -> grade_id of the test cell that checks it (the next)."""
    out, waiting = {}, []
    for c in nb.cells:
        if _kind(c) == "solution":
            waiting.append(_meta(c)["grade_id"])
        elif _kind(c) == "test":
            out.update({w: _meta(c)["grade_id"] for w in waiting})
            waiting = []
    return out


def _tests(nb) -> dict[str, float]:
    return {_meta(c)["grade_id"]: float(_meta(c)["points"]) for c in nb.cells if _kind(c) == "test"}


def _source_cells(nb) -> dict[str, str]:
    return {_meta(c)["grade_id"]: c.source for c in nb.cells if "grade_id" in _meta(c)}


# ---------------------------------------------------------------------------------- submissions

HOSTILE = """
import builtins
import sys

import numpy as np


class AlwaysEqual(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __lt__ = __le__ = __gt__ = __ge__ = __eq__

    def __hash__(self):
        return 0

    def __abs__(self):
        return AlwaysEqual(0.0)

    def __sub__(self, other):
        return AlwaysEqual(0.0)

    __rsub__ = __add__ = __radd__ = __mul__ = __rmul__ = __truediv__ = __pow__ = __sub__

    def __getattr__(self, name):
        return AlwaysEqual(0.0)

    def __call__(self, *args, **kwargs):
        return AlwaysEqual(0.0)

    def __getitem__(self, key):
        return AlwaysEqual(0.0)

    def __len__(self):
        return 11


def _anything(*args, **kwargs):
    return AlwaysEqual(0.0)


np.allclose = np.isclose = np.array_equal = lambda *a, **k: True
np.max = np.min = np.sum = _anything
np.linalg.norm = lambda *a, **k: 0.0
builtins.abs = lambda x: 0.0
builtins.all = builtins.any = lambda it: True
for _module in [m for name, m in list(sys.modules.items()) if name.startswith("course.")]:
    if _module.__name__ == "course.answers":
        continue
    for _name in dir(_module):
        if callable(getattr(_module, _name)) and not _name.startswith("_"):
            setattr(_module, _name, _anything)
            if _name in globals():
                globals()[_name] = _anything


def _swallow(lines):
    return ["try:\\n"] + ["    " + line for line in lines] + ["\\nexcept BaseException:\\n    pass\\n"]


get_ipython().input_transformers_post.append(_swallow)  # noqa: F821
"""

INTRUDER = """
import glob
import json
import shutil
import sqlite3

COURSE, REPO = {course!r}, {repo!r}
for pattern in (COURSE + "/source/*/*.ipynb", "../../../source/*/*.ipynb", REPO + "/homework/source/*.ipynb"):
    for path in glob.glob(pattern):
        if "{first}" in path:  # the instructor's notebook: solutions and checks
            for c in json.load(open(path))["cells"]:
                if c["cell_type"] == "code":
                    try:
                        exec("".join(c["source"]), globals())
                    except BaseException:
                        pass
for base in (COURSE, "../../.."):
    try:
        con = sqlite3.connect(base + "/gradebook.db")
        con.execute("update grade set auto_score = 100")
        con.commit()
    except Exception:
        pass
    for d in glob.glob(base + "/submitted/*") + glob.glob(base + "/autograded/*"):
        if not d.endswith("intruder"):
            shutil.rmtree(d, ignore_errors=True)
    for d in glob.glob(base + "/source/*"):
        try:
            open(d + "/planted.py", "w").write("PLANTED = True\\n")
        except Exception:
            pass
"""


def _top_level_names(source: str) -> list[str]:
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return names


def _faked(release_text: str, source_text: str) -> str:
    """A release cell whose stubs return or assign always-equal objects."""
    lines = []
    for line in release_text.splitlines():
        if "raise NotImplementedError()" in line:
            indent = line[: len(line) - len(line.lstrip())]
            if indent:
                lines.append(f"{indent}return AlwaysEqual(0.0)")
            else:
                lines += [f"{n} = AlwaysEqual(0.0)" for n in _top_level_names(source_text)]
        else:
            lines.append(line)
    return "\n".join(lines)


def submissions(source, release, assignment: str, course: Path) -> dict:
    """Every student's notebook for one assignment (hw01 also gets the file and crash attacks)."""
    src = _source_cells(source)
    owner = _exercise_of_cells(source)
    first_test = next(iter(_tests(source)))

    def make(edit, written=False):
        """The release with ``edit`` applied to its solution cells; ``written``: the model
        answers in the cells graded by hand."""
        nb = nbformat.from_dict(json.loads(json.dumps(release)))
        solutions = [c for c in nb.cells if _kind(c) == "solution"]
        for c in solutions:
            c.source = edit(_meta(c)["grade_id"], c.source, c is solutions[0])
        for c in nb.cells:
            if written and _kind(c) == "manual":
                c.source = src[_meta(c)["grade_id"]]
        return nb

    def solved(gid, text, first):
        return src[gid]

    out = {
        "solution": make(solved, written=True),
        "release": make(lambda gid, text, first: text),
        "partial": make(lambda gid, text, first: src[gid] if owner[gid] == first_test else text),
        "hostile": make(
            lambda gid, text, first: (HOSTILE if first else "") + _faked(text, src[gid])
        ),
    }
    if assignment == FIRST:
        intrude = INTRUDER.format(course=str(course), repo=str(ROOT), first=FIRST)
        loop = "\nimport signal\n\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n"
        out["intruder"] = make(lambda gid, text, first: intrude if first else "pass")
        out["looper"] = make(lambda gid, t, f: src[gid] + (loop if gid == "ex2_solution" else ""))
        exit_ = "\nimport os\n\nos._exit(0)\n"
        out["exiter"] = make(lambda gid, t, f: src[gid] + (exit_ if gid == "ex3_solution" else ""))
        quit_ = "\nimport sys\n\nsys.exit(0)\n"
        out["quitter"] = make(lambda gid, t, f: src[gid] + (quit_ if gid == "ex2_solution" else ""))
    return out


# ---------------------------------------------------------------------------------- the course


def _grade(*args, course: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "homework.grade", *args, "--course", str(course)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1500)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("grading")
    course = base / "course"
    _grade(
        "setup",
        f"--cell-timeout={CELL_TIMEOUT}",
        f"--notebook-timeout={NOTEBOOK_TIMEOUT}",
        course=course,
    )
    subs = base / "incoming"
    expected_students = {}
    for path in SOURCES:
        source = nbformat.read(path, as_version=4)
        release = nbformat.read(course / "release" / path.stem / path.name, as_version=4)
        for student, nb in submissions(source, release, path.stem, course).items():
            (subs / student).mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, subs / student / path.name)
            expected_students.setdefault(path.stem, set()).add(student)
    _grade("collect", "--from", str(subs), course=course)
    before = {
        p.relative_to(course): p.read_bytes()
        for p in (course / "submitted").rglob("*")
        if p.is_file() and "intruder" not in p.parts
    }
    _grade("autograde", course=course)
    _grade("feedback", course=course)
    return {
        "course": course,
        "scores": scores(course),
        "reports": {(r["student"], r["assignment"]): r for r in reports(course)},
        "before": before,
        "students": expected_students,
    }


def _auto(graded, student, assignment) -> dict[str, float]:
    cells = graded["scores"][(student, assignment)]
    tests = _tests(nbformat.read(ROOT / "homework/source" / f"{assignment}.ipynb", 4))
    return {gid: cells[gid][0] for gid in tests}


# ---------------------------------------------------------------------------------- the tests


@pytest.mark.slow
@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_honest_submissions_grade_as_they_should(graded, path):
    tests = _tests(nbformat.read(path, 4))
    a = path.stem
    assert _auto(graded, "solution", a) == tests, graded["reports"][("solution", a)]
    assert _auto(graded, "release", a) == dict.fromkeys(tests, 0.0)
    first = next(iter(tests))
    assert _auto(graded, "partial", a) == {g: (p if g == first else 0.0) for g, p in tests.items()}
    manual = [g for g, v in graded["scores"][("solution", a)].items() if g not in tests]
    for g in manual:  # answers graded by hand wait for the lecturer; an empty one scores 0
        assert graded["scores"][("solution", a)][g][2], g
        assert graded["scores"][("release", a)][g][0] == 0.0, g


@pytest.mark.slow
@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_kernel_attacks_earn_nothing(graded, path):
    a = path.stem
    assert set(_auto(graded, "hostile", a).values()) == {0.0}
    report = graded["reports"][("hostile", a)]
    flagged = {s["what"] for s in report["suspicious"]}
    assert {"input transformer", "overrides comparisons", "rebinds a builtin"} <= flagged


@pytest.mark.slow
def test_file_system_attacks_change_nothing_and_earn_nothing(graded):
    course = graded["course"]
    assert set(_auto(graded, "intruder", FIRST).values()) == {0.0}
    for rel, data in graded["before"].items():  # every other student's submission is intact
        assert (course / rel).read_bytes() == data, rel
    for student in graded["students"][FIRST] - {"intruder"}:
        assert (course / "autograded" / student / FIRST / f"{FIRST}.ipynb").exists(), student
    assert not list(course.rglob("planted.py"))
    # the gradebook holds exactly what the grader decided (no auto_score of 100 anywhere)
    assert all(
        s is None or s <= m for cells in graded["scores"].values() for s, m, _ in cells.values()
    )


@pytest.mark.slow
def test_crashes_and_hangs_cost_their_exercise_only(graded):
    full = _tests(nbformat.read(SOURCES[0], 4))
    assert _auto(graded, "looper", FIRST) == full | {"ex2_tests": 0.0}
    assert _auto(graded, "exiter", FIRST) == full | {"ex3_tests": 0.0}
    assert _auto(graded, "quitter", FIRST) == full  # sys.exit is an exception in a kernel
    events = {s: graded["reports"][(s, FIRST)]["events"] for s in ("looper", "exiter")}
    assert any("timed out" in e["event"] for e in events["looper"]), events
    assert any("died" in e["event"] or "exited" in e["event"] for e in events["exiter"]), events


@pytest.mark.slow
def test_every_student_is_graded_within_the_timeout_plus_10_s(graded):
    for key, r in graded["reports"].items():
        assert r["seconds"] <= NOTEBOOK_TIMEOUT + 10, key
    expected = {(s, a) for a, students in graded["students"].items() for s in students}
    assert set(graded["reports"]) == expected


@pytest.mark.slow
def test_feedback_shows_scores_and_messages_not_the_checks(graded):
    course = graded["course"]
    for student in ("solution", "release", "hostile"):
        for path in SOURCES:
            html = (course / "feedback" / student / path.stem / f"{path.stem}.html").read_text()
            assert "BEGIN HIDDEN TESTS" not in html and "hidden_ex" not in html
            assert "@check" not in html
    html = (course / "feedback" / "release" / FIRST / f"{FIRST}.html").read_text()
    assert "no answer was recorded" in html and "NotImplementedError" in html
    text = re.sub(
        r"<[^>]+>", " ", (course / "feedback/solution" / FIRST / f"{FIRST}.html").read_text()
    )
    assert re.search(r"Score:\s*4\.0\s*/\s*4\.0", text) and "ex2: correct" in text


def _asserts(source: str):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            yield node


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_source_follows_the_homework_format(path):
    """The format of /homework (README, "Writing homework"): cell ids, nbgrader metadata, one
    ``answer`` per test cell, every assert with a message, checks named uniquely."""
    nb = nbformat.read(path, 4)
    raw = json.loads(path.read_text())
    assert all(c.get("id") for c in raw["cells"])
    ids = [_meta(c)["grade_id"] for c in nb.cells]
    assert len(ids) == len(set(ids)) == len(nb.cells)
    for c in nb.cells:
        assert not c.get("outputs") and not c.get("execution_count")
    given = [c for c in nb.cells if _kind(c) == "given"]
    assert "from course.answers import answer, check" in given[0].source
    check_names = []
    for c in nb.cells:
        if _kind(c) == "test":
            assert _meta(c)["points"] > 0
            calls = re.findall(r'^answer\(\s*"(\w+)"', c.source, flags=re.M)
            assert len(calls) == 1 and _meta(c)["grade_id"] == f"{calls[0]}_tests", c.source
            assert "### BEGIN HIDDEN TESTS" in c.source
            for node in _asserts(c.source):
                assert node.msg is not None, (
                    f"{path.name}: assert without a message, line {node.lineno}"
                )
            check_names += re.findall(r"^@check\ndef (\w+)", c.source, flags=re.M)
        if _kind(c) == "manual":
            assert _meta(c)["points"] > 0 and "### BEGIN SOLUTION" in c.source
    assert check_names and len(check_names) == len(set(check_names))


def test_assignments_are_discovered_from_the_sources():
    assert assignments() == [p.stem for p in SOURCES]


@pytest.mark.slow
def test_student_code_ran_in_the_strongest_sandbox_available(graded):
    want = probe()
    assert want == "bwrap" or not shutil.which("bwrap")  # bwrap installed but not working
    assert {r["sandbox"] for r in graded["reports"].values()} == {want}
