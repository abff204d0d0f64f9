"""The shared result store: one result for the whole class, safe under concurrent writers."""

from __future__ import annotations

import multiprocessing

import pytest

from widgets import FloatRange, LiveState, param
from widgets.cache import DiskStore, install


def _writer(directory, worker):
    store = DiskStore(directory)
    for i in range(50):
        store.set(("shared", i), i * i)  # every process writes the same keys
        store.set(("own", worker, i), (worker, i))
        assert store.get(("shared", i)) == i * i


def test_concurrent_writers_in_processes(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), w)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = DiskStore(tmp_path)
    assert [store.get(("shared", i)) for i in range(50)] == [i * i for i in range(50)]
    assert all(store.get(("own", w, i)) == (w, i) for w in range(4) for i in range(50))


def test_keys_carry_the_code_version(tmp_path):
    store = DiskStore(tmp_path)
    store.set(("k", 1), "old")
    other = DiskStore(tmp_path)
    other.version = "another version"  # a changed course: the old result is not read
    assert other.get(("k", 1), "missing") == "missing"
    assert DiskStore(tmp_path).get(("k", 1)) == "old"


class Squares(LiveState):
    cache_shared = True
    x = param(FloatRange(default=2.0, min=0.0, max=10.0))
    calls = 0

    def compute(self, x):
        type(self).calls += 1
        return x * x


def test_a_shared_state_is_computed_once_for_every_kernel(tmp_path):
    store = install(tmp_path)
    try:
        first = Squares()
        assert first.wait() and first.result == 4.0 and not first.from_cache
        second = Squares()  # another student's kernel: same store, empty own cache
        assert second.wait() and second.result == 4.0 and second.from_cache
        assert Squares.calls == 1
        assert len(store) == 1
    finally:
        LiveState.store = None


@pytest.mark.parametrize("directory", ["", None])
def test_no_store_without_a_directory(directory, monkeypatch):
    monkeypatch.delenv("MATHDL_CACHE_DIR", raising=False)
    assert install(directory) is None


_calls = []


def _square_table(n, *, shift=0):
    _calls.append((n, shift))
    return [i * i + shift for i in range(n)]


def test_computed_once_reads_what_another_kernel_stored(tmp_path, monkeypatch):
    from widgets.cache import computed_once

    once = computed_once(_square_table)
    monkeypatch.setattr(LiveState, "store", None)
    _calls.clear()
    assert once(3) == [0, 1, 4] and once(3) == [0, 1, 4]
    assert len(_calls) == 2  # no store: the function itself, every time

    monkeypatch.setattr(LiveState, "store", DiskStore(tmp_path))
    _calls.clear()
    assert once(4, shift=1) == [1, 2, 5, 10]
    monkeypatch.setattr(LiveState, "store", DiskStore(tmp_path))  # another kernel, same folder
    assert once(4, shift=1) == [1, 2, 5, 10]
    assert _calls == [(4, 1)]  # computed once
    assert once(4, shift=2) == [2, 3, 6, 11] and once(5, shift=1)[-1] == 17
    assert _calls == [(4, 1), (4, 2), (5, 1)]  # other arguments are other results


def test_computed_once_refuses_arguments_without_an_exact_key(monkeypatch, tmp_path):
    import numpy as np

    from widgets.cache import computed_once

    monkeypatch.setattr(LiveState, "store", DiskStore(tmp_path))
    with pytest.raises(TypeError, match="argument 0 must be a plain value.*ndarray"):
        computed_once(_square_table)(np.arange(3))


def _closure_table(n):
    return [lambda i=i: i for i in range(n)]  # cannot be pickled into the store


def test_computed_once_reports_a_result_the_store_cannot_take(tmp_path, monkeypatch, capsys):
    from widgets.cache import computed_once

    monkeypatch.setattr(LiveState, "store", DiskStore(tmp_path))
    table = computed_once(_closure_table)(3)
    assert [f() for f in table] == [0, 1, 2]  # the caller keeps its result
    assert "pickle" in capsys.readouterr().err  # and the kernel's log says why it was not shared
    assert len(DiskStore(tmp_path)) == 0
