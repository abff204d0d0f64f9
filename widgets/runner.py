"""The worker of the live-update mechanism: run a function off the calling thread, newest wins.

A :class:`Runner` holds at most one pending request: a new request replaces the pending one (so
there is never a backlog of stale work) and cancels a running generator job. Results are
delivered in the order they were requested, so a stale result is never drawn over a newer one.
A function that returns a *generator* is a slow job: each ``yield Progress(fraction, partial)``
updates the progress and streams a partial result (throttled to ``max_rate`` per second), and
the job stops within one step when cancelled. :class:`widgets.live.LiveState` runs its
computations on one. When a runner's work is done, the memory its jobs freed is given back to
the system (:func:`release_freed_memory`). This module does not import ipywidgets.
"""

from __future__ import annotations

import atexit
import ctypes
import inspect
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Callable

from course.progress import Progress

__all__ = ["Runner", "release_freed_memory"]


_RUNNERS: weakref.WeakSet = weakref.WeakSet()


@atexit.register
def _stop_all_runners(timeout: float = 2.0) -> None:
    """At interpreter exit, stop running jobs and let their threads leave native code (torch
    aborts the process when a daemon thread is still inside it during shutdown)."""
    runners = list(_RUNNERS)
    for r in runners:
        r.cancel()
    deadline = time.monotonic() + timeout
    for r in runners:
        r.wait(max(0.0, deadline - time.monotonic()))


