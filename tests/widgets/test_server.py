"""The course's server (``python -m widgets.server``) against clients that misbehave.

A real server is started on 127.0.0.1 with a tiny notebook (one slider) and short grace periods;
real websocket clients connect to its kernels. Facts checked: a legacy-protocol client is refused
and the server keeps serving the others; a kernel whose page has gone ends (connected and
left, or rendered and never connected); the kernel ceiling answers with a "class is full" page and
frees places; Voila and jupyter_server options pass through without warnings.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest
import websocket
from jupyter_client.session import Session
from jupyter_server.services.kernels.connection.base import (
    deserialize_msg_from_ws_v1,
    serialize_binary_message,
    serialize_msg_to_ws_v1,
)

from course.lectures import LECTURES
from widgets.serve import Served
from widgets.server import V1_PROTOCOL, read_v1_header
from widgets.server.handlers import landing_page

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _get(url: str, timeout: float = 120.0):
    """(status, body) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def _kernel_id(page: str) -> str:
    return re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page).group(1)


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within {timeout:.0f} s")


class Server(Served):
    def __init__(self, folder: Path, *options: str):
        super().__init__(folder, *options, log_path=folder / "server.log")

    def page(self) -> tuple[int, str]:
        return _get(self.url + "voila/render/tiny.ipynb")

    def kernel_alive(self, kid: str) -> bool:
        return _get(self.url + f"api/kernels/{kid}", 10)[0] == 200

    def connect(self, kid: str, **kwargs):
        return websocket.create_connection(
            f"ws://127.0.0.1:{self.port}/api/kernels/{kid}/channels?session_id=test",
            timeout=30,
            **kwargs,
        )


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import ipywidgets as W\nW.IntSlider(3)")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, folder / "tiny.ipynb")
    s = Server(
        folder,
        "--MappingKernelManager.cull_idle_timeout=20",
        "--grace=2",
        "--connect-timeout=4",
        "--max-kernels=2",
    )
    yield s
    s.stop()


def kernel_info(ws) -> str:
    """Send a kernel_info_request over a v1 websocket; return the reply's msg_type."""
    session = Session()
    msg = session.msg("kernel_info_request", {})
    parts = [json.dumps(msg[k], default=str).encode() for k in ("header", "parent_header")]
    ws.send_binary(serialize_msg_to_ws_v1(parts + [b"{}", b"{}"], "shell"))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        channel, reply = deserialize_msg_from_ws_v1(ws.recv())
        msg_type = json.loads(reply[0])["msg_type"]
        if msg_type == "kernel_info_reply":
            return msg_type
    raise AssertionError("no kernel_info_reply")


def test_v1_header_reader_bounds():
    session = Session()
    msg = session.msg("comm_msg", {"data": {}})
    parts = [json.dumps(msg[k], default=str).encode() for k in ("header", "parent_header")]
    v1 = serialize_msg_to_ws_v1(parts + [b"{}", b"{}"], "iopub")
    assert read_v1_header(v1)["msg_type"] == "comm_msg"
    # a legacy binary message: its 4-byte big-endian header read as v1 is a huge part count
    legacy = serialize_binary_message({**msg, "buffers": [b"\0" * 64]})
    assert int.from_bytes(legacy[:8], "little") > 10**9
    assert read_v1_header(legacy) is None
    assert read_v1_header(b"\xff" * 64) is None
    assert read_v1_header(b"") is None


def test_legacy_client_refused_while_pages_work(server):
    status, page = server.page()
    assert status == 200
    kid = _kernel_id(page)
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        server.connect(kid)  # no subprotocol: the legacy kernel protocol
    assert refused.value.status_code == 400
    # a legacy message, had it been let through, arrives over a raw socket: still nothing hangs
    ws = server.connect(kid, subprotocols=[V1_PROTOCOL])
    try:
        assert ws.subprotocol == V1_PROTOCOL
        assert kernel_info(ws) == "kernel_info_reply"
        assert _get(server.url, 10)[0] == 200
    finally:
        ws.close()
    _wait_for(lambda: not server.kernel_alive(kid), 60, "the left kernel's shutdown")


def test_kernel_ceiling_and_kernels_that_end(server):
    held = []
    try:
        for _ in range(2):
            status, page = server.page()
            assert status == 200
            kid = _kernel_id(page)
            held.append((kid, server.connect(kid, subprotocols=[V1_PROTOCOL])))
        status, page = server.page()
        assert status == 503 and "The class is full" in page
        # one student leaves: a place is free once the grace period has passed
        kid, ws = held.pop(0)
        ws.close()
        _wait_for(lambda: not server.kernel_alive(kid), 60, "the closed page's kernel shutdown")
        status, page = server.page()
        assert status == 200
        # rendered, never connected: ends after the connect timeout
        never = _kernel_id(page)
        _wait_for(lambda: not server.kernel_alive(never), 60, "the unconnected kernel's shutdown")
        assert all(server.kernel_alive(k) for k, _ in held)
    finally:
        for _, ws in held:
            ws.close()


def test_options_pass_through_without_warnings(server):
    server.page()
    log = server.log_path.read_text()
    assert "idle durations > 20 seconds" in log  # --MappingKernelManager.cull_idle_timeout=20
    assert "Warning" not in log and "unrecognized" not in log.lower(), log


