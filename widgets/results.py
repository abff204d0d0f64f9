"""What a state keeps of its results: the per-state cache, the shared store, what is shown.

:class:`CachedResults` is the part of :class:`widgets.live.LiveState` that a state *declares*
about its results (``cache_size``, ``cache_params``, ``cache_shared``, ``store``) and the methods
that look them up and keep them (:meth:`~CachedResults.cache_key`,
:meth:`~CachedResults.present`, :meth:`~CachedResults.result_job`,
:meth:`~CachedResults.cached`). :data:`NOT_COMPUTED` is what a button-started state shows for
parameters it has not computed yet. The shared store itself is :class:`widgets.cache.DiskStore`.
This module does not import ipywidgets.
"""

from __future__ import annotations

import inspect
from collections import OrderedDict

from course.progress import relay

from .cache import fetch, keep

__all__ = ["NOT_COMPUTED", "CachedResults"]

_MISS = object()


class _NotComputed:
    """The result of a ``starts_on = "button"`` state whose parameters have not been computed
    yet: the panel shows "press <start button>" instead of a stale picture."""

    def __repr__(self):
        return "NOT_COMPUTED"

    def __bool__(self):
        return False


#: Delivered as ``result`` by a button-started state for parameters not computed yet.
NOT_COMPUTED = _NotComputed()


class CachedResults:
    """The result cache of a state (a mixin of :class:`widgets.live.LiveState`).

    It uses the state's ``params()``, ``compute(**params)`` and ``_lock`` (a reentrant lock
    shared with the worker thread's callbacks); :meth:`_start_cache` makes the cache.
    """

    #: Final results kept per state, keyed by the parameters (least recently used first out).
    #: 0 keeps none.
    cache_size = 0
    #: Results that are the same for every student may also go to a store shared by every
    #: kernel of the server (``LiveState.store``, set by the server): declare True for those.
    cache_shared = False
    #: The parameters the cached result depends on (default: all). The others only change how
    #: it is shown, through :meth:`present` (a new fit range refits cached curves).
    cache_params: tuple | None = None
    #: The cross-process store: None, or an object with ``get(key, default)`` and
    #: ``set(key, value)``. Consulted after the per-state cache for ``cache_shared`` states.
    store = None

    def _start_cache(self) -> None:
        self._cache: OrderedDict = OrderedDict()

    def cache_key(self, params: dict) -> tuple:
        """The key of a result: the state's class and its (``cache_params``) values."""
        cls = type(self)
        if self.cache_params is not None:
            params = {name: params[name] for name in self.cache_params}
        return (cls.__module__, cls.__qualname__, tuple(sorted(params.items())))

    def present(self, result, **params):
        """What is shown for a computed or cached ``result`` (partial ones included) at these
        parameters; default: the result itself. Override with ``cache_params``."""
        return result

    def result_job(self, **params):
        """The result of :meth:`compute` for these parameters as a job (``r = yield from
        state.result_job(**params)``): from the cache, else computed, streamed and cached. For
        actions that build on the state's own result."""
        key = self.cache_key(params)
        hit = self._cache_get(key)
        if hit is not _MISS:
            return hit
        out = self.compute(**params)
        if inspect.isgenerator(out):
            return (yield from self._caching(out, key))
        self._cache_put(key, out)
        return out

    def cached(self, **params) -> bool:
        """Whether the result for these parameters (default: the current ones) is cached."""
        key = self.cache_key({**self.params(), **params})
        return self._cache_get(key) is not _MISS

    def _cache_get(self, key):
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        store = type(self).store
        if self.cache_shared and store is not None:
            value = fetch(store, key, _MISS)
            if value is not _MISS:
                self._cache_put(key, value, share=False)
            return value
        return _MISS

    def _cache_put(self, key, value, share=True):
        if value is None or value is NOT_COMPUTED:
            return
        if self.cache_size > 0:
            with self._lock:
                self._cache[key] = value
                self._cache.move_to_end(key)
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        store = type(self).store
        if share and self.cache_shared and store is not None:
            keep(store, key, value)

    def _caching(self, job, key):
        result = yield from relay(job)
        self._cache_put(key, result)
        return result
