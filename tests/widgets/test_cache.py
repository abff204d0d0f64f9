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


def _arrays_in_a_kernel(directory, worker, out):
    import numpy as np

    from widgets.cache import install, shared_arrays

    install(directory)

    def make():
        out.put(("made", worker))
        return {"prefix": np.arange(2_000_000, dtype=np.float32).reshape(20, 100, 1000)}

    a = shared_arrays(("test", 1), make)["prefix"]
    out.put(("read", worker, float(a[7, 3, 11]), isinstance(a, np.memmap), a.flags.writeable))


def test_shared_arrays_are_made_once_and_mapped_by_every_kernel(tmp_path):
    # lecture 06's prefix sums (47 MB per phantom, noise and filter) once per server, and a
    # kernel holds in memory only the pages it reads (two slices per slider move)
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    first = ctx.Process(target=_arrays_in_a_kernel, args=(str(tmp_path), 0, out))
    first.start()
    first.join(120)
    procs = [ctx.Process(target=_arrays_in_a_kernel, args=(str(tmp_path), w, out)) for w in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    seen = [out.get(timeout=10) for _ in range(4)]
    assert [s for s in seen if s[0] == "made"] == [("made", 0)]
    expected = float(7 * 100 * 1000 + 3 * 1000 + 11)
    assert sorted(s[1:] for s in seen if s[0] == "read") == [
        (w, expected, True, False) for w in (0, 1, 2)
    ]


def test_shared_arrays_without_a_store_are_made_in_memory(monkeypatch):
    import numpy as np

    from widgets.cache import shared_arrays

    monkeypatch.setattr(LiveState, "store", None)
    got = shared_arrays(("test", 2), lambda: {"x": np.ones(3)})
    assert list(got) == ["x"] and np.array_equal(got["x"], np.ones(3))
    with pytest.raises(ValueError, match="array names must be identifiers"):
        shared_arrays(("test", 3), lambda: {"../x": np.ones(3)})


def test_shared_arrays_keep_the_store_within_its_budget(tmp_path):
    import numpy as np

    store = DiskStore(tmp_path, arrays_limit_mb=3)
    for i in range(5):  # 1.6 MB each: the oldest go, the newest stays readable
        got = store.arrays(("big", i), lambda i=i: {"x": np.full(200_000, float(i))})
        assert got["x"][0] == i
    kept = list((tmp_path / "arrays").iterdir())
    assert 1 <= len(kept) <= 2
    assert store.arrays(("big", 4), lambda: 1 / 0)["x"][0] == 4.0  # read, not made again
