"""Binder: the files in ``binder/`` give the environment that ``pyproject.toml`` installs.

repo2docker (what a BinderHub runs) needs Docker, which the test machines lack. What is checked
instead, honestly smaller:

- ``binder/environment.yml`` names exactly the packages, with the same version ranges, as
  ``pyproject.toml``'s dependencies and its ``homework`` extra (torch as conda-forge's CPU-only
  ``pytorch-cpu``, with the same range);
- in a fresh virtual environment that sees this one's packages (a ``.pth`` file, so that
  nothing is downloaded), ``pip install --no-index`` of that list is satisfied without a
  change: the list is consistent with what ``./mathdl setup`` installed; it does not prove that
  conda-forge resolves it on a BinderHub;
- ``binder/postBuild`` runs in that environment and installs the course: ``course`` and
  ``widgets`` import from this repository, and Voila starts;
- the README links every written lecture's dashboard on Binder (from ``course.lectures``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import tomllib
import yaml
from packaging.requirements import Requirement

from course.lectures import LECTURES

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"


def _pyproject_requirements() -> dict:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["homework"]
    return {Requirement(r).name.lower(): Requirement(r) for r in reqs}


def _binder() -> tuple[dict, dict]:
    env = yaml.safe_load((BINDER / "environment.yml").read_text())
    conda = {}
    pip = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.update({Requirement(r).name.lower(): Requirement(r) for r in dep["pip"]})
        else:
            req = Requirement(dep.replace("=", "==", 1) if "=" in dep and "<" not in dep else dep)
            conda[req.name.lower()] = req
    return conda, pip


def test_binder_environment_matches_pyproject():
    want = _pyproject_requirements()
    conda, pip = _binder()
    torch = want.pop("torch")
    assert conda["pytorch-cpu"].specifier == torch.specifier
    assert {n: str(r.specifier) for n, r in pip.items()} == {
        n: str(r.specifier) for n, r in want.items()
    }
    assert "python" in conda and "pip" in conda


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_binder_files_build_the_environment_in_a_fresh_venv(tmp_path):
    venv = tmp_path / "binder-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # the new environment sees this one's packages (venv's --system-site-packages would show
    # the base interpreter's instead: this interpreter is itself a venv)
    inner = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(inner, "outer_environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _, pip = _binder()
    (tmp_path / "requirements.txt").write_text("\n".join(str(r) for r in pip.values()) + "\n")
    resolved = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--no-index",
            "-r",
            str(tmp_path / "requirements.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resolved.returncode == 0, resolved.stdout[-2000:] + resolved.stderr[-2000:]
    assert "Successfully installed" not in resolved.stdout, "the list asked for other versions"

    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    built = subprocess.run(
        ["bash", str(BINDER / "postBuild")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    check = subprocess.run(
        [
            str(python),
            "-c",
            "import course, widgets, voila; print(course.__file__, widgets.__file__)",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr[-2000:]
    assert all(str(ROOT) in part for part in check.stdout.split()), check.stdout
    voila = subprocess.run(
        [str(python), "-m", "voila", "--version"], env=env, capture_output=True, text=True
    )
    assert voila.returncode == 0 and voila.stdout.strip()


def test_readme_links_every_written_lecture_on_binder():
    readme = (ROOT / "README.md").read_text()
    missing = [lec.stem for lec in LECTURES if lec.written and lec.binder_url not in readme]
    assert missing == [], f"no Binder link in the README for {missing}"
