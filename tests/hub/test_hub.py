"""A class on the shipped one-machine JupyterHub: a real hub, the real proxy, real Chromium.

The hub is ``deploy/jupyterhub_config.py`` started on 127.0.0.1 exactly as ``./mathdl hub``
starts it, with the configuration's test authenticator (dummy passwords; the config refuses it
off loopback) and an admin API token for the checks. Students (5 in CI, 10 with
``MATHDL_HUB_STUDENTS=10``) log in at once, each gets a server and opens lecture 01's dashboard through the hub and moves a slider; one student cannot
open another's server; the hub restarts and every student's file and server is still there; the
idle culler (short timeouts, set through the same environment variables a lecturer would use)
stops the idle servers.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from widgets.hub import results_directory

from .students import Hub, run_students

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "hub"
CHROMIUM = os.environ.get("MATHDL_CHROMIUM", "/usr/bin/chromium")
#: Students at once. The full class of the issue is 10 (MATHDL_HUB_STUDENTS=10, and the benchmark
#: benchmarks/bench_hub.py measures 1, 5 and 10); CI runs 5 to stay in its time budget on a
#: shared two-core machine, where 10 pages of lecture 01 at once take minutes under load.
N_STUDENTS = int(os.environ.get("MATHDL_HUB_STUDENTS", "5"))
STUDENTS = [f"student{i:02d}" for i in range(1, N_STUDENTS + 1)]


def _require_tools():
    if shutil.which("configurable-http-proxy") is None:
        if shutil.which("npm") is None:
            pytest.skip("npm is missing: cannot run JupyterHub's proxy (configurable-http-proxy)")
        pytest.fail("configurable-http-proxy missing: npm install -g configurable-http-proxy")
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")


def _servers_of(data_dir: Path):
    """Process ids of single-user servers whose home lies in ``data_dir`` (ours only)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            env = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if f"HOME={data_dir}/home/".encode() in env and b"JUPYTERHUB_API_TOKEN" in env:
            yield int(pid)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    _require_tools()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    data = tmp_path_factory.mktemp("hub")
    log = ARTIFACTS / "jupyterhub.log"
    log.write_text("")
    h = Hub(data, log).start()
    yield h
    try:
        if h.proc is None:
            h.start()
        for name in h.running_servers():
            h.api(f"/users/{name}/server", method="DELETE")
    finally:
        h.stop()
        for pid in _servers_of(data.resolve()):  # servers outlive the hub by design
            os.kill(pid, signal.SIGTERM)


def _request(url, token=None, method="GET", body=None):
    req = urllib.request.Request(
        url,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {token}"} if token else {},
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@pytest.mark.timeout(900)
def test_students_log_in_at_once_and_move_a_slider(hub):
    runs = run_students(hub, STUDENTS, chromium=CHROMIUM, artifacts=ARTIFACTS)
    (ARTIFACTS / "students.json").write_text(
        json.dumps(
            [
                {"name": r.name, "server_s": r.server_s, "interactive_s": r.interactive_s}
                for r in runs
            ],
            indent=1,
        )
    )
    assert [r.name for r in runs if not r.slider_moved] == [], "slider moved no figure"
    for r in runs:
        assert "Traceback" not in r.page_text and "\u26a0" not in r.page_text, r.name
    assert hub.running_servers() == set(STUDENTS)
    # every student's server (and so every kernel it starts) uses the class's one result store
    # and matplotlib's font cache, built once, not once per student's home
    servers = list(_servers_of(hub.data_dir.resolve()))
    assert len(servers) >= len(STUDENTS)
    for pid in servers:
        env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert f"MATHDL_CACHE_DIR={results_directory(hub.data_dir)}".encode() in env, pid
        assert f"MPLCONFIGDIR={hub.data_dir.resolve() / 'matplotlib'}".encode() in env, pid
    assert list((hub.data_dir / "home").glob("*/.cache/matplotlib")) == []


def test_a_student_cannot_open_another_students_server(hub):
    status, body = _request(
        f"{hub.url}/hub/api/users/student01/tokens", hub.TOKEN, "POST", {"note": "test"}
    )
    assert status == 201, body
    own = json.loads(body)["token"]
    status, _ = _request(f"{hub.url}/user/student01/api/contents", own)
    assert status == 200
    for path in ("api/contents", "api/kernels", "course", "voila/render/mathdl", "lab"):
        status, _ = _request(f"{hub.url}/user/student02/{path}", own)
        assert status == 403, f"student01 reached student02's {path}: {status}"


def test_a_hub_restart_loses_no_files_and_no_servers(hub):
    for name in STUDENTS:
        body = {"type": "file", "format": "text", "content": f"notes of {name}\n"}
        status, text = _request(
            f"{hub.url}/user/{name}/api/contents/notes.txt", hub.TOKEN, "PUT", body
        )
        assert status in (200, 201), text
    hub.stop()
    hub.start()
    assert hub.running_servers() == set(STUDENTS), "servers lost in the restart"
    for name in STUDENTS:
        status, text = _request(f"{hub.url}/user/{name}/api/contents/notes.txt", hub.TOKEN)
        assert status == 200, text
        assert json.loads(text)["content"] == f"notes of {name}\n"


def test_the_culler_stops_idle_servers(hub):
    hub.stop()
    hub.start(cull_idle_s=10, cull_every_s=3, activity_s=3)
    deadline = time.monotonic() + 120
    while hub.running_servers() and time.monotonic() < deadline:
        time.sleep(1)
    assert hub.running_servers() == set(), "idle servers still running 120 s after the restart"
    # a stopped server's kernels end a few seconds after it (they notice their parent is gone)
    deadline = time.monotonic() + 60
    while list(_servers_of(hub.data_dir.resolve())) and time.monotonic() < deadline:
        time.sleep(1)
    assert list(_servers_of(hub.data_dir.resolve())) == [], "a stopped server's process remains"
