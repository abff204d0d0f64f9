"""The server's request handlers: kernel websockets, lecture pages, the landing page.

- :class:`KernelChannelsHandler` refuses kernel websockets without the v1 subprotocol. Voila
  0.5.13's handler reads every binary message it sends as a v1 message; a legacy-protocol client
  (no subprotocol) gets legacy binary messages, whose 4-byte header Voila reads as an 8-byte part
  count and then builds a list of that many offsets: the server stops answering, grows ~23 MB/s
  and ignores SIGTERM. Every browser front-end of Jupyter speaks v1; the header is also read
  with bounds here, so no message can make the server allocate by its contents.
- :class:`LecturePageHandler` renders a lecture: it sets the ``_xsrf`` cookie that the page's
  unload request needs (without it Voila's shutdown-on-unload is refused with 403, upstream issue
  #1458), takes a place under the kernel ceiling or answers with a "class is full" page (503),
  and does not hand a preheated kernel to a request with a query string (the pool executed the
  notebook before the request existed, so the notebook could not have seen it), nor one that
  has not started yet (the page would wait for it).
- :class:`LandingHandler` is the course's front page at ``/``; :class:`HomeworkHandler` serves
  the students' versions of the homework (never the sources, which hold the solutions).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from jupyter_server.base.handlers import JupyterHandler
from tornado import web
from tornado.websocket import WebSocketHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from course.lectures import LECTURES, ROOT

from ..landing import course_page, lecture_row
from .kernels import RENDER, Render

__all__ = [
    "V1_PROTOCOL",
    "read_v1_header",
    "KernelChannelsHandler",
    "LecturePageHandler",
    "LandingHandler",
    "HomeworkHandler",
    "ICON_CSS",
    "without_cdn",
    "full_page",
    "landing_page",
]

V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
#: parts of a v1 message: channel, header, parent header, metadata, content, then buffers
_MAX_V1_PARTS = 1024
RELEASE = ROOT / "homework" / "release"


def read_v1_header(message: bytes) -> dict | None:
    """The header of a v1 binary kernel message, or None if ``message`` is not one.

    The part count and offsets are checked against the message's length before anything is
    allocated, so a message in another format costs nothing.
    """
    if len(message) < 8:
        return None
    n = int.from_bytes(message[:8], "little")
    if n < 3 or n > _MAX_V1_PARTS or 8 * (n + 1) > len(message):
        return None
    offsets = [int.from_bytes(message[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(3)]
    if not (offsets[1] <= offsets[2] <= len(message)):
        return None
    try:
        header = json.loads(message[offsets[1] : offsets[2]].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return header if isinstance(header, dict) else None


def _requested_protocols(handler) -> list[str]:
    text = handler.request.headers.get("Sec-WebSocket-Protocol", "")
    return [p.strip() for p in text.split(",") if p.strip()]


class KernelChannelsHandler(VoilaKernelWebsocketHandler):
    """Kernel websocket that speaks only the v1 protocol (see the module's docstring)."""

    async def get(self, kernel_id):
        if V1_PROTOCOL not in _requested_protocols(self):
            self.log.warning("Refused a kernel websocket without the %s subprotocol", V1_PROTOCOL)
            self.set_status(400)
            self.finish(
                f"This server speaks only the {V1_PROTOCOL} kernel protocol "
                "(request it as the websocket subprotocol)."
            )
            return
        return await super().get(kernel_id)

    def write_message(self, message, binary=False):
        if isinstance(message, bytes):
            header = read_v1_header(message)
        elif isinstance(message, dict):
            header = message.get("header")
        else:
            header = None
        if isinstance(header, dict) and header.get("msg_type") == "execute_input":
            return None  # a dashboard shows no code (as Voila does)
        # skip Voila's own write_message, which parses the header without bounds
        return WebSocketHandler.write_message(self, message, binary)


#: Voila 0.5.13's lab template: Font Awesome 5 from a CDN (see the module's docstring)
_CDN_LINKS = (
    '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5'
    '/css/all.min.css" type="text/css" />',
    '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5'
    '/css/v4-shims.min.css" type="text/css" />',
)
#: The Font Awesome icons of the course's buttons (``widgets.panel``: play, stop) as text glyphs;
#: an icon without a rule here shows no glyph, as it did offline with the CDN's stylesheet.
ICON_CSS = """<style>
.fa { font-style: normal; }
.fa-play::before { content: "\\25B6"; }
.fa-stop::before { content: "\\25A0"; }
</style>"""


def without_cdn(html_text: str) -> str:
    """``html_text`` with Voila's Font Awesome CDN links replaced by :data:`ICON_CSS`."""
    if _CDN_LINKS[0] not in html_text:
        return html_text
    return html_text.replace(_CDN_LINKS[0], ICON_CSS, 1).replace(_CDN_LINKS[1], "")


def full_page(max_kernels: int) -> str:
    """The page a student gets when every place of the server is taken."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The class is full</title>
<meta http-equiv="refresh" content="30"></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.5">
<h1>The class is full</h1>
<p>All {max_kernels} places of this server are taken: every open lecture page uses one, and a
place is freed a little while after its page is closed.</p>
<p>This page tries again by itself every 30 seconds. If it stays full, tell your lecturer
(the server's limit is <code>--max-kernels</code>).</p>
</body></html>"""


class LecturePageHandler(TornadoVoilaHandler):
    """A lecture page (see the module's docstring)."""

    @web.authenticated
    async def get(self, path=None):
        km = self.kernel_manager
        render = Render()
        if hasattr(km, "admit") and not km.admit(render):
            self.set_status(503)
            self.set_header("Retry-After", "30")
            self.set_header("Content-Type", "text/html")
            self.finish(full_page(km.max_kernels))
            return
        token = RENDER.set(render)
        try:
            self.xsrf_token  # noqa: B018  (sets the _xsrf cookie the unload request sends back)
            await super().get(path)
        finally:
            RENDER.reset(token)
            if hasattr(km, "rendered"):
                km.rendered(render)

    def write(self, chunk):
        if isinstance(chunk, str):
            chunk = without_cdn(chunk)
        return super().write(chunk)

    def should_use_rendered_notebook(
        self, notebook_data, pool_size, template_name, theme, request_args
    ):
        if request_args:
            return False  # a preheated kernel ran the notebook without this query string
        if not super().should_use_rendered_notebook(
            notebook_data, pool_size, template_name, theme, request_args
        ):
            return False
        # Only a kernel that has started: Voila would otherwise hand the page the pool's oldest
        # entry and make it wait for that kernel's start (which waits for the class to settle,
        # CourseKernelManager.refill_quiet_s); a fresh kernel is faster then.
        km = self.kernel_manager
        pool = next(
            (
                getattr(km, "_pools", {}).get(name, [])
                for name, data in getattr(km, "notebook_data", {}).items()
                if data is notebook_data
            ),
            [],
        )

        def started(task) -> bool:
            return task.done() and not task.cancelled() and task.exception() is None

        if not any(started(t) for t in pool):
            return False
        pool.sort(key=lambda t: not started(t))  # Voila takes the first
        return True


def _lecture_rows(root_dir: Path, base_url: str, lab_url: str) -> list[str]:
    rows = []
    for lec in LECTURES:
        if not lec.written:
            links = "<em>not written yet</em>"
        else:
            links = []
            try:
                rel = lec.notebook.resolve().relative_to(root_dir.resolve()).as_posix()
            except ValueError:
                rel = None
            if rel is not None:
                links.append(
                    f"<a class='dashboard' href='{base_url}voila/render/{rel}'>dashboard</a>"
                )
            if lab_url:
                lab_rel = f"lectures/{lec.stem}.ipynb"
                links.append(
                    f"<a class='lab' href='{html.escape(lab_url.rstrip('/'))}/lab/tree/{lab_rel}'>"
                    "notebook in JupyterLab</a>"
                )
            if (RELEASE / f"{lec.stem}.ipynb").is_file():
                links.append(
                    f"<a class='homework' href='{base_url}course/homework/{lec.stem}.ipynb'>"
                    "homework</a>"
                )
            else:
                links.append("<span class='homework'>homework not released yet</span>")
            links = " &middot; ".join(links)
        rows.append(lecture_row(lec, links))
    return rows


def landing_page(root_dir: Path, base_url: str = "/", lab_url: str = "") -> str:
    """The course's front page: title, then every lecture of ``course.lectures.LECTURES`` with
    its number, title, one line and links (dashboard, notebook in JupyterLab, homework)."""
    rows = _lecture_rows(Path(root_dir), base_url, lab_url)
    return course_page(
        "Open a lecture's dashboard and move its sliders; the mathematics answers.",
        rows,
        f'<p><a href="{base_url}voila/tree">all files</a></p>',
    )


class LandingHandler(JupyterHandler):
    """The course's front page at ``/`` (see :func:`landing_page`)."""

    def initialize(self, root_dir: str, lab_url: str = ""):
        self.root_dir = Path(root_dir)
        self.lab_url = lab_url

    @web.authenticated
    def get(self):
        self.set_header("Content-Type", "text/html")
        self.set_header("Cache-Control", "no-cache")
        self.finish(landing_page(self.root_dir, self.base_url, self.lab_url))


class HomeworkHandler(JupyterHandler):
    """The students' version of a lecture's homework (``homework/release/<stem>.ipynb``)."""

    @web.authenticated
    def get(self, name):
        stems = {lec.stem for lec in LECTURES}
        stem = name[: -len(".ipynb")] if name.endswith(".ipynb") else name
        path = RELEASE / f"{stem}.ipynb"
        if stem not in stems or not path.is_file():
            raise web.HTTPError(404, "no released homework of that name")
        self.set_header("Content-Type", "application/x-ipynb+json")
        self.set_header("Content-Disposition", f'attachment; filename="{stem}.ipynb"')
        self.finish(path.read_bytes())
