"""The one place that sets the thread counts of the numerical libraries (BLAS, torch).

Every panel computes on its own worker thread, so a kernel already runs several computations at
once; numerical libraries that also split each operation over threads then fight over the cores
(measured on the course's 2-core machine: a double-descent sweep 14-23 s with two BLAS threads
against 1.5 s with one; RDE 7.9 s with two torch threads against 0.27 s with one). Changing a
thread count while another thread is inside the library is not safe (OpenBLAS, torch: a Voila
kernel hung that way), so :func:`single_threaded_numerics` sets one thread once, on the
importing thread (``import widgets`` calls it), and the context managers here change nothing
when the limit already holds (scripts and tests without widgets get the limit inside the block).
torch is imported only by :func:`torch_threads`, never at import of this module.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager, nullcontext

__all__ = ["single_threaded_numerics", "limit_blas_threads", "torch_threads"]

_CONTROLLER = []


def single_threaded_numerics() -> None:
    """Limit BLAS to one thread, and torch too (call on the main thread, before any computation
    starts).

    torch imported already gets one intra-op thread now; torch imported later (a panel's first
    training imports it on its worker thread) starts with one, from ``OMP_NUM_THREADS`` (set
    here unless the environment sets it), so no thread count is ever changed under a running
    job. Processes this one starts (kernels of the course's server) inherit that default.
    """
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        import scipy.linalg  # noqa: F401  (load scipy's BLAS too, before limiting)
        from threadpoolctl import threadpool_limits
    except ImportError:  # threadpoolctl comes with scikit-learn, a dependency
        pass
    else:
        threadpool_limits(limits=1, user_api="blas")
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)


def limit_blas_threads(n_threads: int = 1):
    """A context manager limiting the BLAS/LAPACK threads of numpy and scipy (threadpoolctl).

    The sweeps run their linear algebra on one thread. Measured on the course's 2-core machine
    while other processes were busy: a model sweep of n = 500 (41 values of N) took 14-23 s with
    OpenBLAS's 2 threads (the threads wait on each other) and 1.5-1.8 s with 1 thread. Nothing
    changes when the limit already holds; without threadpoolctl this does nothing.
    """
    if not _CONTROLLER:
        try:
            import scipy.linalg  # noqa: F401  (load scipy's BLAS before inspecting)
            from threadpoolctl import ThreadpoolController

            _CONTROLLER.append(ThreadpoolController())
        except Exception:  # no threadpoolctl: leave the threads alone
            _CONTROLLER.append(None)
    controller = _CONTROLLER[0]
    if controller is None:
        return nullcontext()
    blas = controller.select(user_api="blas")
    if all(lib["num_threads"] <= n_threads for lib in blas.info()):
        return nullcontext()
    return controller.limit(limits=n_threads, user_api="blas")


@contextmanager
def torch_threads(n: int = 1):
    """Run torch with ``n`` intra-op threads inside the block, then restore the old number.

    ``torch.set_num_threads`` is process-wide and not safe while another thread is inside a
    parallel torch operation, so nothing is changed when the process already runs ``n`` threads
    (the widgets set one thread once, at import, on the main thread).
    """
    import torch

    old = torch.get_num_threads()
    if old == n:
        yield
        return
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(old)
