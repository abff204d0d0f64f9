"""The course on a JupyterHub: what each student's server holds, and ``./mathdl hub``.

``python -m widgets.hub [--port 8000] [--ip 127.0.0.1] [--admin NAME] [--open-signup]`` starts
JupyterHub with ``deploy/jupyterhub_config.py`` (one machine: configurable-http-proxy, native
passwords, one local server per student with memory and CPU limits, the idle culler, nbgrader's
exchange) and prints how students log in.

The single-user servers are plain jupyter_server processes (``jupyterhub-singleuser``) with Voila
as a server extension: a student's default URL is the course's landing page
(``/user/<name>/course``, plain HTML from :mod:`widgets.hub_landing`: no kernel), each lecture's
dashboard is ``/user/<name>/voila/render/mathdl/<lecture>.ipynb`` and JupyterLab is at
``/user/<name>/lab``.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from course.lectures import LECTURES, ROOT

from .landing import course_page, lecture_row

__all__ = [
    "CONFIG",
    "COURSE_DIR",
    "LANDING_PATH",
    "landing_html",
    "copy_course",
    "results_directory",
    "hub_command",
    "hub_environment",
    "launch_hub",
    "main",
]

#: The shipped one-machine configuration.
CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
#: Folder, inside each student's home, that holds their copy of the course.
COURSE_DIR = "mathdl"
#: The course's landing page on a student's server (``/user/<name>/course``): plain HTML from a
#: server extension (:mod:`widgets.hub_landing`), so a student's first page starts no kernel.
LANDING_PATH = "course"


def landing_html(base_url: str, course_dir: Path | None = None) -> str:
    """The landing page of a student's server whose URLs start with ``base_url``
    (``/user/<name>/``): the course title and every lecture of :data:`course.lectures.LECTURES`
    with its number, title, one line and links (the dashboard in Voila, the notebook in
    JupyterLab, the homework where ``course_dir/homework`` holds it); lectures not yet written
    say so."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    esc = html.escape
    rows = []
    for lec in LECTURES:
        if not lec.written:
            links = "<em>not written yet</em>"
        else:
            name = f"{lec.stem}.ipynb"
            links = [
                f"<a class='dashboard' href='{esc(base)}voila/render/{COURSE_DIR}/{name}'>"
                "dashboard</a>",
                f"<a class='lab' href='{esc(base)}lab/tree/{COURSE_DIR}/{name}'>"
                "notebook in JupyterLab</a>",
            ]
            if course_dir is not None and (Path(course_dir) / "homework" / name).is_file():
                links.append(
                    f"<a class='homework' href='{esc(base)}lab/tree/{COURSE_DIR}/homework/"
                    f"{name}'>homework</a>"
                )
            links = " &middot; ".join(links)
        rows.append(lecture_row(lec, links))
    intro = (
        "Open a lecture's dashboard to move its sliders, or its notebook in JupyterLab to read "
        f"and change the code. <a class='lab' href='{esc(base)}lab/tree/{COURSE_DIR}'>JupyterLab"
        "</a> holds your own copy of every lecture; what you save there stays yours."
    )
    return course_page(intro, rows)


def results_directory(data_dir) -> Path:
    """The shared result store of every student's kernels on the one-machine hub.

    What is the same for every student (a lecture's default results, sweeps, operators) is then
    computed once for the class instead of once per student (each student has their own home,
    so the default store ``~/.cache/mathdl/results`` would be per student). The servers all run
    as the hub's Unix user (see deploy/jupyterhub_config.py), so a shared folder opens nothing
    that was closed.
    """
    return Path(data_dir).resolve() / "results"


def copy_course(home: Path) -> Path:
    """Give a student their copy of the course in ``home/mathdl`` and return that folder.

    Lectures and homework already there are kept (a student's edits are theirs); missing ones are
    copied (the landing page is not a file: :func:`landing_html`). Homework comes from the students'
    versions in ``homework/release/`` (``./mathdl homework``) when they exist.
    """
    dest = Path(home) / COURSE_DIR
    (dest / "homework").mkdir(parents=True, exist_ok=True)
    for lec in LECTURES:
        if lec.written and not (dest / lec.notebook.name).exists():
            shutil.copy2(lec.notebook, dest / lec.notebook.name)
        released = ROOT / "homework" / "release" / lec.notebook.name
        if released.is_file() and not (dest / "homework" / released.name).exists():
            shutil.copy2(released, dest / "homework" / released.name)
    old = dest / "index.ipynb"  # the landing notebook of earlier versions: a kernel per visit
    if old.is_file():
        old.unlink()
    return dest