def _malloc_trim():
    """glibc's ``malloc_trim``, or None where the C library is not glibc (macOS, musl)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library this process runs on
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


class _Trimmer:
    """Give freed heap memory back to the system, at most once per ``interval`` seconds.

    A job on a worker thread allocates in that thread's malloc arena; glibc keeps what the job
    freed for later (measured: lecture 02's kernel 188 MB after its jobs, 154 MB trimmed; a
    test's job 458 MB kept). Trimming takes about 10 ms per 500 MB, on its own thread; requests
    arriving while it waits are served by the same trim.
    """

    def __init__(self, interval: float = 1.0):
        self._interval = interval
        self._trim = None  # looked up at the first request
        self._wanted = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def request(self) -> None:
        with self._lock:
            if self._thread is None:  # the first request: look up the C library's trim
                self._trim = _malloc_trim()
                self._thread = threading.Thread(target=self._loop, name="mathdl-trim", daemon=True)
                if self._trim is not None:
                    self._thread.start()
        if self._trim is not None:
            self._wanted.set()

    def _loop(self):
        while True:
            self._wanted.wait()
            time.sleep(0.05)  # a burst of requests (slider steps) is served by one trim
            self._wanted.clear()
            self._trim(0)
            time.sleep(self._interval)


_TRIMMER = _Trimmer()


def release_freed_memory() -> None:
    """Ask for the heap memory freed so far to be returned to the system (glibc; elsewhere
    nothing happens). Returns at once: the trim runs on its own thread."""
    _TRIMMER.request()


class Runner:
    """Run ``fn`` off the calling thread; the newest request wins.

    Parameters
    ----------
    fn : callable
        ``fn(*args, **kwargs)`` returns a result, or a generator yielding :class:`Progress`
        items and finally returning (``return value``) the result. A generator's last partial is
        used as the result when it returns None.
    on_result : callable
        ``on_result(value, final)`` is called on the worker thread for each partial
        (``final=False``) and for the result (``final=True``).
    on_error : callable
        ``on_error(exc)`` for an exception in ``fn`` or in ``on_result``.
    on_progress : callable, optional
        ``on_progress(fraction, message)``.
    on_busy : callable, optional
        ``on_busy(flag)`` when the worker starts or finishes a burst of work.
    max_rate : float
        At most this many partial results per second are delivered (the view refreshes at most
        this often); the final result is always delivered. 0 delivers every partial result.
    name : str
        Name of the worker thread.
    """

    def __init__(
        self,
        fn: Callable,
        *,
        on_result: Callable,
        on_error: Callable,
        on_progress: Callable | None = None,
        on_busy: Callable | None = None,
        max_rate: float = 10.0,
        name: str = "mathdl-runner",
    ):
        self._fn = fn
        self._on_result = on_result
        self._on_error = on_error
        self._on_progress = on_progress or (lambda fraction, message: None)
        self._on_busy = on_busy or (lambda flag: None)
        self._min_interval = 1.0 / max_rate if max_rate > 0 else 0.0
        self._name = name
        self._cv = threading.Condition()
        self._pending = None  # (generation, args, kwargs): at most one, the newest
        self._submitted = 0  # generation of the newest request
        self._cancelled_upto = 0  # jobs of this generation or older stop at their next step
        self._running = 0  # generation being computed, 0 if none
        self._thread: threading.Thread | None = None
        # statistics, read by tests and benchmarks
        self.n_started = 0
        self.n_delivered = 0
        _RUNNERS.add(self)

    # ------------------------------------------------------------------ public API
    def submit(self, *args, **kwargs) -> int:
        """Request ``fn(*args, **kwargs)``; returns the request's generation number.

        A pending request that has not started is dropped; a running generator job is asked to
        stop at its next step. A running plain function finishes (it cannot be interrupted), and
        its result is still delivered, since it is newer than what is shown.
        """
        with self._cv:
            self._submitted += 1
            gen = self._submitted
            self._pending = (gen, args, kwargs)  # replaces (drops) an older pending request
            self._cancelled_upto = max(self._cancelled_upto, gen - 1)
            self._ensure_thread()
            self._cv.notify_all()
        return gen

    def cancel(self) -> None:
        """Drop the pending request and stop the running job at its next step."""
        with self._cv:
            self._pending = None
            self._cancelled_upto = self._submitted
            self._cv.notify_all()

    @property
    def busy(self) -> bool:
        with self._cv:
            return self._pending is not None or self._running != 0

    def wait(self, timeout: float | None = 30.0) -> bool:
        """Block until no work is pending or running; False if ``timeout`` seconds passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cv:
            while self._pending is not None or self._running != 0:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cv.wait(remaining)
        return True

    def is_cancelled(self, generation: int) -> bool:
        return generation <= self._cancelled_upto

    # ------------------------------------------------------------------ worker
    def _ensure_thread(self):
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
            self._thread.start()

    def _loop(self):
        while True:
            with self._cv:
                while self._pending is None:
                    self._cv.wait()
                gen, args, kwargs = self._pending
                self._pending = None
                first = self._running == 0
                self._running = gen
            if first:
                self._safe(self._on_busy, True)
            try:
                self._run(gen, args, kwargs)
            finally:
                with self._cv:
                    idle = self._pending is None
                # report idle before waking wait(): whoever waited sees busy == False
                if idle:
                    self._safe(self._on_busy, False)
                    release_freed_memory()  # a kernel at rest holds only what it uses
                with self._cv:
                    self._running = 0
                    self._cv.notify_all()

    def _run(self, gen, args, kwargs):
        self.n_started += 1
        try:
            out = self._fn(*args, **kwargs)
            if inspect.isgenerator(out):
                self._run_generator(gen, out)
            elif not self.is_cancelled(gen) or self._pending is not None:
                self._deliver(out, True)
        except Exception as exc:  # shown in the status line, never swallowed
            if not self.is_cancelled(gen) or self._pending is not None:
                self._safe(self._on_error, exc)

    def _run_generator(self, gen, job):
        last_shown = 0.0
        last_partial = None
        unshown = False
        result = None
        try:
            while True:
                if self.is_cancelled(gen):
                    job.close()
                    return
                try:
                    item = next(job)
                except StopIteration as stop:
                    result = stop.value
                    break
                if not isinstance(item, Progress):
                    item = Progress(float("nan"), item)
                if item.partial is not None:
                    last_partial = item.partial
                    unshown = True
                now = time.monotonic()
                if now - last_shown >= self._min_interval:
                    last_shown = now
                    self._safe(self._on_progress, item.fraction, item.message)
                    # the newest partial not yet shown (it may have come just after a
                    # progress-only item reset the clock: it is shown now, not dropped)
                    if unshown:
                        unshown = False
                        self._deliver(last_partial, False)
        finally:
            job.close()
        self._safe(self._on_progress, 1.0, "")
        self._deliver(result if result is not None else last_partial, True)

    def _deliver(self, value, final):
        try:
            self._on_result(value, final)
            self.n_delivered += 1
        except Exception as exc:
            self._safe(self._on_error, exc)

    @staticmethod
    def _safe(fn, *args):
        try:
            fn(*args)
        except Exception:  # last resort: the kernel's log, never a dead worker
            traceback.print_exc(file=sys.stderr)
