"""The one live-update mechanism of the course: newest value wins, slow work off the main thread.

Three pieces, none of which imports ipywidgets:

:class:`Runner` (:mod:`widgets.runner`)
    Runs a function on a background worker thread; the newest request wins, results arrive in
    order, a generator job streams partial results and stops within one step when cancelled.

:class:`~widgets.results.CachedResults` (:mod:`widgets.results`)
    What a state keeps of its results: the per-state cache, the store shared by the server's
    kernels, ``present()``, and :data:`NOT_COMPUTED` for a button-started state.

:class:`LiveState`
    A traitlets object that holds a panel's parameters (declared with :func:`widgets.params.param`,
    so every value is validated), the latest ``result``, a ``status`` line, ``busy`` and
    ``progress``. Changing a parameter requests ``compute(**params)`` on the state's runner.
    Errors in compute, and in anything that observes ``result`` (the view's render), land in
    ``status``; they never escape into the kernel.

Tests and homework use it headless::

    state.set(depth=5)
    state.wait()
    state.result
"""

from __future__ import annotations

import inspect
import threading
from dataclasses import dataclass

from traitlets import All, Any, Bool, Float, HasTraits, Int, Unicode, observe

from course.progress import Progress, relay

from .params import InvalidValue, Param
from .results import _MISS, NOT_COMPUTED, CachedResults
from .runner import Runner

__all__ = [
    "NOT_COMPUTED",
    "Action",
    "Progress",
    "Runner",
    "LiveState",
    "TrainOnButton",
    "short_error",
]

_STARTS = ("change", "button")


@dataclass(frozen=True)
class Action:
    """A job of a state besides :meth:`LiveState.compute`, started by a button the panel makes.

    The state implements it as ``<name>_job(**params)`` (a result, or a generator of
    :class:`Progress`); :meth:`LiveState.act` runs it on the state's runner, so it obeys the
    same rules (newest wins, Stop, progress, errors in the status line).

    Attributes
    ----------
    label : str
        The button's text.
    icon : str
        The button's Font Awesome icon.
    keeps_running : bool
        A parameter change while it runs restarts it with the new values (Play), instead of
        computing; Stop (:meth:`LiveState.cancel`) or another action ends it.
    """

    label: str
    icon: str = "play"
    keeps_running: bool = False


class _Notifying(Any):
    """An ``Any`` trait that notifies on every assignment, equal values included: a result
    equal to the shown one (or one whose ``==`` is elementwise) must still be drawn."""

    def set(self, obj, value):
        new = self._validate(obj, value)
        old = obj._trait_values.get(self.name, self.default_value)
        obj._trait_values[self.name] = new
        obj._notify_trait(self.name, old, new)


