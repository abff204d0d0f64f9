"""Homework grading: the time to autograde one honest student, per assignment.

Each repeat is one real ``nbgrader autograde <assignment> --student=honest`` run through
``homework.grade`` (what ``./mathdl grade autograde`` runs): nbgrader's start-up, sanitising,
the sandboxed kernel (bubblewrap where it works) executing the whole notebook, the verdicts in
the grader's process, the gradebook. Also recorded: the grader's own share (the per-student
report's ``seconds``: kernel start, execution, checks). The honest submission is the source
notebook itself (solutions in place; nbgrader restores the locked cells). No target: a lecturer
grading 100 students wants this below about 30 s per notebook on two cores.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.harness import summary, write_results
from homework import grade

REPEATS = 2


def main() -> None:
    base = Path(tempfile.mkdtemp(prefix="mathdl-bench-grading-"))
    course = base / "course"
    try:
        t = time.perf_counter()
        grade.setup(course)
        setup_s = time.perf_counter() - t
        incoming = base / "incoming" / "honest"
        incoming.mkdir(parents=True)
        for name in grade.assignments():
            shutil.copy(grade.SOURCE / f"{name}.ipynb", incoming / f"{name}.ipynb")
        grade.collect_from(course, base / "incoming")
        results = {"setup_all_assignments_s": round(setup_s, 2)}
        for name in grade.assignments():
            wall, inner = [], []
            for _ in range(REPEATS):
                t = time.perf_counter()
                grade.autograde(course, [name], ["honest"])
                wall.append(time.perf_counter() - t)
                report = json.loads((course / "reports" / name / "honest.json").read_text())
                inner.append(report["seconds"])
                assert report["score"] == report["max_score"], report
            results[name] = {
                "autograde_one_student": summary(wall),
                "grader_share": summary(inner),
                "sandbox": report["sandbox"],
            }
            print(name, results[name]["autograde_one_student"]["median_ms"], "ms", flush=True)
        print(write_results("grading", results))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
