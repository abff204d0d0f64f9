"""Kernels that end: one kernel per page view, shut down once its page has gone.

Voila 0.5.13 gives every page view a kernel and ends none on its own: the page's unload request
is refused (no ``_xsrf`` cookie, fixed in :mod:`widgets.server.handlers`), and the idle culler
counts a running job's widget traffic as activity, so a student who presses Play and closes the
tab keeps a core busy until the server stops. :class:`CourseKernelManager` counts each kernel's
websocket connections and shuts a kernel down once it has had none for ``grace_s`` seconds, busy
or not (its jobs end with it). A kernel whose page is still being rendered, or that waits in the
preheated pool, is kept. It also puts a ceiling on the kernels of one server, and refills the
preheated pool only once the class has arrived (``refill_quiet_s``): a pool kernel executes the
whole notebook, and ten of them starting while ten students' pages load made every page wait.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from dataclasses import dataclass, field

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.ioloop import PeriodicCallback
from traitlets import Float, Int

__all__ = ["CourseKernelManager", "Render", "RENDER"]


@dataclass
class Render:
    """One page request being rendered: the kernels it started, and whether it holds a place."""

    kernel_ids: set = field(default_factory=set)
    admitted: bool = False


#: The page request being rendered in the current task (set by the page handler).
RENDER: contextvars.ContextVar[Render | None] = contextvars.ContextVar(
    "mathdl_render", default=None
)


@dataclass
class _Life:
    """What the reaper knows of one kernel."""

    connections: int = 0
    rendering: bool = False
    ever_connected: bool = False
    pooled: bool = False
    last_seen: float = field(default_factory=time.monotonic)


class CourseKernelManager(AsyncMappingKernelManager):
    """The server's kernel manager: kernels end when their page has gone; a ceiling on kernels."""

    grace_s = Float(
        30.0,
        config=True,
        help="Seconds a kernel is kept after its last page connection closed (a reload or a "
        "network blip reconnects within them); then it is shut down, busy or not.",
    )
    connect_timeout_s = Float(
        180.0,
        config=True,
        help="Seconds a rendered kernel (or one taken from the preheated pool) may wait for its "
        "page to connect before it is shut down (a page loading on a busy machine took over "
        "60 s to connect in the class benchmark).",
    )
    max_kernels = Int(
        60,
        config=True,
        help="Most page kernels this server runs at once (preheated ones not counted); a page "
        "asked for beyond it gets a 'class is full' page. 0: no ceiling.",
    )

    refill_quiet_s = Float(
        15.0,
        config=True,
        help="With --preheat: a kernel for the pool is started only once no page has been "
        "asked for or connected, and no page's kernel has sent a message, for this many seconds "
        "(at most 5 minutes later), so that the pool refills after a class has arrived, not "
        "while it arrives. 0: at once.",
    )

    #: the longest a pool kernel waits for the class to settle, in seconds
    REFILL_WAIT_MAX_S = 300.0

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._life: dict[str, _Life] = {}
        self._last_page_activity = float("-inf")
        self._reserved = 0
        self._reaper = None
        self._start_reaper()

    # ------------------------------------------------------------------ ceiling
    def page_kernel_count(self) -> int:
        """Kernels that serve (or are being started for) a page, plus admitted requests."""
        pooled = self.pooled_kernel_ids()
        return sum(1 for k in self.list_kernel_ids() if k not in pooled) + self._reserved

    def admit(self, render: Render) -> bool:
        """Take a place for a page request, or return False when the class is full."""
        self._last_page_activity = time.monotonic()
        if self.max_kernels > 0 and self.page_kernel_count() >= self.max_kernels:
            return False
        render.admitted = True
        self._reserved += 1
        return True

    def rendered(self, render: Render) -> None:
        """A page request has ended: its kernels now wait for (or have) their connection."""
        if render.admitted:
            render.admitted = False
            self._reserved -= 1
        now = time.monotonic()
        for kid in render.kernel_ids:
            life = self._life.get(kid)
            if life is not None:
                life.rendering = False
                life.last_seen = now

    def pooled_kernel_ids(self) -> set:
        """Kernels waiting in Voila's preheated pool (none without ``--preheat``)."""
        ids = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result().get("kernel_id"))
        return ids

    # ------------------------------------------------------------------ pool refill
    def seconds_until_quiet(self, now: float | None = None) -> float:
        """How long a pool kernel should still wait: 0 once no page has been asked for or
        connected, and no page's kernel has sent a message, for ``refill_quiet_s`` seconds."""
        now = time.monotonic() if now is None else now
        last = self._last_page_activity
        pooled = self.pooled_kernel_ids()
        wall = utcnow()
        for kid in self.list_kernel_ids():
            seen = getattr(self._kernels.get(kid), "last_activity", None)
            if kid not in pooled and seen is not None:  # a page's kernel drawing, computing
                last = max(last, now - (wall - seen).total_seconds())
        return max(0.0, last + self.refill_quiet_s - now)

    async def _until_quiet(self) -> None:
        deadline = time.monotonic() + self.REFILL_WAIT_MAX_S
        while (wait := self.seconds_until_quiet()) > 0 and time.monotonic() < deadline:
            await asyncio.sleep(min(wait, 1.0))

    # ------------------------------------------------------------------ lifecycle
    async def start_kernel(self, *args, **kwargs):
        render = RENDER.get()
        if (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "True":
            # a kernel for the preheated pool (its task may have been created while a page was
            # rendered, and so carry that page's context): started after the class has arrived
            render = None
            await self._until_quiet()
        if render is not None and render.admitted:
            # the request's place becomes its kernel
            render.admitted = False
            self._reserved -= 1
        kernel_id = await super().start_kernel(*args, **kwargs)
        life = self._life.setdefault(kernel_id, _Life())
        if render is not None:
            render.kernel_ids.add(kernel_id)
            life.rendering = True
        else:  # started by the preheated pool
            life.pooled = True
        return kernel_id

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        self._life.pop(kernel_id, None)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)

    def notify_connect(self, kernel_id):
        super().notify_connect(kernel_id)
        life = self._life.setdefault(kernel_id, _Life())
        life.connections += 1
        life.ever_connected = True
        life.last_seen = self._last_page_activity = time.monotonic()

    def notify_disconnect(self, kernel_id):
        super().notify_disconnect(kernel_id)
        life = self._life.get(kernel_id)
        if life is not None:
            life.connections = max(0, life.connections - 1)
            life.last_seen = time.monotonic()

    # ------------------------------------------------------------------ reaper
    def _start_reaper(self):
        interval = max(0.5, min(5.0, self.grace_s / 3))
        self._reaper = PeriodicCallback(self._reap, interval * 1000)
        self._reaper.start()

    def abandoned(self, now: float | None = None) -> list[str]:
        """Kernels whose page has gone: no connection for ``grace_s`` (or never connected
        within ``connect_timeout_s`` after their page was rendered)."""
        now = time.monotonic() if now is None else now
        pooled = self.pooled_kernel_ids()
        out = []
        for kid in self.list_kernel_ids():
            life = self._life.setdefault(kid, _Life())
            if kid in pooled:
                life.last_seen = now
                continue
            if life.pooled:  # just taken from the pool by a page
                life.pooled = False
                life.last_seen = now
            if life.connections > 0 or life.rendering:
                life.last_seen = now
                continue
            limit = (
                self.grace_s if life.ever_connected else max(self.grace_s, self.connect_timeout_s)
            )
            if now - life.last_seen > limit:
                out.append(kid)
        return out

    async def _reap(self):
        for kid in self.abandoned():
            self.log.info("Shutting down kernel %s: its page has gone", kid)
            self._life.pop(kid, None)
            try:
                await self.shutdown_kernel(kid, now=True)
            except Exception as exc:  # already gone, or dying: the next round retries
                self.log.warning("Could not shut down kernel %s: %s", kid, exc)

    async def shutdown_all(self, *args, **kwargs):
        if self._reaper is not None:
            self._reaper.stop()
        return await super().shutdown_all(*args, **kwargs)