def short_error(exc: BaseException) -> str:
    """One line for a status bar: the exception's type and message, no traceback."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    if isinstance(exc, InvalidValue):
        return text
    return f"{name}: {text}" if text else name


class LiveState(CachedResults, HasTraits):
    """Parameters, latest result and status of one panel; knows nothing of ipywidgets.

    Subclasses declare parameters with :func:`widgets.params.param` and implement
    :meth:`compute`, a pure function of the parameters (usually a thin call into ``course``). It
    may return a result, or be a generator that yields :class:`Progress` and returns the result.

    Attributes
    ----------
    result : object
        The newest result delivered (partial results of a slow job included).
    final : bool
        False while ``result`` is a partial result of a running job.
    status : str
        One line for the panel's status bar: the last error or rejected value, else ''.
    ok : bool
        False when ``status`` reports an error.
    busy : bool
        True while work is pending or running.
    progress : float
        Fraction done of the running job, in [0, 1].
    generation : int
        Number of the request whose result is shown.
    from_cache : bool
        True when the shown result came from the cache (no computation ran).

    How the work starts, what is cached and what is shared are declared as class attributes
    (``starts_on``, ``start_label``, ``cache_size``, ``cache_shared``), never hand-written in a
    panel; a sub-job's progress is passed on with :func:`course.progress.relay`.
    """

    result = _Notifying(None, allow_none=True)
    final = Bool(True)
    status = Unicode("")
    ok = Bool(True)
    busy = Bool(False)
    progress = Float(0.0)
    generation = Int(0)
    from_cache = Bool(False)
    #: The ``keeps_running`` action in progress (``"play"``), else "".
    running_action = Unicode("")

    #: How the computation starts: ``"change"`` (every parameter change) or ``"button"``
    #: (the panel's start button, or :meth:`trigger`). With ``"button"``, a parameter change
    #: shows the cached result for the new parameters at once, or :data:`NOT_COMPUTED`.
    starts_on = "change"
    #: Text of the start button the panel makes when ``starts_on == "button"``.
    start_label = "Compute"
    #: Jobs besides ``compute``: ``{name: Action}``; the state implements ``<name>_job``.
    actions: dict = {}
    #: Partial results delivered per second at most.
    max_rate = 10.0
    _kept_status: str | None = None

    def __init__(self, compute_now: bool = True, **values):
        super().__init__()
        if self.starts_on not in _STARTS:
            raise ValueError(
                f"starts_on must be one of {', '.join(map(repr, _STARTS))}; got {self.starts_on!r}"
            )
        self._lock = threading.RLock()
        self._start_cache()
        self._hit = False
        self._runner = Runner(
            self._compute_request,
            on_result=self._on_result,
            on_error=self._on_error,
            on_progress=self._on_progress,
            on_busy=self._on_busy,
            max_rate=self.max_rate,
            name=f"mathdl-{type(self).__name__}",
        )
        if values:
            # initial values request nothing: the first request comes from compute_now or from
            # the panel's start(), once its figures exist
            self._batch = True
            try:
                self.set(**values)
            finally:
                self._batch = False
        if compute_now:
            self.request()

    # ------------------------------------------------------------------ parameters
    @classmethod
    def param_specs(cls) -> dict:
        """``{name: Spec}`` of the declared parameters, in declaration order."""
        cached = cls.__dict__.get("_param_specs_cache")
        if cached is None:
            cached = {}
            for klass in reversed(cls.__mro__):
                for name, value in vars(klass).items():
                    if isinstance(value, Param):
                        cached.pop(name, None)
                        cached[name] = value.spec
            cls._param_specs_cache = cached
        return dict(cached)

    def params(self) -> dict:
        """A snapshot of the current parameter values."""
        return {name: getattr(self, name) for name in self.param_specs()}

    def validate(self, **values) -> dict:
        """Check values without applying them; returns them coerced, or raises ``ValueError``."""
        specs = self.param_specs()
        out = {}
        for name, value in values.items():
            if name not in specs:
                raise InvalidValue(
                    f"unknown parameter {name!r}; the parameters are {', '.join(specs)}"
                )
            out[name] = specs[name].validate(name, value)
        return out

    def set(self, **values) -> None:
        """Set several parameters at once, all or none, and request one recomputation.

        Raises
        ------
        ValueError
            Naming the parameter, the value and the valid range; nothing is changed.
        """
        clean = self.validate(**values)
        changed = False
        quiet = getattr(self, "_batch", False)
        self._batch = True
        try:
            # No hold_trait_notifications here: it swaps this object's notify_change for a cache
            # that the worker thread (setting busy, progress, result) could write into after the
            # main thread has emitted it; that notification would be lost (a status line stuck
            # at "computing"). The values were validated above, so plain assignment is atomic
            # enough: all of them are valid, and one request follows.
            for name, value in clean.items():
                if getattr(self, name) != value:
                    setattr(self, name, value)
                    changed = True
        finally:
            self._batch = quiet
        if changed and not quiet:
            self.request()

    def try_set(self, **values) -> bool:
        """Like :meth:`set`, but a rejected value goes to ``status`` instead of raising.

        Never raises: whatever a client sends (10**400, a list, NaN) ends in the status line.
        """
        try:
            self.set(**values)
        except Exception as exc:
            self.report(exc)
            return False
        return True

    @observe(All)
    def _any_change(self, change):
        if change["name"] not in self.param_specs():
            return
        self._kept_status = None  # a message kept until a change (report(until_change=True))
        if not getattr(self, "_batch", False):
            self.request()

    # ------------------------------------------------------------------ work
    def compute(self, **params):
        """Return the result for these parameters (or a generator of :class:`Progress`)."""
        raise NotImplementedError

    def request(self) -> int:
        """Ask for ``compute`` with the current parameters; the newest request wins.

        For a ``starts_on = "button"`` state this only looks up the cache (the result, or
        :data:`NOT_COMPUTED`); :meth:`trigger` computes. While a ``keeps_running`` action runs,
        that action is restarted with the current parameters instead.
        """
        if self.running_action:
            return self._runner.submit(self.params(), action=self.running_action)
        return self._runner.submit(self.params())

    def act(self, name: str, **kwargs) -> int:
        """Run the declared action ``name`` (``<name>_job(**params, **kwargs)``); newest wins.

        Raises
        ------
        ValueError
            If ``name`` is not one of :attr:`actions`.
        """
        if name not in self.actions:
            valid = ", ".join(map(repr, self.actions)) or "none"
            raise ValueError(f"action must be one of {valid}; got {name!r}")
        self.running_action = name if self.actions[name].keeps_running else ""
        return self._runner.submit(self.params(), action=name, kwargs=kwargs)

    def trigger(self) -> int:
        """Compute for the current parameters (the start button); a cached result is shown."""
        return self._runner.submit(self.params(), explicit=True)

    def cancel(self) -> None:
        """Stop the running job at its next step (the stop button); ends a running action."""
        self.running_action = ""
        self._runner.cancel()

    def wait(self, timeout: float | None = 30.0) -> bool:
        """Block until all requested work has been computed and delivered."""
        return self._runner.wait(timeout)

    @property
    def runner(self) -> Runner:
        return self._runner

    def _compute_request(self, params, action=None, kwargs=None, explicit=False):
        self._hit = False
        if action is not None:
            return getattr(self, f"{action}_job")(**params, **(kwargs or {}))
        caching = self.cache_size > 0 or (self.cache_shared and type(self).store is not None)
        key = self.cache_key(params) if caching else None
        if caching:
            hit = self._cache_get(key)
            if hit is not _MISS:
                self._hit = True
                return self.present(hit, **params)
        if self.starts_on == "button" and not explicit:
            return NOT_COMPUTED
        out = self.compute(**params)
        if caching and inspect.isgenerator(out):
            out = self._caching(out, key)
        elif caching:
            self._cache_put(key, out)
        if type(self).present is CachedResults.present:
            return out
        if inspect.isgenerator(out):
            return self._presenting(out, params)
        return self.present(out, **params)

    def _presenting(self, job, params):
        result = yield from relay(job, wrap=lambda partial: self.present(partial, **params))
        return None if result is None else self.present(result, **params)

    # ------------------------------------------------------------------ callbacks (worker thread)
    def _on_result(self, value, final):
        with self._lock:
            self.generation = self._runner._running or self.generation
            self.final = final
            self.from_cache = self._hit and final
            if final and self._kept_status is not None:
                self.ok = False
                self.status = self._kept_status
            elif final and not self.ok:
                self.ok = True
                self.status = ""
            self.result = value

    def _on_error(self, exc):
        self.report(exc)

    def _on_progress(self, fraction, message):
        if fraction == fraction:  # not NaN
            self.progress = min(max(float(fraction), 0.0), 1.0)

    def _on_busy(self, flag):
        self.busy = flag
        if flag:
            self.progress = 0.0

    def report(self, exc_or_text, *, until_change: bool = False) -> None:
        """Show an error or a message in the status line (``ok`` becomes False).

        A final result clears the status line; with ``until_change`` the message stays, results
        included, until a parameter changes (what a shared link said about its rejected values
        must outlast the page's first computations).
        """
        text = exc_or_text if isinstance(exc_or_text, str) else short_error(exc_or_text)
        with self._lock:
            if until_change:
                self._kept_status = text
            self.ok = False
            self.status = text


class TrainOnButton(LiveState):
    """The policy of a seeded training run: it starts on the Train button (a parameter change
    shows the remembered result or :data:`NOT_COMPUTED`), the last eight settings are
    remembered, and, seeded, the result is the same for every student, so it goes to the store
    shared by the server's kernels. Subclasses implement :meth:`compute` as for any state."""

    starts_on = "button"
    start_label = "Train"
    cache_size = 8
    cache_shared = True
