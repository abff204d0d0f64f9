"""The lecturer's grading workflow around nbgrader: ``./mathdl grade COMMAND``.

::

    ./mathdl grade setup   [--course DIR]          course from homework/source, assignments made
    ./mathdl grade release [--exchange DIR]        students' versions (+ nbgrader's exchange)
    ./mathdl grade collect --from DIR | --exchange DIR
    ./mathdl grade autograde [ASSIGNMENT ...] [--student ID ...]
    ./mathdl grade feedback [ASSIGNMENT ...]       HTML feedback (scores, messages, no hidden code)
    ./mathdl grade report  [ASSIGNMENT ...]        per-student scores, timeouts, crashes, tampering
    ./mathdl grade all --from DIR                  setup, collect, autograde, feedback, report

Assignments are discovered from ``homework/source/*.ipynb`` (one notebook per assignment, named
after it). ``--from DIR`` takes submissions laid out as ``DIR/<student>/<assignment>.ipynb`` or
``DIR/<student>/<assignment>/<assignment>.ipynb``. Every run of ``nbgrader`` gets the virtual
environment's ``bin`` on ``PATH`` (nbgrader runs ``alembic`` from there to create the gradebook).
Timeouts and limits are written into the course's ``nbgrader_config.py`` at set-up
(``--cell-timeout``, ``--notebook-timeout``, ``--memory-mb``) and can be changed there.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "homework" / "source"
DEFAULT_COURSE = Path(os.environ.get("MATHDL_COURSE", Path.home() / "mathdl-course"))

CONFIG = """\
# Written by ./mathdl grade setup; edit the numbers freely.
c = get_config()  # noqa: F821
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "mathdl"
c.Exchange.root = {exchange!r}
c.Exchange.timezone = "UTC"
# nbgrader's own execute step is replaced by the sandboxed, crash-isolated one; the verdict of
# every test cell is decided outside the student's kernel (homework/grading/execute.py).
c.Autograde.autograde_preprocessors = [
    "homework.grading.execute.SandboxExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.OverwriteCells.add_missing_cells = True  # a deleted test cell comes back and is graded
c.SandboxExecute.course_root = {root!r}
c.SandboxExecute.cell_timeout = {cell_timeout}        # seconds per cell of the student's
c.SandboxExecute.given_timeout = 120     # seconds per given (instructor's) cell: imports, models
c.SandboxExecute.notebook_timeout = {notebook_timeout}   # seconds per notebook (and CPU seconds)
c.SandboxExecute.memory_mb = {memory_mb}
c.SandboxExecute.max_restarts = 3        # kernel restarts after crashes/timeouts per notebook
c.SandboxExecute.sandbox = {sandbox!r}   # auto: bwrap if it works here, else user nobody
# feedback: scores and messages, never the hidden checks' code
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "homework.grading.feedback.HideChecks",
]
"""


def assignments() -> list[str]:
    """The assignments: one per ``homework/source/*.ipynb``, named after the notebook."""
    return sorted(p.stem for p in SOURCE.glob("*.ipynb"))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


def nbgrader(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run the real ``nbgrader`` command line in ``course``."""
    cmd = [sys.executable, "-m", "nbgrader", *args]
    done = subprocess.run(cmd, cwd=course, env=_env(), capture_output=True, text=True)
    if check and done.returncode:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def setup(
    course: Path,
    *,
    exchange: Path | None = None,
    cell_timeout: int = 60,
    notebook_timeout: int = 600,
    memory_mb: int = 8192,
    sandbox: str = "auto",
) -> list[str]:
    """Make (or refresh) the course: config, ``source/<assignment>/``, gradebook, release."""
    course = course.resolve()
    course.mkdir(parents=True, exist_ok=True)
    os.chmod(course, 0o700)  # other users (the fallback sandbox's nobody) cannot read it
    exchange = (exchange or course.parent / f"{course.name}-exchange").resolve()
    (course / "nbgrader_config.py").write_text(
        CONFIG.format(
            root=str(course),
            exchange=str(exchange),
            cell_timeout=cell_timeout,
            notebook_timeout=notebook_timeout,
            memory_mb=memory_mb,
            sandbox=sandbox,
        )
    )
    names = assignments()
    for name in names:
        target = course / "source" / name
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(SOURCE / f"{name}.ipynb", target / f"{name}.ipynb")
    nbgrader(course, "generate_assignment", "*", "--force")  # one run: nbgrader starts slowly
    return names


def release(course: Path) -> None:
    """Put the students' versions into nbgrader's exchange (for ``nbgrader fetch_assignment``
    or JupyterHub's Assignments tab)."""
    Path(_exchange(course)).mkdir(parents=True, exist_ok=True)
    for name in assignments():
        nbgrader(course, "release_assignment", name, "--force")


def _exchange(course: Path) -> str:
    for line in (course / "nbgrader_config.py").read_text().splitlines():
        if line.startswith("c.Exchange.root"):
            return line.split("=", 1)[1].strip().strip("'\"")
    raise RuntimeError("no Exchange.root in nbgrader_config.py; run ./mathdl grade setup")


def collect_from(course: Path, folder: Path) -> list[tuple[str, str]]:
    """Copy ``folder/<student>/<assignment>[.ipynb|/]`` into ``submitted/`` with timestamps."""
    got = []
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    for student_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        for name in assignments():
            single = student_dir / f"{name}.ipynb"
            nested = student_dir / name
            if not (single.exists() or nested.is_dir()):
                continue
            dest = course / "submitted" / student_dir.name / name
            shutil.rmtree(dest, ignore_errors=True)
            if nested.is_dir():
                shutil.copytree(nested, dest)
            else:
                dest.mkdir(parents=True)
                shutil.copy(single, dest / single.name)
            if not (dest / "timestamp.txt").exists():
                (dest / "timestamp.txt").write_text(now)
            got.append((student_dir.name, name))
    return got


def autograde(course: Path, names=None, students=None) -> None:
    """``nbgrader autograde`` (one run for all assignments and students unless some are named:
    nbgrader takes seconds to start)."""
    for name in names or ["*"]:
        args = ["autograde", name, "--force"]
        for s in students or []:
            args.append(f"--student={s}")
        done = nbgrader(course, *args, check=False)
        if done.returncode:
            print(done.stderr[-3000:], file=sys.stderr)


def scores(course: Path) -> dict:
    """``{(student, assignment): {grade_id: (auto_score, max_score, needs_manual_grade)}}`` from
    the gradebook, for every graded submission."""
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for assignment in gb.assignments:
            for sub in gb.assignment_submissions(assignment.name):
                cells = {}
                for nb in sub.notebooks:
                    for g in nb.grades:
                        cells[g.name] = (g.auto_score, g.max_score, bool(g.needs_manual_grade))
                out[(sub.student_id, assignment.name)] = cells
    return out


def feedback(course: Path, names=None) -> None:
    """``nbgrader generate_feedback``: HTML in ``feedback/<student>/<assignment>/``."""
    for name in names or ["*"]:
        nbgrader(course, "generate_feedback", name, "--force")


def reports(course: Path, names=None) -> list[dict]:
    """The per-student reports written by the grader, ``reports/<assignment>/<student>.json``."""
    out = []
    for name in names or assignments():
        for p in sorted((course / "reports" / name).glob("*.json")):
            out.append(json.loads(p.read_text()))
    return out


def print_reports(course: Path, names=None) -> None:
    for r in reports(course, names):
        flags = []
        if r["events"]:
            flags.append("; ".join(f"{e['cell']}: {e['event']}" for e in r["events"]))
        if r["not_plain"]:
            flags.append("not plain data: " + ", ".join(r["not_plain"]))
        if r["changed_locked_cells"]:
            flags.append("changed locked cells: " + ", ".join(r["changed_locked_cells"]))
        if r["suspicious"]:
            flags.append("suspicious: " + ", ".join(sorted({s["what"] for s in r["suspicious"]})))
        print(
            f"{r['assignment']:32s} {r['student']:16s} {r['score']:5.1f}/{r['max_score']:<5.1f} "
            f"{r['seconds']:6.1f} s  {' | '.join(flags)}"
        )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="./mathdl grade", description=__doc__.split("\n")[0])
    ap.add_argument(
        "command",
        choices=["setup", "release", "collect", "autograde", "feedback", "report", "all", "list"],
    )
    ap.add_argument("assignment", nargs="*", help="assignments (default: all)")
    ap.add_argument(
        "--course",
        type=Path,
        default=DEFAULT_COURSE,
        help=f"course folder (default {DEFAULT_COURSE})",
    )
    ap.add_argument("--from", dest="source", type=Path, help="folder of submissions to collect")
    ap.add_argument("--exchange", type=Path, help="nbgrader exchange folder (setup)")
    ap.add_argument("--student", action="append", help="grade only these students")
    ap.add_argument("--cell-timeout", type=int, default=60)
    ap.add_argument("--notebook-timeout", type=int, default=600)
    ap.add_argument("--memory-mb", type=int, default=8192)
    ap.add_argument("--sandbox", choices=["auto", "bwrap", "nobody", "none"], default="auto")
    a = ap.parse_args(argv)
    course = a.course.resolve()
    names = a.assignment or None
    if a.command == "list":
        print("\n".join(assignments()))
        return 0
    if a.command in ("setup", "all"):
        setup(
            course,
            exchange=a.exchange,
            cell_timeout=a.cell_timeout,
            notebook_timeout=a.notebook_timeout,
            memory_mb=a.memory_mb,
            sandbox=a.sandbox,
        )
    if a.command == "release":
        release(course)
    if a.command in ("collect", "all"):
        if a.source:
            for student, name in collect_from(course, a.source.resolve()):
                print(f"collected {student}/{name}")
        else:
            for name in names or assignments():
                nbgrader(course, "collect", name)
    if a.command in ("autograde", "all"):
        autograde(course, names, a.student)
    if a.command in ("feedback", "all"):
        feedback(course, names)
    if a.command in ("autograde", "report", "all"):
        print_reports(course, names)
    return 0


if __name__ == "__main__":
    sys.exit(main())
