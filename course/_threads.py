"""Thread pools of the numerical libraries, shared by every lecture.

Panels compute on several worker threads at once. Changing a library's thread count while another
thread is inside it is not safe (OpenBLAS, torch), so the widgets set one thread once, at import,
on the main thread (``widgets._threads``), and the context managers here change nothing when
the limit already holds.
"""

from __future__ import annotations

__all__ = ["limit_blas_threads"]

_CONTROLLER = []


def limit_blas_threads(n_threads: int = 1):
    """A context manager limiting the BLAS/LAPACK threads of numpy and scipy (threadpoolctl).

    The sweeps run their linear algebra on one thread. Measured on the course's 2-core machine
    while other processes were busy: a model sweep of n = 500 (41 values of N) took 14-23 s with
    OpenBLAS's 2 threads (the threads wait on each other) and 1.5-1.8 s with 1 thread; on an
    idle machine 2 threads gain little for these n x n problems. Without threadpoolctl (it comes
    with scikit-learn) this does nothing.
    """
    from contextlib import nullcontext

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
    # Changing OpenBLAS's thread count while another thread is inside a BLAS call is not safe,
    # and panels compute on several threads at once: change nothing when already limited (the
    # widgets limit BLAS to one thread once, at import, on the main thread).
    blas = controller.select(user_api="blas")
    if all(lib["num_threads"] <= n_threads for lib in blas.info()):
        return nullcontext()
    return controller.limit(limits=n_threads, user_api="blas")
