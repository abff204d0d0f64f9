"""The course's Voila server: Voila 0.5.13 with the course's handlers and kernel manager.

Every Voila and jupyter_server option passes through (``--MappingKernelManager.cull_idle_timeout=20``,
``--VoilaConfiguration.theme=dark``, ...): this is Voila's own application with different
defaults, a few more options and the handlers of :mod:`widgets.server.handlers`.
"""

from __future__ import annotations

import os

from jupyter_server.services.contents.largefilemanager import LargeFileManager
from traitlets import Int, Unicode
from traitlets.config import Config
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from .handlers import HomeworkHandler, KernelChannelsHandler, LandingHandler, LecturePageHandler
from .kernels import CourseKernelManager

__all__ = ["CourseVoila", "CourseContents", "DEFAULTS", "main"]

#: The course's defaults; any of them can be overridden on the command line or in voila.json.
DEFAULTS = {
    "Voila": {"ip": "127.0.0.1", "open_browser": False},
    # kernels talk to the server over Unix sockets (readable by this user only), not over TCP on
    # 127.0.0.1 without encryption (which every kernel warned about in the log)
    "KernelManager": {"transport": "ipc"},
    "MappingKernelManager": {
        # a safety net behind the page-gone reaper (CourseKernelManager.grace_s)
        "cull_idle_timeout": 600,
        "cull_interval": 60,
        "cull_connected": False,
    },
    # with --preheat: a kernel taken from the pool is replaced no sooner than 5 s later, and only
    # once no page has been asked for for 15 s (CourseKernelManager.refill_quiet_s), so that a
    # class arriving is not slowed by the pool re-executing the notebook for each student
    # (measured: 10 pages at once from a pool of 10 refilled after 1 s took longer than without a
    # pool; refilled after 30 s on a slow machine, 10 pages took 126 s instead of 16)
    "VoilaKernelManager": {"fill_delay": 5.0},
    "VoilaConfiguration": {
        # nbgrader's and notebook's front-end plug-ins fail to load in Voila: only console errors
        "extension_denylist": ["@jupyter/nbgrader", "@jupyter-notebook/lab-extension"],
        "show_tracebacks": False,
    },
}


class CourseContents(LargeFileManager):
    """Voila's contents manager; a notebook without outputs needs no trust and gets no warning.

    Trust (a notebook's signature) decides whether the HTML and JavaScript in its *stored
    outputs* may run when it is opened. The lectures are stored without outputs (a test enforces
    it) and Voila executes them afresh, so there is nothing to trust; jupyter_server still
    logged "Notebook ... is not trusted" on every page view. A notebook with outputs is checked
    as before.
    """

    def mark_trusted_cells(self, nb, path=""):
        if any(cell.get("outputs") for cell in nb.cells):
            return super().mark_trusted_cells(nb, path)
        self.notary.mark_cells(nb, True)


class CourseVoila(Voila):
    """Voila with kernels that end, a kernel ceiling, a v1-only kernel websocket, a landing page."""

    name = "mathdl-course"
    description = Unicode(
        """python -m widgets.server [OPTIONS] [NOTEBOOK_OR_FOLDER]

        Serve the course's lectures as dashboards (every Voila option works)."""
    )
    preheat = Int(
        0,
        config=True,
        help="Keep N kernels per notebook executed in advance (Voila's preheated pool): a page "
        "opens as fast as the browser draws it, for N x the kernel's memory.",
    )
    lab_url = Unicode(
        "http://127.0.0.1:8888",
        config=True,
        help="The JupyterLab the landing page links notebooks to ('' for no links); "
        "./mathdl lab serves the repository there.",
    )
    aliases = {
        **Voila.aliases,
        "preheat": "CourseVoila.preheat",
        "max-kernels": "CourseKernelManager.max_kernels",
        "grace": "CourseKernelManager.grace_s",
        "connect-timeout": "CourseKernelManager.connect_timeout_s",
        "lab-url": "CourseVoila.lab_url",
        "ip": "Voila.ip",
    }
    classes = [*Voila.classes, CourseKernelManager]

    def initialize(self, argv=None):
        self.update_config(Config(DEFAULTS))
        super().initialize(argv)
        vc = self.voila_configuration
        if self.preheat > 0:
            vc.preheat_kernel = True
            vc.default_pool_size = self.preheat
        if vc.multi_kernel_manager_class.__name__ == "AsyncMappingKernelManager":
            vc.multi_kernel_manager_class = CourseKernelManager

    def init_settings(self):
        settings = super().init_settings()
        # Voila makes its contents manager here (no option selects another class)
        self.contents_manager = CourseContents(parent=self)
        settings["contents_manager"] = self.contents_manager
        return settings

    def init_handlers(self):
        swap = {
            VoilaKernelWebsocketHandler: KernelChannelsHandler,
            TornadoVoilaHandler: LecturePageHandler,
        }
        handlers = []
        for spec in super().init_handlers():
            pattern, cls, *rest = spec
            if cls is TornadoVoilaTreeHandler and pattern == self.server_url:
                handlers.append(
                    (pattern, LandingHandler, {"root_dir": self.root_dir, "lab_url": self.lab_url})
                )
                continue
            handlers.append((pattern, swap.get(cls, cls), *rest))
        # before Voila's catch-all routes
        handlers.insert(0, (self.server_url + "course/homework/(.*)", HomeworkHandler))
        assert any(cls is VoilaShutdownKernelHandler for _, cls, *_ in handlers)
        return handlers


def main(argv=None) -> None:
    """``python -m widgets.server``: start the server (blocks until it stops)."""
    os.environ.update(_kernel_environment())
    CourseVoila.launch_instance(argv)


def _kernel_environment() -> dict:
    from widgets.serve import kernel_environment

    return kernel_environment()
