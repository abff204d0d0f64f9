"""The table of lectures (course/lectures.py) is the one truth: README, folders and notebooks follow it."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from course.lectures import LECTURES, ROOT, format_table, lecture

WRITTEN = [item for item in LECTURES if item.written]


def test_every_lecture_notebook_is_in_the_table():
    stems = {item.stem for item in LECTURES}
    notebooks = {p.stem for p in (ROOT / "lectures").glob("[0-9][0-9]_*.ipynb")}
    assert notebooks <= stems, notebooks - stems
    assert [item.number for item in LECTURES] == list(range(1, len(LECTURES) + 1))
    assert all(item.stem.startswith(f"{item.number:02d}_") for item in LECTURES)


@pytest.mark.parametrize("item", WRITTEN, ids=lambda item: item.stem)
def test_a_written_lecture_lives_under_its_theme_in_every_folder(item):
    for folder in ("course", "widgets"):
        assert (ROOT / folder / item.theme / "__init__.py").is_file(), (folder, item.theme)
    for folder in ("tests/course", "tests/widgets"):
        assert list((ROOT / folder / item.theme).glob("test_*.py")), (folder, item.theme)
    assert item.homework.is_file(), item.homework


def test_no_theme_module_outside_its_package():
    themes = {item.theme for item in LECTURES}
    for folder in ("course", "widgets", "tests/course", "tests/widgets"):
        stray = [
            p.name for p in (ROOT / folder).glob("*.py") if p.stem.removeprefix("test_") in themes
        ]
        assert stray == [], (folder, stray)


def test_readme_table_matches_the_lectures():
    readme = (ROOT / "README.md").read_text()
    rows = re.findall(
        r"^\| (\d\d) \| \[([^\]]+)\]\(lectures/([^)]+)\.ipynb\) \|.*\| \[(\d\d)\]\(homework/source/([^)]+)\.ipynb\) \|$",
        readme,
        flags=re.M,
    )
    expected = [(f"{i.number:02d}", i.title, i.stem, f"{i.number:02d}", i.stem) for i in WRITTEN]
    assert rows == expected


def test_mathdl_lectures_prints_the_table():
    out = subprocess.run(
        [sys.executable, "-m", "course.lectures"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == format_table()
    for item in LECTURES:
        line = next(x for x in out.stdout.splitlines() if x.startswith(f"{item.number:02d} "))
        assert item.theme in line and (("not written" in line) != item.written)


def test_lecture_lookup_names_the_valid_numbers():
    assert lecture(4).theme == "sparse"
    with pytest.raises(ValueError, match="number must be one of 1, 2"):
        lecture(9)
