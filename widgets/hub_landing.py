"""The course's landing page on a student's JupyterHub server, as a jupyter_server extension.

Enabled for the single-user servers by ``deploy/jupyter/jupyter_server_config.json``: it serves
``<base_url>course`` (the hub's default URL) with :func:`widgets.hub.landing_html`. A plain page
from the server itself: rendered by Voila, the landing notebook started a kernel for every
student who logged in (about 130 MB and a core-second each, before any lecture was opened).
"""

from __future__ import annotations

from pathlib import Path

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

from .hub import COURSE_DIR, LANDING_PATH, landing_html

__all__ = ["CourseLandingHandler"]


class CourseLandingHandler(JupyterHandler):
    """``GET <base_url>course``: the course's landing page for this student."""

    @web.authenticated
    def get(self):
        root = Path(self.settings.get("server_root_dir") or ".").expanduser()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.finish(landing_html(self.base_url, root / COURSE_DIR))


def _jupyter_server_extension_points():
    return [{"module": "widgets.hub_landing"}]


def _load_jupyter_server_extension(serverapp) -> None:
    base = serverapp.web_app.settings["base_url"]
    serverapp.web_app.add_handlers(
        ".*$", [(url_path_join(base, LANDING_PATH) + "/?", CourseLandingHandler)]
    )