def hub_environment(
    data_dir: Path | str,
    *,
    port: int = 8000,
    ip: str = "127.0.0.1",
    env: dict | None = None,
    **settings,
) -> dict:
    """The environment that configures ``deploy/jupyterhub_config.py``.

    Every setting is an environment variable ``MATHDL_HUB_<NAME>`` (``settings`` keys in lower
    case: ``admin``, ``open_signup``, ``mem_limit``, ``cpu_limit``, ``cull_idle_s``,
    ``cull_every_s``, ``auth``, ``dummy_password``, ``api_token``, ...); see the config file.
    """
    out = dict(os.environ if env is None else env)
    out.update(
        {
            "MATHDL_HUB_DATA": str(Path(data_dir).resolve()),
            "MATHDL_HUB_PORT": str(port),
            "MATHDL_HUB_IP": ip,
        }
    )
    for key, value in settings.items():
        if value is not None:
            out[f"MATHDL_HUB_{key.upper()}"] = str(value)
    # the proxy is an npm package: make a global npm install findable
    out["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), out.get("PATH", "")])
    return out


def hub_command(config: Path = CONFIG) -> list[str]:
    """The command line that starts JupyterHub with ``config``."""
    return [sys.executable, "-m", "jupyterhub", "-f", str(config)]


def launch_hub(data_dir, *, port: int, timeout: float = 60.0, popen_kwargs=None, **settings):
    """Start the hub in the background; return the process once ``/hub/health`` answers."""
    import urllib.request

    env = hub_environment(data_dir, port=port, **settings)
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(hub_command(), env=env, cwd=str(data_dir), **(popen_kwargs or {}))
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/hub/health"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyterhub exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError(f"jupyterhub did not answer on port {port} within {timeout} s")


def _host_for_students(ip: str) -> str:
    if ip in ("0.0.0.0", ""):
        try:
            return socket.gethostbyname(socket.gethostname())
        except OSError:
            return "<this machine's address>"
    return ip


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--ip", default="127.0.0.1", help="0.0.0.0 to let the room in (use TLS, see README)"
    )
    parser.add_argument("--data", default=str(ROOT / ".hub"), help="hub state and student homes")
    parser.add_argument("--admin", default=os.environ.get("USER", "lecturer"))
    parser.add_argument("--open-signup", action="store_true", help="no approval of sign-ups")
    parser.add_argument("--mem-limit", default="1G", help="per student (default 1G)")
    parser.add_argument("--cpu-limit", type=float, default=1.0, help="cores per student")
    args = parser.parse_args(argv)
    if shutil.which("configurable-http-proxy") is None:
        sys.exit(
            "configurable-http-proxy not found: install it with "
            "`npm install -g configurable-http-proxy` (the hub's proxy is an npm package)"
        )
    env = hub_environment(
        args.data,
        port=args.port,
        ip=args.ip,
        admin=args.admin,
        open_signup=int(args.open_signup),
        mem_limit=args.mem_limit,
        cpu_limit=args.cpu_limit,
    )
    Path(args.data).mkdir(parents=True, exist_ok=True)
    url = f"http://{_host_for_students(args.ip)}:{args.port}"
    approve = (
        "they can log in at once (--open-signup)"
        if args.open_signup
        else f"then you, logged in as {args.admin!r}, approve them at {url}/hub/authorize"
    )
    print(
        f"mathdl hub: {url}\n"
        f"  You: sign up once as {args.admin!r} at {url}/hub/signup (the admin; approved at once).\n"
        f"  Students: open {url}/hub/signup, choose a user name and a password; {approve}.\n"
        f"  Then they log in at {url}/hub/login and land on the course's page (JupyterLab is\n"
        f"  one click away). Each student: at most {args.mem_limit} of memory and "
        f"{args.cpu_limit:g} core(s);\n"
        f"  idle servers stop after an hour. Hub state and homes: {Path(args.data).resolve()}\n",
        flush=True,
    )
    from .warm import in_background

    in_background(results_directory(args.data))  # the students' store, filled while the hub runs
    cmd = hub_command()
    os.chdir(args.data)
    os.execve(cmd[0], cmd, env)


if __name__ == "__main__":
    main()