def test_a_page_load_logs_no_trust_or_kernel_transport_warning(server):
    before = len(server.log_path.read_text())
    # the earlier tests' kernels may still hold the two places (they end within seconds)
    loads = []
    _wait_for(lambda: loads.append(server.page()) or loads[-1][0] == 200, 60, "a free place")
    status, page = loads[-1]
    kid = _kernel_id(page)
    ws = server.connect(kid, subprotocols=[V1_PROTOCOL])  # the kernel has started and answers
    try:
        assert kernel_info(ws) == "kernel_info_reply"
    finally:
        ws.close()
    log = server.log_path.read_text()[before:]
    assert "Kernel started" in log  # the page load's lines are the ones read
    assert "is not trusted" not in log, log  # a notebook without outputs has nothing to trust
    assert "without encryption" not in log, log  # kernels on Unix sockets, not plain TCP


def test_landing_page_lists_every_lecture(server):
    status, page = _get(server.url, 10)
    assert status == 200
    html = landing_page(ROOT / "lectures", "/", "http://127.0.0.1:8888")
    for text in (page, html):
        assert "The Mathematics of Deep Learning" in text
    for lec in LECTURES:
        row = re.search(rf"<tr id='lecture-{lec.number:02d}'>(.*?)</tr>", html, re.S).group(1)
        assert f"{lec.number:02d}" in row and lec.title.replace("'", "&#x27;") in row
        if lec.written:
            assert f"href='/voila/render/{lec.stem}.ipynb'" in row
            assert f"/lab/tree/lectures/{lec.stem}.ipynb" in row
            assert "homework" in row
        else:
            assert "not written yet" in row and "href" not in row


def test_a_query_string_never_gets_a_preheated_kernel(server, tmp_path):
    notebook = server.log_path.parent / "tiny.ipynb"
    with Served(notebook, log_path=tmp_path / "preheat.log", preheat=1) as pool:
        log_path = pool.log_path
        _wait_for(lambda: "is filled with 1 kernel" in log_path.read_text(), 120, "the pool")
        status, page = _get(pool.url + "?state=from-a-link")
        assert status == 200
        fresh = _kernel_id(page)
        assert f"Using pre-heated kernel: {fresh}" not in log_path.read_text()
        status, page = _get(pool.url)
        assert status == 200
        assert f"Using pre-heated kernel: {_kernel_id(page)}" in log_path.read_text()


def test_the_pool_refills_after_the_class_has_arrived(server, tmp_path):
    """A taken pool kernel is replaced only once no page has been asked for for
    ``refill_quiet_s`` (here 6 s), not while students keep arriving."""
    notebook = server.log_path.parent / "tiny.ipynb"
    options = ("--VoilaKernelManager.fill_delay=0.2", "--CourseKernelManager.refill_quiet_s=6")
    with Served(notebook, *options, log_path=tmp_path / "refill.log", preheat=1) as pool:
        log_path = pool.log_path

        def fills():
            return log_path.read_text().count("is filled with 1 kernel")

        _wait_for(lambda: fills() == 1, 120, "the first fill")  # at start: at once
        status, page = _get(pool.url)
        assert status == 200 and "Using pre-heated kernel" in log_path.read_text()
        taken = time.monotonic()
        for _ in range(4):  # more students arrive, 1.5 s apart: the class is still arriving
            time.sleep(1.5)
            assert _get(pool.url)[0] == 200
        last = time.monotonic()
        assert fills() == 1, "the pool refilled while pages were still being asked for"
        # and the students who came meanwhile got fresh kernels, not a wait for the pool's
        assert log_path.read_text().count("Using pre-heated kernel") == 1
        _wait_for(lambda: fills() == 2, 120, "the refill once the class had arrived")
        refilled = time.monotonic()
        assert refilled - last >= 5.0, (taken, last, refilled)


def test_a_wire_student_gets_every_canvas_of_a_lecture_drawn(tmp_path):
    """The class benchmark's browser-less student (benchmarks/wire_student.py) asks for what a
    page asks: it must see the page settle with a frame for every canvas of the lecture."""
    from ipympl.backend_nbagg import Canvas
    from ipywidgets.widgets.widget import _instances

    from benchmarks.wire_student import load_page

    lecture = next(lec for lec in LECTURES if lec.number == 1)
    cells = json.loads(lecture.notebook.read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    before = {k for k, w in _instances.items() if isinstance(w, Canvas)}
    exec(compile(code, str(lecture.notebook), "exec"), {})  # the lecture's own cells, headless
    canvases = sum(1 for k, w in _instances.items() if isinstance(w, Canvas) and k not in before)
    assert canvases > 0
    with Served(lecture.notebook, log_path=tmp_path / "wire.log") as served:
        page = load_page(served.url, timeout=180)
    assert page["seconds"] == page["seconds"], page  # not NaN: it settled
    assert page["canvases"] == canvases


def test_lecture_page_asks_no_cdn_and_keeps_the_button_glyphs():
    from widgets.server.handlers import _CDN_LINKS, ICON_CSS, without_cdn

    head = f"<head>{_CDN_LINKS[0]}\n  {_CDN_LINKS[1]}\n<style>x</style></head>"
    out = without_cdn(head)
    assert "cdn." not in out and "https://" not in out
    assert ICON_CSS in out and out.count("<style>") == 2
    assert without_cdn("<div>no head here</div>") == "<div>no head here</div>"


def test_kernels_get_one_thread_and_two_malloc_arenas_unless_the_user_chose():
    # measured (wire student, warm store, kernel at rest): lecture 02 200 -> 167 MB, lecture 06
    # 210 -> 188 MB with two glibc arenas instead of one per computing thread
    from widgets.serve import kernel_environment

    env = kernel_environment({})
    assert env["MALLOC_ARENA_MAX"] == "2"
    assert env["OMP_NUM_THREADS"] == env["OPENBLAS_NUM_THREADS"] == "1"
    assert kernel_environment({"MALLOC_ARENA_MAX": "8"})["MALLOC_ARENA_MAX"] == "8"
