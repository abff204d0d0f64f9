"""Results computed once for the whole class: a disk cache shared by every kernel of a server.

Plugged into the live-update mechanism in one place: :func:`install` sets
:attr:`widgets.live.LiveState.store` to a :class:`DiskStore`, and every state that declares
``cache_shared = True`` (results that are the same for every student: default cartoons, rate
curves, sweeps) looks its results up there before computing and stores them after. The store is
`diskcache <https://grantjenks.com/docs/diskcache/>`_ (SQLite in WAL mode: safe under concurrent
readers and writers in many processes, bounded in size, least recently stored out first).

Keys are the state's class, its parameters and the version of the code: the package version and
a digest of every ``course`` and ``widgets`` source file, so a changed lecture never reads an old
result. The course's server sets ``MATHDL_CACHE_DIR`` for its kernels (:func:`install` reads it
when ``widgets`` is imported); ``./mathdl warm`` fills the store before class:
``python -m widgets.warm [LECTURE_NUMBER ...]``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sys
import tempfile
import time
import traceback
from functools import lru_cache
from pathlib import Path

__all__ = [
    "DiskStore",
    "code_version",
    "computed_once",
    "default_directory",
    "install",
    "shared_arrays",
    "warm",
    "ENV",
]

#: The environment variable that names the store's folder (set by the course's server).
ENV = "MATHDL_CACHE_DIR"
_ROOT = Path(__file__).resolve().parents[1]


def default_directory() -> Path:
    """``$XDG_CACHE_HOME/mathdl/results`` (``~/.cache/mathdl/results``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mathdl" / "results"


@lru_cache(maxsize=1)
def code_version() -> str:
    """The package version and a digest of the ``course`` and ``widgets`` sources."""
    try:
        from importlib.metadata import version

        release = version("mathdl")
    except Exception:
        release = "0"
    digest = hashlib.sha256()
    for package in ("course", "widgets"):
        for path in sorted((_ROOT / package).rglob("*.py")):
            digest.update(path.relative_to(_ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return f"{release}+{digest.hexdigest()[:16]}"


class DiskStore:
    """A ``get(key, default)`` / ``set(key, value)`` store on disk, shared between processes.

    Parameters
    ----------
    directory : path
        The folder of the cache (created if missing).
    size_limit_mb : int
        Most space the cache takes; the least recently stored results go first.
    arrays_limit_mb : int
        Most space the arrays of :meth:`arrays` take; the least recently used go first.
    """

    def __init__(self, directory, *, size_limit_mb: int = 2000, arrays_limit_mb: int = 1000):
        self.directory = Path(directory)
        self._size_limit = size_limit_mb * 2**20
        self._arrays_limit = arrays_limit_mb * 2**20
        self._opened = None  # opened on first use: importing widgets costs no SQLite, no hashing
        self._version = None

    @property
    def version(self) -> str:
        """The code version in every key (computed on first use)."""
        return self._version or code_version()

    @version.setter
    def version(self, value: str) -> None:
        self._version = value

    @property
    def _cache(self):
        if self._opened is None:
            import diskcache

            self._opened = diskcache.Cache(str(self.directory), size_limit=self._size_limit)
        return self._opened

    def _key(self, key) -> str:
        # the repr of the (module, class, sorted parameters) tuple: plain values only
        return hashlib.sha256(f"{self.version}|{key!r}".encode()).hexdigest()

    def get(self, key, default=None):
        return self._cache.get(self._key(key), default)

    def set(self, key, value) -> None:
        self._cache.set(self._key(key), value)

    def arrays(self, key, make) -> dict:
        """``{name: array}`` made once by ``make()`` for every process, then memory-mapped.

        The arrays are ``.npy`` files in a folder of their own (written under a temporary name
        and renamed into place, so a reader never sees half an array; the first of several
        concurrent writers wins); each process maps them read-only, so the operating system
        holds one copy for every kernel and a kernel's memory counts only the pages it reads.
        Beyond ``arrays_limit_mb`` the least recently used folders are removed (a process that
        has one mapped keeps reading it).
        """
        import numpy as np

        root = self.directory / "arrays"
        folder = root / self._key(("arrays", key))
        for attempt in range(2):
            if folder.is_dir():
                try:
                    got = {p.stem: np.load(p, mmap_mode="r") for p in sorted(folder.glob("*.npy"))}
                    os.utime(folder)  # recently used: pruned last
                    if got:
                        return got
                except (OSError, ValueError):  # removed or cut short under us: make it again
                    pass
            if attempt:
                break
            made = _check_arrays(make())
            root.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".writing-", dir=root))
            for name, a in made.items():
                np.save(tmp / f"{name}.npy", np.ascontiguousarray(a), allow_pickle=False)
            try:
                os.rename(tmp, folder)
            except OSError:  # another kernel stored the same arrays first
                shutil.rmtree(tmp, ignore_errors=True)
            self._prune_arrays(root, keep=folder)
        return made

    def _prune_arrays(self, root: Path, keep: Path) -> None:
        folders = []
        for f in root.iterdir():
            try:
                if f.name.startswith(".writing-"):  # a writer that died an hour ago
                    if time.time() - f.stat().st_mtime > 3600:
                        shutil.rmtree(f, ignore_errors=True)
                    continue
                if not f.is_dir():
                    continue
                size = sum(p.stat().st_size for p in f.iterdir())
                folders.append((f.stat().st_mtime, size, f))
            except OSError:
                continue
        total = sum(size for _, size, _ in folders)
        for _, size, f in sorted(folders, key=lambda t: t[0]):
            if total <= self._arrays_limit:
                break
            if f != keep:
                shutil.rmtree(f, ignore_errors=True)
                total -= size

    def __len__(self) -> int:
        return len(self._cache)

    def clear(self) -> None:
        self._cache.clear()


def fetch(store, key, default):
    """``store.get(key, default)``; a broken store costs a recomputation, never a result."""
    try:
        return store.get(key, default)
    except Exception:
        return default


def keep(store, key, value) -> None:
    """``store.set(key, value)``; a value the store cannot take (one that does not pickle) is
    reported on the kernel's stderr, never raised: the student keeps the result."""
    try:
        store.set(key, value)
    except Exception:
        traceback.print_exc(file=sys.stderr)


_MISS = object()
_PLAIN = (bool, int, float, str, type(None))


def _plain(value) -> bool:
    if isinstance(value, (tuple, list)):
        return all(_plain(v) for v in value)
    return isinstance(value, _PLAIN)


def computed_once(fn):
    """``fn`` with its results shared by every kernel of the server: a call is looked up in the
    store (:attr:`widgets.live.LiveState.store`) and computed and stored only on a miss.

    For the numbers a lecture's text prints (tables, measured effects): deterministic functions of
    plain arguments. Without a store (JupyterLab, tests) it is ``fn`` itself. The key is the
    function's module and name, its arguments and the code version, so a changed course never
    reads an old result; ``./mathdl warm`` fills it by running every lecture's cells.

    Raises
    ------
    TypeError
        If an argument is not a plain value (bool, int, float, str, None, or a tuple or list of
        them): only those have a key that names the result exactly.
    """

    @functools.wraps(fn)
    def once(*args, **kwargs):
        from .live import LiveState

        for name, value in [*enumerate(args), *kwargs.items()]:
            if not _plain(value):
                raise TypeError(
                    f"computed_once({fn.__qualname__}): argument {name!r} must be a plain value "
                    f"(bool, int, float, str, None or a tuple of them); got {type(value).__name__}"
                )
        store = LiveState.store
        if store is None:
            return fn(*args, **kwargs)
        key = ("call", fn.__module__, fn.__qualname__, tuple(args), tuple(sorted(kwargs.items())))
        value = fetch(store, key, _MISS)
        if value is _MISS:
            value = fn(*args, **kwargs)
            keep(store, key, value)
        return value

    once.uncached = fn
    return once


def _check_arrays(arrays) -> dict:
    if not isinstance(arrays, dict) or not all(
        isinstance(k, str) and k.isidentifier() for k in arrays
    ):
        raise ValueError(
            f"array names must be identifiers; got {list(arrays) if isinstance(arrays, dict) else arrays!r}"
        )
    return arrays


def shared_arrays(key, make) -> dict:
    """``{name: array}`` that are the same for every student, made once per server by
    ``make()`` and memory-mapped read-only by every kernel (:meth:`DiskStore.arrays`): big
    deterministic arrays (lecture 06's prefix sums over angle) cost the class one copy.

    ``key`` is a tuple of plain values naming the arrays exactly (the code version is added).
    Without a store (JupyterLab, tests) or when the store cannot be written, ``make()``'s
    arrays are returned as they are.
    """
    from .live import LiveState

    store = LiveState.store
    if store is None:
        return _check_arrays(make())
    if not _plain(key):
        raise TypeError(f"shared_arrays: key must be a tuple of plain values; got {key!r}")
    try:
        return store.arrays(key, make)
    except OSError:
        traceback.print_exc(file=sys.stderr)
        return _check_arrays(make())


def install(directory=None):
    """Make every ``cache_shared`` state of this process use the store in ``directory``
    (default: ``$MATHDL_CACHE_DIR``; nothing happens when neither is set). Returns the store."""
    directory = directory or os.environ.get(ENV)
    if not directory:
        return None
    from .live import LiveState

    store = DiskStore(directory)
    LiveState.store = store
    return store


def warm(numbers=None, *, directory=None, timeout: float = 600.0) -> dict:
    """Compute every lecture's panels at their default parameters into the shared store
    (states started by a button too, when they declare ``warm_button = True``).

    Returns ``{lecture stem: number of panels computed}``.
    """
    from course.lectures import LECTURES

    from .catalog import panel_classes

    store = install(directory or os.environ.get(ENV) or default_directory())
    done = {}
    for lec in LECTURES:
        if not lec.written or (numbers and lec.number not in numbers):
            continue
        panels = [cls() for cls in panel_classes(lec)]
        for panel in panels:
            # a shared job on a button is warmed only where its state asks for it
            # (``warm_button = True``): other button jobs (a BSDE at d = 100 runs for
            # twenty minutes) stay for the class
            state = panel.state
            if state.starts_on == "button" and getattr(state, "warm_button", False):
                if not state.cached():
                    state.trigger()
            panel.wait(timeout)
        _execute(lec.notebook, store.directory, timeout)  # the cells' computed_once numbers
        done[lec.stem] = len(panels)
        print(f"{lec.stem}: {len(panels)} panels computed; {len(store)} results stored", flush=True)
    return done


def _execute(notebook, directory, timeout: float) -> None:
    """Run a lecture's notebook once in a kernel that uses the store in ``directory``, as a
    served page does: the numbers its cells compute with :func:`computed_once` are stored."""
    import tempfile

    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    env = {**os.environ, ENV: str(directory)}
    nb = nbformat.read(notebook, as_version=4)
    with tempfile.TemporaryDirectory() as sockets:  # IPC sockets, as the server's kernels use
        km = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "k"))
        client = NotebookClient(nb, km=km, timeout=timeout)
        try:
            client.execute(env=env, cwd=str(notebook.parent))
        finally:
            if km.has_kernel:
                km.shutdown_kernel(now=True)
